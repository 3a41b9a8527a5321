#!/usr/bin/env python3
"""torch.nn.LSTM / torch.nn.GRU (single layer, batch-first, float32, CPU) at RnnBench's cases, as the
peer to bench/RnnBench.java. Same passes: forward under torch.no_grad(); forward+backward as
out.sum().backward() with gradients for the parameters only (x needs none), grads set to None first.

Run with OMP_WAIT_POLICY=PASSIVE (else OpenMP spin-waits fight the BLAS threads on 2 cores).
Prints one JSON object per case and round, with every timed iteration in milliseconds, in the
format RnnBench prints, engine "pytorch".
"""
import argparse
import json
import time

import torch

SHAPES = [(32, 100, 256, 256), (64, 50, 512, 512)]


def flops(kind, b, t, i, h, backward):
    g = 4 if kind == "lstm" else 3
    f = 2.0 * b * t * g * h * (i + h)
    return f + 2.0 * b * t * g * h * (i + 2 * h) if backward else f


def case(kind, b, t, i, h, backward, warmup, reps):
    torch.manual_seed(1)
    layer = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(i, h, num_layers=1, batch_first=True)
    x = torch.rand(b, t, i) * 2 - 1

    def once():
        if backward:
            layer.zero_grad(set_to_none=True)
            out, _ = layer(x)
            out.sum().backward()
        else:
            with torch.no_grad():
                layer(x)

    for _ in range(warmup):
        once()
    ms = []
    for _ in range(reps):
        start = time.perf_counter()
        once()
        ms.append((time.perf_counter() - start) * 1e3)
    return ms


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--kinds", default="lstm,gru")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for _ in range(a.rounds):
        for kind in a.kinds.split(","):
            for (b, t, i, h) in SHAPES:
                for backward in (False, True):
                    ms = case(kind, b, t, i, h, backward, a.warmup, a.reps)
                    name = f"{kind} B{b} T{t} {i}->{h} " + ("fwd+bwd" if backward else "fwd")
                    print(json.dumps({"engine": "pytorch", "case": name, "torch": torch.__version__,
                                      "gflop": flops(kind, b, t, i, h, backward) / 1e9, "ms": ms}), flush=True)


if __name__ == "__main__":
    main()
