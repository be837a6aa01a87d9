#!/usr/bin/env python3
"""The scaling model of docs/scaling.md, computed from measured files only.

Inputs (a folder written by benchmarks/spark-scaling.sh, and the H200 training reports):
  spark-single-process.json      one process, cpu, all cores: step time of a CPU host
  spark-k16.json                 replicas' compute per step (one thread each) and Spark's cost per sync
  spark-combine-64-H-H-10.json   cost of one combination against model size (second epoch)
  GPU_DIR/call2-train-784-*.json one H200 running bp4j (opencl): step time of a GPU host

Model, for W workers (one executor each), a model of N parameters, optimizer state of S arrays
per parameter (momentum: 1), per-worker batch b, K local steps per combination:
  t_combine(W) = a + c*N*sqrt(W)          Spark's fixed cost a and its per-float cost c (serialise,
                                           ship, sum), fitted on the local measurements; with
                                           treeAggregate of depth 2 an aggregator sums sqrt(W) replicas
             + (4N(1+S)*sqrt(W) + 8N(1+S)*sqrt(W) + 2*4N(1+S)) * 8 / bandwidth
                                           replicas (float) into sqrt(W) aggregators, their double sums
                                           into the driver, the broadcast out (about twice its size)
  samples/s(W) = W*b*K / (K*t_step(b) + t_combine(W))
It prints the fitted constants and markdown tables; docs/scaling.md quotes them.
"""
import json
import math
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def fit_line(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    c = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - c * mx, c


def parameters(layers):
    return sum(layers[i] * layers[i + 1] + layers[i + 1] for i in range(len(layers) - 1))


def main():
    out = sys.argv[1]
    gpu_dir = sys.argv[2] if len(sys.argv) > 2 else None
    sizes, per_sync = [], []
    print("## Measured: one combination against model size (local[2], 2 replicas, momentum)\n")
    print("| layers | parameters | syncs | combine s/sync | compute s/sync |")
    print("|---|---|---|---|---|")
    for name in sorted(os.listdir(out)):
        if name.startswith("spark-combine-") and name.endswith(".json"):
            r = load(os.path.join(out, name))
            e = r["epochs"][-1]
            n = parameters(r["layers"])
            sizes.append(n)
            per_sync.append(e["combine_seconds"] / e["syncs"])
            print(f"| {'-'.join(map(str, r['layers']))} | {n:,} | {e['syncs']} | {per_sync[-1]:.3f} | {e['compute_seconds'] / e['syncs']:.3f} |")
    # The Fashion-MNIST runs: hundreds of syncs each, the steadiest figures for their size.
    for name in sorted(os.listdir(out)):
        if name.startswith("spark-k") and name.endswith(".json"):
            r = load(os.path.join(out, name))
            later = r["epochs"][1:]
            if later:
                e_syncs = sum(e["syncs"] for e in later)
                sizes.append(parameters(r["layers"]))
                per_sync.append(sum(e["combine_seconds"] for e in later) / e_syncs)
                print(f"| {'-'.join(map(str, r['layers']))} ({name}, K = {r['sync_every']}) | {sizes[-1]:,} | {e_syncs} | "
                      f"{per_sync[-1]:.3f} | {sum(e['compute_seconds'] for e in later) / e_syncs:.3f} |")
    a, c = fit_line(sizes, per_sync)
    print(f"\nFit: combine = {a * 1e3:.1f} ms + {c * 1e9:.2f} ns per parameter (2 replicas, in one JVM)\n")

    single = load(os.path.join(out, "spark-single-process.json"))
    k16 = load(os.path.join(out, "spark-k16.json"))
    n = parameters(single["layers"])
    cpu_host_step = single["batch"] / (sum(e["samples_per_second"] for e in single["epochs"][1:]) / (len(single["epochs"]) - 1))
    last = k16["epochs"][1:]
    replica_steps = sum(e["syncs"] for e in last) * k16["sync_every"]
    replica_step = sum(e["compute_seconds"] for e in last) / replica_steps
    print("## Measured: step times (epochs after the first)\n")
    print(f"- CPU host (this machine, {single['batch']} samples, all cores, one process): {cpu_host_step * 1e3:.2f} ms per step")
    print(f"- one replica (one thread, {k16['batch_per_partition']} samples, while the other replica runs): "
          f"{replica_step * 1e3:.2f} ms per local step\n")

    # GPU host: bp4j (opencl) on one H200, each model at the batch it was measured with.
    gpu_steps = {}
    if gpu_dir:
        for name in sorted(os.listdir(gpu_dir)):
            if name.startswith("call2-train-784-") and name.endswith(".json"):
                r = load(os.path.join(gpu_dir, name))
                sps = sum(e["samples_per_second"] for e in r["epochs"][1:]) / (len(r["epochs"]) - 1)
                gpu_steps[parameters(r["layers"])] = (r["batch"], r["batch"] / sps)
                print(f"- H200 host, {'-'.join(map(str, r['layers']))}, batch {r['batch']}: {r['batch'] / sps * 1e3:.3f} ms per step ({name})")
    print()
    workers = [1, 2, 4, 8, 16, 32, 64]
    state_arrays = 2  # parameters and momentum
    for model_name, model_n in [("784-256-256-10", n), ("784-1024-1024-10", parameters([784, 1024, 1024, 10])),
                                ("784-4096-4096-10", parameters([784, 4096, 4096, 10]))]:
        scale = model_n / n
        for gbps in (10, 100):
            print(f"## Model {model_name} ({model_n:,} parameters), {gbps} Gb/s: samples/s by workers\n")
            print("| host | batch/worker | K | one host, no Spark | " + " | ".join(f"W={w}" for w in workers) + " |")
            print("|---|---|---|---|" + "---|" * len(workers))
            # CPU: the measured 784-256-256-10 step, scaled by the model's arithmetic (parameters);
            # larger products run the GEMM more efficiently, so this overstates larger models' steps.
            hosts = [("CPU host", single["batch"], cpu_host_step * scale)]
            if model_n in gpu_steps:
                hosts.append(("H200 host", *gpu_steps[model_n]))
            for host, b, t_step in hosts:
                for k in (1, 16):
                    cells = []
                    for w in workers:
                        floats = model_n * state_arrays
                        net = (4 * floats * math.sqrt(w) + 8 * floats * math.sqrt(w) + 2 * 4 * floats) * 8 / (gbps * 1e9)
                        t_combine = a + c * model_n * math.sqrt(w) + (net if w > 1 else 0)
                        cells.append(f"{w * b * k / (k * t_step + t_combine):,.0f}")
                    print(f"| {host} | {b} | {k} | {b / t_step:,.0f} | " + " | ".join(cells) + " |")
            print()


if __name__ == "__main__":
    main()
