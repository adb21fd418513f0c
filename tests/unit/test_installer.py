"""The installer's files agree with the project: one version (pyproject.toml), the
data folder the app really uses, bundled files that exist. The build itself is
installer/test_frozen.sh (minutes), not part of this suite."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from frontdesk import __version__, paths

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_the_program_reports_the_version_in_pyproject() -> None:
    assert __version__ == _version()


def test_the_windows_installer_takes_its_version_from_pyproject() -> None:
    script = (INSTALLER / "frontdesk.iss").read_bytes()
    assert script.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Inno reads the Chinese right
    text = script.decode("utf-8-sig")
    assert "#ifndef MyAppVersion" in text and "#error" in text
    assert "AppVersion={#MyAppVersion}" in text
    assert not re.search(r"^AppVersion=\d", text, re.M)  # never a version typed in by hand
    build = (INSTALLER / "build.ps1").read_text(encoding="utf-8")
    assert "pyproject.toml" in build and "/DMyAppVersion=$Version" in build


def test_the_uninstaller_names_the_data_folder_the_app_uses_and_never_deletes_it() -> None:
    text = (INSTALLER / "frontdesk.iss").read_text(encoding="utf-8-sig")
    assert f"{{localappdata}}\\{paths.APP_NAME}" in text
    # platformdirs with appauthor=False puts it straight under %LOCALAPPDATA% on Windows.
    assert "appauthor=False" in Path(paths.__file__).read_text(encoding="utf-8")
    assert "[UninstallDelete]" not in text
    assert "{localappdata}" not in text.split("[InstallDelete]")[1].split("[Files]")[0]
    assert re.search(r"AppId=\{\{[0-9A-F-]{36}\}", text)


def test_the_bundle_spec_and_linux_files_point_at_what_exists() -> None:
    spec = (INSTALLER / "frontdesk.spec").read_text(encoding="utf-8")
    for needed in ('"resources"', '"ui"', '"migrations"', "frontdesk.ico", "launch.py"):
        assert needed in spec, needed
    assert (ROOT / "src" / "frontdesk" / "db" / "migrations" / "env.py").exists()
    assert (ROOT / "resources" / "icons" / "frontdesk.ico").exists()
    assert paths.resource("icons", "frontdesk.png").exists()
    desktop = (INSTALLER / "linux" / "frontdesk.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=物业前台" in desktop and "Icon=frontdesk" in desktop
    build = (INSTALLER / "build.sh").read_text(encoding="utf-8")
    for shipped in ("frontdesk.desktop", "frontdesk.png", "install-desktop-entry.sh"):
        assert shipped in build, shipped
