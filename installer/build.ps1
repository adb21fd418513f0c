# Build the Windows bundle and installer from a clean clone:
#   dist\FrontDesk\                          the one-folder app (FrontDesk.exe, frontdesk-cli.exe)
#   dist\FrontDesk-<version>-setup.exe       the installer, when Inno Setup 6.4+ is installed
# Needs Python 3.11+ (the py launcher or python on PATH); Inno Setup's ISCC.exe for the
# installer step (found on PATH or in its default folder; skipped with a note if absent).
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)
$Root = (Get-Location).Path
$Build = Join-Path $Root "build\installer"
$Venv = Join-Path $Build "venv"
$Python = if (Get-Command py -ErrorAction SilentlyContinue) { "py -3" } else { "python" }

function Invoke-Checked([string]$Command) {
    Invoke-Expression $Command
    if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $Command" }
}

# The version comes from pyproject.toml, the one place it is written.
$Version = Invoke-Expression "$Python -c `"import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])`""
if ($LASTEXITCODE -ne 0) { throw "cannot read the version from pyproject.toml" }

if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    Invoke-Checked "$Python -m venv `"$Venv`""
}
$VenvPython = Join-Path $Venv "Scripts\python.exe"
# The project itself (not editable: the wheel's build hook compiles the Qt forms).
Invoke-Checked "& `"$VenvPython`" -m pip install --quiet --disable-pip-version-check --upgrade `"$Root`" `"pyinstaller>=6.10,<7`""
Invoke-Checked "& `"$VenvPython`" -m PyInstaller --noconfirm --clean --distpath `"$Root\dist`" --workpath `"$Build\work`" `"$Root\installer\frontdesk.spec`""

$IsccPath = $null
$Found = Get-Command ISCC.exe -ErrorAction SilentlyContinue
if ($Found) {
    $IsccPath = $Found.Source
} else {
    $Default = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
    if (Test-Path $Default) { $IsccPath = $Default }
}
if ($IsccPath) {
    Invoke-Checked "& `"$IsccPath`" /DMyAppVersion=$Version /O`"$Root\dist`" `"$Root\installer\frontdesk.iss`""
    Write-Host "installer: dist\FrontDesk-$Version-setup.exe"
} else {
    Write-Host "Inno Setup 6 (ISCC.exe) not found: the bundle is in dist\FrontDesk; install Inno Setup 6.4+ for the setup program."
}
