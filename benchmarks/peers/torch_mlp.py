#!/usr/bin/python3
"""PyTorch training the MLP that bp4j's comparison uses, for a samples/s and accuracy peer.

Model: 784-256-256-10 by default, sigmoid hidden layers, logits into softmax cross-entropy
(nn.CrossEntropyLoss, mean over the batch), SGD with momentum 0.9 and learning rate 0.1,
batch 128, PyTorch's default initialisation, on Fashion-MNIST (pixels scaled to [0, 1]),
reshuffled every epoch from a fixed seed. The whole training set sits on the device as one
tensor, as bp4j keeps it resident, so neither side pays a data-loader.

samples/s counts the training loop only (forward, backward, update of every batch, waiting for
the device at the end of the epoch); evaluation on the test set is timed apart.

Usage: torch_mlp.py [--epochs 10] [--threads 2] [--device cpu|cuda|auto] [--json out.json]
                    [--omp-wait-policy passive|active|default]
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

# libgomp's worker threads spin while they wait for work. On a machine shared with other busy
# processes spinning threads lose their cores and PyTorch runs many times slower; waiting
# passively keeps it near its quiet-machine speed (docs/performance.md has the figures). Passive
# is therefore this peer's default: the comparison is with PyTorch at its best, not as it ships.
# It must be set before torch loads libgomp, so torch is imported in main().
WAIT_POLICIES = ("passive", "active", "default")
# Debian's PyTorch multiplies through OpenBLAS (libblas.so.3 → openblas-pthread). Some machines'
# environments set these two to work around old OpenBLAS bugs, and they force an older, slower
# kernel. Like the OpenBLAS SGEMM peer, this one runs with them unset, before torch loads OpenBLAS.
OPENBLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
# Imported by main() once OMP_WAIT_POLICY is settled.
numpy = None
torch = None


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist",
                        help="folder with the four gzipped IDX files (default %(default)s)")
    parser.add_argument("--layers", default="784,256,256,10", help="layer widths (default %(default)s)")
    parser.add_argument("--batch", type=int, default=128, help="mini-batch size (default %(default)s)")
    parser.add_argument("--epochs", type=int, default=10, help="epochs (default %(default)s)")
    parser.add_argument("--lr", type=float, default=0.1, help="learning rate (default %(default)s)")
    parser.add_argument("--momentum", type=float, default=0.9, help="momentum (default %(default)s)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (default %(default)s)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda", "auto"),
                        help="cpu, cuda, or auto: cuda where present (default %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="initialisation and shuffling seed")
    parser.add_argument("--json", help="write the result to this file as a JSON list")
    parser.add_argument("--omp-wait-policy", choices=WAIT_POLICIES,
                        help="how libgomp's threads wait: passive (the default here, unless OMP_WAIT_POLICY is set), "
                             "active, or default (OMP_WAIT_POLICY unset: libgomp's own choice, as PyTorch ships)")
    arguments = parser.parse_args()
    try:
        arguments.widths = [int(w) for w in arguments.layers.split(",")]
    except ValueError:
        parser.error("--layers: expected comma-separated integers such as 784,256,256,10, got '%s'" % arguments.layers)
    if len(arguments.widths) < 2 or min(arguments.widths) < 1:
        parser.error("--layers: expected at least two positive widths, got '%s'" % arguments.layers)
    return arguments


def read_idx(path, expected_magic):
    """An IDX file as a numpy array; fails naming the file and what was expected."""
    with gzip.open(path, "rb") as handle:
        header = handle.read(4)
        if len(header) < 4:
            sys.exit("%s: byte 0: expected an IDX header, the file is shorter" % path)
        magic = struct.unpack(">I", header)[0]
        if magic != expected_magic:
            sys.exit("%s: byte 0: expected IDX magic 0x%08x, got 0x%08x" % (path, expected_magic, magic))
        dimensions = magic & 0xFF
        shape = struct.unpack(">" + "I" * dimensions, handle.read(4 * dimensions))
        data = numpy.frombuffer(handle.read(), dtype=numpy.uint8)
        expected_size = int(numpy.prod(shape))
        if data.size != expected_size:
            sys.exit("%s: byte %d: expected %d values for shape %s, got %d"
                     % (path, 4 + 4 * dimensions, expected_size, shape, data.size))
        return data.reshape(shape)


def load_split(folder, prefix):
    images = read_idx(os.path.join(folder, prefix + "-images-idx3-ubyte.gz"), 0x00000803)
    labels = read_idx(os.path.join(folder, prefix + "-labels-idx1-ubyte.gz"), 0x00000801)
    features = torch.from_numpy(images.reshape(images.shape[0], -1).astype(numpy.float32) / 255.0)
    return features, torch.from_numpy(labels.astype(numpy.int64))


def build_model(widths):
    layers = []
    for index in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[index], widths[index + 1]))
        if index + 2 < len(widths):
            layers.append(torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def accuracy(model, features, labels, batch):
    correct = 0
    with torch.no_grad():
        for start in range(0, features.shape[0], batch):
            logits = model(features[start:start + batch])
            correct += (logits.argmax(dim=1) == labels[start:start + batch]).sum().item()
    return correct / features.shape[0]


def set_wait_policy(policy):
    """Sets OMP_WAIT_POLICY before libgomp loads; returns what the run is labelled with."""
    if policy == "default":
        os.environ.pop("OMP_WAIT_POLICY", None)
        return "unset"
    if policy is not None:
        os.environ["OMP_WAIT_POLICY"] = policy.upper()
    return os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def clear_openblas_overrides():
    """Unsets the variables that force an OpenBLAS kernel; returns those that were set, as NAME=value."""
    return ["%s=%s" % (name, os.environ.pop(name)) for name in OPENBLAS_OVERRIDES if name in os.environ]


def main():
    arguments = parse_arguments()
    wait_policy = set_wait_policy(arguments.omp_wait_policy)
    cleared = clear_openblas_overrides()
    global numpy, torch
    import numpy
    import torch
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)
    wanted = arguments.device
    if wanted == "auto":
        wanted = "cuda" if torch.cuda.is_available() else "cpu"
    if wanted == "cuda" and not torch.cuda.is_available():
        sys.exit("torch_mlp.py: --device cuda: this PyTorch sees no CUDA device")
    device = torch.device(wanted)

    train_x, train_y = load_split(arguments.data, "train")
    test_x, test_y = load_split(arguments.data, "t10k")
    if train_x.shape[1] != arguments.widths[0]:
        sys.exit("torch_mlp.py: --layers starts with %d inputs, the data has %d features"
                 % (arguments.widths[0], train_x.shape[1]))
    train_x, train_y, test_x, test_y = (t.to(device) for t in (train_x, train_y, test_x, test_y))

    model = build_model(arguments.widths).to(device)
    loss_function = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=arguments.lr, momentum=arguments.momentum)
    shuffler = torch.Generator().manual_seed(arguments.seed)
    samples = train_x.shape[0]
    device_name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU, %d threads" % arguments.threads
    print("PyTorch %s on %s (OMP_WAIT_POLICY=%s): %s batch %d, %d epochs"
          % (torch.__version__, device_name, wait_policy, arguments.layers, arguments.batch,
             arguments.epochs))
    if cleared:
        print("unset for OpenBLAS's own kernel choice: %s" % ", ".join(cleared))

    training_seconds = 0.0
    test_accuracy = 0.0
    for epoch in range(1, arguments.epochs + 1):
        order = torch.randperm(samples, generator=shuffler).to(device)
        model.train()
        epoch_loss = torch.zeros((), device=device)
        synchronize(device)
        start = time.perf_counter()
        for offset in range(0, samples, arguments.batch):
            batch_indices = order[offset:offset + arguments.batch]
            logits = model(train_x[batch_indices])
            loss = loss_function(logits, train_y[batch_indices])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            epoch_loss += loss.detach() * batch_indices.shape[0]
        synchronize(device)
        elapsed = time.perf_counter() - start
        training_seconds += elapsed
        model.eval()
        test_accuracy = accuracy(model, test_x, test_y, 1000)
        print("epoch %2d  loss %.4f  test accuracy %.4f  %8.0f samples/s"
              % (epoch, epoch_loss.item() / samples, test_accuracy, samples / elapsed))

    samples_per_second = samples * arguments.epochs / training_seconds
    print("PyTorch training: %.0f samples/s, test accuracy %.4f after %d epochs"
          % (samples_per_second, test_accuracy, arguments.epochs))
    if arguments.json:
        with open(arguments.json, "w") as handle:
            json.dump([{"peer": "pytorch", "kind": "training", "label": arguments.layers,
                        "batch": arguments.batch, "device": device.type, "threads": arguments.threads,
                        "epochs": arguments.epochs, "samples_per_second": samples_per_second,
                        "test_accuracy": test_accuracy, "torch": torch.__version__,
                        "omp_wait_policy": wait_policy, "openblas_overrides_unset": cleared}], handle, indent=1)


if __name__ == "__main__":
    main()
