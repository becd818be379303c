#!/usr/bin/env bash
# How fast Easel's window opens, against a bare eframe window (one heading, eframe's default
# features, scripts/bare-window/), under the same X server, in alternating runs:
#
#   bash scripts/first-frame.sh [--runs N] [--no-build] [EASEL_BINARY ...]
#
# Each run starts the program and counts from just before it is started until its first frame
# is on screen (Easel's EASEL_BENCH=first, src/app/bench.rs; the bare window does the same), and
# reads its resident memory then. Easel opens as a new user's does after the key is saved: an
# empty library, the main window (the key is given in EASEL_API_KEY, the endpoint is 127.0.0.1:9,
# nothing is sent). Prints the medians and the fastest runs side by side, with Easel's ratios to
# the bare window (target: at most 1.2). On a shared machine the fastest runs are the steadier
# figure: a busy neighbour only ever adds time.
#
# Builds both with the packages' settings (Easel's `dist` profile; the same for the bare
# window) unless --no-build; give other Easel binaries (e.g. target/release/easel) to compare
# them too. Without a display it starts Xvfb; without a GPU, Mesa draws on the CPU
# (apt-get install -y xvfb xauth mesa-vulkan-drivers libvulkan1).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=15
build=1
binaries=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) binaries+=("$1") ;;
  esac
  shift
done
bare=target/bare-window/release/bare-window
if [ ${#binaries[@]} -eq 0 ]; then binaries=(target/dist/easel); fi
if [ "$build" = 1 ]; then
  cargo build --locked --profile dist --bin easel
  CARGO_TARGET_DIR=target/bare-window cargo build --release --manifest-path scripts/bare-window/Cargo.toml
fi

work=$(mktemp -d)
cleanup() { kill "${xvfb:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=scripts/display.sh
. scripts/display.sh

# Runs "$@" once; appends "ms rss" to the file $out.
measure() {
  local out=$1; shift
  local t0 lines ns rss
  t0=$(date +%s%N)
  lines=$("$@" 2>/dev/null) || true
  ns=$(sed -n 's/^first-frame-epoch-ns //p' <<<"$lines")
  rss=$(sed -n 's/^rss-mb-first //p' <<<"$lines")
  if [ -z "$ns" ]; then echo "no first frame from $*" >&2; return; fi
  echo "$(( (ns - t0) / 1000 )) $rss" >>"$out"
}

run_easel() {
  local data="$work/data-$RANDOM"; mkdir -p "$data" "$work/home"
  HOME="$work/home" EASEL_DATA_DIR="$data" EASEL_BENCH=first EASEL_API_KEY=sk-first-frame-0123456789 \
    EASEL_BASE_URL=http://127.0.0.1:9/v1 "$1"
  rm -rf "$data"
}

# One unmeasured start of each warms the disk cache.
"$bare" >/dev/null 2>&1 || true
for b in "${binaries[@]}"; do run_easel "$b" >/dev/null 2>&1 || true; done
for _ in $(seq "$runs"); do
  measure "$work/bare" "$bare"
  i=0
  for b in "${binaries[@]}"; do measure "$work/easel-$i" run_easel "$b"; i=$((i + 1)); done
done

# The median and the smallest of column $2 of file $1.
median() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
least() { cut -d' ' -f"$2" "$1" | sort -n | head -n 1; }
# A program's line: name, then its median and fastest first frame in ms with their ratios to
# the bare window's, and its median memory.
line() {
  local name=$1 file=$2 us fast
  us=$(median "$file" 1); fast=$(least "$file" 1)
  printf '%-24s %10.1f %7.2f %10.1f %7.2f %12s\n' "$name" "$(awk "BEGIN { print $us / 1000 }")" \
    "$(awk "BEGIN { print $us / $bare_us }")" "$(awk "BEGIN { print $fast / 1000 }")" \
    "$(awk "BEGIN { print $fast / $bare_fast }")" "$(median "$file" 2)"
}
bare_us=$(median "$work/bare" 1)
bare_fast=$(least "$work/bare" 1)
echo "First frame on screen, $runs alternating runs each (ms; ratio to the bare window):"
printf '%-24s %10s %7s %10s %7s %12s\n' program median ratio fastest ratio "memory MiB"
line "bare eframe 0.37 window" "$work/bare"
i=0
for b in "${binaries[@]}"; do
  line "$b" "$work/easel-$i"
  i=$((i + 1))
done
