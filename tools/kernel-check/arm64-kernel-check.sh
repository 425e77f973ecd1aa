#!/usr/bin/env bash
# Publishes tools/kernel-check for linux-arm64 (self-contained) and runs it under qemu-aarch64: the
# golden-vector, random-input and extreme-format equality checks of every kernel path an arm64 machine
# (the Raspberry Pi) runs (the 128-bit NEON fused layers, the widening products) against the portable kernel.
#
#   tools/kernel-check/arm64-kernel-check.sh [--counts]
#
# --counts also prints the guest instructions per layer step (LSTM int8 H=32, I=8) of the portable,
# widening and 128-bit fused paths, from qemu's in_asm log (each translated block's instructions times
# the times it ran is not available there, so the count is taken as the difference of two runs' totals
# through the libinsn plugin when qemu has it). Exits 0 with a note when qemu or the sysroot is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

counts=0
[ "${1:-}" = "--counts" ] && counts=1
sysroot=/usr/aarch64-linux-gnu
if ! command -v qemu-aarch64 >/dev/null || [ ! -e "$sysroot/lib/ld-linux-aarch64.so.1" ]; then
  echo "arm64 kernel check skipped: qemu-aarch64 or the arm64 sysroot ($sysroot) is missing"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
t0=$(date +%s)
dotnet publish tools/kernel-check -c Release -r linux-arm64 --self-contained -o "$work/arm64" -v q -nologo > "$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; echo "FAILED: publish linux-arm64" >&2; exit 1; }
echo "publish arm64 self-contained: $(( $(date +%s) - t0 )) s"
t0=$(date +%s)
# W^X double-maps JIT pages, which qemu-user does not support.
DOTNET_EnableWriteXorExecute=0 qemu-aarch64 -L "$sysroot" "$work/arm64/embedded-kernel-check"
echo "run under qemu: $(( $(date +%s) - t0 )) s"

if [ "$counts" = 1 ]; then
  plugin=$(ls /usr/lib/*/qemu/plugins/libinsn.so /usr/lib/qemu/plugins/libinsn.so 2>/dev/null | head -1 || true)
  [ -n "$plugin" ] || { echo "instruction counts skipped: qemu's libinsn plugin not found"; exit 0; }
  for path in portable widening vector128; do
    n=()
    for steps in 2000 4000; do
      out=$(DOTNET_EnableWriteXorExecute=0 DOTNET_TieredCompilation=0 qemu-aarch64 -L "$sysroot" -plugin "$plugin" -d plugin \
        "$work/arm64/embedded-kernel-check" --steps "$path" "$steps" 2>&1)
      n+=("$(echo "$out" | grep -oE 'insns: [0-9]+' | grep -oE '[0-9]+' | tail -1)")
    done
    echo "$path: $(( (n[1] - n[0]) / 2000 )) arm64 instructions per step (LSTM int8 H=32, I=8)"
  done
fi
