#!/usr/bin/env bash
# The many-core table of issue 21: samples/s of the cpu backend and of PyTorch CPU at each thread
# count, and bp4j's parallel efficiency rate(T) / (T · rate(1)). For every model (784-256-256-10
# and 784-1024-1024-10; sigmoid, softmax-ce, momentum 0.9, lr 0.1, Fashion-MNIST, as
# benchmarks/cores-comparison.sh trains them) × batch (1024 first: the issue's efficiency bar is
# set there, so a cut-short run still has it, then 128) × thread count, it trains with
# `bp4j train --backend cpu --threads T`, then with PyTorch (benchmarks/peers/torch_mlp.py
# --threads T, which unsets the variables that force an OpenBLAS kernel, with its BLAS's pools
# held to T threads as well), EPOCHS epochs each,
# the whole table ROUNDS times (interleaved: round 2 starts after round 1's last run).
#
# Usage: benchmarks/cores-table.sh OUTDIR [ROUNDS]   (ROUNDS default 1)
# Writes into OUTDIR (created): every run's raw output (round-R-TOOL-MODEL-bBATCH-Tt.txt),
# rates.tsv (samples/s over the whole run, the first epoch included, and over the last epoch),
# setup.txt (machine, commit, Java, PyTorch and its threading configuration) and table.md
# (benchmarks/cores_table.py OUTDIR), and core-distances.txt (benchmarks/placement/core-distances.sh:
# which processors share a last-level cache, and a cache line's round trip between them, since
# threads of one product spread over two caches pay for every row the other wrote). A run that fails is reported and left out of rates.tsv;
# the others still run, and the script then exits non-zero.
#
# Environment:
#   THREAD_COUNTS  default: 1 2 4 8 16 up to the cores (nproc), plus nproc when it is not one of them
#   EPOCHS         epochs per run (default 2); with one, the last epoch is the whole run
#   DATA           folder of the Fashion-MNIST IDX files, given to both tools (default: the first
#                  of bp4j's places, /usr/share/datasets/fashion-mnist, ~/.cache/bp4j/fashion-mnist,
#                  ./data/fashion-mnist, that has them); a folder with fewer training images (the
#                  GPU machine's .gpu/fashion-mnist has 30000) changes no rate, only the time
#   BP4J           the command that runs bp4j, split at spaces (default: this checkout's ./bp4j;
#                  benchmarks/gpu-run.sh's `cores` stage: java @jvm.options -jar .gpu/lib/bp4j.jar)
#   PYTHON         the Python with torch (default /usr/bin/python3 when it exists, else python3)
#   LOCK           a file flock(1)ed around each model × batch group of runs, shared with whoever
#                  else measures on the machine (default /tmp/bp4j-cpu.lock; empty: no lock)
#   COMMIT         what setup.txt names as the commit when the checkout has no .git
#   ROUND_TRIP     a built benchmarks/placement/round-trip.c for core-distances.txt (default:
#                  built with cc where there is one; without either, core-distances.txt has only
#                  the cache groups)
#
# Time: one thread trains 784-256-256-10 at ~70k samples/s and 784-1024-1024-10 at ~8-10k on the
# 2-core EPYC box (PyTorch alike); each bp4j run also pays ~3 s of JVM start, data load and
# warm-up (~6 s for 784-1024-1024-10 on one thread), each PyTorch run ~2 s. With the defaults, 60000
# training images and two epochs, a 16-core host needs about 4 minutes if the threads scale and
# about 6 if neither tool gains past 4 threads; the 2-core box about 3 minutes. Hence every model
# runs the full set and EPOCHS epochs: no subset, no model trained shorter.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ $# -lt 1 || $# -gt 2 || $1 == -* ]]; then
  echo "usage: benchmarks/cores-table.sh OUTDIR [ROUNDS] (environment: see the top of the script)" >&2
  exit 2
