#!/usr/bin/env bash
# Where this machine's processors sit relative to each other: the groups of processors that share
# a last-level cache (sysfs), and how long a cache line takes from the first processor this
# process may use to each other one and back (round-trip.c; the median of its bursts over 0.1 s).
# Cores that share a cache answer in tens of ns, cores of another CCD or socket in hundreds, and
# training threads split across them pay that on every operation
# (docs/measurements/epyc2-2026-12-05/placement/). A virtual machine's answer holds only while
# the host keeps its vCPUs where they are.
#
# Usage: benchmarks/placement/core-distances.sh [ROUND_TRIP]
#   ROUND_TRIP: a built round-trip.c (default: built here with cc; with neither, only the cache
#   groups are printed)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The processors in a list such as 0-3,8,10-11, one per line.
expand() {
  local part
  for part in ${1//,/ }; do
    if [[ $part == *-* ]]; then
      seq "${part%-*}" "${part#*-}"
    else
      echo "$part"
    fi
  done
}

level=0
groups=()
for cache in /sys/devices/system/cpu/cpu[0-9]*/cache/index[0-9]*; do
  [[ -r $cache/level && -r $cache/shared_cpu_list ]] || continue
  this=$(<"$cache/level")
  if (( this > level )); then
    level=$this
    groups=()
  fi
  (( this == level )) && groups+=("$(<"$cache/shared_cpu_list")")
done
if (( level > 0 )); then
  echo "level-$level cache groups: $(printf '%s\n' "${groups[@]}" | sort -un -t- -k1,1 | paste -sd'|' | sed 's/|/ | /g')"
else
  echo "level-$level cache groups: unknown (no cache in sysfs)"
fi

probe=${1:-}
if [[ -z $probe ]]; then
  if ! command -v cc >/dev/null; then
    echo "round trips: left out (no ROUND_TRIP given and no cc to build round-trip.c)"
    exit 0
  fi
  probe=$(mktemp)
  trap 'rm -f "$probe"' EXIT
  cc -O2 -pthread -o "$probe" "$here/round-trip.c"
fi
cpus=($(expand "$(awk '/^Cpus_allowed_list/ { print $2 }' /proc/self/status)"))
line="round trip from processor ${cpus[0]}, ns:"
for cpu in "${cpus[@]:1}"; do
  ns=$("$probe" 0.1 1 "${cpus[0]}" "$cpu" | awk '{ print $2 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  line+=" $cpu:$ns"
done
echo "$line"
