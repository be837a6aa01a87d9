#!/usr/bin/python3
"""Reads a bp4j model file with numpy alone, following docs/model-format.md, and predicts.

Written from that page only, so that a test can hold the page to what bp4j writes:
examples' ModelFormatReaderTest compares these outputs with bp4j's own.

Usage: read_model.py MODEL.safetensors FEATURES.csv [--output class|value]
FEATURES.csv: raw feature rows, comma-separated, no header, no label column.
Prints one line per row: the class, or the outputs comma-separated (repr of float32).
"""
import argparse
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (header_length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + header_length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = blob[8 + header_length:]
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
    return tensors, metadata


ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
}


def predict(tensors, metadata, x):
    if metadata["format"] != "bp4j-mlp":
        raise ValueError("not a bp4j model: format " + metadata["format"])
    widths = [int(w) for w in metadata["architecture"].split(",")]
    layers = len(widths) - 1
    offset = tensors["preprocessing.offset"].astype(np.float64)
    scale = tensors["preprocessing.scale"].astype(np.float64)
    a = ((x.astype(np.float64) - offset) * scale).astype(np.float32)
    for l in range(layers):
        weight = tensors[f"layers.{l}.weight"].astype(np.float64)
        bias = tensors[f"layers.{l}.bias"].astype(np.float64)
        f = ACTIVATIONS[metadata["activation"] if l < layers - 1 else metadata["output_activation"]]
        a = f(a.astype(np.float64) @ weight.T + bias)
    return a


def classes(outputs, metadata):
    if outputs.shape[1] > 1:
        return np.argmax(outputs, axis=1)
    threshold = 0.0 if metadata["loss"] in ("softmax-ce", "bce") else 0.5
    return (outputs[:, 0] > threshold).astype(int)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("features")
    parser.add_argument("--output", choices=("class", "value"), default="class")
    args = parser.parse_args()
    tensors, metadata = read_safetensors(args.model)
    x = np.loadtxt(args.features, delimiter=",", dtype=np.float64, ndmin=2)
    outputs = predict(tensors, metadata, x)
    if args.output == "class":
        if metadata["task"] != "classification":
            sys.exit("read_model.py: --output class needs a classification model")
        for c in classes(outputs, metadata):
            print(int(c))
    else:
        for row in outputs:
            print(",".join(repr(float(v)) for v in row))


if __name__ == "__main__":
    main()
