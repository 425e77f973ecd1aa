#!/usr/bin/env bash
# Issue 17 item 2: the accelerated step against RTNeural f32 (Eigen) and the portable kernel against CMSIS-NN's
# portable C, side by side in one run, alternating: each round runs the anchors, then `embedded bench` on
# each of the 8 models (LSTM/GRU x int8/int16 x H=32/128, I=8, one layer, one output).
#
# usage: tools/bench/anchors-vs-bench.sh [ROUNDS=3] [OUT=/tmp/anchors-vs-bench]
#   env: MARCH (anchors' -march; default x86-64-v3 = AVX2+FMA without AVX-512, like an AVX2-only desktop;
#        "native" to build them as ../shared/anchors/build.sh does)
#        DOTNET_ENV (default "DOTNET_EnableAVX512=0": the .NET 10 switch that turns AVX-512 off; the older
#        DOTNET_EnableAVX512F=0 is ignored by .NET 10 — `embedded bench` still prints "avx512bw fused layers")
#        ANCHORS (default ../shared/anchors), STEPS (per kernel per round of `bench`, default 20000)
#        BASE_CLI (optional: the embedded.dll of an earlier build, e.g. a copy of tools/cli/bin/Release/net10.0
#        made before a change; each round then also runs its `bench --kernel accelerated` right after this
#        build's, and the table gets "before" columns from the same rounds)
# Prints a table of medians over rounds of the p50 (~1 µs batches) and keeps every raw line under OUT.
# Needs g++/gcc, libeigen3-dev, dotnet; builds tools/cli and tools/kernel-check in Release.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
ROUNDS=${1:-3}; OUT=${2:-/tmp/anchors-vs-bench}
ANCHORS=$(cd "${ANCHORS:-$ROOT/../shared/anchors}" && pwd)
MARCH=${MARCH:-x86-64-v3}; STEPS=${STEPS:-20000}
DOTNET_ENV=${DOTNET_ENV:-DOTNET_EnableAVX512=0}
mkdir -p "$OUT/obj" "$OUT/models" "$OUT/raw"

