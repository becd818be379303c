#!/usr/bin/env bash
# Start-up and memory with a large library, against an empty one.
#
#   bash scripts/bench-library.sh [--regenerate] [--runs N] [--pictures N] [--dir DIR] [--no-build]
#
# Builds the release binary, makes a synthetic library of 1,000 pictures (kept in DIR and reused
# by later runs; --regenerate makes it again), then starts the real window in bench mode
# (EASEL_BENCH=trace, see src/app/bench.rs) N times (default 3) with that library and N times with
# an empty one. In bench mode the window prints its start-up time, scrolls the gallery from top
# to bottom a screen at a time, waiting at each screen for its thumbnails, prints its resident
# memory and closes. The first run with the large library has a cold thumbnail cache (its
# cache/ folder is deleted: index and thumbnails are made again); the others are warm.
#
# Targets (on the medians of the runs):
#   start-up to first frame  <= 1.3 x the empty library's
#   resident memory after the scroll  <= the empty library's + 150 MB
# Exits 0 when both are met, 1 when one is missed, 2 when the bench could not run.
#
# Needs a Rust toolchain; without a display, Xvfb; without a GPU, Mesa's Vulkan driver
# (lavapipe). On Debian/Ubuntu:
#   apt-get install -y xvfb xauth mesa-vulkan-drivers libvulkan1
# The app talks to no endpoint: the key is a dummy and the endpoint is 127.0.0.1:9.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
pictures=1000
regenerate=0
build=1
dir=${EASEL_BENCH_DIR:-${TMPDIR:-/tmp}/easel-bench}
while [ $# -gt 0 ]; do
  case "$1" in
    --regenerate) regenerate=1 ;;
    --runs) runs=$2; shift ;;
    --pictures) pictures=$2; shift ;;
    --dir) dir=$2; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-library: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$runs$pictures" in *[!0-9]*) echo "bench-library: --runs and --pictures take numbers" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] && [ "$pictures" -ge 1 ] || { echo "bench-library: --runs and --pictures must be at least 1" >&2; exit 2; }

say() { printf '== %s\n' "$*" >&2; }
install_hint="apt-get install -y xvfb xauth mesa-vulkan-drivers libvulkan1"

# --- What the machine needs -------------------------------------------------------------------
if [ -z "${DISPLAY:-}" ] && ! command -v Xvfb >/dev/null; then
  echo "bench-library: there is no display and no Xvfb to make one. Install it: $install_hint" >&2
  exit 2
fi
if ! compgen -G '/usr/share/vulkan/icd.d/*.json' >/dev/null && ! compgen -G '/etc/vulkan/icd.d/*.json' >/dev/null; then
  say "warning: no Vulkan driver is installed; without a GPU the window needs Mesa's lavapipe: $install_hint"
fi

# --- Build ------------------------------------------------------------------------------------
target_dir=${CARGO_TARGET_DIR:-target}
if [ "$build" = 1 ]; then
  say "Building the release binary and the library maker"
  cargo build --release --locked --bin easel --example make_library >&2
fi
bin="$target_dir/release/easel"
maker="$target_dir/release/examples/make_library"
[ -x "$bin" ] && [ -x "$maker" ] || { echo "bench-library: $bin or $maker is missing; run without --no-build" >&2; exit 2; }

# --- The libraries ----------------------------------------------------------------------------
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
big="$dir/library-$pictures"
if [ "$regenerate" = 1 ] || [ "$(cat "$big/.bench-complete" 2>/dev/null)" != "$pictures" ]; then
  say "Making a library of $pictures pictures in $big"
  rm -rf "$big"
  "$maker" "$big" "$pictures" | sed 's/^/   /' >&2
  echo "$pictures" >"$big/.bench-complete"
else
  say "Reusing the library of $pictures pictures in $big ($(du -sh "$big/images" | cut -f1); --regenerate makes it again)"
fi

