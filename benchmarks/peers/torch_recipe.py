#!/usr/bin/python3
"""PyTorch training bp4j's Fashion-MNIST recipe, for the recipe comparison
(benchmarks/recipe-vs-torch.sh): the same MLP with ReLU hidden layers, inverted dropout on every
hidden layer and on the inputs (--input-dropout), AdamW with decoupled weight decay or SGD with
momentum 0.9 and L2 decay, on the weight matrices only (biases excluded, as bp4j's default), a cosine learning-rate schedule after a linear warm-up, stepped every
batch, a seeded validation share of the training part evaluated after each epoch, and the model
of the lowest validation loss scored on the test part (the test part never chooses).

Features: pixels / 255 by default, or, with --scaling standard, each pixel standardised by the
mean and standard deviation of the whole training part (bp4j's --scaling standard; a constant
pixel keeps scale 1).

Wall time is measured by the caller around the whole process; this script prints its own
training seconds and the chosen epoch's test accuracy on its last line.

Usage: torch_recipe.py [--optimizer adam|momentum] [--layers 784,512,512,10] [--epochs 20] [--batch 64] [--lr 0.001]
                       [--weight-decay 0.05] [--dropout 0.3] [--input-dropout 0] [--warmup-steps 0]
                       [--validation-fraction 0.05] [--scaling minmax|standard] [--threads 1]
                       [--seed 1] [--json out.json]
"""
import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_mlp  # noqa: E402  (its wait-policy, OpenBLAS and IDX helpers)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--optimizer", choices=("adam", "momentum"), default="adam")
    parser.add_argument("--layers", default="784,512,512,10")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--weight-decay", type=float, default=0.05)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--input-dropout", type=float, default=0.0)
    parser.add_argument("--warmup-steps", type=int, default=0)
    parser.add_argument("--validation-fraction", type=float, default=0.05)
    parser.add_argument("--scaling", choices=("minmax", "standard"), default="minmax")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    arguments = parser.parse_args()
    arguments.widths = [int(w) for w in arguments.layers.split(",")]
    return arguments


def build_model(torch, widths, dropout, input_dropout):
    layers = [torch.nn.Dropout(input_dropout)] if input_dropout > 0 else []
    for index in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[index], widths[index + 1]))
        if index + 2 < len(widths):
            layers.append(torch.nn.ReLU())
            layers.append(torch.nn.Dropout(dropout))
    return torch.nn.Sequential(*layers)


def evaluate(torch, model, features, labels):
    model.eval()
    with torch.no_grad():
        loss = 0.0
        correct = 0
        for start in range(0, features.shape[0], 1000):
            logits = model(features[start:start + 1000])
            y = labels[start:start + 1000]
            loss += torch.nn.functional.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(dim=1) == y).sum().item()
    return loss / features.shape[0], correct / features.shape[0]


def main():
    arguments = parse_arguments()
    wait_policy = torch_mlp.set_wait_policy(None)
    cleared = torch_mlp.clear_openblas_overrides()
    import numpy
    import torch
    torch_mlp.numpy, torch_mlp.torch = numpy, torch
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)

    train_x, train_y = torch_mlp.load_split(arguments.data, "train")
    test_x, test_y = torch_mlp.load_split(arguments.data, "t10k")
    if arguments.scaling == "standard":
        mean = train_x.mean(dim=0)
        std = train_x.std(dim=0, unbiased=False)
        scale = torch.where(std > 0, 1.0 / std, torch.ones_like(std))
        train_x = (train_x - mean) * scale
        test_x = (test_x - mean) * scale
    splitter = torch.Generator().manual_seed(arguments.seed + 1)
    order = torch.randperm(train_x.shape[0], generator=splitter)
    held = round(train_x.shape[0] * arguments.validation_fraction)
    validation_x, validation_y = train_x[order[:held]], train_y[order[:held]]
    train_x, train_y = train_x[order[held:]], train_y[order[held:]]

    model = build_model(torch, arguments.widths, arguments.dropout, arguments.input_dropout)
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
    groups = [{"params": weights, "weight_decay": arguments.weight_decay}, {"params": biases, "weight_decay": 0.0}]
    if arguments.optimizer == "adam":
        optimizer = torch.optim.AdamW(groups, lr=arguments.lr)
    else:
        optimizer = torch.optim.SGD(groups, lr=arguments.lr, momentum=0.9)
    samples = train_x.shape[0]
    steps_per_epoch = math.ceil(samples / arguments.batch)
    total = steps_per_epoch * arguments.epochs
    warmup = arguments.warmup_steps

    def factor(step):
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    loss_function = torch.nn.CrossEntropyLoss()
    shuffler = torch.Generator().manual_seed(arguments.seed)
    print("PyTorch %s, %d threads (OMP_WAIT_POLICY=%s%s): %s relu, dropout %s, input dropout %s, %s lr %s wd %s, cosine, batch %d, "
          "%d epochs, %d training / %d validation samples"
          % (torch.__version__, arguments.threads, wait_policy, "; unset " + ", ".join(cleared) if cleared else "",
             arguments.layers, arguments.dropout, arguments.input_dropout, arguments.optimizer, arguments.lr, arguments.weight_decay, arguments.batch, arguments.epochs,
             samples, held), flush=True)

    training_seconds = 0.0
    best = (math.inf, 0, None)
    epochs = []
    for epoch in range(1, arguments.epochs + 1):
        model.train()
        start = time.perf_counter()
        permutation = torch.randperm(samples, generator=shuffler)
        for offset in range(0, samples, arguments.batch):
            batch = permutation[offset:offset + arguments.batch]
            loss = loss_function(model(train_x[batch]), train_y[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
        training_seconds += time.perf_counter() - start
        validation_loss, validation_accuracy = evaluate(torch, model, validation_x, validation_y)
        test_loss, test_accuracy = evaluate(torch, model, test_x, test_y)
        if validation_loss < best[0]:
            best = (validation_loss, epoch, {k: v.clone() for k, v in model.state_dict().items()})
        epochs.append({"epoch": epoch, "validation_loss": validation_loss, "validation_accuracy": validation_accuracy,
                       "test_accuracy": test_accuracy})
        print("epoch %2d  val loss %.4f  val acc %.4f  test acc %.4f  %.1f s of training"
              % (epoch, validation_loss, validation_accuracy, test_accuracy, training_seconds), flush=True)
    model.load_state_dict(best[2])
    _, chosen_accuracy = evaluate(torch, model, test_x, test_y)
    print("PyTorch recipe: chosen epoch %d (lowest validation loss), test accuracy %.4f, %.2f s of training"
          % (best[1], chosen_accuracy, training_seconds))
    if arguments.json:
        with open(arguments.json, "w") as handle:
            json.dump({"peer": "pytorch", "torch": torch.__version__, "threads": arguments.threads,
                       "omp_wait_policy": wait_policy, "openblas_overrides_unset": cleared,
                       "arguments": {k: v for k, v in vars(arguments).items() if k != "json"},
                       "chosen_epoch": best[1], "test_accuracy": chosen_accuracy, "train_seconds": training_seconds,
                       "epochs": epochs}, handle, indent=1)


if __name__ == "__main__":
    main()
