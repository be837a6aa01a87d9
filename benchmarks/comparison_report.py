#!/usr/bin/python3
"""Turns one comparison run (JMH JSON results and the peers' JSON files) into markdown tables
with ratios: bp4j SGEMM against OpenBLAS on the same shapes and threads, the memory-bound
operations against a plain numpy array copy, and a training step against PyTorch.

JMH reports throughput in ops/s; the suite's secondary metrics (gflops, gbytes, samples) are
counted per call and divided by time, so they already read as GFLOP/s, GB/s and samples/s.

Usage: comparison_report.py --jmh a.json [b.json …] --peers x.json [y.json …] [--title T] > comparison.md
"""
import argparse
import json
import os
import platform
import sys
from collections import OrderedDict


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jmh", nargs="*", default=[], help="JMH result files (-rf json)")
    parser.add_argument("--peers", nargs="*", default=[], help="JSON files written by benchmarks/peers/*.py")
    parser.add_argument("--command", default="", help="the command that produced the run, quoted in the report")
    return parser.parse_args()


def load_list(path):
    try:
        with open(path) as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        sys.exit("comparison_report.py: %s: %s" % (path, error))
    if not isinstance(data, list):
        sys.exit("comparison_report.py: %s: expected a JSON list of results" % path)
    return data


def mlp_labels(params):
    """The peers' names of the three dense-layer products, from LayerProductsBenchmark's parameters."""
    batch, inputs, outputs = int(params["batch"]), int(params["inputs"]), int(params["outputs"])
    return {
        "forward": "forward %dx%d.(%dx%d)T" % (batch, inputs, outputs, inputs),
        "weightGradient": "weightGradient (%dx%d)T.%dx%d" % (batch, outputs, batch, inputs),
        "inputGradient": "inputGradient %dx%d.%dx%d" % (batch, outputs, outputs, inputs),
    }


def threads_of(params, cores):
    threads = int(params.get("threads", "0"))
    return threads if threads > 0 else cores


class Measured:
    """A score with its JMH error (99.9% confidence half-width), printed as 'score ± error'."""

    def __init__(self, score, error=None):
        self.score = float(score)
        # JMH writes the string "NaN" when an estimate had too few iterations for an error.
        self.error = float(error) if error is not None else None

    def __str__(self):
        if self.error is None or self.error != self.error:
            return "%.1f" % self.score
        return "%.1f ± %.1f" % (self.score, self.error)


def secondary(entry, name):
    metric = entry.get("secondaryMetrics", {}).get(name)
    if metric is None:
        return None
    return Measured(metric["score"], metric.get("scoreError"))


def ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator.score <= 0:
        return "–"
    return "%.2f" % (numerator.score / denominator.score)


def collect_jmh(entries, cores):
    """Groups JMH results by table: gemm[(label, threads)][backend], bandwidth[op][backend], …"""
    gemm, bandwidth, dense, training = OrderedDict(), OrderedDict(), OrderedDict(), OrderedDict()
    machine = {}
    for entry in entries:
        machine = {"jdk": "%s %s" % (entry.get("vmName", ""), entry.get("vmVersion", entry.get("jdkVersion", "")))}
        benchmark = entry["benchmark"].rsplit(".", 2)
        clazz, method = benchmark[-2], benchmark[-1]
        params = entry.get("params", {})
        backend = params.get("backend", "?")
        if clazz == "GemmBenchmark":
            key = ("gemm n=%s" % params["n"], threads_of(params, cores))
            gemm.setdefault(key, {})[backend] = secondary(entry, "gflops")
        elif clazz == "LayerProductsBenchmark":
            key = (mlp_labels(params)[method], threads_of(params, cores))
            gemm.setdefault(key, {})[backend] = secondary(entry, "gflops")
        elif clazz == "ElementwiseBenchmark":
            key = ("%s (%s floats)" % (method, params["size"]), threads_of(params, cores))
            bandwidth.setdefault(key, {})[backend] = secondary(entry, "gbytes")
        elif clazz == "DenseForwardBenchmark":
            key = ("%s, batch %s, %s→%s" % (params["activation"], params["batch"], params["inputs"], params["outputs"]),
                   threads_of(params, cores))
            dense.setdefault(key, {})[backend] = secondary(entry, "gflops")
        elif clazz == "TrainingStepBenchmark":
            key = (params["layers"], int(params["batch"]), threads_of(params, cores))
            training.setdefault(key, {})[backend] = secondary(entry, "samples")
    return gemm, bandwidth, dense, training, machine


