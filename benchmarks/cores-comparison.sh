#!/usr/bin/env bash
# How the cpu backend's training scales with the cores, and against PyTorch CPU, in interleaved
# rounds: each round trains
#   1. the issue-3 model (784-256-256-10, sigmoid, softmax-ce, momentum 0.9, lr 0.1, batch 128,
#      Fashion-MNIST) with bp4j on 1 thread, then on THREADS threads,
#   2. the same model with PyTorch (benchmarks/peers/torch_mlp.py) on TORCH_THREADS threads
#      (its fastest count here: 1 on the 2-core box), then on one core (torch-1core),
#   3. 784-1024-1024-10 at batch 1024 with bp4j on 1 thread, then on THREADS,
#   4. the digits defaults (`bp4j train`) on 1 thread, then on THREADS,
# and, with BASELINE set, the issue-3 and 784-1024-1024-10 runs on THREADS threads again with the
# bp4j of another checkout (BASELINE: its root, built, e.g. `git archive main` unpacked, with a
# COMMIT file naming the commit for setup.txt, and `mvn -DskipTests -pl cli -am package`; runs
# named issue3-base-Nt, large-base-Nt), so every ratio comes from runs seconds apart.
# /tmp/bp4j-cpu.lock (shared with whoever else builds or measures on the machine) is held for
# ROUNDS_PER_LOCK rounds at a time (about 40 s a round on the 2-core box), released between them.
#
# Usage: benchmarks/cores-comparison.sh OUTDIR [ROUNDS] [EPOCHS] [LARGE_EPOCHS]
#   OUTDIR: where every run's raw output and rates.tsv go (created); ROUNDS (default 5);
#   EPOCHS of the issue-3 model (default 10, as the issue-3 command trains); LARGE_EPOCHS of 784-1024-1024-10 (default 1).
# Environment: THREADS (default: all cores), TORCH_THREADS (default 1), ROUNDS_PER_LOCK (default
# 3), PYTHON (default /usr/bin/python3), BASELINE (default: none). Both sides report samples/s over all their epochs, the
# first included, and per epoch; benchmarks/cores_summary.py gives the ratios of both.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ $# -lt 1 || $1 == -* ]]; then
  echo "usage: benchmarks/cores-comparison.sh OUTDIR [ROUNDS] [EPOCHS] [LARGE_EPOCHS]" >&2
  exit 2
fi
out=$1
rounds=${2:-5}
epochs=${3:-10}
large_epochs=${4:-1}
source "$root/benchmarks/counts.sh"
require_counts cores-comparison.sh "ROUNDS=$rounds" "EPOCHS=$epochs" "LARGE_EPOCHS=$large_epochs"
threads=${THREADS:-$(nproc)}
torch_threads=${TORCH_THREADS:-1}
rounds_per_lock=${ROUNDS_PER_LOCK:-3}
python=${PYTHON:-/usr/bin/python3}
baseline=${BASELINE:-}
lock=/tmp/bp4j-cpu.lock
mkdir -p "$out"
rates="$out/rates.tsv"

# Build first (outside any timing) so the first run does not pay for it.
flock "$lock" "$root/bp4j" --help >/dev/null
if [[ -n $baseline ]]; then
  flock "$lock" "$baseline/bp4j" --help >/dev/null
fi

source "$root/benchmarks/models.sh"

# bp4j NAME THREADS ARGS...: one training run; its last line gives samples/s over the run.
# BP4J_ROOT (default: this checkout) is the checkout whose ./bp4j runs.
bp4j() {
  local name=$1 t=$2
  shift 2
  local log="$out/round-$round-$name.txt"
  "${BP4J_ROOT:-$root}/bp4j" train --backend cpu --threads "$t" "$@" >"$log" 2>&1
  local rate
  rate=$("$root/benchmarks/bp4j-rate.sh" "$log")
  printf '%s\t%s\t%s\t%s\n' "$round" "$name" "$t" "$rate" >>"$rates"
}

# torch NAME THREADS: one PyTorch run of the issue-3 model. Its log ends with
# the rate line and, from /usr/bin/time, the cores it kept busy ((user + system) / wall):
# torch.set_num_threads does not bind the OpenBLAS threads Debian's torch multiplies with, so
# `--threads 1` still uses every core for the products; torch-1core (OPENBLAS_NUM_THREADS=1)
# is PyTorch on one core, to compare with bp4j's one thread.
torch() {
  local name=$1 t=$2
  local log="$out/round-$round-$name.txt"
  /usr/bin/time -f 'cores busy: %U s user + %S s system over %e s wall' \
    "$python" "$root/benchmarks/peers/torch_mlp.py" --layers 784,256,256,10 --batch 128 --epochs "$epochs" \
    --threads "$t" >"$log" 2>&1
  local rate
  rate=$(grep -E '^PyTorch training:' "$log" | tail -n 1 | grep -oE '[0-9,]+ samples/s' | head -n 1 | grep -oE '^[0-9,]+' | tr -d ,)
  [[ -n $rate ]] || { echo "cores-comparison.sh: $log has no rate; its last lines:" >&2; tail -n 3 "$log" >&2; exit 1; }
  printf '%s\t%s\t%s\t%s\n' "$round" "$name" "$t" "$rate" >>"$rates"
}

printf 'round\trun\tthreads\tsamples_per_s\n' >"$rates"
{
  echo "date: $(date -u +%FT%TZ)  host: $(uname -n)  cores: $(nproc)  threads: $threads  torch threads: $torch_threads"
  "$root/benchmarks/measured-on.sh" "$root" "$baseline"
  echo "issue-3 model: $epochs epochs; 784-1024-1024-10: $large_epochs epochs; digits: defaults"
} >"$out/setup.txt"

exec 9>>"$lock"
for round in $(seq "$rounds"); do
  if (( (round - 1) % rounds_per_lock == 0 )); then
    flock 9
  fi
  bp4j issue3-1t 1 "${issue3[@]}" --epochs "$epochs"
  bp4j issue3-${threads}t "$threads" "${issue3[@]}" --epochs "$epochs"
  if [[ -n $baseline ]]; then
    BP4J_ROOT=$baseline bp4j issue3-base-${threads}t "$threads" "${issue3[@]}" --epochs "$epochs"
  fi
  torch "torch-${torch_threads}t" "$torch_threads"
  OPENBLAS_NUM_THREADS=1 torch torch-1core 1
  bp4j large-1t 1 "${large[@]}" --epochs "$large_epochs"
  bp4j large-${threads}t "$threads" "${large[@]}" --epochs "$large_epochs"
  if [[ -n $baseline ]]; then
    BP4J_ROOT=$baseline bp4j large-base-${threads}t "$threads" "${large[@]}" --epochs "$large_epochs"
  fi
  bp4j digits-1t 1
  bp4j digits-${threads}t "$threads"
  echo "round $round done: $(awk -F'\t' -v r="$round" '$1 == r { printf "%s %s  ", $2, $4 }' "$rates")"
  if (( round % rounds_per_lock == 0 || round == rounds )); then
    flock -u 9
  fi
done
exec 9>&-

"$python" "$root/benchmarks/cores_summary.py" "$out" | tee "$out/summary.txt"
