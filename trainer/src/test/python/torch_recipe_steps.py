#!/usr/bin/env python3
"""PyTorch float64 expectations for TorchRecipeStepsTest: a few training steps of a tiny MLP
with each recipe feature (weight decay, gradient clipping, learning-rate schedules, dropout of
hidden units and of inputs), computed by autograd, torch.optim and torch.optim.lr_scheduler in float64.

Dropout masks are not PyTorch's own generator: they are DropoutMask's definition (api),
Philox4x32-10 implemented here independently in Python integers, so the test checks bp4j's
device-generated masks and their backward pass at once.

Rerun (CPU torch is enough) to regenerate the resource:
    python3 trainer/src/test/python/torch_recipe_steps.py \
        > trainer/src/test/resources/dev/bp4j/trainer/train/torch-recipe-steps.json
"""
import json
import math

import numpy as np
import torch

M32 = 0xFFFFFFFF


def philox4x32_10(counter, key):
    c0, c1, c2, c3 = counter
    k0, k1 = key
    for _ in range(10):
        p0 = 0xD2511F53 * c0
        p1 = 0xCD9E8D57 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0) & M32, p1 & M32, ((p0 >> 32) ^ c3 ^ k1) & M32, p0 & M32
        k0 = (k0 + 0x9E3779B9) & M32
        k1 = (k1 + 0xBB67AE85) & M32
    return c0, c1, c2, c3


def keep_mask(rows, cols, rate, seed, stream):
    """DropoutMask.keeps for every element of a rows × cols matrix, as 0/1 float64."""
    threshold = min(0xFFFF, math.floor(float(np.float32(rate)) * 65536.0 + 0.5))
    key = (seed & M32, (seed >> 32) & M32)
    mask = np.zeros(rows * cols)
    for e in range(rows * cols):
        block = (e >> 7) * 16 + (e & 15)
        words = philox4x32_10((block, 0, stream & M32, (stream >> 32) & M32), key)
        bits = (words[(e >> 4) & 3] >> (16 * ((e >> 6) & 1))) & 0xFFFF
        mask[e] = 1.0 if bits >= threshold else 0.0
    return torch.tensor(mask.reshape(rows, cols), dtype=torch.float64)


def f32(values):
    """float32 values, so both sides start from numbers float32 holds exactly."""
    return np.asarray(values, dtype=np.float32).astype(np.float64)


ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


def schedule(optimizer, case):
    kind, warmup = case["schedule"], case["warmup_steps"]
    steps = case["steps"]
    if kind == "constant":
        main = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: 1.0)
    elif kind == "step":
        main = torch.optim.lr_scheduler.StepLR(optimizer, step_size=case["step_epochs"], gamma=case["gamma"])
    else:
        main = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps - warmup, eta_min=0.0)
    if warmup == 0:
        return main
    warm = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0 / warmup, end_factor=1.0, total_iters=warmup - 1)
    return torch.optim.lr_scheduler.SequentialLR(optimizer, [warm, main], milestones=[warmup])


