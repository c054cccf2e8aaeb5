#!/bin/sh
# Put Orion in the desktop's application menu: the entry points at this folder's `orion`.
# Run it again after moving the folder. Nothing is installed outside your home folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$data/applications" "$data/icons/hicolor/256x256/apps"
cp "$here/orion.png" "$data/icons/hicolor/256x256/apps/orion.png"
sed "s|@ORION_HOME@|$here|g" "$here/orion.desktop" > "$data/applications/orion.desktop"
chmod 644 "$data/applications/orion.desktop"
echo "Orion is in your applications menu ($data/applications/orion.desktop)."
