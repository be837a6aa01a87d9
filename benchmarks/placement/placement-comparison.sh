#!/usr/bin/env bash
# The issue-3 command on one thread and on two, in interleaved rounds, while round-trip.c
# measures four times a second how long a cache line takes between the two processors: on a
# virtual machine whose vCPUs the host moves between cores that share a last-level cache and
# cores that do not, it says which placement every epoch ran on, and placement_summary.py gives
# the two-thread ÷ one-thread ratio of each placement apart.
#
# Each bp4j output line is stamped with the wall-clock time it came, so an epoch's span (its
# samples ÷ its rate, up to its line) can be matched with the probe's readings. The probe runs
# at nice −20 where the user may set it (root), so that its two threads answer at once although
# both cores are busy; it passes 1,000 round trips a quarter second, well under 1 % of a core.
#
# Usage: benchmarks/placement/placement-comparison.sh OUTDIR [ROUNDS] [EPOCHS]
#   OUTDIR: where the runs' stamped output, the probe's readings (round-trip.txt), setup.txt and
#   summary.txt go (created); ROUNDS (default 10); EPOCHS of the issue-3 model (default 10).
# Environment: VARIANTS, other two-thread runs for every round, space-separated NAME@ROOT[@OPTION]:
#   ROOT's bp4j (a built checkout, e.g. `git archive` unpacked, with a COMMIT file) with the JVM
#   option OPTION (e.g. -Dbp4j.cpu.steps=jobs), logged as round-R-issue3-NAME-2t.txt.
# Needs a C compiler (cc) for the probe and two processors, 0 and 1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if [[ $# -lt 1 || $1 == -* ]]; then
  echo "usage: benchmarks/placement/placement-comparison.sh OUTDIR [ROUNDS] [EPOCHS]" >&2
  exit 2
fi
out=$1
rounds=${2:-10}
epochs=${3:-10}
source "$root/benchmarks/counts.sh"
require_counts placement-comparison.sh "ROUNDS=$rounds" "EPOCHS=$epochs"
command -v cc >/dev/null || { echo "placement-comparison.sh: needs a C compiler (cc) for the probe; apt-get install gcc" >&2; exit 2; }
lock=/tmp/bp4j-cpu.lock
mkdir -p "$out"
probe=$(mktemp -d)
trap 'kill "${probe_pid:-}" 2>/dev/null || true; rm -rf "$probe"' EXIT
cc -O2 -pthread -o "$probe/round-trip" "$here/round-trip.c"
flock "$lock" "$root/bp4j" --help >/dev/null

variants=(${VARIANTS:-})
for variant in "${variants[@]}"; do
  IFS=@ read -r name variant_root option <<<"$variant"
  [[ $name =~ ^[a-z0-9]+$ && -x $variant_root/bp4j ]] || { echo "placement-comparison.sh: VARIANTS entry '$variant' is not NAME@ROOT[@OPTION] with a lower-case NAME and ROOT/bp4j" >&2; exit 2; }
  flock "$lock" "$variant_root/bp4j" --help >/dev/null
done

{
  echo "date: $(date -u +%FT%TZ)  host: $(uname -n)  cores: $(nproc)"
  "$root/benchmarks/measured-on.sh" "$root"
  for variant in "${variants[@]}"; do
    IFS=@ read -r name variant_root option <<<"$variant"
    echo "variant $name: $variant_root at $("$root/benchmarks/measured-on.sh" "$variant_root" | sed -n 's/^commit: //p') ${option:+with $option}"
  done
  echo "issue-3 model: $epochs epochs, 1 and 2 threads; probe: processors 0 and 1, every 250 ms"
} >"$out/setup.txt"

source "$root/benchmarks/models.sh"

# run NAME THREADS [ROOT [OPTION]]: one training run, each output line stamped with the Unix time
# it came, after a first line stamped with the time the process started.
run() {
  local log="$out/round-$round-$1.txt"
  printf '%s started\n' "$(date +%s.%N)" >"$log"
  BP4J_JAVA_OPTS="${4:-}" "${3:-$root}/bp4j" train --backend cpu --threads "$2" "${issue3[@]}" --epochs "$epochs" 2>&1 |
    while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done >>"$log"
  "$root/benchmarks/bp4j-rate.sh" <(cut -d' ' -f2- "$log") >/dev/null
}

exec 9>>"$lock"
flock 9
nice_probe=(nice -n -20)
"${nice_probe[@]}" true 2>/dev/null || { echo "placement-comparison.sh: cannot raise the probe's priority (not root); its readings may lag" >&2; nice_probe=(); }
"${nice_probe[@]}" "$probe/round-trip" 1000000 250 >"$out/round-trip.txt" &
probe_pid=$!
for round in $(seq "$rounds"); do
  run issue3-1t 1
  run issue3-2t 2
  for variant in "${variants[@]}"; do
    IFS=@ read -r name variant_root option <<<"$variant"
    run "issue3-$name-2t" 2 "$variant_root" "$option"
  done
  echo "round $round done"
done
kill "$probe_pid"
exec 9>&-

/usr/bin/python3 "$here/placement_summary.py" "$out" | tee "$out/summary.txt"
