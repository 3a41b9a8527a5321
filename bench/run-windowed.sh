#!/usr/bin/env bash
# Causal sliding-window attention (window 256) against global causal attention, forward+backward on
# q, k, v (1, 8, T, 64): Sequor's fused attention kernel (bench/WindowedAttentionBench) and PyTorch
# (bench/pytorch/windowed_attention.py: the banded "sliding chunks" form and the full (T, T) form) in
# one run, same machine and thread count, alternating round by round so load from other processes
# falls on both alike. Prints per T the medians over rounds, the ratios, the memory (Sequor: the most
# buffer bytes held at once; PyTorch: peak-RSS growth over its first call) and the least-squares slope
# of log(ms) and log(memory) on log(T) for the windowed kernel (1 = linear in T).
# Usage: bench/run-windowed.sh [backend] [rounds] [threads]   (defaults: cpu-simd, 3, 2)
# Sequor global runs up to T = 16384, PyTorch window up to 32768 and PyTorch global up to 4096
# (their time grows as T^2, or PyTorch's simply runs for minutes); set SEQ_GLOBAL_MAX, TORCH_WINDOW_MAX,
# TORCH_GLOBAL_MAX to change that; REPS (default 3) is the timed calls per size in each Sequor round.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND="${1:-cpu-simd}"
ROUNDS="${2:-3}"
THREADS="${3:-2}"
LENGTHS="1024 2048 4096 8192 16384 32768 65536"
SEQ_GLOBAL_MAX="${SEQ_GLOBAL_MAX:-16384}"
TORCH_WINDOW_MAX="${TORCH_WINDOW_MAX:-32768}"
TORCH_GLOBAL_MAX="${TORCH_GLOBAL_MAX:-4096}"
REPS="${REPS:-3}"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OUT="$(mktemp -d)"

mvn -q -pl bench -am package -DskipTests -Dmaven.javadoc.skip=true
for round in $(seq "$ROUNDS"); do
  "$JAVA" --add-modules jdk.incubator.vector -Xmx12g -Dsequor.simd.threads="$THREADS" \
      -cp bench/target/benchmarks.jar dev.sequor.bench.WindowedAttentionBench "$BACKEND" 256 "$REPS" "$SEQ_GLOBAL_MAX" \
      $LENGTHS >>"$OUT/sequor.jsonl" 2>"$OUT/sequor-$round.log" || { cat "$OUT/sequor-$round.log"; exit 1; }
  for t in $LENGTHS; do
    for kind in window global; do
      max=$([ "$kind" = window ] && echo "$TORCH_WINDOW_MAX" || echo "$TORCH_GLOBAL_MAX")
      [ "$t" -le "$max" ] || continue
      OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/pytorch/windowed_attention.py \
          --threads "$THREADS" "$t" "$kind" >>"$OUT/torch.jsonl"
    done
  done
done

/usr/bin/python3 - "$OUT" "$BACKEND" "$THREADS" <<'PY'
import json, math, statistics, sys
out, backend, threads = sys.argv[1:4]
def load(path, key):
    d = {}
    for line in open(path):
        r = json.loads(line)
        d.setdefault((r["T"], r["kind"]), []).append(r[key])
    return d
ms, mib = load(out + "/sequor.jsonl", "ms"), load(out + "/sequor.jsonl", "peak_mib")
tms, trss = load(out + "/torch.jsonl", "ms"), load(out + "/torch.jsonl", "peak_rss_growth_mib")
version = json.loads(open(out + "/torch.jsonl").readline())["torch"]
med = lambda d, k: statistics.median(d[k]) if k in d else float("nan")
print(f"causal attention fwd+bwd, q k v (1, 8, T, 64), window 256, float32, {threads} threads; ms = median over rounds")
print(f"{'T':>6} {'window ms':>10} {'global ms':>10} {'glob/win':>8} {'win MiB':>8} {'glob MiB':>8}"
      f" {'PyT win ms':>11} {'PyT/Seq':>8} {'PyT win MiB':>11} {'PyT glob ms':>11}")
ts = sorted({t for t, _ in ms})
for t in ts:
    w, g = med(ms, (t, "window")), med(ms, (t, "global"))
    tw = med(tms, (t, "window"))
    print(f"{t:>6} {w:>10.1f} {g:>10.1f} {g / w:>7.1f}x {med(mib, (t, 'window')):>8.1f} {med(mib, (t, 'global')):>8.1f}"
          f" {tw:>11.1f} {tw / w:>7.1f}x {med(trss, (t, 'window')):>11.1f} {med(tms, (t, 'global')):>11.1f}")
def slope(d):
    xs = [math.log(t) for t in ts]
    ys = [math.log(med(d, (t, "window"))) for t in ts]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
print(f"slope of log on log(T), Sequor window: time {slope(ms):.2f}, memory {slope(mib):.2f} (1 = linear)")
print(f"(Sequor {backend}; PyTorch {version}, OMP_WAIT_POLICY=PASSIVE; raw JSON in {out})")
PY
