#!/usr/bin/env bash
# Occlusion throughput, netlens with ONNX Runtime as the forward backend vs Captum's Occlusion on
# PyTorch, on the same machine in one run: ResNet-18 (random weights), 224x224, window 3x16x16,
# stride 3x8x8 (729 occluded copies), BATCH copies per forward pass on both sides, THREADS threads.
# Alternates ROUNDS rounds and prints the median of each side's per-round medians, and the
# throughput ratio netlens / Captum (copies per second; >= 0.9 is the goal). Usage:
#   PYTHONPATH=<captum checkout> netlens-bench/scripts/occlusion-vs-captum.sh [ROUNDS] [THREADS] [BATCH]
set -euo pipefail
rounds=${1:-3}; threads=${2:-2}; batch=${3:-32}
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${TMPDIR:-/tmp}/netlens-occlusion-bench"; mkdir -p "$work"
model="$work/resnet18_dynamic.onnx"; input="$work/resnet18_input.npy"
py=/usr/bin/python3
[ -f "$model" ] || "$py" "$root/netlens-bench/pytorch/bench_occlusion.py" --export "$model" "$input"
"$root/netlens" --version >/dev/null   # builds the CLI when missing or stale
declare -a nl pt
for r in $(seq "$rounds"); do
  a=$(NETLENS_JAVA_OPTS="-Dnetlens.threads=$threads" "$root/netlens" bench --model "$model" --input "$input" \
      --method occlusion --engine onnxruntime --window 3,16,16 --stride 3,8,8 --batch "$batch" --repeat 3 --warmup 1 \
      2>/dev/null | sed -n 's/^median_ms=//p')
  out=$("$py" "$root/netlens-bench/pytorch/bench_occlusion.py" --threads "$threads" --batch "$batch" --repeat 3 --warmup 1)
  b=$(printf '%s\n' "$out" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')
  echo "round $r: netlens+onnxruntime $a ms, captum $b ms  ($out)"
  nl+=("$a"); pt+=("$b")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
a=$(median "${nl[@]}"); b=$(median "${pt[@]}")
awk -v a="$a" -v b="$b" 'BEGIN {printf "occlusion resnet18 224 w16 s8: netlens+onnxruntime %.1f ms (%.1f copies/s), captum %.1f ms (%.1f copies/s), throughput ratio %.2f\n", a, 729000/a, b, 729000/b, b/a}'
