#!/usr/bin/env bash
# Data-parallel training on Spark against one process, measured in one run (issue 17):
#   single   bp4j train, Fashion-MNIST 784-256-256-10, momentum, batch 64, cpu on all THREADS cores
#   k16      bp4j-spark in local[THREADS]: THREADS partitions of batch 64/THREADS (the same global
#            batch), cpu backend with one thread per task, combined every 16 local steps
#   k1       the same, combined every step (gradient averaging); run in chunks of K1_CHUNK epochs
#            that resume from the previous chunk's checkpoint, so no invocation runs for long
#   mllib    Spark MLlib's MultilayerPerceptronClassifier, same data, layers, cores, EPOCHS
#            iterations (l-bfgs, its default solver)
#   combine  the cost of one combination by model size: the embedded digits, 64-H-H-10 for
#            H in COMBINE_WIDTHS, 2 partitions, batch 32, combined every step, two epochs; the
#            second epoch's combine_seconds / syncs (the first includes the JIT's warm-up)
# Every run writes its JSON report and its console output under OUTDIR as spark-*.{json,txt}.
#
# Usage: benchmarks/spark-scaling.sh OUTDIR [STEP…]   (steps: single k16 k1 mllib combine; default all)
# Environment: EPOCHS (10), THREADS (2), K1_CHUNK (3), COMBINE_WIDTHS ("256 1024 2048 4096"),
#              BP4J_LOCK (a file to flock around each build and measurement, e.g. /tmp/bp4j-cpu.lock).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $# -lt 1 ]]; then
  echo "usage: benchmarks/spark-scaling.sh OUTDIR [single|k16|k1|mllib|combine]…" >&2
  exit 2
fi
out=$(mkdir -p "$1" && cd "$1" && pwd)
shift
steps=("$@")
[[ ${#steps[@]} -eq 0 ]] && steps=(single k16 k1 mllib combine)
epochs=${EPOCHS:-10}
threads=${THREADS:-2}
k1_chunk=${K1_CHUNK:-3}
combine_widths=${COMBINE_WIDTHS:-256 1024 2048 4096}
layers=784,256,256,10
batch=64
lr=0.05
source "$root/scripts/java-home.sh"

locked() {
  if [[ -n ${BP4J_LOCK:-} ]]; then flock "$BP4J_LOCK" "$@"; else "$@"; fi
}

# One build: bp4j.jar, bp4j-spark.jar, and the class path of Spark (with MLlib for the baseline).
cd "$root"
locked mvn -B -ntp -q -P mllib-baseline -pl cli,spark -am -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/scaling-classpath.txt
# Spark's jars only: bp4j comes from the shaded jar, as spark-submit would run it.
spark_cp=$(tr ':' '\n' < spark/target/scaling-classpath.txt | grep -v '/bp4j-' | paste -sd: -)
spark_jar=$root/spark/target/bp4j-spark.jar
if unzip -l "$spark_jar" | grep -q 'org/apache/spark/'; then
  echo "spark-scaling.sh: $spark_jar bundles Spark; it must not" >&2
  exit 1
fi
# The bp4j launcher's JIT settings (C2 only, the cpu kernels compiled early), so the cpu backend
# computes at the same speed in both; on-stack replacement stays on for Spark's own loops.
jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
     -XX:+UseParallelGC -Xss4m -Xms2g -Xmx6g -XX:-TieredCompilation
     -XX:CompileCommand=quiet "-XX:CompileCommand=CompileThresholdScaling,dev.bp4j.cpu.*::*,0.05")
spark_conf=("-Dspark.master=local[$threads]" -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1
            -Dspark.ui.enabled=false "-Dlog4j2.configurationFile=$root/benchmarks/spark/log4j2.properties")
export SPARK_LOCAL_IP=127.0.0.1

bp4j_spark() {
  locked "$JAVA_HOME/bin/java" "${jvm[@]}" "${spark_conf[@]}" -cp "$spark_jar:$spark_cp" dev.bp4j.spark.SparkMain train "$@"
}

record_machine() {
  { date -u +%FT%TZ; uname -srm; "$root/benchmarks/cpu-id.sh"; nproc; "$JAVA_HOME/bin/java" -version 2>&1 | head -1
    echo "spark $(basename "$(tr ':' '\n' < spark/target/scaling-classpath.txt | grep -m1 spark-core)")"; } > "$out/spark-machine.txt"
}
record_machine

for step in "${steps[@]}"; do
  case "$step" in
    single)
      locked "$root/bp4j" train --data fashion-mnist --layers "$layers" --optimizer momentum --lr "$lr" --batch "$batch" \
        --epochs "$epochs" --backend cpu --threads "$threads" --report "$out/spark-single-process.json" \
        | tee "$out/spark-single-process.txt"
      ;;
    k16)
      bp4j_spark --data fashion-mnist --layers "$layers" --optimizer momentum --lr "$lr" --batch $((batch / threads)) \
        --epochs "$epochs" --partitions "$threads" --threads 1 --sync-every 16 --report "$out/spark-k16.json" 2>&1 \
        | grep -v -e WARN -e '^Using Spark' | tee "$out/spark-k16.txt"
      ;;
    k1)
      checkpoints=$(mktemp -d)
      done_epochs=0
      part=1
      : > "$out/spark-k1.txt"
      while [[ $done_epochs -lt $epochs ]]; do
        upto=$((done_epochs + k1_chunk < epochs ? done_epochs + k1_chunk : epochs))
        bp4j_spark --data fashion-mnist --layers "$layers" --optimizer momentum --lr "$lr" --batch $((batch / threads)) \
          --epochs "$upto" --partitions "$threads" --threads 1 --sync-every 1 --checkpoint-dir "$checkpoints" --resume \
          --report "$out/spark-k1-part$part.json" 2>&1 | grep -v -e WARN -e '^Using Spark' | tee -a "$out/spark-k1.txt"
        done_epochs=$upto
        part=$((part + 1))
      done
      rm -rf "$checkpoints"
      ;;
    mllib)
      classes=$(mktemp -d)
      "$JAVA_HOME/bin/javac" -d "$classes" -cp "$spark_cp:$root/trainer/target/classes" "$root/benchmarks/spark/MllibBaseline.java"
      locked "$JAVA_HOME/bin/java" "${jvm[@]}" "${spark_conf[@]}" -cp "$classes:$spark_jar:$spark_cp" MllibBaseline \
        fashion-mnist "$layers" "$epochs" l-bfgs "$threads" 2> "$out/spark-mllib.log" | tee "$out/spark-mllib.json"
      rm -rf "$classes"
      ;;
    combine)
      for h in $combine_widths; do
        bp4j_spark --data digits --layers "64,$h,$h,10" --activation tanh --optimizer momentum --lr 0.05 --batch 32 --epochs 2 --partitions 2 \
          --threads 1 --sync-every 1 --report "$out/spark-combine-64-$h-$h-10.json" 2>&1 \
          | grep -v -e WARN -e '^Using Spark' | tee "$out/spark-combine-64-$h-$h-10.txt"
      done
      ;;
    *)
      echo "spark-scaling.sh: unknown step '$step' (expected single, k16, k1, mllib or combine)" >&2
      exit 2
      ;;
  esac
done
