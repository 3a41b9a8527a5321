#!/usr/bin/env python3
"""Streaming inference latency in PyTorch, the peer to bench/StreamingBench.java: one torch.nn.LSTM /
torch.nn.GRU layer, input 512, hidden 512, batch 1, batch-first, float32, CPU; each call is one time
step, layer(x_t, state) under torch.no_grad() with the state carried to the next call (the same work
as Sequor's RecurrentStream.feed of a (1, 1, 512) chunk). Warms up for --warmup seconds, then times
--steps calls one by one. Run with OMP_WAIT_POLICY=PASSIVE. Prints one JSON line per kind, p50 and
p99 in microseconds, engine "pytorch".
"""
import argparse
import json
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--warmup", type=float, default=2.0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for kind in ("lstm", "gru"):
        torch.manual_seed(1)
        layer = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(512, 512, num_layers=1, batch_first=True)
        x = torch.rand(1, 1, 512) * 2 - 1
        state = [None]

        def once():
            with torch.no_grad():
                _, state[0] = layer(x, state[0])

        end = time.perf_counter() + a.warmup
        while time.perf_counter() < end:
            once()
        us = []
        for _ in range(a.steps):
            t0 = time.perf_counter()
            once()
            us.append((time.perf_counter() - t0) * 1e6)
        us.sort()
        print(json.dumps({"case": f"{kind} H512 B1", "engine": "pytorch", "threads": str(a.threads),
                          "p50_us": round(us[len(us) // 2], 1), "p99_us": round(us[int(len(us) * 0.99)], 1),
                          "steps": a.steps, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
