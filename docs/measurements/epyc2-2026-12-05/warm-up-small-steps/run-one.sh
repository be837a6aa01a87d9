#!/usr/bin/env bash
# run-one.sh TAG SMALL_STEPS [THREADS]: one three-epoch run of the issue-3 model in CHECKOUT (a
# checkout with small-steps.patch applied), the warm-up's small phase SMALL_STEPS steps long, with
# a JFR recording of every compilation; prints the warm-up's debug lines and the compile time that
# started in each epoch (../first-epoch-compilation/compile_per_epoch.py). Outputs in /tmp/w-TAG.*.
set -euo pipefail
tag=$1; small=$2; threads=${3:-2}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "${CHECKOUT:?set CHECKOUT to a checkout with small-steps.patch applied}"
source scripts/java-home.sh
flock /tmp/bp4j-cpu.lock env BP4J_JAVA_OPTS="-XX:StartFlightRecording:filename=/tmp/w-$tag.jfr,+jdk.Compilation#threshold=0ms -Ddebug.warm=true -Ddebug.smallSteps=$small -Dbp4j.progress=false" \
  ./bp4j train --backend cpu --threads "$threads" --data fashion-mnist --layers 784,256,256,10 --activation sigmoid \
  --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128 --epochs 3 2>&1 \
  | python3 -u -c 'import sys, time
for line in sys.stdin: print("%.3f %s" % (time.time(), line.rstrip()))' | grep -v -E 'WARNING|jfr,startup' >"/tmp/w-$tag.txt"
jfr print --json --events jdk.Compilation "/tmp/w-$tag.jfr" >"/tmp/w-$tag.json"
python3 "$here/../first-epoch-compilation/compile_per_epoch.py" tsv "/tmp/w-$tag.json" >"/tmp/w-$tag.tsv"
grep DEBUG "/tmp/w-$tag.txt" | cut -d' ' -f2- | tr '\n' ';'; echo
python3 "$here/../first-epoch-compilation/compile_per_epoch.py" epochs "/tmp/w-$tag.tsv" "/tmp/w-$tag.txt" 0
