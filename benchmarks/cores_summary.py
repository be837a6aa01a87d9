#!/usr/bin/env python3
"""Summarises a benchmarks/cores-comparison.sh folder: per round, each model's N-thread ÷ 1-thread
rate, bp4j ÷ PyTorch and, where the folder has baseline runs (BASELINE), N threads ÷ the baseline's N threads, over the whole run (what each tool reports, its first epoch with the JIT
still compiling included) and over the last epoch (steady state); then min, median, max.

Usage: benchmarks/cores_summary.py OUTDIR  (reads OUTDIR/rates.tsv and OUTDIR/round-*.txt)
"""
import csv
import pathlib
import re
import statistics
import sys

out = pathlib.Path(sys.argv[1])
rows = list(csv.DictReader(open(out / "rates.tsv"), delimiter="\t"))
whole, last = {}, {}
for r in rows:
    whole.setdefault(r["round"], {})[r["run"]] = float(r["samples_per_s"])
    text = (out / f"round-{r['round']}-{r['run']}.txt").read_text()
    # bp4j: "epoch 3/3 ... 97,534 samples/s"; torch_mlp.py: "epoch  3 ... 61612 samples/s".
    epochs = re.findall(r"^epoch\s+\d+.*?([\d,]+) samples/s\s*$", text, re.M)
    if epochs:
        last.setdefault(r["round"], {})[r["run"]] = float(epochs[-1].replace(",", ""))
runs = sorted({k for r in whole.values() for k in r})
threads = sorted({re.sub(r".*-(\d+)t$", r"\1", k) for k in runs
                  if k.startswith("issue3-") and not k.endswith("-1t") and "-base-" not in k})
torch = next(k for k in runs if re.fullmatch(r"torch-\d+t", k))
# PyTorch held to one core (OPENBLAS_NUM_THREADS=1), in folders from before it was added absent.
torch_one_core = "torch-1core" if "torch-1core" in runs else None


def show(label, values):
    """min, median and max of values, if there are any, and each value."""
    if not values:
        return
    values = sorted(values)
    print(f"  {label}: min {values[0]:.2f}  median {statistics.median(values):.2f}  max {values[-1]:.2f}"
          f"  ({len(values)} rounds: " + " ".join(f"{v:.2f}" for v in values) + ")")


def ratios(rates, top, bottom):
    """Run top's rate ÷ run bottom's, in every round that has both."""
    return [r[top] / r[bottom] for r in rates.values() if r.get(top) and r.get(bottom)]


for title, rates in (("whole run (as each tool reports it)", whole), ("last epoch (steady state)", last)):
    print(title)
    for t in threads:
        for model in ("issue3", "large", "digits"):
            show(f"{model}: {t} threads / 1 thread", ratios(rates, f"{model}-{t}t", f"{model}-1t"))
        show(f"issue3: bp4j {t} threads / PyTorch ({torch})", ratios(rates, f"issue3-{t}t", torch))
        if torch_one_core:
            show(f"issue3: bp4j 1 thread / PyTorch on one core ({torch_one_core})", ratios(rates, "issue3-1t", torch_one_core))
        for model in ("issue3", "large"):
            show(f"{model}: {t} threads / baseline {t} threads", ratios(rates, f"{model}-{t}t", f"{model}-base-{t}t"))
            show(f"{model}: baseline {t} threads / 1 thread", ratios(rates, f"{model}-base-{t}t", f"{model}-1t"))
        show(f"issue3: baseline {t} threads / PyTorch ({torch})", ratios(rates, f"issue3-base-{t}t", torch))
    for run in runs:
        values = sorted(r[run] for r in rates.values() if run in r)
        if values:
            print(f"  {run}: samples/s median {statistics.median(values):,.0f} (min {values[0]:,.0f}, max {values[-1]:,.0f})")
busy = {}
for r in rows:
    if r["run"].startswith("torch-"):
        text = (out / f"round-{r['round']}-{r['run']}.txt").read_text()
        m = re.search(r"cores busy: ([\d.]+) s user \+ ([\d.]+) s system over ([\d.]+) s wall", text)
        if m:
            busy.setdefault(r["run"], []).append((float(m.group(1)) + float(m.group(2))) / float(m.group(3)))
if busy:
    print("cores PyTorch kept busy, (user + system) / wall of the whole process")
    for run, values in sorted(busy.items()):
        show(run, values)
