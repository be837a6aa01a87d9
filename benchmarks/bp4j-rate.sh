#!/usr/bin/env bash
# Prints the samples/s over the whole run that a `bp4j train` log ends with ("… in 5.04 s
# (118,938 samples/s, …"), without commas; fails, naming the log and showing its last lines,
# when the run printed none (it failed, or was cut short).
# Usage: rate=$("$root/benchmarks/bp4j-rate.sh" LOG)
set -euo pipefail
log=$1
rate=$(tail -n 1 "$log" | grep -oE '\(([0-9,]+) samples/s' | grep -oE '[0-9,]+' | tr -d ,) || true
if [[ -z $rate ]]; then
  echo "$log has no rate; its last lines:" >&2
  tail -n 3 "$log" >&2
  exit 1
fi
echo "$rate"
