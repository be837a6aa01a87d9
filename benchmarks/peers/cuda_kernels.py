#!/usr/bin/python3
"""cuBLAS SGEMM and CUDA elementwise bandwidth through PyTorch: the GPU peer that the opencl
backend's JMH figures (GemmBenchmark, ElementwiseBenchmark) are divided by, measured in the same run.

Each operation is timed two ways:
  synchronized   every call waits for the device, as the JMH benchmarks do (one clFinish per
                 call), so the ratio to bp4j compares like with like;
  back-to-back   calls queued without waiting, timed by CUDA events: the device's own rate,
                 free of the per-call round trip (which matters for products under ~0.1 ms).
SGEMM is C = A·B on n × n float32 matrices with TF32 off (true FP32, as bp4j computes).
Elementwise: sigmoid(z) and a ⊙ b into a separate output and a plain copy, over --elements
floats; GB/s counts every byte read and written, as ByteRate does.

Usage: cuda_kernels.py [--sizes 1024,2048,4096] [--elements 67108864] [--json out.json]
"""
import argparse
import json
import sys

from timing import median_rate


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1024,2048,4096", help="comma-separated n of the square products")
    parser.add_argument("--elements", type=int, default=64 * 1024 * 1024, help="floats per elementwise array")
    parser.add_argument("--seconds", type=float, default=1.0, help="measured time per operation and protocol")
    parser.add_argument("--json", help="write the measurements to this file as a JSON list")
    arguments = parser.parse_args()
    try:
        arguments.sizes = [int(n) for n in arguments.sizes.split(",")]
    except ValueError:
        parser.error("--sizes: expected comma-separated integers, got '%s'" % arguments.sizes)
    return arguments


def synchronized_rate(torch, operation, amount, seconds):
    def call():
        operation()
        torch.cuda.synchronize()
    return median_rate(call, amount, seconds)


def back_to_back_rate(torch, operation, amount, seconds):
    """Median over five rounds of a queued burst sized to about seconds/5, timed by CUDA events."""
    operation()
    torch.cuda.synchronize()
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record()
    operation()
    end.record()
    end.synchronize()
    calls = max(2, int(seconds / 5 / max(start.elapsed_time(end) / 1e3, 1e-6)))
    rates = []
    for _ in range(5):
        start.record()
        for _ in range(calls):
            operation()
        end.record()
        end.synchronize()
        rates.append(amount * calls / (start.elapsed_time(end) / 1e3))
    rates.sort()
    return rates[len(rates) // 2]


def main():
    arguments = parse_arguments()
    import torch
    if not torch.cuda.is_available():
        sys.exit("cuda_kernels.py: this PyTorch sees no CUDA device")
    torch.backends.cuda.matmul.allow_tf32 = False
    device = torch.device("cuda")
    generator = torch.Generator(device=device).manual_seed(1)
    name = torch.cuda.get_device_name(device)
    print("PyTorch %s, CUDA %s on %s (TF32 off)" % (torch.__version__, torch.version.cuda, name))
    results = []

    def record(kind, label, unit, operation, amount):
        synchronized = synchronized_rate(torch, operation, amount, arguments.seconds)
        queued = back_to_back_rate(torch, operation, amount, arguments.seconds)
        print("%-10s %-10s %10.1f %s synchronized, %10.1f back-to-back" % (kind, label, synchronized, unit, queued))
        results.append({"peer": "pytorch-cuda", "kind": kind, "label": label, "unit": unit, "device": name,
                        "synchronized": synchronized, "back_to_back": queued, "torch": torch.__version__})

    for n in arguments.sizes:
        a = torch.rand((n, n), device=device, generator=generator) * 2 - 1
        b = torch.rand((n, n), device=device, generator=generator) * 2 - 1
        c = torch.empty((n, n), device=device)
        record("sgemm", "n=%d" % n, "GFLOP/s", lambda: torch.mm(a, b, out=c), 2.0 * n ** 3 / 1e9)
        del a, b, c

    count = arguments.elements
    z = torch.rand(count, device=device, generator=generator) * 16 - 8
    w = torch.rand(count, device=device, generator=generator)
    out = torch.empty(count, device=device)
    gigabytes_unary = 8.0 * count / 1e9
    gigabytes_binary = 12.0 * count / 1e9
    record("elementwise", "sigmoid", "GB/s", lambda: torch.sigmoid(z, out=out), gigabytes_unary)
    record("elementwise", "hadamard", "GB/s", lambda: torch.mul(z, w, out=out), gigabytes_binary)
    record("elementwise", "copy", "GB/s", lambda: out.copy_(z), gigabytes_unary)

    if arguments.json:
        with open(arguments.json, "w") as handle:
            json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main()