fi
out=$1
rounds=${2:-1}
epochs=${EPOCHS:-2}
source "$root/benchmarks/counts.sh"
require_counts cores-table.sh "ROUNDS=$rounds" "EPOCHS=$epochs"

# GNU nproc answers OMP_NUM_THREADS when it is set; the table wants the cores this process may use.
cores=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)
if [[ -n ${THREAD_COUNTS:-} ]]; then
  read -ra thread_counts <<<"$THREAD_COUNTS"
else
  thread_counts=()
  for t in 1 2 4 8 16; do
    (( t <= cores )) && thread_counts+=("$t")
  done
  [[ " ${thread_counts[*]} " == *" $cores "* ]] || thread_counts+=("$cores")
fi
for t in "${thread_counts[@]}"; do
  if ! [[ $t =~ ^[1-9][0-9]*$ ]]; then
    echo "cores-table.sh: THREAD_COUNTS: expected positive whole numbers separated by spaces, got '${THREAD_COUNTS:-}'" >&2
    exit 2
  fi
done

if [[ -n ${DATA:-} ]]; then
  data=$DATA
else
  data=
  for place in /usr/share/datasets/fashion-mnist ~/.cache/bp4j/fashion-mnist ./data/fashion-mnist; do
    if [[ -f $place/train-images-idx3-ubyte.gz ]]; then
      data=$place
      break
    fi
  done
  [[ -n $data ]] || { echo "cores-table.sh: no Fashion-MNIST in bp4j's places; set DATA to a folder of its four IDX files" >&2; exit 2; }
fi
[[ -f $data/train-images-idx3-ubyte.gz ]] || { echo "cores-table.sh: DATA=$data: no train-images-idx3-ubyte.gz there; expected a folder of Fashion-MNIST's four IDX files" >&2; exit 2; }
data=$(cd "$data" && pwd)

read -ra bp4j_command <<<"${BP4J:-$root/bp4j}"
if [[ -n ${PYTHON:-} ]]; then
  python=$PYTHON
elif [[ -x /usr/bin/python3 ]]; then
  python=/usr/bin/python3
else
  python=python3
fi
lock=${LOCK-/tmp/bp4j-cpu.lock}

locked() {
  if [[ -n $lock ]]; then
    flock "$lock" "$@"
  else
    "$@"
  fi
}

# First, outside any timing: ./bp4j builds its jar when it is stale; both tools must start.
version=$(locked "${bp4j_command[@]}" --version) || { echo "cores-table.sh: '${bp4j_command[*]} --version' failed; set BP4J to the command that runs bp4j" >&2; exit 1; }
torch_setup=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" "$python" -c '
import torch
print("torch", torch.__version__, " get_num_threads:", torch.get_num_threads(), " get_num_interop_threads:", torch.get_num_interop_threads())
print(torch.__config__.parallel_info().strip())
print(torch.__config__.show().strip())
') || { echo "cores-table.sh: $python cannot import torch; set PYTHON to a Python that has it" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
rates="$out/rates.tsv"

if commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
  git -C "$root" diff --quiet HEAD || commit+=" (with uncommitted changes)"
else
  commit=${COMMIT:-unknown}
fi
{
  echo "date: $(date -u +%FT%TZ)  host: $(uname -n)  nproc: $cores  processors: $(grep -c ^processor /proc/cpuinfo)"
  echo "cpu: $("$root/benchmarks/cpu-id.sh")"
  lscpu 2>/dev/null | grep -E '^(Thread|Core|Socket|NUMA node\(s\)|L[23])' || true
  echo "commit: $commit"
  echo "bp4j: ${bp4j_command[*]}  →  $version"
  echo "python: $python"
  echo "data: $data ($(( $(gzip -dc "$data/train-labels-idx1-ubyte.gz" | wc -c) - 8 )) training images)"
  echo "thread counts: ${thread_counts[*]}  epochs: $epochs  rounds: $rounds"
  echo "bp4j: train --backend cpu --threads T --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1"
  echo "PyTorch: benchmarks/peers/torch_mlp.py --threads T with OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS = T (OMP_WAIT_POLICY passive unless set; OpenBLAS overrides unset); its configuration:"
  echo "$torch_setup"
} >"$out/setup.txt"
"$root/benchmarks/placement/core-distances.sh" ${ROUND_TRIP:-} >"$out/core-distances.txt" 2>&1 ||
  echo "cores-table.sh: core-distances.sh failed (see $out/core-distances.txt); the table goes on" >&2

