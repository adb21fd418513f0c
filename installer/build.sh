#!/usr/bin/env bash
# Build the Linux bundle from a clean clone:
#   dist/FrontDesk/                          the one-folder app (FrontDesk, frontdesk-cli)
#   dist/FrontDesk-<version>-linux-<arch>.tar.gz   the folder plus .desktop file and icon
# Needs python3 (3.11+) with venv; everything else comes from PyPI into build/venv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
BUILD=$ROOT/build/installer
VENV=$BUILD/venv

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(uname -m)

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
# The project itself (not editable: the wheel's build hook compiles the Qt forms).
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade \
    "$ROOT" "pyinstaller>=6.10,<7"

"$VENV/bin/pyinstaller" --noconfirm --clean \
    --distpath "$ROOT/dist" --workpath "$BUILD/work" "$ROOT/installer/frontdesk.spec"

BUNDLE=$ROOT/dist/FrontDesk
install -m 644 "$ROOT/installer/linux/frontdesk.desktop" "$BUNDLE/frontdesk.desktop"
install -m 644 "$ROOT/resources/icons/frontdesk.png" "$BUNDLE/frontdesk.png"
install -m 755 "$ROOT/installer/linux/install-desktop-entry.sh" "$BUNDLE/install-desktop-entry.sh"

TARBALL=$ROOT/dist/FrontDesk-$VERSION-linux-$ARCH.tar.gz
tar -czf "$TARBALL" -C "$ROOT/dist" FrontDesk
echo "bundle:  $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
echo "archive: $TARBALL ($(du -sh "$TARBALL" | cut -f1))"