def run(case, rng):
    widths = case["widths"]
    batch = case["batch"]
    weights = [f32(rng.uniform(-0.6, 0.6, (widths[l + 1], widths[l]))) for l in range(len(widths) - 1)]
    biases = [f32(rng.uniform(-0.2, 0.2, widths[l + 1])) for l in range(len(widths) - 1)]
    x = f32(rng.uniform(-1, 1, (batch, widths[0])))
    labels = rng.integers(0, widths[-1], batch)
    y = np.eye(widths[-1])[labels]
    case.update(initial_weights=[w.ravel().tolist() for w in weights], initial_biases=[b.tolist() for b in biases],
                features=x.ravel().tolist(), targets=y.ravel().tolist())

    W = [torch.tensor(w, requires_grad=True) for w in weights]
    B = [torch.tensor(b, requires_grad=True) for b in biases]
    decay = case["weight_decay"]
    groups = [{"params": W, "weight_decay": decay}, {"params": B, "weight_decay": 0.0}]
    lr = float(np.float32(case["learning_rate"]))
    if case["optimizer"] == "sgd":
        optimizer = torch.optim.SGD(groups, lr=lr)
    elif case["optimizer"] == "momentum":
        optimizer = torch.optim.SGD(groups, lr=lr, momentum=float(np.float32(0.9)))
    else:
        optimizer = torch.optim.AdamW(groups, lr=lr, betas=(float(np.float32(0.9)), float(np.float32(0.999))),
                                      eps=float(np.float32(1e-8)))
    scheduler = schedule(optimizer, case)
    f = ACTIVATIONS[case["activation"]]
    xt = torch.tensor(x)
    target = torch.tensor(labels)
    layers = len(W)
    rates, losses = [], []
    for step in range(1, case["steps"] + 1):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.zero_grad()
        a = xt
        if case["input_dropout"] > 0:
            p = float(np.float32(case["input_dropout"]))
            a = a * keep_mask(batch, widths[0], case["input_dropout"], case["dropout_seed"], step * layers + layers - 1) / (1 - p)
        for l in range(layers - 1):
            a = f(a @ W[l].T + B[l])
            if case["dropout"] > 0:
                p = float(np.float32(case["dropout"]))
                a = a * keep_mask(batch, widths[l + 1], case["dropout"], case["dropout_seed"], step * layers + l) / (1 - p)
        logits = a @ W[-1].T + B[-1]
        loss = torch.nn.functional.cross_entropy(logits, target)
        losses.append(loss.item())
        loss.backward()
        if case["clip_norm"] > 0:
            torch.nn.utils.clip_grad_norm_(W + B, float(np.float32(case["clip_norm"])))
        optimizer.step()
        scheduler.step()
    case.update(rates=rates, losses=losses, expected_weights=[w.detach().numpy().ravel().tolist() for w in W],
                expected_biases=[b.detach().numpy().tolist() for b in B])
    return case


def case(name, **overrides):
    base = dict(name=name, widths=[5, 6, 6, 3], batch=8, activation="relu", optimizer="sgd", learning_rate=0.1,
                weight_decay=0.0, clip_norm=0.0, schedule="constant", warmup_steps=0, step_epochs=1, gamma=1.0, steps=1,
                dropout=0.0, input_dropout=0.0, dropout_seed=0)
    base.update(overrides)
    return base


CASES = [
    case("one plain sgd step"),
    case("sgd, L2 weight decay", activation="tanh", weight_decay=0.1, steps=3),
    case("momentum, L2 weight decay", activation="sigmoid", optimizer="momentum", weight_decay=0.05, steps=3),
    case("adamw, decoupled weight decay", optimizer="adam", learning_rate=0.01, weight_decay=0.1, steps=3),
    case("momentum, clipped to norm 0.05", optimizer="momentum", clip_norm=0.05, steps=3),
    case("sgd, clip norm above the gradient's", activation="tanh", clip_norm=100.0, steps=2),
    case("adam, cosine after 2 warm-up steps", optimizer="adam", learning_rate=0.01, schedule="cosine", warmup_steps=2, steps=6),
    case("sgd, step schedule x0.5 every 2 steps", schedule="step", step_epochs=2, gamma=0.5, steps=5),
    case("momentum, constant after 3 warm-up steps", optimizer="momentum", warmup_steps=3, steps=5),
    case("sgd, dropout 0.3", dropout=0.3, dropout_seed=0x1234_5678_9ABC_DEF0, steps=3),
    case("adamw, dropout 0.5, clipping and cosine", activation="tanh", optimizer="adam", learning_rate=0.01, weight_decay=0.05,
         clip_norm=0.5, schedule="cosine", warmup_steps=2, steps=4, dropout=0.5, dropout_seed=987654321),
    case("sgd, input dropout 0.2", input_dropout=0.2, dropout_seed=0x0FED_CBA9_8765_4321, steps=3),
    case("momentum, input dropout 0.25 and dropout 0.4", optimizer="momentum", weight_decay=0.01, input_dropout=0.25,
         dropout=0.4, dropout_seed=424242, steps=3),
]

if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(20)
    cases = [run(c, rng) for c in CASES]
    print(json.dumps({"generator": "trainer/src/test/python/torch_recipe_steps.py", "torch": torch.__version__,
                      "cases": cases}, indent=1))
