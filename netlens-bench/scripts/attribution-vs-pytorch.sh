#!/usr/bin/env bash
# Attribution speed, netlens vs PyTorch/Captum on the same machine in one run: ResNet-18 with random
# weights, 224x224, batch 1, THREADS threads. Alternates ROUNDS rounds of netlens (forward,
# gradient, integrated-gradients with 32 steps) and PyTorch (bench_resnet18.py: forward, saliency,
# Captum IntegratedGradients n_steps=32), then prints the median of each side's per-round medians
# and the ratios netlens / PyTorch. Both sides time 30 forward and saliency runs after WARMUP
# untimed ones (default 150: the JVM's compilers need about that many ResNet-18 passes, 3-6 s, to
# reach steady state, while PyTorch's times do not change after the first few) and 7 integrated-
# gradients runs after 3. Usage:
#   PYTHONPATH=<captum checkout> netlens-bench/scripts/attribution-vs-pytorch.sh [ROUNDS] [THREADS] [WARMUP]
# Without Captum on PYTHONPATH the PyTorch side times the same integral written out in torch.
set -euo pipefail
rounds=${1:-3}; threads=${2:-2}; warmup=${3:-150}
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${TMPDIR:-/tmp}/netlens-attribution-bench"; mkdir -p "$work"
model="$work/resnet18.onnx"; input="$work/resnet18_input.npy"
py=/usr/bin/python3
[ -f "$model" ] || "$py" "$root/netlens-bench/pytorch/bench_resnet18.py" --threads "$threads" --repeat 1 --warmup 0 --export "$model" "$input" >/dev/null
"$root/netlens" --version >/dev/null   # builds the CLI when missing or stale
declare -a nf ng ni pf pg pi
nl() { NETLENS_JAVA_OPTS="-Dnetlens.threads=$threads" "$root/netlens" bench --model "$model" --input "$input" "$@" 2>/dev/null | sed -n 's/^median_ms=//p'; }
for r in $(seq "$rounds"); do
  f=$(nl --method forward --repeat 30 --warmup "$warmup")
  g=$(nl --method gradient --repeat 30 --warmup "$warmup")
  i=$(nl --method integrated-gradients --steps 32 --repeat 7 --warmup 3)
  echo "round $r netlens: forward $f ms, gradient $g ms, integrated-gradients-32 $i ms"
  nf+=("$f"); ng+=("$g"); ni+=("$i")
  out=$("$py" "$root/netlens-bench/pytorch/bench_resnet18.py" --threads "$threads" --repeat 30 --warmup "$warmup" \
      --repeat-integrated 7 --warmup-integrated 3)
  pick() { printf '%s\n' "$out" | grep "^$1" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p'; }
  a=$(pick forward); b=$(pick saliency); c=$(pick integrated-gradients)
  echo "round $r pytorch: forward $a ms, saliency $b ms, integrated-gradients-32 $c ms ($(printf '%s\n' "$out" | grep -o '(captum[^)]*)\|(integrated gradients written out)' | head -1))"
  pf+=("$a"); pg+=("$b"); pi+=("$c")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
for m in forward gradient ig; do
  case $m in
    forward) a=$(median "${nf[@]}"); b=$(median "${pf[@]}"); label="forward                 ";;
    gradient) a=$(median "${ng[@]}"); b=$(median "${pg[@]}"); label="saliency (input grad)   ";;
    ig) a=$(median "${ni[@]}"); b=$(median "${pi[@]}"); label="integrated-gradients-32 ";;
  esac
  echo "$label netlens ${a} ms  pytorch ${b} ms  ratio $(ratio "$a" "$b")"
done