printf 'round\ttool\tmodel\tbatch\tthreads\tsamples_per_s\tlast_epoch_samples_per_s\n' >"$rates"
failures=0

# The last number before " samples/s" on the last line matching PATTERN in LOG, commas dropped.
rate_in() {
  { grep -E "$1" "$2" | tail -n 1 | grep -oE '[0-9,]+ samples/s' | tail -n 1 | grep -oE '^[0-9,]+' | tr -d ,; } || true
}

# measure TOOL MODEL BATCH THREADS COMMAND...: one run, its log, its rates.tsv row.
measure() {
  local tool=$1 model=$2 batch=$3 t=$4
  shift 4
  local log="$out/round-$round-$tool-$model-b$batch-${t}t.txt"
  local whole last
  if "$@" >"$log" 2>&1; then
    if [[ $tool == bp4j ]]; then
      # "fashion-mnist: 2 epochs, batch 128, in 1.80 s (66,512 samples/s, ..." and "epoch 2/2 ... 69,843 samples/s"
      whole=$(rate_in '\([0-9,]+ samples/s' "$log")
      last=$(rate_in '^epoch ' "$log")
    else
      # "PyTorch training: 87531 samples/s, ..." and "epoch  2  loss ... 83189 samples/s"
      whole=$(rate_in '^PyTorch training:' "$log")
      last=$(rate_in '^epoch ' "$log")
    fi
  fi
  if [[ -n ${whole:-} && -n ${last:-} ]]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tool" "$model" "$batch" "$t" "$whole" "$last" >>"$rates"
    echo "round $round  $tool  $model  batch $batch  $t threads: $whole samples/s (last epoch $last)"
  else
    echo "cores-table.sh: $log: the run failed or printed no rate; its last lines:" >&2
    tail -n 3 "$log" >&2
    failures=$((failures + 1))
  fi
}

# group MODEL BATCH: every thread count, bp4j then PyTorch at each, one after the other.
group() {
  local model=$1 batch=$2 t
  local layers=${model//-/,}
  for t in "${thread_counts[@]}"; do
    measure bp4j "$model" "$batch" "$t" "${bp4j_command[@]}" train --backend cpu --threads "$t" --data "$data" \
      --layers "$layers" --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 \
      --batch "$batch" --epochs "$epochs"
    # torch.set_num_threads (--threads) binds PyTorch's own pool, not the BLAS it multiplies with:
    # Debian's torch calls OpenBLAS, whose pthreads take every core whatever --threads says, so
    # "one thread" was two cores here. The BLAS pools get T too, so each column is T cores.
    measure torch "$model" "$batch" "$t" env OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" MKL_NUM_THREADS="$t" \
      "$python" "$root/benchmarks/peers/torch_mlp.py" --data "$data" \
      --layers "$layers" --batch "$batch" --epochs "$epochs" --lr 0.1 --momentum 0.9 --threads "$t"
  done
}

for round in $(seq "$rounds"); do
  for batch in 1024 128; do
    for model in 784-256-256-10 784-1024-1024-10; do
      if [[ -n $lock ]]; then
        exec 9>>"$lock"
        flock 9
      fi
      group "$model" "$batch"
      [[ -z $lock ]] || exec 9>&-
    done
  done
done

"$python" "$root/benchmarks/cores_table.py" "$out" | tee "$out/table.md"
if (( failures > 0 )); then
  echo "cores-table.sh: $failures runs failed; their logs are in $out" >&2
  exit 1
fi
