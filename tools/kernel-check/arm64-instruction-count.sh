#!/usr/bin/env bash
# Issue 17 item 3: arm64 instructions per layer step of each kernel path, counted under qemu-aarch64 (no speed
# can be measured without a Pi; the count of executed guest instructions is what this machine can say).
#
#   tools/kernel-check/arm64-instruction-count.sh [PATHS] [CELLS] [BITS] [HIDDEN]
#     defaults: "portable widening vector128" "lstm gru" "8 16" "32 128"; env N1=64 N2=192 (steps; the inputs
#     cycle through 64 vectors, so multiples of 64 give every run the same data), PUB=dir of an
#     existing linux-arm64 publish of tools/kernel-check (else published to a temp dir)
#
# Method: qemu-user 7.2 has no plugins here, so it logs every translated block (-d in_asm: its instructions)
# and every block execution (-d exec with nochain, so chained blocks are logged too), restricted by -dfilter
# to the JIT's code: the anonymous rwx mappings (W^X is off under qemu) between libcoreclr.so and
# libclrjit.so, as the runner prints its mappings. ReadyToRun is off, so every managed method the step calls (CoreLib's
# too) is JIT-compiled there, fully optimised (TieredCompilation=0); only the main thread's blocks count.
# Left out: the runtime's native code (libcoreclr, libc), whose start-up work would make the log tens of GB
# and a run 10 minutes; a step of these layers allocates nothing and needs no native helper (one check with
# everything but libclrjit logged, all threads: GRU int16 H=32 vector128 gave 11,277 instructions per step
# against 11,616 this way: the two include different things and agree within 3 %). The log streams through
# a fifo into qemu-exec-count (the sum over block executions of the block's size).
# `embedded-kernel-check --steps PATH N CELL BITS H` runs 3 warm-up steps, then N steps of one I = 8 layer;
# per step = (count at N2 − count at N1) / (N2 − N1), so startup, JIT and warm-up cancel.
set -euo pipefail
cd "$(dirname "$0")/../.."
PATHS=${1:-"portable widening vector128"}; CELLS=${2:-"lstm gru"}; BITS=${3:-"8 16"}; HIDDEN=${4:-"32 128"}
N1=${N1:-64}; N2=${N2:-192}
sysroot=/usr/aarch64-linux-gnu
command -v qemu-aarch64 >/dev/null && [ -e "$sysroot/lib/ld-linux-aarch64.so.1" ] || { echo "needs qemu-aarch64 and $sysroot" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ -z "${PUB:-}" ]; then
  PUB="$work/arm64"
  dotnet publish tools/kernel-check -c Release -r linux-arm64 --self-contained -o "$PUB" -v q -nologo > "$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; exit 1; }
fi
cc -O2 -o "$work/qemu-exec-count" tools/kernel-check/qemu-exec-count.c
mkfifo "$work/log"
export DOTNET_EnableWriteXorExecute=0 DOTNET_TieredCompilation=0 DOTNET_ReadyToRun=0 DOTNET_TieredPGO=0
run() { qemu-aarch64 -L "$sysroot" "$@"; }
count() {  # path n cell bits h filter -> instructions
  "$work/qemu-exec-count" < "$work/log" > "$work/count" &
  run -d in_asm,exec,nochain -dfilter "$6" -D "$work/log" "$PUB/embedded-kernel-check" --steps "$1" "$2" "$3" "$4" "$5" > "$work/out"
  wait
  cut -d' ' -f1 "$work/count"
}
echo "# $(date -u '+%F %T UTC'), $(qemu-aarch64 --version | head -1), N1=$N1 N2=$N2"
echo "| cell | weights | H | path | layer | arm64 instructions per step |"
echo "| --- | --- | ---: | --- | --- | ---: |"
# The JIT's code: from the end of libcoreclr.so's code to libclrjit.so; the anonymous rwx mappings between them move
# by a few pages from run to run, the libraries do not.
filter=$(EMBEDDED_PRINT_MAPS=1 run "$PUB/embedded-kernel-check" --steps portable 1 lstm 8 32 2>&1 >/dev/null \
  | awk '$1 == "map" && /libcoreclr/ { split($2, a, "-"); lo = a[2] } $1 == "map" && /libclrjit/ { split($2, a, "-"); jit = a[1] } END { print lo, jit }' \
  | { read -r lo jit; printf '0x%s..0x%x' "$lo" $(( 0x$jit - 1 )); })
echo "# -dfilter $filter"
for cell in $CELLS; do for bits in $BITS; do for h in $HIDDEN; do for path in $PATHS; do
  c1=$(count "$path" "$N1" "$cell" "$bits" "$h" "$filter")
  c2=$(count "$path" "$N2" "$cell" "$bits" "$h" "$filter")
  layer=$(sed -n 's/.*, \([A-Za-z0-9`]*\), checksum.*/\1/p' "$work/out")
  echo "| $cell | int$bits | $h | $path | $layer | $(( (c2 - c1) / (N2 - N1) )) |"
done; done; done; done
