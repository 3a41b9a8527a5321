#!/usr/bin/env python3
"""PyTorch's C = A @ B (float32, CPU) at the GEMM benchmark's shapes, as the peer to bench/GemmBench.

Run with OMP_WAIT_POLICY=PASSIVE (else OpenMP spin-waits fight OpenBLAS's threads on 2 cores).
Prints one JSON object per shape: the median GFLOP/s over repeats, each repeat timing enough
products to last about 0.1 s.
"""
import argparse
import json
import statistics
import time

import torch


def measure(m, n, k, repeats):
    a = torch.rand(m, k) * 2 - 1
    b = torch.rand(k, n) * 2 - 1
    c = torch.empty(m, n)
    flops = 2.0 * m * n * k
    for _ in range(3):
        torch.mm(a, b, out=c)
    start = time.perf_counter()
    torch.mm(a, b, out=c)
    once = time.perf_counter() - start
    calls = max(1, int(0.1 / max(once, 1e-6)))
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            torch.mm(a, b, out=c)
        rates.append(flops * calls / (time.perf_counter() - start) / 1e9)
    return statistics.median(rates), rates


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("shapes", nargs="*", default=["1024x1024x1024", "64x2048x1024", "3200x1024x256"])
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    for shape in args.shapes:
        m, n, k = (int(v) for v in shape.split("x"))
        med, rates = measure(m, n, k, args.repeats)
        print(json.dumps({"shape": shape, "gflops": med, "threads": args.threads,
                          "torch": torch.__version__, "repeats": [round(r, 1) for r in rates]}), flush=True)


if __name__ == "__main__":
    main()
