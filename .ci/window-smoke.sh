#!/usr/bin/env bash
# Starts the real `easel` window under Xvfb, takes a screenshot, and fails if the process died
# or the window is blank (a single colour).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked --bin easel
shot=${1:-target/window-smoke.png}
display=:97
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
data=$(mktemp -d); runtime=$(mktemp -d); chmod 700 "$runtime"; export XDG_RUNTIME_DIR=$runtime
cleanup() { kill "${app:-}" "$xvfb" 2>/dev/null || true; rm -rf "$data" "$runtime"; }
trap cleanup EXIT
for _ in $(seq 50); do DISPLAY=$display xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
DISPLAY=$display EASEL_DATA_DIR="$data" EASEL_BASE_URL=http://127.0.0.1:9/v1 target/debug/easel >target/window-smoke.log 2>&1 &
app=$!
# Wait for the window to be mapped, then for a few frames to be drawn.
for _ in $(seq 100); do DISPLAY=$display xdotool search --name '^Easel' >/dev/null 2>&1 && break; sleep 0.2; done
sleep 3
if ! kill -0 "$app" 2>/dev/null; then
  echo "easel exited early:"; cat target/window-smoke.log; exit 1
fi
DISPLAY=$display import -window root "$shot"
colours=$(convert "$shot" -format '%k' info:)
echo "screenshot $shot has $colours colours"
if [ "$colours" -lt 3 ]; then
  echo "the window looks blank"; cat target/window-smoke.log; exit 1
fi
