#!/usr/bin/env bash
# Prints which processor this is, for the setup line of a measurement: the model name and, because
# a VM's name may be only the vendor's ("AMD EPYC"), the family and model numbers that tell its
# generation apart (AMD family 25 is Zen 3/4, 26 Zen 5), and the widest vector extension.
# Usage: "$root/benchmarks/cpu-id.sh"
set -euo pipefail
field() { { grep -m1 "^$1[[:space:]]*:" /proc/cpuinfo || true; } | cut -d: -f2- | xargs; }
flags=$(field flags)
widest=SSE
for isa in avx2 avx512f; do
  [[ " $flags " == *" $isa "* ]] && widest=${isa^^}
done
echo "$(field 'model name'), family $(field 'cpu family') model $(field model), $widest"
