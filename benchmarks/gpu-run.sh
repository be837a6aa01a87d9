#!/usr/bin/env bash
# The OpenCL backend on an NVIDIA GPU machine that has a driver but no JDK or Maven
# (../shared/gpu/README.md): correctness first, then tuning, then the measurements
# docs/performance.md quotes. Two halves:
#
#   here  (JDK 25 + Maven):  benchmarks/gpu-run.sh prepare
#         builds bp4j.jar, benchmarks.jar and the opencl module's tests with their libraries,
#         and the jlink runtime, all under .gpu/ (git-ignored; carry it to the GPU machine).
#   there (in the repository root):  bash benchmarks/gpu-run.sh STAGE OUTDIR [ARGS]
#         tests OUTDIR [CLASS...]  the contract suite and the opencl tests on the GPU, less the
#                                  named test classes (all: GemmTuningTest)
#         tune OUTDIR              bp4j devices, then bp4j tune (caches the gemm tiles)
#         bench OUTDIR             JMH: SGEMM n=1024..4096, sigmoid/Hadamard on 64M floats,
#                                  training epochs of the three MLPs (run after tune)
#         peers OUTDIR             the same figures from PyTorch on CUDA (cuBLAS SGEMM,
#                                  elementwise, benchmarks/peers/torch_mlp.py --device cuda)
#         train OUTDIR             `bp4j train --backend opencl --report` on the three MLPs, on
#                                  the Fashion-MNIST folder that prepare packs (FASHION=dir)
#         cores OUTDIR [ROUNDS]    the many-core table (benchmarks/cores-table.sh, into
#                                  OUTDIR/cores): `bp4j train --backend cpu` and PyTorch CPU at
#                                  1, 2, 4, 8, 16 threads (THREAD_COUNTS), no GPU involved;
#                                  4-7 minutes on 16 cores, so a device call of its own
#         all OUTDIR [ARCHIVE]     every GPU stage (tune first; not cores), each under a time cap, within 530 s; with ARCHIVE,
#                                  also packs OUTDIR into that .tgz after every stage, for runners
#                                  that bring back few files
# Each stage writes its raw files into OUTDIR and prints the card and driver first. A fresh GPU
# machine has no tuning cache, so `tune` also copies it to OUTDIR/opencl-gemm.properties, and
# `bench` installs that file when the home cache is empty (TUNED=path overrides).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
stage=${1:-}
gpu=.gpu
flags=("@$root/jvm.options")

