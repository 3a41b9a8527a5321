#!/usr/bin/env python3
"""torch.nn.TransformerEncoderLayer at bench/StepMemoryTiming's encoder case, the peer of that program.

d_model 256, 8 heads, dim_feedforward 1024, dropout 0.1, batch_first, training mode; input
(32, 128, 256). "forward" runs under no_grad; "forwardBackward" backpropagates sum(out) into the
parameters' gradients. Ten untimed steps, then `--steps` timed ones; prints one JSON line with the
median and mean milliseconds. Run with OMP_WAIT_POLICY=PASSIVE.
"""
import argparse
import json
import statistics
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("mode", choices=["forward", "forwardBackward"])
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(256, 8, dim_feedforward=1024, dropout=0.1, batch_first=True)
    layer.train()
    x = torch.randn(32, 128, 256)

    def step():
        if args.mode == "forward":
            with torch.no_grad():
                layer(x)
        else:
            layer.zero_grad(set_to_none=True)
            layer(x).sum().backward()

    for _ in range(10):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({"case": "encoder", "mode": args.mode, "impl": "pytorch " + torch.__version__,
                      "median_ms": statistics.median(times), "mean_ms": statistics.mean(times),
                      "steps": args.steps, "threads": args.threads}), flush=True)


if __name__ == "__main__":
    main()
