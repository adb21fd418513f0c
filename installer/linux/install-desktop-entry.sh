#!/usr/bin/env sh
# Add FrontDesk to this user's application menu, pointing at this unpacked folder.
# The data stays in ~/.local/share/FrontDesk whatever happens to this folder.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
APPS=${XDG_DATA_HOME:-$HOME/.local/share}/applications
ICONS=${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps
mkdir -p "$APPS" "$ICONS"
cp "$HERE/frontdesk.png" "$ICONS/frontdesk.png"
sed "s|^Exec=FrontDesk|Exec=\"$HERE/FrontDesk\"|" "$HERE/frontdesk.desktop" > "$APPS/frontdesk.desktop"
echo "已添加到应用程序菜单：物业前台（$APPS/frontdesk.desktop）"
