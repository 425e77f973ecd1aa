#!/usr/bin/env bash
# Start-up and per-sample cost of embedded-edge, from the app's own summary line ("start-up N ms to
# the first sample, N samples in S s (U us/sample)"), for every build found:
#   x64 JIT (dotnet build -c Release), and, when present, x64 NativeAOT, arm64 self-contained and
#   arm64 NativeAOT under qemu-aarch64 (emulated: functional, not Pi speed).
#
#   MODEL=model.bin [DATA=file.csv] [RUNS=5] firmware/RaspberryPi/scripts/bench-edge.sh [X64_AOT_DIR] [ARM64_DIR] [ARM64_AOT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo=$(pwd)
model=${MODEL:?set MODEL=model.bin (e.g. from embedded detect --save-model)}
data=${DATA:-"${EMBEDDED_SHARED_DATA:-$repo/../shared/data}/nab/realKnownCause/nyc_taxi.csv"}
runs=${RUNS:-5}
dotnet build firmware/RaspberryPi -c Release -v q -nologo > /dev/null

measure() { # name output command...
  local name=$1 output=$2; shift 2
  for _ in $(seq "$runs"); do
    "$@" --model "$model" --source "csv:$data" --speed max --output "$output" --model-poll-seconds 3600 2>&1 >/dev/null \
      | grep -o 'start-up.*' | sed "s|^|$name, --output $output: |"
  done
}

x64="firmware/RaspberryPi/bin/Release/net10.0/embedded-edge.dll"
for out in none scores-csv json; do measure "x64 JIT" "$out" dotnet "$x64"; done
[ -n "${1:-}" ] && [ -x "$1/embedded-edge" ] && for out in none scores-csv; do measure "x64 NativeAOT" "$out" "$1/embedded-edge"; done
[ -n "${2:-}" ] && [ -x "$2/embedded-edge" ] && measure "arm64 JIT (qemu)" none env DOTNET_EnableWriteXorExecute=0 qemu-aarch64 -L /usr/aarch64-linux-gnu "$2/embedded-edge"
[ -n "${3:-}" ] && [ -x "$3/embedded-edge" ] && measure "arm64 NativeAOT (qemu)" none qemu-aarch64 -L /usr/aarch64-linux-gnu "$3/embedded-edge"
exit 0
