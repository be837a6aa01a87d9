#!/usr/bin/env bash
# compile-time.sh OUT ROUNDS: the issue-3 model for 3 epochs on 2 threads, then on 1, ROUNDS times,
# each with a JFR recording of every JIT compilation (jdk.Compilation, no duration threshold) and
# bp4j's output lines stamped with the wall clock (round-R-Tt.txt); the compilations are kept as
# round-R-Tt-compilations.tsv.gz, and compile_per_epoch.py sums the compile time that started
# within each epoch (round-R-Tt-compile.txt). Run from the repository root.
set -euo pipefail
out=$1; rounds=${2:-3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$out"
source scripts/java-home.sh
for r in $(seq "$rounds"); do
  for t in 2 1; do
    name="$out/round-$r-${t}t"
    flock /tmp/bp4j-cpu.lock env BP4J_JAVA_OPTS="-XX:StartFlightRecording:filename=$name.jfr,+jdk.Compilation#threshold=0ms -Dbp4j.progress=false" \
      ./bp4j train --backend cpu --threads "$t" --data fashion-mnist --layers 784,256,256,10 --activation sigmoid \
      --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128 --epochs 3 2>&1 \
      | python3 -u -c 'import sys, time
for line in sys.stdin: print("%.3f %s" % (time.time(), line.rstrip()))' | grep -v -E 'WARNING|jfr,startup' >"$name.txt"
    jfr print --json --events jdk.Compilation "$name.jfr" >"$name.json"
    python3 "$here/compile_per_epoch.py" tsv "$name.json" | gzip -9 >"$name-compilations.tsv.gz"
    rm "$name.jfr" "$name.json"
    python3 "$here/compile_per_epoch.py" epochs "$name-compilations.tsv.gz" "$name.txt" 6 >"$name-compile.txt"
    echo "round $r, $t threads:"; cat "$name-compile.txt"
  done
done
