#!/usr/bin/env bash
# Issue 20's measurements, raw outputs into OUTDIR:
#  1. The Fashion-MNIST recipe (README) on each seed: `bp4j train` (model chosen on the validation
#     part, scored on test once) and the same recipe in PyTorch CPU (benchmarks/peers/torch_recipe.py,
#     OpenBLAS variables unset, one thread: its faster count on the 2-core box), back to back per
#     seed; wall time of each whole process (start-up and data loading included) and the chosen
#     model's test accuracy.
#  2. What dropout and clipping cost on the issue-3 training command (784-256-256-10, sigmoid,
#     momentum, lr 0.1, batch 128): samples/s with each off and on, interleaved per round.
# Each run takes /tmp/bp4j-cpu.lock on its own, so other work on the machine interleaves between
# runs but never inside one.
#
# Usage: benchmarks/recipe-vs-torch.sh OUTDIR [--seeds "1 2 3"] [--torch-seeds "1 2 3"] [--rounds 3]
#                                      [--overhead-epochs 10] [--skip-recipe] [--skip-overhead]
# (--torch-seeds: the seeds PyTorch also runs, by default all; it takes about twice bp4j's wall
# time on the 2-core box.)
# Environment: PYTHON (default /usr/bin/python3: Debian's python3-torch), TORCH_THREADS (default 1).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $# -lt 1 || $1 == --* ]]; then
  echo "recipe-vs-torch.sh: expected an output folder first (see the usage at the top of the script)" >&2
  exit 2
fi
out=$1
shift
seeds="1 2 3"
torch_seeds=
rounds=3
overhead_epochs=10
recipe=yes
overhead=yes
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --torch-seeds) torch_seeds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --overhead-epochs) overhead_epochs=$2; shift 2 ;;
    --skip-recipe) recipe=no; shift ;;
    --skip-overhead) overhead=no; shift ;;
    *) echo "recipe-vs-torch.sh: unknown argument '$1' (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
torch_seeds=${torch_seeds:-$seeds}
python=${PYTHON:-/usr/bin/python3}
torch_threads=${TORCH_THREADS:-1}
lock=/tmp/bp4j-cpu.lock
mkdir -p "$out"
summary="$out/summary.txt"

# The recipe, once for both sides. 5 % of the training part validates; the run keeps the epoch of
# lowest validation loss.
layers=784,1024,1024,10
epochs=40
batch=64
lr=0.05
weight_decay=0.001
dropout=0.3
input_dropout=0.1
# PyTorch's nn.Linear draws weights and biases from ±1/√in; bp4j's fan-in scheme is the same draw.
init=fan-in
validation=0.05
scaling=standard
bp4j_recipe=(--data fashion-mnist --layers "$layers" --activation relu --optimizer momentum --lr "$lr" --batch "$batch"
             --epochs "$epochs" --weight-decay "$weight_decay" --dropout "$dropout" --input-dropout "$input_dropout" --init "$init" --lr-schedule cosine
             --validation-fraction "$validation" --scaling "$scaling")
torch_recipe=(--optimizer momentum --layers "$layers" --epochs "$epochs" --batch "$batch" --lr "$lr"
              --weight-decay "$weight_decay" --dropout "$dropout" --input-dropout "$input_dropout" --validation-fraction "$validation" --scaling "$scaling"
              --threads "$torch_threads")

# Builds the jar now, outside any timing.
"$root/bp4j" --version > "$out/bp4j-version.txt"
{
  echo "recipe-vs-torch.sh on $(hostname), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD)"
  echo "$(nproc) CPUs; $("$root/benchmarks/cpu-id.sh")"
} | tee "$summary"

# Runs a command under the lock; prints its wall time in seconds.
timed() {
  local log=$1
  shift
  flock "$lock" bash -c 'start=$(date +%s.%N); "$@" > "$0" 2>&1; status=$?; end=$(date +%s.%N);
    awk -v s="$start" -v e="$end" "BEGIN { printf \"%.2f\", e - s }"; exit $status' "$log" "$@"
}

if [[ $recipe == yes ]]; then
  echo "recipe: ${bp4j_recipe[*]}" | tee -a "$summary"
  echo "peer:   torch_recipe.py ${torch_recipe[*]}" | tee -a "$summary"
  for seed in $seeds; do
    bp4j_wall=$(timed "$out/recipe-bp4j-seed$seed.log" "$root/bp4j" train "${bp4j_recipe[@]}" --seed "$seed" \
                  --report "$out/recipe-bp4j-seed$seed.json")
    bp4j_accuracy=$(grep -oE 'test accuracy [0-9.]+' "$out/recipe-bp4j-seed$seed.log" | tail -n 1 | cut -d' ' -f3)
    bp4j_chosen=$(grep -oE 'chosen epoch [0-9]+' "$out/recipe-bp4j-seed$seed.log" | cut -d' ' -f3)
    line=$(printf 'seed %s: bp4j test accuracy %s (epoch %s) in %s s wall' "$seed" "$bp4j_accuracy" "$bp4j_chosen" "$bp4j_wall")
    if [[ " $torch_seeds " == *" $seed "* ]]; then
      torch_wall=$(timed "$out/recipe-torch-seed$seed.log" "$python" "$root/benchmarks/peers/torch_recipe.py" "${torch_recipe[@]}" \
                     --seed "$seed" --json "$out/recipe-torch-seed$seed.json")
      torch_accuracy=$(grep -oE 'test accuracy [0-9.]+' "$out/recipe-torch-seed$seed.log" | tail -n 1 | cut -d' ' -f3)
      torch_chosen=$(grep -oE 'chosen epoch [0-9]+' "$out/recipe-torch-seed$seed.log" | cut -d' ' -f3)
      line=$(printf '%s; PyTorch %s (epoch %s) in %s s wall; wall ratio %s' "$line" "$torch_accuracy" "$torch_chosen" \
               "$torch_wall" "$(awk -v a="$torch_wall" -v b="$bp4j_wall" 'BEGIN { printf "%.2f", a / b }')")
    fi
    echo "$line" | tee -a "$summary"
  done
fi

if [[ $overhead == yes ]]; then
  source "$root/benchmarks/models.sh"
  issue3+=(--epochs "$overhead_epochs")
  echo "overhead: bp4j train ${issue3[*]} [--dropout 0.2 | --clip-norm 1], $rounds interleaved rounds" | tee -a "$summary"
  for round in $(seq "$rounds"); do
    line="round $round:"
    for variant in off dropout clip; do
      case $variant in
        off) extra=() ;;
        dropout) extra=(--dropout 0.2) ;;
        clip) extra=(--clip-norm 1) ;;
      esac
      log="$out/overhead-$variant-round$round.log"
      timed "$log" "$root/bp4j" train "${issue3[@]}" "${extra[@]}" > /dev/null
      rate=$(grep -oE '\(([0-9,]+) samples/s' "$log" | tail -n 1 | grep -oE '[0-9,]+' | tr -d ,)
      line="$line $variant $rate"
    done
    echo "$line samples/s" | tee -a "$summary"
  done
  awk '/^round/ { off += $4; d += $6; c += $8; n++ } END { if (n) printf "mean over %d rounds: dropout %.3f of off, clipping %.3f of off\n", n, d / off, c / off }' \
    "$summary" | tee -a "$summary"
fi
