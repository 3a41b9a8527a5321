#!/usr/bin/env python3
"""PyTorch's torch.nn.LSTM forward (B=32, T=100, 256 -> 256, batch-first, float32, CPU, no grad),
the peer of bench/LstmBench. Run with OMP_WAIT_POLICY=PASSIVE. Prints one JSON object: the median
milliseconds per forward over repeats, and the raw repeats.
"""
import argparse
import json
import statistics
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=10.0)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    lstm = torch.nn.LSTM(256, 256, batch_first=True)
    x = torch.rand(32, 100, 256) * 2 - 1
    times = []
    with torch.no_grad():
        for _ in range(3):
            lstm(x)
        end = time.perf_counter() + args.seconds
        while time.perf_counter() < end:
            start = time.perf_counter()
            lstm(x)
            times.append((time.perf_counter() - start) * 1e3)
    print(json.dumps({"ms": statistics.median(times), "threads": args.threads, "torch": torch.__version__,
                      "repeats": [round(t, 2) for t in times]}), flush=True)


if __name__ == "__main__":
    main()