# Anchors: the same compile lines as $ANCHORS/build.sh, with -march chosen here.
[ -d /usr/include/eigen3 ] || { echo "needs Eigen: apt-get install libeigen3-dev" >&2; exit 2; }
if [ ! -x "$OUT/rtneural_bench" ] || [ "$(cat "$OUT/march" 2>/dev/null)" != "$MARCH" ]; then
  echo "building anchors with -march=$MARCH" >&2
  g++ -O3 -march="$MARCH" -std=c++17 -DRTNEURAL_USE_EIGEN=1 -DRTNEURAL_DEFAULT_ALIGNMENT=32 -DEIGEN_STACK_ALLOCATION_LIMIT=0 \
    -I/usr/include/eigen3 -I"$ANCHORS/rtneural" -I"$ANCHORS/rtneural/modules/json" "$ANCHORS/harness/rtneural_bench.cpp" -o "$OUT/rtneural_bench"
  rm -f "$OUT"/obj/*.o
  for f in "$ANCHORS"/cmsis-nn/Source/*/*.c; do
    case "$f" in *_f16.c|*_f32.c) continue ;; esac
    gcc -O3 -march="$MARCH" -std=gnu11 -DARM_NN_ENABLE_F32=0 -DARM_NN_ENABLE_F16=0 -I"$ANCHORS/cmsis-nn/Include" -c "$f" -o "$OUT/obj/$(basename "${f%.c}").o" 2>/dev/null
  done
  rm -f "$OUT/libcmsis-nn.a"; ar rcs "$OUT/libcmsis-nn.a" "$OUT"/obj/*.o
  gcc -O3 -march="$MARCH" -std=gnu11 -I"$ANCHORS/cmsis-nn/Include" -I"$ANCHORS/harness" "$ANCHORS/harness/cmsis_lstm_bench.c" "$OUT/libcmsis-nn.a" -lm -o "$OUT/cmsis_lstm_bench"
  echo "$MARCH" > "$OUT/march"
fi

dotnet build -c Release "$ROOT/tools/cli" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/tools/kernel-check" -v q -nologo >/dev/null
CLI="$ROOT/tools/cli/bin/Release/net10.0/embedded.dll"
KC="$ROOT/tools/kernel-check/bin/Release/net10.0/embedded-kernel-check.dll"
MODELS=()
for cell in lstm gru; do for bits in 8 16; do for h in 32 128; do
  m="$OUT/models/${cell}${bits}_${h}.bin"; [ -f "$m" ] || dotnet "$KC" --write-model "$cell" "$bits" "$h" "$m" >/dev/null
  MODELS+=("$m")
done; done; done

{ echo "# $(date -u '+%F %T UTC')  $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPU(s); anchors -march=$MARCH; .NET: $DOTNET_ENV"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"; } | tee "$OUT/run.txt"
rm -f "$OUT"/raw/*
for r in $(seq 1 "$ROUNDS"); do
  "$OUT/rtneural_bench" 15 20 lstm32 lstm128 gru32 gru128 lstm32_head lstm128_head gru32_head gru128_head | grep '^RESULT' > "$OUT/raw/anchors.$r"
  "$OUT/cmsis_lstm_bench" 15 20 | grep '^RESULT' >> "$OUT/raw/anchors.$r"
  for m in "${MODELS[@]}"; do
    env $DOTNET_ENV DOTNET_TC_CallCountingDelayMs=0 dotnet "$CLI" bench "$m" --kernel both --steps "$STEPS" --rounds 3 \
      --json "$OUT/raw/$(basename "$m" .bin).$r.json" > "$OUT/raw/$(basename "$m" .bin).$r.txt"
    if [ -n "${BASE_CLI:-}" ]; then
      env $DOTNET_ENV DOTNET_TC_CallCountingDelayMs=0 dotnet "$BASE_CLI" bench "$m" --kernel accelerated --steps "$STEPS" --rounds 3 \
        --json "$OUT/raw/$(basename "$m" .bin).base.$r.json" > "$OUT/raw/$(basename "$m" .bin).base.$r.txt"
    fi
  done
  echo "round $r done, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/run.txt"
done
grep -h '^accelerated kernel' "$OUT"/raw/*.1.txt | sort -u | tee -a "$OUT/run.txt"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/run.txt"

python3 - "$OUT" "$ROUNDS" "${BASE_CLI:-}" <<'EOF' | tee "$OUT/table.md"
import json, os, sys, statistics as st
out, rounds, base = sys.argv[1], int(sys.argv[2]), sys.argv[3] != ""
anc = {}
for r in range(1, rounds + 1):
    for line in open(f"{out}/raw/anchors.{r}"):
        f = line.split()
        anc.setdefault((f[1], f[2]), []).append(float(f[6]))    # p50 of ~1 µs batches
ours = {}
for cell in ("lstm", "gru"):
    for bits in (8, 16):
        for h in (32, 128):
            for r in range(1, rounds + 1):
                j = json.load(open(f"{out}/raw/{cell}{bits}_{h}.{r}.json"))
                for k in j["kernels"]:
                    ours.setdefault((cell, bits, h, k["kernel"]), []).append(k["p50"])
                if base:
                    for k in json.load(open(f"{out}/raw/{cell}{bits}_{h}.base.{r}.json"))["kernels"]:
                        ours.setdefault((cell, bits, h, "before"), []).append(k["p50"])
med = lambda v: st.median(v) if v else float("nan")
fmt = lambda x: "–" if x != x else f"{x:,.0f}"
print(f"p50 ns per step, median of {rounds} rounds (each round: anchors, then `embedded bench` per model)\n")
bh = "accelerated before | before / RTNeural | " if base else ""
print(f"| I=8 | ours accelerated | {bh}RTNeural layer | RTNeural layer + head | accel / RTNeural (layer + head) | ours portable | CMSIS-NN s16 | portable / CMSIS-NN s16 | CMSIS-NN s8 |")
print("| --- | ---: | " + ("---: | ---: | " if base else "") + "---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for cell in ("lstm", "gru"):
    for bits in (8, 16):
        for h in (32, 128):
            a = med(ours[(cell, bits, h, "accelerated")]); p = med(ours[(cell, bits, h, "portable")])
            rl = med(anc.get(("rtneural", f"{cell}{h}"), [])); rh = med(anc.get(("rtneural", f"{cell}{h}_head"), []))
            # CMSIS-NN s16 = int16 activations, int8 weights: like ours int8 (int16 state, int8 weights);
            # ours int16 has int16 weights, which CMSIS-NN has no LSTM for. s8 = int8 activations too. No GRU.
            cm = med(anc.get(("cmsis", f"s16_{h}"), [])) if cell == "lstm" else float("nan")
            c8 = med(anc.get(("cmsis", f"s8_{h}"), [])) if cell == "lstm" else float("nan")
            ra = f"{a / rh:.2f}×" if rh == rh else "–"
            rp = (f"{p / cm:.2f}×" if bits == 8 else f"({p / cm:.2f}×, int16 w)") if cm == cm else "–"
            b = med(ours.get((cell, bits, h, "before"), []))
            bc = f"{fmt(b)} | {b / rh:.2f}× | " if base else ""
            print(f"| {cell.upper()} int{bits} H={h} | {fmt(a)} | {bc}{fmt(rl)} | {fmt(rh)} | **{ra}** | {fmt(p)} | {fmt(cm)} | {rp} | {fmt(c8)} |")
EOF
