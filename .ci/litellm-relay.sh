#!/usr/bin/env bash
# Easel through a real relay: LiteLLM's proxy (pinned, from PyPI, in a venv) on 127.0.0.1 in
# front of the fake image service (.ci/fake_relay.py), driven with the real binary and Easel's
# defaults (previews on), as a new user's terminal would: generate, edit with a mask, compare,
# the service's errors, an unknown model, the relay's cooldown. Prints, per command, how many
# requests reached the service (each a picture made and billed, or a failure), then checks what
# each command must do. Nothing leaves 127.0.0.1.
#   bash .ci/litellm-relay.sh                       # target/debug/easel, built first
#   EASEL_BIN=/usr/bin/easel bash .ci/litellm-relay.sh
#   EASEL_RELAY_REPORT_ONLY=1 EASEL_BIN=old/easel bash .ci/litellm-relay.sh   # figures only
# The venv (about 750 MB) is kept in target/litellm-venv for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

litellm_version=1.108.7   # the newest whose [proxy] extra resolves from PyPI alone (2026-12)
venv=${EASEL_LITELLM_VENV:-target/litellm-venv}
bin=${EASEL_BIN:-target/debug/easel}
[ -n "${EASEL_BIN:-}" ] || cargo build --locked --bin easel
if ! "$venv/bin/python" -c "import importlib.metadata as m; assert m.version('litellm') == '$litellm_version'" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "litellm[proxy]==$litellm_version"
fi