def backends_in(groups):
    names = []
    for group in groups:
        for by_backend in group.values():
            for name in by_backend:
                if name not in names:
                    names.append(name)
    return names


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    arguments = parse_arguments()
    cores = os.cpu_count() or 1
    entries = [entry for path in arguments.jmh for entry in load_list(path)]
    peers = [record for path in arguments.peers for record in load_list(path)]
    gemm, bandwidth, dense, training, machine = collect_jmh(entries, cores)
    backends = backends_in((gemm, bandwidth, dense, training))

    openblas = {(r["label"], r["threads"]): Measured(r["gflops"]) for r in peers if r["kind"] == "sgemm"}
    kernels = sorted({r["kernel"] for r in peers if r["kind"] == "sgemm"})
    numpy_copy = next((Measured(r["gbytes"]) for r in peers if r["kind"] == "bandwidth" and r["label"] == "copy"), None)
    torch_runs = [r for r in peers if r["kind"] == "training"]

    out = []
    cpu_model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            cpu_model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    out.append("Machine: %s, %d cores, %s; JDK: %s; OpenBLAS kernel: %s."
               % (cpu_model, cores, platform.platform(), machine.get("jdk", "?"), ", ".join(kernels) or "not measured"))
    if arguments.command:
        out.append("\nCommand: `%s`" % arguments.command)

    out.append("\n### SGEMM, GFLOP/s (ratio = bp4j ÷ OpenBLAS, same shape and threads)\n")
    header = ["product", "threads", "OpenBLAS"]
    for name in backends:
        header += [name, name + " ÷ OpenBLAS"]
    rows = []
    for (label, threads), by_backend in gemm.items():
        peer = openblas.get((label, threads))
        row = [label, threads, peer if peer else "–"]
        for name in backends:
            mine = by_backend.get(name)
            row += [mine if mine else "–", ratio(mine, peer)]
        rows.append(row)
    out.append(table(header, rows))

    out.append("\n### Memory-bound operations, GB/s (ratio = bp4j ÷ numpy array copy%s)\n"
               % (", which ran at %s GB/s" % numpy_copy if numpy_copy else "; no copy was measured"))
    header = ["operation", "threads"]
    for name in backends:
        header += [name, name + " ÷ copy"]
    rows = []
    for (label, threads), by_backend in bandwidth.items():
        row = [label, threads]
        for name in backends:
            mine = by_backend.get(name)
            row += [mine if mine else "–", ratio(mine, numpy_copy)]
        rows.append(row)
    out.append(table(header, rows))

    if dense:
        out.append("\n### Fused dense forward f(x·Wᵀ + b), GFLOP/s (no peer: the product alone is in the SGEMM table)\n")
        rows = [[label, threads] + [by_backend.get(name, "–") for name in backends]
                for (label, threads), by_backend in dense.items()]
        out.append(table(["layer", "threads"] + backends, rows))

    out.append("\n### Training, samples/s (bp4j: JMH training step on resident synthetic data; "
               "PyTorch: Fashion-MNIST training loop, data resident as one tensor)\n")
    header = ["model", "batch", "threads", "PyTorch", "PyTorch test accuracy"]
    for name in backends:
        header += [name, name + " ÷ PyTorch"]
    rows = []
    for (layers, batch, threads), by_backend in training.items():
        peer_run = next((r for r in torch_runs if r["label"] == layers and r["batch"] == batch
                         and r["threads"] == threads and r["device"] == "cpu"), None)
        peer = Measured(peer_run["samples_per_second"]) if peer_run else None
        accuracy = "%.4f after %d epochs" % (peer_run["test_accuracy"], peer_run["epochs"]) if peer_run else "–"
        row = [layers, batch, threads, "%.0f" % peer.score if peer else "–", accuracy]
        for name in backends:
            mine = by_backend.get(name)
            row += ["%.0f" % mine.score if mine else "–", ratio(mine, peer)]
        rows.append(row)
    for run in torch_runs:
        if run["device"] != "cpu":
            rows.append([run["label"], run["batch"], "–", "%.0f (%s)" % (run["samples_per_second"], run["device"]),
                         "%.4f after %d epochs" % (run["test_accuracy"], run["epochs"])] + ["–"] * (2 * len(backends)))
    out.append(table(header, rows))
    print("\n".join(out))


if __name__ == "__main__":
    main()
