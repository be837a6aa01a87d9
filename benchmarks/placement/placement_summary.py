#!/usr/bin/env python3
"""Summarises a placement-comparison.sh folder: which placement of the two vCPUs (round-trip
under FAR_NS: a shared last-level cache; above: apart) each epoch of each run ran on, and the
two-thread ÷ one-thread ratio of each placement, over steady epochs (2 on) and over whole runs
that ran on one placement throughout; the wall time of each run from its process's start; and
epoch 1 against the later epochs (what the JIT still compiles then).

An epoch's span is its samples ÷ its rate, ending at the time its line came; its placement is
that of the median probe reading within the span. A run is "near" or "far" when every epoch is,
"mixed" otherwise.

Usage: benchmarks/placement/placement_summary.py OUTDIR
"""
import pathlib
import re
import statistics
import sys

FAR_NS = 250

out = pathlib.Path(sys.argv[1])
probe = [tuple(map(float, line.split())) for line in (out / "round-trip.txt").read_text().split("\n") if line.strip()]


def placement(start, end):
    readings = [ns for t, ns in probe if start <= t <= end]
    if not readings:
        return "unknown"
    return "far" if statistics.median(readings) > FAR_NS else "near"


def number(text):
    return float(text.replace(",", ""))


runs = []
for log in sorted(out.glob("round-*-issue3-*t.txt")):
    # round-R-issue3-Tt.txt, or round-R-issue3-NAME-Tt.txt for a variant (VARIANTS).
    match = re.fullmatch(r"round-(\d+)-issue3-(?:([a-z0-9]+)-)?(\d+)t\.txt", log.name)
    lines = [line.split(" ", 1) for line in log.read_text().splitlines() if " " in line]
    closing = next(((float(t), rest) for t, rest in lines if " epochs, batch " in rest), None)
    if closing is None:
        print(f"{log.name}: no closing line, left out")
        continue
    closed, total = closing
    epochs_run, seconds, whole = re.search(r": (\d+) epochs, .* in ([\d.]+) s \(([\d,]+) samples/s", total).groups()
    samples_per_epoch = number(whole) * float(seconds) / int(epochs_run)
    epochs = []
    for t, rest in lines:
        found = re.match(r"epoch\s+(\d+)/\d+ .* ([\d,]+) samples/s\s*$", rest)
        if found:
            rate = number(found.group(2))
            epochs.append((int(found.group(1)), rate, placement(float(t) - samples_per_epoch / rate, float(t))))
    kinds = {p for _, _, p in epochs}
    # From the process's start (a line the script writes first, in folders from before it absent)
    # to the closing line: JVM start, data, warm-up and training.
    started = next((float(t) for t, rest in lines if rest == "started"), None)
    runs.append({"round": int(match.group(1)), "variant": match.group(2) or "", "threads": int(match.group(3)),
                 "whole": number(whole), "wall": closed - started if started is not None else None,
                 "epochs": epochs, "kind": kinds.pop() if len(kinds) == 1 else "mixed"})

far = sum(ns > FAR_NS for _, ns in probe)
print(f"probe: {len(probe)} readings, {far} of them over {FAR_NS} ns (far); "
      f"near median {statistics.median([ns for _, ns in probe if ns <= FAR_NS] or [0]):.0f} ns, "
      f"far median {statistics.median([ns for _, ns in probe if ns > FAR_NS] or [0]):.0f} ns")
print()
print("run                 placement  whole run  epochs (samples/s, n = near, f = far)")
for r in sorted(runs, key=lambda r: (r["round"], r["variant"], r["threads"])):
    shown = " ".join(f"{rate / 1000:.0f}{p[0]}" for _, rate, p in r["epochs"])
    name = f"{r['variant']} " if r["variant"] else ""
    print(f"round {r['round']:2d}, {name}{r['threads']} thread{'s' if r['threads'] > 1 else ' '}  {r['kind']:9s}  {r['whole']:9,.0f}  {shown}")
print()


def label(variant, threads):
    return f"{variant or 'this code'}, {threads} thread{'s' if threads > 1 else ''}"


def spread(values):
    values = sorted(values)
    return f"{statistics.median(values):.2f} ({values[0]:.2f}–{values[-1]:.2f}, {len(values)})" if values else "none"


steady = {}
for r in runs:
    for epoch, rate, p in r["epochs"]:
        if epoch > 1:
            steady.setdefault((r["variant"], r["threads"], p), []).append(rate)
variants = sorted({r["variant"] for r in runs if r["threads"] > 1})
print("steady epochs (2 on), median samples/s (epochs), and ÷ 1 thread:")
for p in ("near", "far"):
    one = steady.get(("", 1, p), [])
    line = f"  {p}: 1 thread " + (f"{statistics.median(one):,.0f} ({len(one)})" if one else "none")
    for variant in variants:
        two = steady.get((variant, 2, p), [])
        line += f"; {label(variant, 2)} " + (f"{statistics.median(two):,.0f} ({len(two)})" if two else "none")
        if one and two:
            line += f", {statistics.median(two) / statistics.median(one):.2f}"
    print(line)
print()
walls = {}
for r in runs:
    if r["wall"] is not None:
        walls.setdefault((r["variant"], r["threads"]), []).append(r["wall"])
if walls:
    print("wall time from the process's start to its last line, s, median (min–max, runs):")
    for (variant, threads), values in sorted(walls.items()):
        print(f"  {label(variant, threads)}: {spread(values)}")
    print()
print("epoch 1 ÷ the median of epochs 2 on, runs near throughout, median (min–max, runs):")
for variant in [""] + [v for v in variants if v]:
    for threads in (1, 2):
        shares = [r["epochs"][0][1] / statistics.median([rate for _, rate, _ in r["epochs"][1:]]) for r in runs
                  if r["variant"] == variant and r["threads"] == threads and r["kind"] == "near" and len(r["epochs"]) > 1]
        if shares:
            print(f"  {label(variant, threads)}: {spread(shares)}")
print()
print("whole runs, 2 threads ÷ 1 thread of the same round, by the 2-thread run's placement: median (min–max, rounds)")
by_round = {(r["round"], r["variant"], r["threads"]): r for r in runs}
for variant in variants:
    for kind in ("near", "far", "mixed"):
        ratios = [r["whole"] / by_round[(r["round"], "", 1)]["whole"] for r in runs
                  if r["variant"] == variant and r["threads"] == 2 and r["kind"] == kind and (r["round"], "", 1) in by_round]
        print(f"  {variant or 'this code'}, {kind}: {spread(ratios)}")
