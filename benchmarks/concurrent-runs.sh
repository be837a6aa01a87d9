#!/usr/bin/env bash
# Two trainings sharing one machine, as in a hyperparameter sweep: two bp4j processes train the
# issue-3 model (784-256-256-10, sigmoid, softmax-ce, momentum 0.9, lr 0.1, batch 128,
# Fashion-MNIST) at the same time, in interleaved rounds of
#   shared:   both on every core (the default thread count), so the machine has twice as many
#             busy threads as cores;
#   split:    each on half the cores (--threads cores/2), the partition a user would pick;
#   base:     with BASELINE set, both on every core with the bp4j of another checkout (its root,
#             built; a COMMIT file there names its commit for setup.txt, as for
#             benchmarks/cores-comparison.sh), so a change is compared with the code before it.
# What counts is the two runs' samples/s added up.
#
# Usage: benchmarks/concurrent-runs.sh OUTDIR [ROUNDS] [EPOCHS]   (defaults 5 and 3)
# Writes into OUTDIR: every run's output (round-R-VARIANT-a.txt, -b.txt), rates.tsv (each run's
# samples/s over its whole run and their sum), setup.txt and summary.txt (medians of the sums and
# of the same-round ratios). Environment: BASELINE (default: none), LOCK (a file flock(1)ed for
# each round, shared with whoever else measures on the machine; default /tmp/bp4j-cpu.lock).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ $# -lt 1 || $# -gt 3 || $1 == -* ]]; then
  echo "usage: benchmarks/concurrent-runs.sh OUTDIR [ROUNDS] [EPOCHS]" >&2
  exit 2
fi
out=$1
rounds=${2:-5}
epochs=${3:-3}
source "$root/benchmarks/counts.sh"
require_counts concurrent-runs.sh "ROUNDS=$rounds" "EPOCHS=$epochs"
baseline=${BASELINE:-}
lock=${LOCK:-/tmp/bp4j-cpu.lock}
cores=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)
if (( cores < 2 )); then
  echo "concurrent-runs.sh: this machine has $cores core; two runs need at least two to split" >&2
  exit 2
fi
half=$((cores / 2))
source "$root/benchmarks/models.sh"

# Build first, outside any timing.
flock "$lock" "$root/bp4j" --version >/dev/null
if [[ -n $baseline ]]; then
  flock "$lock" "$baseline/bp4j" --version >/dev/null || { echo "concurrent-runs.sh: BASELINE=$baseline: its ./bp4j does not run" >&2; exit 1; }
fi
mkdir -p "$out"
{
  echo "date: $(date -u +%FT%TZ)  host: $(uname -n)  cores: $cores"
  "$root/benchmarks/measured-on.sh" "$root" "$baseline"
  echo "each run: bp4j train --backend cpu ${issue3[*]} --epochs $epochs"
  echo "shared: both runs on $cores threads; split: each on $half; base: both on $cores with the baseline"
} >"$out/setup.txt"

rates="$out/rates.tsv"
printf 'round\tvariant\tthreads_each\ta_samples_per_s\tb_samples_per_s\tsum\n' >"$rates"

# pair VARIANT THREADS CHECKOUT: the two runs at once.
pair() {
  local variant=$1 t=$2 checkout=$3 side
  for side in a b; do
    "$checkout/bp4j" train --backend cpu --threads "$t" "${issue3[@]}" --epochs "$epochs" \
      >"$out/round-$round-$variant-$side.txt" 2>&1 &
  done
  wait
  local a b
  a=$("$root/benchmarks/bp4j-rate.sh" "$out/round-$round-$variant-a.txt")
  b=$("$root/benchmarks/bp4j-rate.sh" "$out/round-$round-$variant-b.txt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$variant" "$t" "$a" "$b" $((a + b)) >>"$rates"
  echo "round $round  $variant, threads each $t: $a + $b = $((a + b)) samples/s"
}

variants=(shared split)
[[ -z $baseline ]] || variants+=(base)
exec 9>>"$lock"
for round in $(seq "$rounds"); do
  flock 9
  # Rotated, so that no variant always runs first after the lock is taken.
  for k in "${!variants[@]}"; do
    variant=${variants[$(( (k + round) % ${#variants[@]} ))]}
    case $variant in
      shared) pair shared "$cores" "$root" ;;
      split) pair split "$half" "$root" ;;
      base) pair base "$cores" "$baseline" ;;
    esac
  done
  flock -u 9
done
exec 9>&-

python3 - "$rates" <<'EOF' | tee "$out/summary.txt"
import csv
import statistics
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
sums = {}
for row in rows:
    sums.setdefault(row['variant'], {})[row['round']] = int(row['sum'])
for variant, by_round in sums.items():
    values = sorted(by_round.values())
    print(f"{variant}: two runs together, samples/s: median {statistics.median(values):,.0f} (min {values[0]:,}, max {values[-1]:,})")
for other in ('split', 'base'):
    if other in sums:
        ratios = sorted(sums['shared'][r] / sums[other][r] for r in sums['shared'] if r in sums[other])
        print(f"shared / {other}: median {statistics.median(ratios):.2f} (min {ratios[0]:.2f}, max {ratios[-1]:.2f}; "
              f"{len(ratios)} rounds: {' '.join(f'{x:.2f}' for x in ratios)})")
EOF