work="$dir/last-run"
rm -rf "$work"
mkdir -p "$work/home" "$work/runtime"
chmod 700 "$work/runtime"
xvfb=""
app=""
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT

# --- A display --------------------------------------------------------------------------------
if [ -z "${DISPLAY:-}" ]; then
  # -displayfd: Xvfb picks a free display and writes its number once it accepts connections.
  # -noreset: otherwise Xvfb resets whenever its last client leaves, between two runs.
  Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset 3>"$work/display" >"$work/xvfb.log" 2>&1 &
  xvfb=$!
  for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
  [ -s "$work/display" ] || { echo "bench-library: Xvfb did not start; see $work/xvfb.log" >&2; exit 2; }
  DISPLAY=":$(cat "$work/display")"
  export DISPLAY
  unset WAYLAND_DISPLAY
  say "Started Xvfb on $DISPLAY"
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$work/runtime}"

# --- Runs -------------------------------------------------------------------------------------
# One run: the window in bench mode on library $2; its figures in $work/$1.out, and a line per
# screen scrolled (time waited, textures, resident memory) in $work/$1.err. Every run has its
# own data home (eframe keeps the window's size and the form there), so no run sees another's;
# HOME, and with it the shader cache of the Vulkan driver, is shared, as on a user's machine.
run() {
  local name=$1 data=$2
  local out="$work/$name.out" err="$work/$name.err"
  mkdir -p "$work/$name.data-home"
  local status=0
  HOME="$work/home" XDG_DATA_HOME="$work/$name.data-home" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache" \
    EASEL_DATA_DIR="$data" EASEL_API_KEY=sk-bench-0000000000000000 EASEL_BASE_URL=http://127.0.0.1:9/v1 EASEL_BENCH=trace \
    timeout 900 "$bin" >"$out" 2>"$err" &
  app=$!
  # Without the bench hooks the window would stay open: give up when it prints nothing in 60 s.
  local polls=0
  while kill -0 "$app" 2>/dev/null; do
    if [ "$polls" -ge 120 ] && ! grep -q '^first-ui-ms ' "$out"; then
      kill "$app" 2>/dev/null || true
      break
    fi
    sleep 0.5
    polls=$((polls + 1))
  done
  wait "$app" || status=$?
  app=""
  if ! grep -q '^done 1$' "$out"; then
    echo "bench-library: run $name did not finish (exit status $status)." >&2
    grep '^error ' "$out" >&2 || true
    if ! grep -q '^first-ui-ms ' "$out"; then
      echo "bench-library: the window printed no figures: is bench mode hooked in? (see the top of src/app/bench.rs)" >&2
    fi
    echo "--- last lines of $err:" >&2
    tail -n 15 "$err" >&2
    exit 2
  fi
}
value() { awk -v k="$1" '$1 == k { print $2; exit }' "$work/$2.out"; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
say "Warm-up run with an empty library (not counted: loads the binary, fonts and shader caches)"
mkdir -p "$work/empty-warmup.lib"
run empty-warmup "$work/empty-warmup.lib"

empty_runs=()
big_runs=()
for r in $(seq "$runs"); do
  say "Run $r/$runs: empty library"
  mkdir -p "$work/empty-$r.lib"
  run "empty-$r" "$work/empty-$r.lib"
  empty_runs+=("empty-$r")
  if [ "$r" = 1 ]; then
    say "Run $r/$runs: $pictures pictures, cold cache (cache/ deleted: the index and every thumbnail are made again)"
    rm -rf "$big/cache"
  else
    say "Run $r/$runs: $pictures pictures, warm cache"
  fi
  run "big-$r" "$big"
  big_runs+=("big-$r")
done

# --- Report -----------------------------------------------------------------------------------
collect() { local k=$1; shift; for n in "$@"; do value "$k" "$n"; done | tr '\n' ' '; }
empty_start=$(collect first-frame-ms "${empty_runs[@]}" | median)
empty_rss=$(collect rss-mb "${empty_runs[@]}" | median)
big_start=$(collect first-frame-ms "${big_runs[@]}" | median)
big_rss=$(collect rss-mb "${big_runs[@]}" | median)

echo
echo "Easel start-up and memory: empty library vs $pictures pictures ($runs runs each; $(uname -m), $(nproc) cores, load average $load before the runs)"
echo
fmt='%-16s %-5s %-6s %12s %9s %13s %13s %10s %9s %10s %9s %8s %8s\n'
# shellcheck disable=SC2059
printf "$fmt" library run cache first-frame "vs empty" first-screen "rss start" "rss after" "vs empty" textures scroll stalled "worst"
# shellcheck disable=SC2059
printf "$fmt" "" "" "" ms "" ms MB "scroll MB" MB "" s screens "frame ms"
row() {
  local lib=$1 name=$2 cache=$3
  local ff rss
  ff=$(value first-frame-ms "$name"); rss=$(value rss-mb "$name")
  # shellcheck disable=SC2059
  printf "$fmt" "$lib" "${name##*-}" "$cache" "$ff" "$(awk -v a="$ff" -v b="$empty_start" 'BEGIN { printf "%.2fx", a / b }')" \
    "$(value first-screen-ms "$name")" "$(value rss-mb-start "$name")" "$rss" \
    "$(awk -v a="$rss" -v b="$empty_rss" 'BEGIN { printf "%+.1f", a - b }')" "$(value textures "$name")" \
    "$(awk -v ms="$(value scroll-ms "$name")" 'BEGIN { printf "%.1f", ms / 1000 }')" \
    "$(value stalled-steps "$name")/$(value scroll-steps "$name")" "$(value frame-cpu-worst-ms "$name")"
}
for n in "${empty_runs[@]}"; do row empty "$n" -; done
for n in "${big_runs[@]}"; do
  cache=warm; [ "$n" = big-1 ] && cache=cold
  row "$pictures pictures" "$n" "$cache"
done
echo
echo "first-frame: from main() until the first frame is on screen. first-screen: until the history is in and the"
echo "first screen of thumbnails is drawn. rss: resident memory (MiB) once the first screen is in, and after scrolling"
echo "to the bottom, waiting at each screen for its thumbnails. stalled: screens whose thumbnails took over 10 s."
echo "Times are wall-clock: other work on the machine (see the load average) makes them vary from run to run."
echo "Every figure of every run: $work/*.out; memory and textures screen by screen: $work/*.err"
echo

ratio=$(awk -v a="$big_start" -v b="$empty_start" 'BEGIN { printf "%.2f", a / b }')
extra=$(awk -v a="$big_rss" -v b="$empty_rss" 'BEGIN { printf "%.1f", a - b }')
start_ok=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.3) ? 1 : 0 }')
rss_ok=$(awk -v e="$extra" 'BEGIN { print (e <= 150) ? 1 : 0 }')
verdict() { [ "$1" = 1 ] && echo PASS || echo FAIL; }
echo "Targets (medians):"
printf '  start-up to first frame: %s ms vs %s ms empty = %sx (target <= 1.30x)  %s\n' "$big_start" "$empty_start" "$ratio" "$(verdict "$start_ok")"
printf '  memory after the scroll: %s MB vs %s MB empty = %+.1f MB (target <= +150 MB)  %s\n' "$big_rss" "$empty_rss" "$extra" "$(verdict "$rss_ok")"
for n in "${big_runs[@]}"; do
  ff=$(value first-frame-ms "$n"); rss=$(value rss-mb "$n")
  if awk -v a="$ff" -v b="$empty_start" -v r="$rss" -v e="$empty_rss" 'BEGIN { exit !(a / b > 1.3 || r - e > 150) }'; then
    echo "  note: run ${n##*-} alone misses a target (first frame ${ff} ms, ${rss} MB)"
  fi
done
[ "$start_ok" = 1 ] && [ "$rss_ok" = 1 ]
