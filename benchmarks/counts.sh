# Sourced by the comparison scripts. require_counts SCRIPT NAME=VALUE...: exits with status 2 and
# one line naming the first setting whose value is not a positive whole number.
require_counts() {
  local script=$1 setting
  shift
  for setting in "$@"; do
    if ! [[ ${setting#*=} =~ ^[1-9][0-9]*$ ]]; then
      echo "$script: ${setting%%=*}: expected a positive whole number, got '${setting#*=}'" >&2
      exit 2
    fi
  done
}
