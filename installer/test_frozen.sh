#!/usr/bin/env bash
# The frozen app's own test (minutes; not part of `make test`):
#   1. build the Linux bundle from this checkout (installer/build.sh);
#   2. run it as a PC without Python would: an empty environment (no virtualenv,
#      no PYTHONPATH), a fresh home folder, the offscreen Qt platform;
#   3. selftest with screenshots (every screen), then a first run that must create
#      its database in the user's data folder, a demo database and `check` on it.
# Usage: installer/test_frozen.sh [SCREENSHOT_DIR]   (default build/frozen-selftest)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHOTS=${1:-$ROOT/build/frozen-selftest}
started=$(date +%s)
installer/build.sh
built=$(date +%s)

HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
bare() {
    env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"
}
CLI=$ROOT/dist/FrontDesk/frontdesk-cli

rm -rf "$SHOTS"
bare "$CLI" selftest --screenshots "$SHOTS"
tested=$(date +%s)

bare "$CLI" stats > /dev/null
test -f "$HOME_DIR/.local/share/FrontDesk/frontdesk.sqlite" \
    || { echo "first run made no database in the user's data folder" >&2; exit 1; }
bare "$CLI" demo "$HOME_DIR/demo.sqlite" --households 200 > /dev/null
bare FRONTDESK_PASSPHRASE=demo1234 "$CLI" check --db "$HOME_DIR/demo.sqlite" > /dev/null
bare FRONTDESK_PASSPHRASE=demo1234 "$CLI" print rooms --db "$HOME_DIR/demo.sqlite" \
    --out "$HOME_DIR/rooms.pdf" > /dev/null

echo "frozen app: build $((built - started)) s, selftest $((tested - built)) s," \
    "bundle $(du -sh "$ROOT/dist/FrontDesk" | cut -f1)," \
    "archive $(du -sh "$ROOT"/dist/FrontDesk-*-linux-*.tar.gz | cut -f1 | tail -1)," \
    "$(ls "$SHOTS" | wc -l) screenshots in $SHOTS"
