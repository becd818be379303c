#!/usr/bin/env bash
# Starts the real `easel` window under Xvfb against a fake relay, makes pictures as a user
# would (type a prompt, Ctrl+Enter: one picture by default), changes it with a painted area,
# takes a screenshot, and fails if the process died, the window is blank, or the picture or
# its change did not reach the library.
#   bash .ci/window-smoke.sh [SCREENSHOT]        # the debug build, built first
#   EASEL_BIN=/usr/bin/easel bash .ci/window-smoke.sh   # an installed binary (CI: the .deb's)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${EASEL_BIN:-target/debug/easel}
[ -n "${EASEL_BIN:-}" ] || cargo build --locked --bin easel
shot=${1:-target/window-smoke.png}
data=$(mktemp -d); runtime=$(mktemp -d); home=$(mktemp -d); chmod 700 "$runtime"
cleanup() { kill "${app:-}" "${relay:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$data" "$runtime" "$home"; }
trap cleanup EXIT

# A free port for the relay, and a free display that Xvfb picks itself (-displayfd writes its
# number once the server accepts connections), so nothing left over on this machine can clash.
# -noreset: by default Xvfb resets when its last client leaves (the readiness probe below), and
# a window opened during that reset fails with "Failed to open connection to X server".
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 .ci/fake_relay.py "$port" 1 &
relay=$!
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$runtime/display" >target/xvfb.log 2>&1 &
xvfb=$!
for _ in $(seq 100); do [ -s "$runtime/display" ] && break; sleep 0.1; done
[ -s "$runtime/display" ] || { echo "Xvfb did not start"; exit 1; }
DISPLAY=":$(cat "$runtime/display")"
export DISPLAY XDG_RUNTIME_DIR=$runtime
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

HOME=$home EASEL_DATA_DIR="$data" EASEL_BASE_URL="http://127.0.0.1:$port/v1" EASEL_API_KEY=sk-smoke-test-0123456789 \
  "$bin" >target/window-smoke.log 2>&1 &
app=$!
window=""
for _ in $(seq 100); do window=$(xdotool search --name '^Easel$' 2>/dev/null | head -1) && [ -n "$window" ] && break; sleep 0.2; done
[ -n "$window" ] || { echo "no Easel window appeared"; cat target/window-smoke.log; exit 1; }
sleep 2

# Waits until the library holds at least $1 pictures, then lets the window settle.
wait_for_pictures() {
  for _ in $(seq 100); do
    [ "$(find "$data/images" -name '*.png' 2>/dev/null | wc -l)" -ge "$1" ] && break
    sleep 0.2
  done
  sleep 2
}

# The prompt box is the first thing in the form: click it, type, Ctrl+Enter.
xdotool windowfocus --sync "$window"
xdotool mousemove --window "$window" 180 110 click 1
sleep 0.3
xdotool type --delay 20 "A lighthouse at dusk, watercolour"
xdotool key ctrl+Return
wait_for_pictures 1

# Change it as a user would: its menu > Change this picture…, a stroke on the picture in the
# painter, the words of the change, Ctrl+Enter. The relay changes the whole picture; Easel keeps
# the outside, so the library gains the change and the model's raw picture beside it.
xdotool mousemove --window "$window" 520 180 click 3
sleep 0.5
xdotool mousemove --window "$window" 590 243 click 1
sleep 1.5
xdotool mousemove --window "$window" 650 380 mousedown 1
for x in 680 720 760 800 840 880; do xdotool mousemove --window "$window" "$x" 400; sleep 0.05; done
xdotool mouseup 1
sleep 0.3
xdotool mousemove --window "$window" 200 220 click 1
xdotool type --delay 20 "add a small boat"
xdotool key ctrl+Return
wait_for_pictures 3
if ! kill -0 "$app" 2>/dev/null; then
  echo "easel exited early:"; cat target/window-smoke.log; exit 1
fi
import -window root "$shot"
colours=$(convert "$shot" -format '%k' info:)
pictures=$(find "$data/images" -name '*.png' | wc -l)
echo "screenshot $shot has $colours colours; $pictures picture(s) in the library"
if [ "$colours" -lt 16 ]; then
  echo "the window looks blank"; cat target/window-smoke.log; exit 1
fi
# What it waited for: the picture, its change, and the model's own picture of the change kept
# beside it (a change with a painted area keeps both).
if [ "$pictures" -lt 3 ]; then
  echo "$pictures picture(s) reached the library, not 3"; cat target/window-smoke.log; exit 1
fi
if [ -z "$(find "$data/images" -name '*-raw.png')" ]; then
  echo "the model's own picture of the change was not kept"; cat target/window-smoke.log; exit 1
fi
changes=$(grep -l '"outcome": "outside_kept"' "$data"/images/*.json 2>/dev/null | wc -l)
echo "$changes change(s) with the outside kept"
if [ "$changes" -lt 1 ]; then
  echo "the change made in the painter did not reach the library"; cat target/window-smoke.log; exit 1
fi

# The window's own settings stay in EASEL_DATA_DIR too (eframe saves them every 30 s while
# frames are drawn: the pointer moves to draw some), never in the user's data folder.
for _ in $(seq 60); do
  [ -s "$data/app.ron" ] && break
  xdotool mousemove --window "$window" 600 300 sleep 0.5 mousemove --window "$window" 620 320 sleep 0.5
done
if [ ! -s "$data/app.ron" ]; then
  echo "the window's settings were not kept in EASEL_DATA_DIR"; ls -la "$data"; exit 1
fi
if [ -n "$(find "$home" -name app.ron 2>/dev/null)" ]; then
  echo "the window's settings went outside EASEL_DATA_DIR:"; find "$home" -name app.ron; exit 1
fi