prepare() {
  source scripts/java-home.sh
  local target=target-gpu
  mvn -q -o -B -DskipTests -Dbp4j.target=$target -pl cli,benchmarks -am package
  # The test class path as surefire resolved it (the dependency plugin cannot run offline here):
  # one quick test run records it in its report.
  mvn -q -o -B -Dbp4j.target=$target -pl opencl -am test -Dtest='OpenClBackendTest#autoTakesOnlyGpus' -Dsurefire.failIfNoSpecifiedTests=false
  local report=opencl/$target/surefire-reports/TEST-dev.bp4j.opencl.OpenClBackendTest.xml
  local classpath
  classpath=$(grep -o 'name="surefire.test.class.path" value="[^"]*"' "$report" | sed 's/.*value="//; s/"$//')
  rm -rf $gpu/opencl-tests && mkdir -p $gpu/opencl-tests/lib
  local entry
  for entry in ${classpath//:/ }; do
    if [[ $entry == *.jar ]]; then
      cp "$entry" $gpu/opencl-tests/lib/
    elif [[ -d $entry && $entry != */opencl/$target/* ]]; then
      # Reactor modules (api and its contract suite) are class folders here; jar them up.
      local module=${entry%/$target/*}
      "$JAVA_HOME/bin/jar" cf "$gpu/opencl-tests/lib/$(basename "$module")-$(basename "$entry").jar" -C "$entry" .
    fi
  done
  mkdir -p $gpu/lib
  cp cli/$target/bp4j.jar benchmarks/$target/benchmarks.jar $gpu/lib/
  # The GPU machine's copy of the tree may have no .git; setup.txt files name this commit.
  echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')" >$gpu/COMMIT
  cp -r opencl/$target/classes opencl/$target/test-classes $gpu/opencl-tests/
  # Fashion-MNIST for the training runs, cut to its first 30000 training images so the carried
  # tree stays under the device tool's 64 MiB (samples/s does not depend on the set's length).
  local fashion=/usr/share/datasets/fashion-mnist
  if [[ -d $fashion ]]; then
    rm -rf $gpu/fashion-mnist && mkdir -p $gpu/fashion-mnist
    cp $fashion/t10k-* $gpu/fashion-mnist/
    python3 - "$fashion" "$gpu/fashion-mnist" <<'PY'
import gzip, struct, sys
source, target = sys.argv[1], sys.argv[2]
kept = 30000
for name, header_words, row_bytes in (("train-images-idx3-ubyte.gz", 4, 784), ("train-labels-idx1-ubyte.gz", 2, 1)):
    with gzip.open(source + "/" + name) as f:
        header = list(struct.unpack(">%dI" % header_words, f.read(4 * header_words)))
        header[1] = kept
        body = f.read(kept * row_bytes)
    with gzip.open(target + "/" + name, "wb", compresslevel=6) as f:
        f.write(struct.pack(">%dI" % header_words, *header) + body)
PY
  fi
  # The cores stage's core-distances.txt: the GPU machine may have no compiler.
  mkdir -p $gpu/bin
  if command -v cc >/dev/null; then
    cc -O2 -static -s -pthread -o $gpu/bin/round-trip benchmarks/placement/round-trip.c
  fi
  ../shared/gpu/make-runtime.sh
  echo "prepared $gpu ($(du -sh $gpu | cut -f1)); carry it to the GPU machine and run there: bash benchmarks/gpu-run.sh all OUTDIR"
}

# Unpacks the runtime, registers the NVIDIA ICD when needed and lists the devices (on-gpu.sh).
on_gpu() {
  bash $gpu/on-gpu.sh true
  export JAVA_HOME=/tmp/jre PATH=/tmp/jre/bin:$PATH
  mkdir -p "$out"
  { nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"; } \
    | tee "$out/card.txt"
}

tests() {
  on_gpu
  # CI=true: a missing device fails instead of skipping. The tuning test writes to a temp dir.
  CI=true java "${flags[@]}" -cp "$gpu/opencl-tests/classes:$gpu/opencl-tests/test-classes:$gpu/opencl-tests/lib/*" \
    dev.bp4j.opencl.StandaloneTestRun "$out/opencl-tests.txt" "$@"
}

tune() {
  on_gpu
  java "${flags[@]}" -jar $gpu/lib/bp4j.jar devices 2>&1 | tee "$out/devices.txt"
  java "${flags[@]}" -jar $gpu/lib/bp4j.jar tune --backend opencl 2>&1 | tee "$out/tune.txt"
  cp ~/.cache/bp4j/opencl-gemm.properties "$out/" 2>/dev/null || true
}

bench() {
  on_gpu
  local cache=~/.cache/bp4j/opencl-gemm.properties
  if [[ -n ${TUNED:-} ]]; then
    mkdir -p ~/.cache/bp4j && cp "$TUNED" "$cache"
  elif [[ ! -f $cache && -f $out/opencl-gemm.properties ]]; then
    mkdir -p ~/.cache/bp4j && cp "$out/opencl-gemm.properties" "$cache"
  fi
  [[ -f $cache ]] && { echo "gemm tiles from $cache:"; cat "$cache"; } || echo "untuned: default gemm tiles"
  local jmh=(java "${flags[@]}" -jar $gpu/lib/benchmarks.jar -p backend=opencl -f 1 -wi 2 -w 1 -i 3 -r 1)
  # 1 product per wait as a caller sees it, 8 to time the kernel as cuBLAS back to back is timed.
  "${jmh[@]}" GemmBenchmark -p n=1024,2048,4096 -p productsPerSync=1,8 -rf json -rff "$out/gemm.json" 2>&1 | tee "$out/gemm.txt"
  "${jmh[@]}" ElementwiseBenchmark -p size=67108864 -rf json -rff "$out/elementwise.json" 2>&1 | tee "$out/elementwise.txt"
  # Dashes, not commas: JMH splits a -p value at commas.
  for shape in "784-256-256-10 128" "784-1024-1024-10 1024" "784-4096-4096-10 4096"; do
    set -- $shape
    "${jmh[@]}" TrainingStepBenchmark -p layers="$1" -p batch="$2" -p activation=sigmoid \
      -rf json -rff "$out/training-$1-$2.json" 2>&1 | tee "$out/training-$1-$2.txt"
  done
}

# PyTorch on CUDA, measured in the same session: cuBLAS SGEMM and elementwise bandwidth, then the
# three MLPs (same layers, batch, optimizer and data as `train`).
peers() {
  on_gpu
  (cd benchmarks/peers && PYTHONUNBUFFERED=1 python3 cuda_kernels.py --json "$out/peer-kernels.json") 2>&1 \
    | tee "$out/peer-kernels.txt"
  local shape
  for shape in "784,256,256,10 128 5" "784,1024,1024,10 1024 5" "784,4096,4096,10 4096 5"; do
    set -- $shape
    PYTHONUNBUFFERED=1 python3 benchmarks/peers/torch_mlp.py --device cuda --data "${FASHION:-$gpu/fashion-mnist}" \
      --layers "$1" --batch "$2" --epochs "$3" --lr 0.1 --json "$out/peer-training-${1//,/-}-$2.json" 2>&1 \
      | tee "$out/peer-training-${1//,/-}-$2.txt"
  done
}

# The CLI's own report (samples/s, kernel launches and transfers per step) on the three MLPs.
train() {
  on_gpu
  local shape
  for shape in "784,256,256,10 128 5" "784,1024,1024,10 1024 5" "784,4096,4096,10 4096 5"; do
    set -- $shape
    java "${flags[@]}" -jar $gpu/lib/bp4j.jar train --backend opencl --strict --data "${FASHION:-$gpu/fashion-mnist}" \
      --layers "$1" --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch "$2" --epochs "$3" \
      --report "$out/train-${1//,/-}-$2.json" 2>&1 | tee "$out/train-${1//,/-}-$2.txt"
  done
}

# The cpu backend against PyTorch CPU on this machine's cores (issue 21's many-core table), with
# the carried runtime and the same JVM flags as the other stages; nothing else runs, so no lock.
cores() {
  on_gpu
  BP4J="java @$root/jvm.options -jar $root/$gpu/lib/bp4j.jar" DATA=${FASHION:-$root/$gpu/fashion-mnist} \
    PYTHON=${PYTHON:-python3} LOCK='' COMMIT=$(cat $gpu/COMMIT 2>/dev/null || echo unknown) \
    ROUND_TRIP=$([[ -x $gpu/bin/round-trip ]] && echo "$root/$gpu/bin/round-trip") \
    bash benchmarks/cores-table.sh "$out/cores" "$@"
}

# Every stage under its own cap, so one that hangs still leaves time for the rest; the caps fit
# one device call. cores is not among them: its defaults need 4-7 minutes on 16 cores, a call of
# their own (cut short, OUTDIR/cores keeps every finished run, and benchmarks/cores_table.py
# OUTDIR/cores makes the table from them). tune prints each candidate as it goes, so a cut one
# still shows them.
everything() {
  local archive=${1:-} budget
  # tune first: the tests then check the tiles it chose, and GemmTuningTest's own search is skipped.
  # Not cores: its cap alone would take all past one device call's 600 s; it is a call of its own.
  for budget in "tune 170" "tests 100 GemmTuningTest" "bench 150" "train 40" "peers 70"; do
    set -- $budget
    echo "== $1 (at most $2 s)"
    local started=$SECONDS
    timeout --kill-after=5 "$2" bash "$0" "$1" "$out" "${@:3}" || echo "== $1 ended with status $?"
    echo "== $1 took $((SECONDS - started)) s"
    # After every stage, so a call cut short still brings back what was measured.
    if [[ -n $archive ]]; then
      tar -C "$out" -czf "$archive" --exclude "$(basename "$archive")" .
    fi
  done
}

if [[ $stage != prepare ]]; then
  out=${2:?"gpu-run.sh $stage: give the output folder as the second argument (see the top of $0)"}
  out=$(mkdir -p "$out" && cd "$out" && pwd)
  shift 2
fi
case "$stage" in
  prepare) prepare ;;
  tests) tests "$@" ;;
  tune) tune ;;
  bench) bench ;;
  peers) peers ;;
  train) train ;;
  cores) cores "$@" ;;
  all) everything "$@" ;;
  *) echo "gpu-run.sh: expected prepare, tests, tune, bench, peers, train, cores or all, got '$stage' (see the top of $0)" >&2; exit 2 ;;
esac
