#!/usr/bin/env python3
"""Summarises per-operation profiles of two-thread runs by the placement of the two vCPUs.

The profiled build (the patch in docs/measurements/epyc2-2026-12-05/cores-op-profile-placement/)
prints, every 500 ms, one stamped line per operation run in that interval on the calling thread:
"P <unix ms> TAB <operation> TAB <calls> TAB <total ns>", and clears its totals. Each run-N.err
holds those lines and probe-N.txt the round-trip probe's readings ("UNIX_TIME NS") beside it.

An interval counts as near when every probe reading in it is under FAR_NS, far when every one is
over, and is left out when mixed, when it has fewer than three readings, or when no layer-1
forward product of a full batch ran in it (the warm-up). Per operation: wall time per training
step, the step count being the number of full-batch layer-1 forward products. Folded operations
(a product inside its kernel's job) are listed under both names.

Usage: benchmarks/placement/op_profile_summary.py DIR RUN... [--one-placement]
  --one-placement: count every interval as near (a one-thread run, which placement does not touch).
"""
import collections
import pathlib
import sys

FAR_NS = 250
STEP_MARKER = "GEMM 128x256x784 Bt"

args = [a for a in sys.argv[1:] if not a.startswith("--")]
one_placement = "--one-placement" in sys.argv
if len(args) < 2:
    sys.exit(__doc__.rsplit("Usage: ", 1)[1])
folder = pathlib.Path(args[0])
totals = {"near": collections.defaultdict(lambda: [0, 0]), "far": collections.defaultdict(lambda: [0, 0])}
seconds = {"near": 0.0, "far": 0.0}
for run in args[1:]:
    probe = [tuple(map(float, line.split())) for line in (folder / f"probe-{run}.txt").read_text().splitlines() if line.strip()]
    intervals = collections.defaultdict(list)
    for line in (folder / f"run-{run}.err").read_text().splitlines():
        if line.startswith("P "):
            stamp, name, calls, nanos = line[2:].split("\t")
            intervals[int(stamp) / 1000].append((name, int(calls), int(nanos)))
    for end, operations in sorted(intervals.items()):
        readings = [ns for t, ns in probe if end - 0.5 < t <= end]
        if len(readings) < 3 or not any(name == STEP_MARKER for name, _, _ in operations):
            continue
        if one_placement or all(ns < FAR_NS for ns in readings):
            placement = "near"
        elif all(ns > FAR_NS for ns in readings):
            placement = "far"
        else:
            continue
        seconds[placement] += 0.5
        for name, calls, nanos in operations:
            total = totals[placement][name]
            total[0] += calls
            total[1] += nanos

steps = {p: totals[p][STEP_MARKER][0] for p in totals}
print(f"intervals: near {seconds['near']:.1f} s, {steps['near']} steps; far {seconds['far']:.1f} s, {steps['far']} steps")


def per_step(placement, name):
    return totals[placement][name][1] / 1e3 / steps[placement] if steps[placement] else 0.0


names = sorted(set(totals["near"]) | set(totals["far"]), key=lambda n: -max(per_step("near", n), per_step("far", n)))
print(f"{'operation':60s} {'near µs/step':>13s} {'far µs/step':>12s} {'far − near':>11s}")
for name in names:
    near, far = per_step("near", name), per_step("far", name)
    if max(near, far) >= 3:
        print(f"{name:60s} {near:13.1f} {far:12.1f} {far - near:11.1f}")
for placement in ("near", "far"):
    if steps[placement]:
        print(f"{placement}: wall time per step, evaluation included: {seconds[placement] * 1e6 / steps[placement]:.0f} µs")
