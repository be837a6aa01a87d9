#!/usr/bin/env bash
# Prints the setup lines a comparison names in its setup.txt: the processor (cpu-id.sh), the code
# of ROOT, and, when given, the code of BASELINE. The code is the commit a COMMIT file names, for
# an unpacked copy (a baseline from `git archive`, which carries no .git), or else the git commit,
# marked when files differ from it.
# Usage: "$root/benchmarks/measured-on.sh" ROOT [BASELINE]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

code() {
  local commit
  if [[ -f $1/COMMIT ]]; then
    cat "$1/COMMIT"
  elif commit=$(git -C "$1" rev-parse --short HEAD 2>/dev/null); then
    git -C "$1" diff --quiet HEAD 2>/dev/null || commit+=" (with uncommitted changes)"
    echo "$commit"
  else
    echo unknown
  fi
}

echo "cpu: $("$here/cpu-id.sh")"
echo "commit: $(code "$1")"
if [[ -n ${2:-} ]]; then
  echo "baseline: $2 at $(code "$2")"
fi
