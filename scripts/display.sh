# Sourced by the scripts that open Easel's window (first-frame.sh, bench-hostile.sh): a display
# (Xvfb on a number it picks itself when there is none; its pid in $xvfb, for the caller's
# cleanup to stop) and a private runtime folder, both in the folder $work.
# shellcheck shell=bash disable=SC2154,SC2034  # $work is the caller's; $xvfb is for the caller
if [ -z "${DISPLAY:-}" ]; then
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$work/display" 2>/dev/null &
  xvfb=$!
  for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
  DISPLAY=":$(cat "$work/display")"
  export DISPLAY
fi
mkdir -m 700 "$work/runtime"
export XDG_RUNTIME_DIR="$work/runtime"
