#!/usr/bin/env bash
# Draws every icon from packaging/icons/easel.svg: the hicolor sizes the packages carry, the
# window's (assets/icon.png) and the .exe's (assets/icon.ico, six sizes). Run after changing the
# SVG; needs rsvg-convert and ImageMagick (apt-get install -y librsvg2-bin imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
svg=packaging/icons/easel.svg
for s in 32 48 64 128 256 512; do rsvg-convert -w "$s" -h "$s" "$svg" -o "packaging/icons/${s}x${s}.png"; done
cp packaging/icons/256x256.png assets/icon.png
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in 16 24 32 48 64; do rsvg-convert -w "$s" -h "$s" "$svg" -o "$tmp/$s.png"; done
convert "$tmp/16.png" "$tmp/24.png" "$tmp/32.png" "$tmp/48.png" "$tmp/64.png" packaging/icons/256x256.png assets/icon.ico
