#!/usr/bin/env bash
# pairs.sh OUT PAIRS STEPS...: PAIRS rounds, each running run-one.sh once per small-phase length in
# STEPS (two threads); OUT/pairs.tsv has per run the warm-up's wall time, each epoch's, the C2
# time started in epoch 1, and warm-up plus three epochs; OUT/run-P-STEPS.txt what run-one.sh printed.
set -euo pipefail
out=$1; pairs=$2; shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$out"
printf 'pair\tsmall_steps\twarm_up_ms\tepoch1_s\tepoch2_s\tepoch3_s\tepoch1_c2_ms\twarm_up_plus_3_epochs_s\n' >"$out/pairs.tsv"
for i in $(seq "$pairs"); do
  for s in "$@"; do
    "$here/run-one.sh" "p$s-$i" "$s" 2 >"$out/run-$i-$s.txt"
    w=$(grep -oE 'DEBUG warm-up [0-9.]+' "/tmp/w-p$s-$i.txt" | awk '{print $3}')
    e=$(grep -oE 'epoch [0-9]: [0-9.]+ s wall' "$out/run-$i-$s.txt" | awk '{print $3}' | tr '\n' '\t')
    c=$(grep -oE 'epoch 1: .*C2 [0-9.]+ ms' "$out/run-$i-$s.txt" | grep -oE 'C2 [0-9.]+' | awk '{print $2}')
    total=$(echo "$w $e" | awk '{printf "%.3f", $1 / 1000 + $2 + $3 + $4}')
    printf '%s\t%s\t%s\t%s%s\t%s\n' "$i" "$s" "$w" "$e" "$c" "$total" >>"$out/pairs.tsv"
  done
done
