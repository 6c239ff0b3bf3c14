#!/usr/bin/env bash
# One training epoch, netlens vs PyTorch on the same machine in one run: the same architecture,
# batch size, optimiser (SGD, Nesterov momentum 0.9, weight decay 5e-4), augmentation (random crop
# with 2 px padding, horizontal flip) and thread count, on the 60 000 Fashion-MNIST training
# images; alternating ROUNDS rounds, then the medians and the ratio netlens / PyTorch. Usage:
#   netlens-bench/scripts/train-vs-pytorch.sh [ROUNDS] [ARCH] [BATCH] [THREADS] [DATA_DIR]
set -euo pipefail
rounds=${1:-3}; arch=${2:-resnet8}; batch=${3:-128}; threads=${4:-2}
data=${5:-/usr/share/datasets/fashion-mnist}
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$root/netlens" --version >/dev/null   # builds the CLI when missing or stale
declare -a n p
for r in $(seq "$rounds"); do
  a=$(NETLENS_JAVA_OPTS="-Dnetlens.threads=$threads" "$root/netlens" train --dataset "idx:$data" --arch "$arch" \
        --batch "$batch" --epochs 1 --validation 0 --checkpoint-every 0 --out "$work/m$r.onnx" 2>/dev/null \
      | sed -n 's/^epoch 1: .*, \([0-9.]*\) s.*$/\1/p')
  b=$(/usr/bin/python3 "$root/netlens-bench/pytorch/train_fmnist.py" --data "$data" --arch "$arch" --batch "$batch" \
        --threads "$threads" --epochs 1 | sed -n 's/^epoch_seconds=//p')
  echo "round $r: netlens $a s, pytorch $b s"
  n+=("$a"); p+=("$b")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mn=$(median "${n[@]}"); mp=$(median "${p[@]}")
echo "one epoch of $arch, batch $batch, $threads threads: netlens ${mn} s, pytorch ${mp} s, ratio $(awk -v a="$mn" -v b="$mp" 'BEGIN {printf "%.2f", a/b}')"