work=$(mktemp -d)
cleanup() { kill "${proxy:-}" "${service:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
service_port=$(free_port)
proxy_port=$(free_port)
made=$work/made.jsonl
: >"$made"
python3 .ci/fake_relay.py "$service_port" 0.3 "$made" &
service=$!

key=sk-easel-relay-test-0123456789
{
  echo "model_list:"
  for model in gpt-image-2 gpt-image-1.5 gpt-image-1-mini gpt-image-2.6-flare; do
    echo "  - model_name: $model"
    echo "    litellm_params: {model: openai/$model, api_base: \"http://127.0.0.1:$service_port/v1\", api_key: sk-service-0123456789}"
  done
  echo "general_settings:"
  echo "  master_key: $key"
} >"$work/config.yaml"
# LITELLM_LOCAL_MODEL_COST_MAP: without it, LiteLLM fetches a price list from GitHub at start.
LITELLM_TELEMETRY=False LITELLM_LOCAL_MODEL_COST_MAP=True \
  "$venv/bin/litellm" --config "$work/config.yaml" --host 127.0.0.1 --port "$proxy_port" >"$work/proxy.log" 2>&1 &
proxy=$!
started=$(date +%s)
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$proxy_port/health/liveliness', timeout=1)" 2>/dev/null; do
  kill -0 "$proxy" 2>/dev/null || { echo "LiteLLM did not start:"; tail -20 "$work/proxy.log"; exit 1; }
  [ $(($(date +%s) - started)) -lt 120 ] || { echo "LiteLLM did not answer in 120 s"; exit 1; }
  sleep 0.5
done
echo "LiteLLM $litellm_version answering after $(($(date +%s) - started)) s"

export EASEL_BASE_URL="http://127.0.0.1:$proxy_port/v1" EASEL_API_KEY=$key LC_ALL=C.UTF-8
unset EASEL_TIMEOUT_SECS EASEL_IDLE_SECS
results=()
failures=()

# Runs easel with data folder $2 and arguments $3…; records case $1's exit code, requests made
# and seconds, and keeps its standard error in $work/$1.err and its output in $work/$1.out.
run() {
  local name=$1 data=$2; shift 2
  local before code=0 t0
  before=$(wc -l <"$made")
  t0=$(date +%s)
  EASEL_DATA_DIR="$work/$data" "$bin" "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null || code=$?
  local count=$(($(wc -l <"$made") - before))
  eval "code_$name=$code requests_$name=$count"
  results+=("$(printf '%-22s exit %s  %2d request(s) reached the service  %3d s' "$name" "$code" "$count" $(($(date +%s) - t0)))")
}

# Checks that case $1 exited $2 after $3 requests at most, and that its standard error holds
# each of the texts after them (and never LiteLLM's own names).
check() {
  local name=$1 code=$2 most=$3; shift 3
  local got_code got_requests
  got_code=$(eval "echo \$code_$name")
  got_requests=$(eval "echo \$requests_$name")
  [ "$got_code" = "$code" ] || failures+=("$name: exit $got_code, not $code: $(tail -c 400 "$work/$name.err")")
  [ "$got_requests" -le "$most" ] || failures+=("$name: $got_requests requests, more than $most")
  for said in "$@"; do
    grep -qF -- "$said" "$work/$name.err" || failures+=("$name: does not say '$said': $(tail -c 400 "$work/$name.err")")
  done
  if grep -q "litellm\.\|LiteLLM: model group" "$work/$name.err"; then
    failures+=("$name: shows the relay's own wrapping: $(grep -m1 -i litellm "$work/$name.err")")
  fi
}

# A new user's first pictures, with previews on: LiteLLM cannot pass the stream back.
run generate first generate --prompt "a red kite over the sea" --quality low
run generate_again first generate --prompt "a blue kite" --quality low
# A change with a painted area, in a new library (so its own stream is tried first).
picture=$(head -n 1 "$work/generate.out" 2>/dev/null || true)
python3 - "$work/mask.png" <<'EOF'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
rows = b"".join(b"\0" + bytes(255 if x < 192 else 0 for x in range(384)) for _ in range(256))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 384, 256, 8, 0, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
EOF
run edit second edit --image "${picture:-missing.png}" --mask "$work/mask.png" --prompt "add a boat" --quality low
run compare third compare --prompt "a lighthouse" --vary quality=low,medium,high
run compare_again third compare --prompt "a lighthouse" --vary quality=low,medium,high
# The service's errors, through the relay, in a library that already asks without previews.
run refused_key first generate --prompt "FAIL401 a kite" --quality low
# The relay now cools gpt-image-2 down for 5 s ("Try again in 5 seconds"): Easel waits, and
# sends the next request on a new connection (LiteLLM's server closes idle ones after 5 s).
run after_cooldown first generate --prompt "a green kite" --quality low
run server_error first generate --prompt "FAIL500 a kite" --quality low
run unknown_model first generate --prompt "a kite" --model gpt-image-9 --quality low
# This month's model with its own settings, and the relay's list of models.
run newest first generate --prompt "a kite" --model gpt-image-2.6-flare --quality max --complexity high --no-stream
run models first models

echo
printf '%s\n' "${results[@]}"
[ -z "${EASEL_RELAY_REPORT_ONLY:-}" ] || exit 0

check generate 0 4 "failed when asked for previews"
check generate_again 0 1
check edit 0 2
grep -q '"outcome": "outside_kept"' "$work"/second/images/*.json || failures+=("edit: the outside of the mask was not kept")
check compare 0 12
check compare_again 0 3
check refused_key 1 1 "The API key was not accepted" "Incorrect API key provided"
check after_cooldown 0 1
check server_error 1 18 "The server had an error while processing your request" "Easel sent the request 2 times."
check unknown_model 1 0 "Invalid model name passed in model=gpt-image-9"
check newest 0 1 "at least about"
grep -q '"model": "gpt-image-2.6-flare", "stream": false, "quality": "max", "complexity": "high"' "$made" ||
  failures+=("newest: the relay did not pass quality max and complexity high on: $(grep 2.6 "$made" | tail -1)")
check models 0 0
for listed in "gpt-image-2.6-flare	Newest · fast" "gpt-image-2	Dependable · any size" "gpt-image-1-mini	Cheapest"; do
  grep -qF -- "$listed" "$work/models.out" || failures+=("models: does not list '$listed': $(head -c 400 "$work/models.out")")
done
[ "$(find "$work/first/images" "$work/third/images" -name '*.png' | wc -l)" -ge 6 ] || failures+=("fewer pictures than made")

if [ ${#failures[@]} -gt 0 ]; then
  echo; echo "Through LiteLLM, these went wrong:"; printf -- '- %s\n' "${failures[@]}"
  exit 1
fi
echo "Through LiteLLM $litellm_version: every command did what it must."
