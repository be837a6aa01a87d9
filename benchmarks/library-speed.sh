#!/usr/bin/env bash
# The library's speed without JVM tricks: the issue-3 training run (Fashion-MNIST,
# 784-256-256-10 sigmoid, softmax-ce, momentum 0.1, batch 128, 10 epochs on backend cpu) from
#   cli      ./bp4j train --no-warm-up ... (the flags of jvm.options)
#   library  the same model from a plain main (dev.bp4j.benchmarks.LibraryTraining) in a JVM
#            started with only --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
#   baseline another checkout's launcher, when BASELINE names it (e.g. /tmp/baseline/bp4j)
# and cli-warm-up, library-warm-up: the same with the warm-up (bp4j train's default) / Trainer.warmUp first;
# interleaved, ROUNDS rounds (default 5; numbered from ROUND_FROM, default 1, to add rounds to
# a folder), the order rotating each round.
# Usage: benchmarks/library-speed.sh OUTPUT_FOLDER [ROUNDS]
# Writes per run its JSON report and log, walls.tsv (wall seconds of each run), setup.txt, and
# summary.tsv: per run the samples/s of epochs 2-10, of the whole run, of epoch 1, and the wall time.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/java-home.sh"
if [[ $# -lt 1 ]]; then
  echo "usage: benchmarks/library-speed.sh OUTPUT_FOLDER [ROUNDS]" >&2
  exit 2
fi
out=$1
rounds=${2:-5}
mkdir -p "$out"
jar="$root/benchmarks/target/benchmarks.jar"
(cd "$root" && mvn -q -B -DskipTests -pl cli,benchmarks -am package)

source "$root/benchmarks/models.sh"
train=(train --backend cpu "${issue3[@]}" --epochs 10)
variants=(cli cli-warm-up library library-warm-up)
[[ -n ${BASELINE:-} ]] && variants=(baseline "${variants[@]}")

{
  echo "commit: $(git -C "$root" rev-parse HEAD)$(git -C "$root" diff --quiet HEAD || echo ' (with uncommitted changes)')"
  [[ -n ${BASELINE:-} ]] && echo "baseline: $BASELINE at $(git -C "$(dirname "$BASELINE")" rev-parse HEAD)"
  echo "cli: $root/bp4j ${train[*]} --no-warm-up | --warm-up (the default) --report R.json"
  echo "library: java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp $jar dev.bp4j.benchmarks.LibraryTraining R.json [--warm-up]"
  echo "jvm.options: $(grep -v '^#' "$root/jvm.options" | grep -v '^$' | paste -sd' ')"
  "$JAVA_HOME/bin/java" -version 2>&1 | head -n 1
  echo "cpu: $("$root/benchmarks/cpu-id.sh"); $(nproc) cores"
  echo "transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)"
} >>"$out/setup.txt"

run() {
  local variant=$1 round=$2
  local report="$out/round$round-$variant.json" log="$out/round$round-$variant.log"
  local start end
  start=$(date +%s.%N)
  case $variant in
    baseline) "$BASELINE" "${train[@]}" --report "$report" >"$log" 2>&1 ;;
    cli) "$root/bp4j" "${train[@]}" --no-warm-up --report "$report" >"$log" 2>&1 ;;
    cli-warm-up) "$root/bp4j" "${train[@]}" --warm-up --report "$report" >"$log" 2>&1 ;;
    library) "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
               -cp "$jar" dev.bp4j.benchmarks.LibraryTraining "$report" >"$log" 2>&1 ;;
    library-warm-up) "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
               -cp "$jar" dev.bp4j.benchmarks.LibraryTraining "$report" --warm-up >"$log" 2>&1 ;;
  esac
  end=$(date +%s.%N)
  printf '%s\t%s\t%.2f\n' "$variant" "$round" "$(echo "$end - $start" | bc)" >>"$out/walls.tsv"
}

first=${ROUND_FROM:-1}
for ((round = first; round < first + rounds; round++)); do
  n=${#variants[@]}
  for ((i = 0; i < n; i++)); do
    run "${variants[$(((i + round - 1) % n))]}" "$round"
  done
  echo "library-speed.sh: round $round done" >&2
done

"${PYTHON:-/usr/bin/python3}" - "$out" <<'PY'
import json, os, statistics, sys
out = sys.argv[1]
walls = {}
for line in open(os.path.join(out, "walls.tsv")):
    variant, rnd, wall = line.split()
    walls[(variant, int(rnd))] = float(wall)
rows = []
for (variant, rnd), wall in sorted(walls.items()):
    report = json.load(open(os.path.join(out, f"round{rnd}-{variant}.json")))
    epochs = report["epochs"]
    later = epochs[1:]
    later_rate = sum(e["samples_per_second"] * e["seconds"] for e in later) / sum(e["seconds"] for e in later)
    rows.append((variant, rnd, later_rate, report["samples_per_second"], epochs[0]["samples_per_second"], wall))
with open(os.path.join(out, "summary.tsv"), "w") as f:
    f.write("variant\tround\tepochs 2-10 samples/s\twhole run samples/s\tepoch 1 samples/s\twall s\n")
    for r in rows:
        f.write("%s\t%d\t%.0f\t%.0f\t%.0f\t%.2f\n" % r)
    f.write("\nmedians\n")
    for variant in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == variant]
        f.write("%s\t%d runs\t%.0f\t%.0f\t%.0f\t%.2f\n" % ((variant, len(mine)) + tuple(
            statistics.median(r[i] for r in mine) for i in (2, 3, 4, 5))))
print(open(os.path.join(out, "summary.tsv")).read())
PY
