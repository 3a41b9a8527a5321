#!/usr/bin/env python3
"""Causal sliding-window and global attention forward+backward in PyTorch, the peer of
bench/WindowedAttentionBench: q, k, v (1, 8, T, 64), query i sees keys [i - w + 1, i].

torch 1.13 (Debian's) has no fused attention, so both are written the way a PyTorch user would:
  window: the banded "sliding chunks" form (as in Longformer): queries in blocks of w rows, each
          block scored against the 2w keys [i0 - w, i0 + w) gathered with unfold, the band masked;
          O(T w) time and memory.
  global: scores (T, T) with the causal mask, softmax, times v; O(T^2) time and memory.
Before timing, the window form is checked against the global form under the band mask (T = 3w).
One case per process, so the peak-RSS growth over the first call is that case's own.
Prints one JSON line: the median milliseconds per call over repeats.
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn.functional as F


def maxrss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def global_attention(q, k, v, w=None):
    t = q.shape[-2]
    i = torch.arange(t).view(t, 1)
    j = torch.arange(t).view(1, t)
    hidden = j > i if w is None else (j > i) | (j <= i - w)
    s = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    return torch.softmax(s.masked_fill(hidden, float("-inf")), -1) @ v


def window_attention(q, k, v, w):
    b, h, t, e = q.shape
    assert t % w == 0, f"T={t} must be a multiple of the window {w}"
    n = t // w
    qb = q.reshape(b, h, n, w, e)                       # (B, H, n, w, E)
    kb = F.pad(k, (0, 0, w, 0)).unfold(2, 2 * w, w)     # (B, H, n, E, 2w): keys [i0 - w, i0 + w)
    vb = F.pad(v, (0, 0, w, 0)).unfold(2, 2 * w, w)     # (B, H, n, E, 2w)
    s = (qb @ kb) / math.sqrt(e)                        # (B, H, n, w, 2w)
    r = torch.arange(w).view(w, 1)
    c = torch.arange(2 * w).view(1, 2 * w)
    hidden = (c <= r) | (c > r + w)                     # key i0 - w + c outside [i - w + 1, i]
    first = hidden | (c < w)                            # block 0: the padding keys before position 0
    mask = torch.cat([first.unsqueeze(0), hidden.unsqueeze(0).expand(n - 1, w, 2 * w)])  # (n, w, 2w)
    p = torch.softmax(s.masked_fill(mask, float("-inf")), -1)
    return (p @ vb.transpose(-1, -2)).reshape(b, h, t, e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--window", type=int, default=256)
    ap.add_argument("--seconds", type=float, default=4.0, help="time budget for the timed calls")
    ap.add_argument("T", type=int)
    ap.add_argument("kind", choices=["window", "global"])
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    w = args.window

    small = [torch.randn(1, 2, 3 * w, 16, dtype=torch.float64) for _ in range(3)]
    err = (window_attention(*small, w) - global_attention(*small, w)).abs().max().item()
    assert err < 1e-10, f"window form differs from the band-masked global form by {err}"

    q, k, v = (torch.randn(1, 8, args.T, 64, requires_grad=True) for _ in range(3))
    fn = window_attention if args.kind == "window" else global_attention

    def call():
        for x in (q, k, v):
            x.grad = None
        fn(q, k, v, w).sum().backward() if args.kind == "window" else fn(q, k, v).sum().backward()

    before = maxrss_mib()
    call()
    peak = maxrss_mib() - before
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < args.seconds and len(times) < 50):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({"T": args.T, "window": w, "kind": args.kind, "ms": statistics.median(times),
                      "peak_rss_growth_mib": round(peak, 1), "calls": len(times), "threads": args.threads,
                      "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
