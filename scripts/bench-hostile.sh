#!/usr/bin/env bash
# What hostile inputs cost Easel (issue 22), as peak resident memory and wall time, for each
# binary given (the release build by default; give an older build too to compare):
#
#   bash scripts/bench-hostile.sh [--event-mb N] [EASEL_BINARY ...]
#
# 1. stream flood: `easel generate --n 10` against a relay on 127.0.0.1 that streams ten
#    "completed" events of N MB each (default 400; scripts/hostile_relay.py): every byte of a
#    stream counts against one 512 MB cap.
# 2. edit of a 2 GB file: `easel edit --image huge.png` (a sparse file, no disk used): refused
#    by its size before it is read.
# 3. open a picture with 20 MB of settings text (`easel picture.png`, as "Open with Easel" runs
#    it) under Xvfb: the window's peak memory and the CPU time it used in its first 20 s (the
#    UI thread busy laying out text is most of it).
# Figures go to standard output, one line per binary and case. Nothing leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

event_mb=400
binaries=()
while [ $# -gt 0 ]; do
  case "$1" in
    --event-mb) event_mb=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) binaries+=("$1") ;;
  esac
  shift
done
if [ ${#binaries[@]} -eq 0 ]; then
  cargo build --locked --release --bin easel
  binaries=(target/release/easel)
fi

work=$(mktemp -d)
cleanup() { kill "${relay:-}" "${xvfb:-}" "${app:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export EASEL_API_KEY=sk-bench-0123456789abcdef LC_ALL=C.UTF-8

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 scripts/hostile_relay.py "$port" 10 "$event_mb" &
relay=$!
sleep 1

# The inputs: a 2 GB file that takes no disk, and a PNG with 20 MB of settings text.
truncate -s 2G "$work/huge.png"
python3 - "$work/settings.png" <<'EOF'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
text = b"parameters\0" + b"a harbour " * (2 << 20) + b"\nModel: gpt-image-2, Size: 8x8, Quality: high"
rows = b"".join(b"\0" + b"\x80\x80\x80" * 8 for _ in range(8))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)) + chunk(b"tEXt", text)
       + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
EOF

# Prints "case binary: peak MB, seconds, exit code" for a terminal command.
terminal() {
  local case=$1 bin=$2; shift 2
  local data; data=$(mktemp -d -p "$work")
  local code=0
  EASEL_DATA_DIR=$data EASEL_BASE_URL="http://127.0.0.1:$port/v1" /usr/bin/time -f '%M %e' -o "$work/time" \
    "$bin" "$@" >/dev/null 2>"$work/stderr" || code=$?
  read -r kb secs < <(tail -n 1 "$work/time")
  printf '%-22s %-28s peak %6d MB  %6.1f s  exit %s  (%s)\n' "$case" "$bin" $((kb / 1024)) "$secs" "$code" \
    "$(tail -c 160 "$work/stderr" | tr '\n' ' ')"
}

# shellcheck source=scripts/display.sh
. scripts/display.sh

for bin in "${binaries[@]}"; do
  terminal "stream flood" "$bin" generate --prompt x --n 10 --previews 1 --quality low
  terminal "edit of 2 GB" "$bin" edit --image "$work/huge.png" --prompt x
  # The window: peak memory 20 s after it started; the first-frame figure from EASEL_BENCH.
  data=$(mktemp -d -p "$work")
  EASEL_DATA_DIR=$data EASEL_BASE_URL="http://127.0.0.1:9/v1" "$bin" "$work/settings.png" >/dev/null 2>&1 &
  app=$!
  sleep 20
  peak=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$app/status" 2>/dev/null || echo "?")
  cpu=$(awk '{print int(($14 + $15) / 100)}' "/proc/$app/stat" 2>/dev/null || echo "?")
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=""
  printf '%-22s %-28s peak %6s MB  %6s s of CPU in its first 20 s\n' "open 20 MB settings" "$bin" "$peak" "$cpu"
done
