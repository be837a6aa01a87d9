#!/usr/bin/env bash
# The issue's end-to-end comparison: `bp4j train` on a model, then PyTorch CPU training the
# same model (benchmarks/peers/torch_mlp.py), back to back, ROUNDS times, so each ratio comes
# from two runs a few seconds apart on the same machine. Prints one line per round and the
# median ratio; both sides report samples/s of their training loop over all epochs (the first,
# with the JIT still compiling, included) and test accuracy.
#
# Usage: benchmarks/train-vs-torch.sh [ROUNDS] [--layers 784,256,256,10] [--batch 128]
#                                     [--epochs 10] [--threads 2] [--backend cpu]
#                                     [--omp-wait-policy passive|active|default]
# The wait policy is PyTorch's (see torch_mlp.py): passive, its fastest here, unless told.
# Environment: PYTHON (default /usr/bin/python3: Debian's python3-torch).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

rounds=5
layers=784,256,256,10
batch=128
epochs=10
threads=2
backend=cpu
wait_policy=passive
if [[ $# -gt 0 && $1 != --* ]]; then
  rounds=$1
  shift
fi
while [[ $# -gt 0 ]]; do
  case "$1" in
    --layers) layers=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --backend) backend=$2; shift 2 ;;
    --omp-wait-policy) wait_policy=$2; shift 2 ;;
    *) echo "train-vs-torch.sh: unknown argument '$1' (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
source "$root/benchmarks/counts.sh"
require_counts train-vs-torch.sh "ROUNDS=$rounds"
python=${PYTHON:-/usr/bin/python3}

echo "bp4j ($backend) against PyTorch CPU (OpenMP wait policy $wait_policy): $layers, sigmoid, softmax-ce, momentum 0.9, lr 0.1, batch $batch, $epochs epochs, $threads threads, Fashion-MNIST"
ratios=()
for round in $(seq "$rounds"); do
  bp4j_line=$("$root/bp4j" train --backend "$backend" --data fashion-mnist --layers "$layers" --activation sigmoid \
                --loss softmax-ce --optimizer momentum --lr 0.1 --batch "$batch" --epochs "$epochs" --threads "$threads" \
                2>&1 | tail -n 1)
  torch_line=$("$python" "$root/benchmarks/peers/torch_mlp.py" --layers "$layers" --batch "$batch" --epochs "$epochs" \
                 --threads "$threads" --omp-wait-policy "$wait_policy" 2>&1 | tail -n 1)
  # bp4j: "... (123,456 samples/s, ...) on cpu: test accuracy 0.8632 (...)";
  # torch_mlp.py: "PyTorch training: 61234 samples/s, test accuracy 0.8661 after 10 epochs".
  bp4j_rate=$(grep -oE '\(([0-9,]+) samples/s' <<<"$bp4j_line" | grep -oE '[0-9,]+' | tr -d , || true)
  bp4j_accuracy=$(grep -oE 'accuracy [0-9.]+' <<<"$bp4j_line" | cut -d' ' -f2 || true)
  torch_rate=$(grep -oE '[0-9,]+ samples/s' <<<"$torch_line" | head -n 1 | grep -oE '^[0-9,]+' | tr -d , || true)
  torch_accuracy=$(grep -oE 'accuracy [0-9.]+' <<<"$torch_line" | cut -d' ' -f2 || true)
  if [[ -z $bp4j_rate || -z $torch_rate ]]; then
    echo "train-vs-torch.sh: round $round: a run did not finish; its last lines were:" >&2
    echo "  bp4j:  $bp4j_line" >&2
    echo "  torch: $torch_line" >&2
    exit 1
  fi
  ratio=$(awk -v a="$bp4j_rate" -v b="$torch_rate" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$ratio")
  printf '%s  round %d: bp4j %s samples/s (accuracy %s), PyTorch %s samples/s (accuracy %s), ratio %s\n' \
    "$(date -u +%H:%M:%S)" "$round" "$bp4j_rate" "$bp4j_accuracy" "$torch_rate" "$torch_accuracy" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END {
  median = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
  printf "ratio over %d rounds: %s to %s, median %.2f\n", NR, r[1], r[NR], median }'
