#!/usr/bin/env bash
# Publishes embedded-edge for linux-arm64 and checks that a NAB replay under qemu-aarch64 prints the
# same scores CSV, byte for byte, as the x64 build (and as `embedded detect` when it made the model).
#
#   firmware/RaspberryPi/scripts/arm64-replay-check.sh [--aot] [--rows N]
#
# Environment: DATA (CSV to replay; default ../shared/data/nab/realKnownCause/nyc_taxi.csv),
# MODEL (model.bin to use; default: trained by `embedded detect --save-model` on DATA).
# Needs: qemu-user, libc6-arm64-cross, libstdc++6-arm64-cross (apt); for --aot also clang, llvm,
# lld, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross. Prints the time of each step.
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo=$(pwd)

aot=0
rows=0
while [ $# -gt 0 ]; do
  case "$1" in
    --aot) aot=1 ;;
    --rows) rows="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

sysroot=/usr/aarch64-linux-gnu
command -v qemu-aarch64 >/dev/null || { echo "qemu-aarch64 not found: apt-get install qemu-user" >&2; exit 2; }
[ -e "$sysroot/lib/ld-linux-aarch64.so.1" ] || { echo "$sysroot missing: apt-get install libc6-arm64-cross libstdc++6-arm64-cross" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=${DATA:-"${EMBEDDED_SHARED_DATA:-$repo/../shared/data}/nab/realKnownCause/nyc_taxi.csv"}
[ -f "$data" ] || { echo "no data file $data (set DATA=...)" >&2; exit 2; }
if [ "$rows" -gt 0 ]; then head -n "$((rows + 1))" "$data" > "$work/data.csv"; data="$work/data.csv"; fi

# step NAME CMD...: runs CMD quietly (its output goes to a log shown on failure) and prints its time.
step() {
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  if ! "$@" > "$work/step.out" 2> "$work/step.err"; then cat "$work/step.out" "$work/step.err" >&2; echo "FAILED: $name" >&2; exit 1; fi
  printf '%-30s %6.1f s\n' "$name" "$(echo "$(date +%s.%N) - $t0" | bc)"
}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
step "build x64" dotnet build firmware/RaspberryPi -c Release -o "$work/x64" -v q -nologo
if [ "$aot" = 1 ]; then
  # clang --target=aarch64-linux-gnu finds Debian's cross sysroot itself (passing SysRoot breaks libc.so's absolute paths).
  step "publish arm64 NativeAOT" dotnet publish firmware/RaspberryPi -c Release -r linux-arm64 -p:PublishAot=true \
    -p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy -o "$work/arm64" -v q -nologo
else
  step "publish arm64 self-contained" dotnet publish firmware/RaspberryPi -c Release -r linux-arm64 --self-contained -o "$work/arm64" -v q -nologo
fi

model=${MODEL:-}
expected=""
if [ -z "$model" ]; then
  model="$work/model.bin"
  expected="$work/detect.csv"
  step "detect (train + score)" dotnet run --project tools/cli -c Release -v q -- detect --data "$data" --out "$expected" --save-model "$model"
fi

replay=(--model "$model" --source "csv:$data" --speed max --output scores-csv --model-poll-seconds 3600)
step "replay x64" dotnet "$work/x64/embedded-edge.dll" "${replay[@]}"
cp "$work/step.out" "$work/x64.csv"
# W^X double-maps JIT pages, which qemu-user does not support.
step "replay arm64 (qemu)" env DOTNET_EnableWriteXorExecute=0 qemu-aarch64 -L "$sysroot" "$work/arm64/embedded-edge" "${replay[@]}"
cp "$work/step.out" "$work/arm64.csv"

status=0
if cmp -s "$work/x64.csv" "$work/arm64.csv"; then
  echo "arm64 == x64: $(($(wc -l < "$work/x64.csv") - 1)) rows identical"
else
  echo "arm64 and x64 differ:" >&2; diff "$work/x64.csv" "$work/arm64.csv" | head -20 >&2; status=1
fi
if [ -n "$expected" ]; then
  if cmp -s "$expected" "$work/x64.csv"; then echo "edge == detect: identical scores CSV"; else echo "edge and detect differ:" >&2; diff "$expected" "$work/x64.csv" | head -20 >&2; status=1; fi
fi
exit $status
