#!/usr/bin/env bash
# Publishes tools/kernel-check for linux-arm64 (self-contained) and runs it under qemu-aarch64: the
# golden-vector, random-input and extreme-format equality checks of every kernel path an arm64 machine
# (the Raspberry Pi) runs (the 128-bit NEON fused layers, the widening products) against the portable kernel.
#
#   tools/kernel-check/arm64-kernel-check.sh
#
# Exits 0 with a note when qemu or the sysroot is missing. (`embedded-kernel-check --steps PATH N [CELL BITS H]`
# runs N layer steps of one path alone: tools/kernel-check/arm64-instruction-count.sh counts arm64 instructions
# per step with it.)
set -euo pipefail
cd "$(dirname "$0")/../.."

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
