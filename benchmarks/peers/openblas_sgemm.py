#!/usr/bin/python3
"""OpenBLAS SGEMM through numpy, on the shapes of the bp4j JMH suite, for ratios from one run.

Shapes: square n x n x n products (GemmBenchmark) and the three products of the first layer of a
784-256-... MLP at batch 128 (LayerProductsBenchmark: forward x.W^T, weightGradient d^T.x, inputGradient
d.W), each with the same transposes, float32, C written in place.

The thread count must be fixed before numpy loads OpenBLAS, so this script sets
OPENBLAS_NUM_THREADS itself from --threads. Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
unset (the driver does): set, they force an older, slower kernel on newer processors. The kernel
OpenBLAS actually chose is printed and recorded.

Usage: openblas_sgemm.py --threads 1 [--sizes 64,256,1024] [--json out.json]
"""
import argparse
import ctypes
import json
import os
import sys

from timing import median_rate


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, required=True, help="OpenBLAS threads (1 or more)")
    parser.add_argument("--sizes", default="64,128,256,512,1024,2048",
                        help="comma-separated n of the square products (default %(default)s)")
    parser.add_argument("--batch", type=int, default=128, help="MLP batch (default %(default)s)")
    parser.add_argument("--inputs", type=int, default=784, help="MLP layer inputs (default %(default)s)")
    parser.add_argument("--outputs", type=int, default=256, help="MLP layer outputs (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=1.0,
                        help="measured time per shape, after warm-up (default %(default)s)")
    parser.add_argument("--json", help="write the measurements to this file as a JSON list")
    arguments = parser.parse_args()
    if arguments.threads < 1:
        parser.error("--threads: expected a positive integer, got %d" % arguments.threads)
    try:
        arguments.sizes = [int(s) for s in arguments.sizes.split(",")]
    except ValueError:
        parser.error("--sizes: expected comma-separated integers such as 64,256,1024, got '%s'" % arguments.sizes)
    return arguments


def loaded_openblas():
    """The OpenBLAS numpy loaded, found in this process's memory map; None if numpy uses another BLAS."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "openblas" in line and ".so" in line}
    # Debian's openblas-pthread ships libblas.so.3 (what numpy's SGEMM calls) beside liblapack.so.3.
    for path in sorted(paths, key=lambda p: "lapack" in os.path.basename(p)):
        library = ctypes.CDLL(path)
        library.openblas_get_corename.restype = ctypes.c_char_p
        library.openblas_get_config.restype = ctypes.c_char_p
        return path, library
    return None, None


def main():
    arguments = parse_arguments()
    os.environ["OPENBLAS_NUM_THREADS"] = str(arguments.threads)
    import numpy

    library_path, openblas = loaded_openblas()
    if openblas is None:
        sys.exit("openblas_sgemm.py: numpy did not load OpenBLAS (install libopenblas0-pthread)")
    kernel = openblas.openblas_get_corename().decode()
    config = openblas.openblas_get_config().decode()
    print("OpenBLAS %s, kernel %s, %d thread(s), numpy %s (%s)" % (config, kernel, arguments.threads,
                                                                  numpy.__version__, library_path))
    if os.environ.get("OPENBLAS_CORETYPE"):
        print("warning: OPENBLAS_CORETYPE=%s forces a kernel; unset it for a fair peer" % os.environ["OPENBLAS_CORETYPE"])

    random = numpy.random.default_rng(1)

    def uniform(rows, cols):
        return random.uniform(-1, 1, size=(rows, cols)).astype(numpy.float32)

    records = []

    def measure(label, m, n, k, product):
        gflops = median_rate(product, 2.0 * m * n * k / 1e9, arguments.seconds)
        print("%-40s %8.1f GFLOP/s" % (label, gflops))
        records.append({"peer": "openblas", "kind": "sgemm", "label": label, "m": m, "n": n, "k": k,
                        "threads": arguments.threads, "gflops": gflops, "kernel": kernel})

    for size in arguments.sizes:
        a, b, c = uniform(size, size), uniform(size, size), numpy.empty((size, size), numpy.float32)
        measure("gemm n=%d" % size, size, size, size, lambda: numpy.matmul(a, b, out=c))

    batch, inputs, outputs = arguments.batch, arguments.inputs, arguments.outputs
    x, weights, delta = uniform(batch, inputs), uniform(outputs, inputs), uniform(batch, outputs)
    forward = numpy.empty((batch, outputs), numpy.float32)
    weight_gradient = numpy.empty((outputs, inputs), numpy.float32)
    input_gradient = numpy.empty((batch, inputs), numpy.float32)
    # Transposed views: numpy hands BLAS the transpose flag, no copy is made.
    measure("forward %dx%d.(%dx%d)T" % (batch, inputs, outputs, inputs), batch, outputs, inputs,
            lambda: numpy.matmul(x, weights.T, out=forward))
    measure("weightGradient (%dx%d)T.%dx%d" % (batch, outputs, batch, inputs), outputs, inputs, batch,
            lambda: numpy.matmul(delta.T, x, out=weight_gradient))
    measure("inputGradient %dx%d.%dx%d" % (batch, outputs, outputs, inputs), batch, inputs, outputs,
            lambda: numpy.matmul(delta, weights, out=input_gradient))

    if arguments.json:
        with open(arguments.json, "w") as out:
            json.dump(records, out, indent=1)


if __name__ == "__main__":
    main()
