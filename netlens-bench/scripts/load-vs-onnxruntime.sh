#!/usr/bin/env bash
# Load + first forward of an ONNX model in a fresh JVM: netlens vs ONNX Runtime (Java), alternating,
# RUNS times each; prints every run and the medians. Usage:
#   netlens-bench/scripts/load-vs-onnxruntime.sh MODEL.onnx INPUT.npy [RUNS]
set -euo pipefail
model=$1; input=$2; runs=${3:-7}
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/netlens-cli/target/netlens.jar"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package -pl netlens-cli -am)
declare -a n o
for i in $(seq "$runs"); do
  for engine in netlens onnxruntime; do
    ms=$(java -jar "$jar" bench --model "$model" --input "$input" --method load --repeat 1 --engine "$engine" 2>/dev/null \
         | sed -n 's/^median_ms=//p')
    echo "run $i $engine $ms ms"
    if [ "$engine" = netlens ]; then n+=("$ms"); else o+=("$ms"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mn=$(median "${n[@]}"); mo=$(median "${o[@]}")
echo "median load+first forward: netlens ${mn} ms, onnxruntime ${mo} ms, ratio $(awk -v a="$mn" -v b="$mo" 'BEGIN {printf "%.2f", a/b}')"
