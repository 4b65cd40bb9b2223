#!/usr/bin/env bash
# Times QuantBench's grid runner against the Python loop over ONNX Runtime's quantize_static,
# in one session on one machine, and prints the ratios the workbench issue asks for:
#   - the 18 cells both can run, cold (empty results store), ours vs ORT's loop (1 and 2 threads);
#   - a re-run with nothing changed (every cell found in the store);
#   - the full 24-cell quickstart cold, against its compute floor (printed by the run summary).
# Usage: benchmarks/grid_vs_ort.sh PYTHON   (a Python with onnxruntime, onnx, torch; see README)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:?usage: benchmarks/grid_vs_ort.sh PYTHON (a venv python with onnxruntime, onnx and torch)}
# QUANTBENCH names a built binary; otherwise the release build is made here.
qb=${QUANTBENCH:-}
if [ -z "$qb" ]; then swift build -c release >/dev/null; qb=.build/release/quantbench; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds() { local start=$(date +%s.%N); "$@" >"$work/last.log" 2>&1; echo "$(date +%s.%N) - $start" | bc; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
ours_cold=$(seconds "$qb" run benchmarks/quickstart-shared.toml --quiet --results "$work/shared")
grep -E "cells —|compute floor" "$work/last.log"
ours_rerun=$(seconds "$qb" run benchmarks/quickstart-shared.toml --quiet --results "$work/shared")
grep -E "cells —" "$work/last.log"
quickstart=$(seconds "$qb" run Experiments/quickstart.md --quiet --results "$work/quickstart")
grep -E "cells —|time:|compute floor" "$work/last.log"
"$python" benchmarks/ort_quickstart.py --placement inputs --output "$work/ort.json" >"$work/ort.log" 2>&1
ort1=$("$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['totals']['1']['total_s'])" "$work/ort.json")
ort2=$("$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['totals']['2']['total_s'])" "$work/ort.json")
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n%-58s %8s\n' "measurement" "seconds"
printf '%-58s %8.2f\n' "QuantBench, 18 shared cells, cold (incl. load, observe)" "$ours_cold"
printf '%-58s %8.2f\n' "QuantBench, same 18 cells, re-run (all stored)" "$ours_rerun"
printf '%-58s %8.2f\n' "QuantBench, full quickstart (24 cells), cold" "$quickstart"
printf '%-58s %8.2f\n' "ORT quantize_static loop, 18 cells, eval 1 thread" "$ort1"
printf '%-58s %8.2f\n' "ORT quantize_static loop, 18 cells, eval 2 threads" "$ort2"
printf '\nspeed-up on the shared cells: %.2f× (ORT 1 thread), %.2f× (ORT 2 threads)\n' \
    "$(echo "$ort1 / $ours_cold" | bc -l)" "$(echo "$ort2 / $ours_cold" | bc -l)"
