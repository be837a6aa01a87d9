#!/usr/bin/env python3
"""The markdown table of a benchmarks/cores-table.sh folder: per model, batch and thread count,
bp4j's and PyTorch's samples/s, bp4j ÷ PyTorch, and each tool's parallel efficiency
rate(T) ÷ (T · rate(1 thread)); then whether bp4j's efficiency at the most threads measured at
batch 1024 reaches issue 21's 0.6. Two tables: the last epoch (steady state) and the whole run
(every epoch, the first included, as each tool reports it).

Every figure is a median over the rounds; a ratio is the median of each round's ratio (both
rates from the same round, minutes apart at most), not a ratio of medians. A run missing from
rates.tsv (failed, or the script was cut short) shows as a dash.

Usage: benchmarks/cores_table.py OUTDIR  (reads OUTDIR/rates.tsv and OUTDIR/setup.txt)
"""
import csv
import pathlib
import statistics
import sys

EFFICIENCY_BAR = 0.6
BAR_BATCH = 1024
ISSUE_THREADS = 16
MEASURES = (("last epoch (steady state)", "last_epoch_samples_per_s"),
            ("whole run (every epoch, the first included)", "samples_per_s"))


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def number(value, digits=0):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


class Rates:
    """rate[(round, tool, model, batch, threads)] for one measure, and the ratios built from it."""

    def __init__(self, rows, column):
        self.rate = {(r["round"], r["tool"], r["model"], int(r["batch"]), int(r["threads"])): float(r[column])
                     for r in rows}
        self.rounds = sorted({key[0] for key in self.rate}, key=int)

    def median(self, tool, model, batch, threads):
        return median_or_none([self.rate.get((r, tool, model, batch, threads)) for r in self.rounds])

    def ratio(self, model, batch, threads):
        return median_or_none([self._divide(self.rate.get((r, "bp4j", model, batch, threads)),
                                            self.rate.get((r, "torch", model, batch, threads))) for r in self.rounds])

    def efficiency(self, tool, model, batch, threads):
        return median_or_none([self._divide(self.rate.get((r, tool, model, batch, threads)),
                                            self._times(threads, self.rate.get((r, tool, model, batch, 1))))
                               for r in self.rounds])

    @staticmethod
    def _divide(a, b):
        return a / b if a is not None and b else None

    @staticmethod
    def _times(factor, value):
        return factor * value if value is not None else None


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: benchmarks/cores_table.py OUTDIR")
    out = pathlib.Path(sys.argv[1])
    rates_file = out / "rates.tsv"
    if not rates_file.is_file():
        sys.exit(f"{rates_file}: no such file; expected the folder benchmarks/cores-table.sh wrote")
    with open(rates_file) as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    if not rows:
        sys.exit(f"{rates_file}: no runs recorded; see the run logs beside it")
    models = list(dict.fromkeys(r["model"] for r in rows))
    batches = sorted({int(r["batch"]) for r in rows})
    threads = sorted({int(r["threads"]) for r in rows})

    print("# bp4j's cpu backend and PyTorch CPU by thread count")
    print()
    setup = out / "setup.txt"
    if setup.is_file():
        for line in setup.read_text().splitlines()[:2]:
            print(f"    {line}")
        print()
    rounds = len({r["round"] for r in rows})
    print(f"Medians over {rounds} round{'s' if rounds > 1 else ''}; bp4j / PyTorch and the efficiencies are medians "
          "of each round's ratio. Efficiency at T threads = rate(T) / (T · rate(1 thread)), same tool, same round.")
    verdicts = []
    for title, column in MEASURES:
        rates = Rates(rows, column)
        print()
        print(f"## samples/s, {title}")
        print()
        print("| model | batch | threads | bp4j | PyTorch | bp4j / PyTorch | bp4j efficiency | PyTorch efficiency |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for model in models:
            for batch in batches:
                for t in threads:
                    bp4j = rates.median("bp4j", model, batch, t)
                    torch = rates.median("torch", model, batch, t)
                    if bp4j is None and torch is None:
                        continue
                    print(f"| {model} | {batch} | {t} | {number(bp4j)} | {number(torch)} | "
                          f"{number(rates.ratio(model, batch, t), 2)} | {number(rates.efficiency('bp4j', model, batch, t), 2)} | "
                          f"{number(rates.efficiency('torch', model, batch, t), 2)} |")
        for model in models:
            most = max((t for t in threads if t > 1 and rates.median("bp4j", model, BAR_BATCH, t) is not None), default=None)
            efficiency = rates.efficiency("bp4j", model, BAR_BATCH, most) if most else None
            if efficiency is None:
                verdicts.append(f"- {model}, {title}: not measured (bp4j at batch {BAR_BATCH} needs a run on 1 thread and one on more)")
            else:
                met = "met" if efficiency >= EFFICIENCY_BAR else "NOT met"
                verdicts.append(f"- {model}, {title}, {most} threads: {efficiency:.2f}: {met}")
    print()
    print(f"## Issue 21's bar: bp4j's efficiency at batch {BAR_BATCH}, most threads measured, ≥ {EFFICIENCY_BAR}")
    print()
    if threads[-1] < ISSUE_THREADS:
        print(f"This host measured at most {threads[-1]} thread{'s' if threads[-1] > 1 else ''}; "
              f"the issue sets the bar at {ISSUE_THREADS}.")
        print()
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
