#!/usr/bin/env bash
# Times QuantBench's grid runner against the Python loop over ONNX Runtime's quantize_static on
# MiniLM, in one session: our 18 shared cells cold, then ORT's loop on the cells given (default
# all 18, 7–20 minutes), and the ratio per cell.
# Usage: benchmarks/minilm_vs_ort.sh PYTHON [ORT_CELLS]   e.g. ORT_CELLS='minmax/per-channel/*'
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:?usage: benchmarks/minilm_vs_ort.sh PYTHON [ORT_CELLS]}
cells=${2:-}
# QUANTBENCH names a built binary; otherwise the release build is made here.
qb=${QUANTBENCH:-}
if [ -z "$qb" ]; then swift build -c release >/dev/null; qb=.build/release/quantbench; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s.%N)
"$qb" run benchmarks/minilm-shared.toml --quiet --results "$work/ours" | tee "$work/ours.log" | grep -E "cells —|time:|compute floor"
ours=$(echo "$(date +%s.%N) - $start" | bc)
"$python" benchmarks/ort_minilm.py --threads 1 ${cells:+--cells "$cells"} --output "$work/ort.json" >"$work/ort.log" 2>&1
read -r ort n < <("$python" -c "import json,sys; t=json.load(open(sys.argv[1]))['totals']['1']; print(t['total_s'], t['cells_ok'])" "$work/ort.json")
printf 'QuantBench: 18 cells cold in %.1f s (%.2f s per cell)\n' "$ours" "$(echo "$ours / 18" | bc -l)"
printf 'ORT loop:   %d cells in %.1f s (%.2f s per cell)\n' "$n" "$ort" "$(echo "$ort / $n" | bc -l)"
printf 'speed-up per cell: %.1f×\n' "$(echo "($ort / $n) / ($ours / 18)" | bc -l)"
