; Inno Setup 6.4+ script (UTF-8 with a byte-order mark, so the Chinese reads right): FrontDesk for a counter PC, installed per machine.
;
; Built by installer\build.ps1, which passes the version from pyproject.toml:
;   ISCC.exe /DMyAppVersion=0.1.0 /Odist installer\frontdesk.iss
; The bundle it packs is dist\FrontDesk (installer\frontdesk.spec).
;
; Upgrades install over an older version in place (same AppId); the program files
; of the old version are removed first so no stale library lingers. The user's data
; (%LOCALAPPDATA%\FrontDesk: database, stored documents, backups) is never touched,
; not even by the uninstaller, which says where it is.

#ifndef MyAppVersion
  #error MyAppVersion is not defined: build with installer\build.ps1 (it reads pyproject.toml)
#endif

#define MyAppName "物业前台"
#define MyAppExe "FrontDesk.exe"
#define Bundle "..\dist\FrontDesk"

[Setup]
; Never change AppId: it is how a newer setup finds and upgrades an older install.
AppId={{6F1C3B2A-8D4E-4B7A-9C51-3E2F0A7D9B64}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher=FrontDesk
VersionInfoVersion={#MyAppVersion}
DefaultDirName={autopf}\FrontDesk
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=FrontDesk-{#MyAppVersion}-setup
SetupIconFile=..\resources\icons\frontdesk.ico
UninstallDisplayIcon={app}\{#MyAppExe}
UninstallDisplayName={#MyAppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running FrontDesk holds its files: ask to close it (and reopen it afterwards).
CloseApplications=yes
RestartApplications=yes
UsePreviousAppDir=yes
UsePreviousTasks=yes

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #error Inno Setup's Chinese (Simplified) messages are missing: use Inno Setup 6.4 or newer
#endif

[CustomMessages]
chinesesimplified.DataKept=物业前台的程序已卸载。%n%n数据没有删除：数据库、存档文件和备份仍在%n%1%n%n重新安装后即可继续使用；确定不再需要时，可手动删除该文件夹（请先确认另有备份）。
chinesesimplified.StartNow=启动物业前台
chinesesimplified.CommandLine=物业前台命令行（备份、恢复、检查）

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; The previous version's program files (not the user's data, which lives elsewhere).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"
Name: "{group}\{cm:CommandLine}"; Filename: "{cmd}"; Parameters: "/k frontdesk-cli.exe --help"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#MyAppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExe}"; Description: "{cm:StartNow}"; Flags: nowait postinstall skipifsilent

[Code]
// The data folder is the one frontdesk.paths.data_dir() uses on Windows
// (platformdirs: %LOCALAPPDATA%\FrontDesk) for the user who runs the uninstaller.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\FrontDesk')]),
      mbInformation, MB_OK);
end;
