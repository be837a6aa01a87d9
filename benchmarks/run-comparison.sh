#!/usr/bin/env bash
# One comparison run: the JMH subset that docs/performance.md quotes, for every usable backend,
# and the peers (OpenBLAS SGEMM through numpy, a numpy array copy, PyTorch training the same
# MLP) on the same shapes and thread counts, one after the other on the same machine, so the
# ratios come from one run. Writes OUT/comparison.md and keeps every raw result beside it.
#
# Usage: benchmarks/run-comparison.sh [--backends cpu,opencl] [--sizes 256,1024] [--threads 1,2]
#                                     [--epochs 2] [--quick] [--no-torch] [--out DIR]
# Environment: BENCH_JAR (default benchmarks/target/benchmarks.jar, built when missing),
#              BENCH_CLASSPATH (extra jars for the JMH JVMs, e.g. a backend built elsewhere),
#              PYTHON (default /usr/bin/python3: Debian's numpy + OpenBLAS and PyTorch).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/java-home.sh"

backends=""
sizes="256,1024"
threads="1,2"
epochs=2
quick=false
torch=true
out="$root/out/comparison-$(date -u +%Y%m%d-%H%M%S)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --backends) backends=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --quick) quick=true; shift ;;
    --no-torch) torch=false; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "run-comparison.sh: unknown argument '$1' (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done

python=${PYTHON:-/usr/bin/python3}
jar=${BENCH_JAR:-$root/benchmarks/target/benchmarks.jar}
if [[ ! -f "$jar" ]]; then
  echo "run-comparison.sh: building $jar" >&2
  (cd "$root" && mvn -q -B -DskipTests -pl benchmarks -am package)
fi
classpath="$jar${BENCH_CLASSPATH:+:$BENCH_CLASSPATH}"
java_flags=("@$root/jvm.options")
mkdir -p "$out"

if [[ -z "$backends" ]]; then
  # Every usable backend except the scalar reference, which would take minutes per large product.
  backends=$("$JAVA_HOME/bin/java" "${java_flags[@]}" -cp "$classpath" dev.bp4j.benchmarks.UsableBackends \
               2> >(grep -v '^WARNING: Using incubator' >&2) | grep -vx reference | paste -sd, -)
  if [[ -z "$backends" ]]; then
    echo "run-comparison.sh: no backend but reference is usable here; benchmarking reference at small sizes" >&2
    backends=reference
  fi
fi
echo "run-comparison.sh: backends $backends, sizes $sizes, threads $threads; results in $out" >&2

if $quick; then
  iterations=(-wi 2 -w 1 -i 3 -r 1)
else
  iterations=(-wi 3 -w 2 -i 5 -r 2)
fi
jmh() {
  local name=$1; shift
  "$JAVA_HOME/bin/java" "${java_flags[@]}" -cp "$classpath" dev.bp4j.benchmarks.BenchmarkMain "$@" \
    -p backend="$backends" "${iterations[@]}" -rf json -rff "$out/jmh-$name.json" >"$out/jmh-$name.log" 2>&1 \
    || { echo "run-comparison.sh: JMH $name failed; see $out/jmh-$name.log" >&2; tail -n 20 "$out/jmh-$name.log" >&2; exit 1; }
  echo "run-comparison.sh: JMH $name done" >&2
}
jmh gemm '\.GemmBenchmark\.' -p n="$sizes" -p threads="$threads"
jmh layer-products 'LayerProductsBenchmark' -p threads="$threads"
jmh elementwise 'ElementwiseBenchmark'
jmh dense-forward 'DenseForwardBenchmark'
jmh training 'TrainingStepBenchmark' -p threads=2

peers=()
# OpenBLAS picks an older kernel when these are set (see the environment notes): unset for this run only.
for t in ${threads//,/ }; do
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$root/benchmarks/peers/openblas_sgemm.py" \
    --threads "$t" --sizes "$sizes" --json "$out/openblas-$t.json" | tee "$out/openblas-$t.log" >&2
  peers+=("$out/openblas-$t.json")
done
"$python" "$root/benchmarks/peers/memory_bandwidth.py" --json "$out/bandwidth.json" | tee "$out/bandwidth.log" >&2
peers+=("$out/bandwidth.json")
if $torch; then
  "$python" "$root/benchmarks/peers/torch_mlp.py" --threads 2 --epochs "$epochs" --json "$out/pytorch.json" \
    | tee "$out/pytorch.log" >&2
  peers+=("$out/pytorch.json")
fi

"$python" "$root/benchmarks/comparison_report.py" --jmh "$out"/jmh-*.json --peers "${peers[@]}" \
  --command "benchmarks/run-comparison.sh --backends $backends --sizes $sizes --threads $threads --epochs $epochs$($quick && echo ' --quick')" \
  >"$out/comparison.md"
cat "$out/comparison.md"
echo "run-comparison.sh: wrote $out/comparison.md" >&2
