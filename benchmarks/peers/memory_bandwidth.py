#!/usr/bin/python3
"""Plain array-copy bandwidth through numpy: the ceiling that memory-bound bp4j operations
(sigmoid, Hadamard over 16M floats) are compared with in the same run.

copy reads and writes each float once (8 bytes per element); multiply, numpy's own Hadamard
product into a separate output, reads two and writes one (12 bytes). Both run on one thread, as
numpy's elementwise operations do.

Usage: memory_bandwidth.py [--elements 16777216] [--json out.json]
"""
import argparse
import json

import numpy

from timing import median_rate


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=16 * 1024 * 1024,
                        help="floats per array (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=1.0, help="measured time per operation (default %(default)s)")
    parser.add_argument("--json", help="write the measurements to this file as a JSON list")
    arguments = parser.parse_args()
    if arguments.elements < 1:
        parser.error("--elements: expected a positive integer, got %d" % arguments.elements)
    return arguments


def main():
    arguments = parse_arguments()
    n = arguments.elements
    random = numpy.random.default_rng(3)
    a = random.uniform(-1, 1, n).astype(numpy.float32)
    b = random.uniform(-1, 1, n).astype(numpy.float32)
    out = numpy.empty(n, numpy.float32)
    records = []
    for name, operation, arrays in (("copy", lambda: numpy.copyto(out, a), 2),
                                    ("multiply", lambda: numpy.multiply(a, b, out=out), 3)):
        gbytes = median_rate(operation, 4.0 * n * arrays / 1e9, arguments.seconds)
        print("numpy %-8s %d floats: %6.1f GB/s" % (name, n, gbytes))
        records.append({"peer": "numpy", "kind": "bandwidth", "label": name, "elements": n, "threads": 1,
                        "gbytes": gbytes})
    if arguments.json:
        with open(arguments.json, "w") as handle:
            json.dump(records, handle, indent=1)


if __name__ == "__main__":
    main()
