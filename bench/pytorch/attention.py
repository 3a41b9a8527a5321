#!/usr/bin/env python3
"""torch.nn.MultiheadAttention(batch_first=True) at bench/AttentionBench's cases, the peer of that benchmark.

One case and mode per process, so peak memory is that case's own: ru_maxrss (peak resident set
of this process) is read after building the layer and input, and again after the first timed-shape
call; the growth is what that call needed at its peak (tracemalloc cannot see torch tensors).
Then prints one JSON line: the median milliseconds per call over repeats.

Run with OMP_WAIT_POLICY=PASSIVE (else OpenMP spin-waits fight OpenBLAS's threads on 2 cores).
E = 256, 8 heads; need_weights=False as Sequor's layer computes no weights unless asked; causal
cases pass the (T, T) boolean mask (torch 1.13's MultiheadAttention has no is_causal flag).
"""
import argparse
import json
import resource
import statistics
import time

import torch


def maxrss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=6.0, help="time budget for the timed calls")
    p.add_argument("shape", help="BxT, with a trailing c for causal")
    p.add_argument("mode", choices=["forward", "forwardBackward"])
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    causal = args.shape.endswith("c")
    b, t = (int(v) for v in args.shape.rstrip("c").split("x"))
    mha = torch.nn.MultiheadAttention(256, 8, batch_first=True)
    x = torch.randn(b, t, 256)
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1) if causal else None
    if args.mode == "forward":
        mha.eval()

        def call():
            with torch.no_grad():
                mha(x, x, x, attn_mask=mask, need_weights=False)
    else:
        def call():
            mha.zero_grad(set_to_none=True)
            out, _ = mha(x, x, x, attn_mask=mask, need_weights=False)
            out.sum().backward()

    before = maxrss_mib()
    call()
    peak = maxrss_mib() - before
    call()
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - start < args.seconds and len(times) < 200):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({"shape": args.shape, "mode": args.mode, "ms": statistics.median(times),
                      "peak_rss_growth_mib": round(peak, 1), "calls": len(times), "threads": args.threads,
                      "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
