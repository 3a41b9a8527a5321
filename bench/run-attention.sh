#!/usr/bin/env bash
# MultiHeadAttention side by side: Sequor (JMH, bench/AttentionBench) and torch.nn.MultiheadAttention
# (bench/pytorch/attention.py) in one run, same machine, same thread count, alternating case by case
# (and round by round) so load from other processes falls on both alike. E = 256, 8 heads,
# batch-first self-attention; B=32 T=128, and B=1 T=4096 causal; inference forward and forward+backward.
# Prints per case: Sequor ms and PyTorch ms (medians over JMH iterations / PyTorch calls), the ratio
# PyTorch/Sequor (above 1: Sequor is faster), and memory: Sequor's bytes allocated per call (JMH gc
# profiler, all threads; a heap float[] per tensor, so this bounds the extra memory a call can hold)
# and PyTorch's peak-RSS growth over its first call (ru_maxrss in a fresh process per case).
# Usage: bench/run-attention.sh [backend] [threads] [rounds]   (defaults: cpu-simd, 2, 1)
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND="${1:-cpu-simd}"
THREADS="${2:-2}"
ROUNDS="${3:-1}"
SHAPES="32x128 1x4096c"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OUT="$(mktemp -d)"

mvn -q -pl bench -am package -DskipTests
for round in $(seq "$ROUNDS"); do
  for shape in $SHAPES; do
    "$JAVA" -jar bench/target/benchmarks.jar 'AttentionBench' -p backend="$BACKEND" -p shape="$shape" -prof gc \
        -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx8g -Dsequor.simd.threads=$THREADS" \
        -rf json -rff "$OUT/jmh-$shape-$round.json" >"$OUT/jmh-$shape-$round.log" 2>&1 \
        || { cat "$OUT/jmh-$shape-$round.log"; exit 1; }
    for mode in forward forwardBackward; do
      OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/pytorch/attention.py \
          --threads "$THREADS" "$shape" "$mode" >>"$OUT/torch.jsonl"
    done
  done
done

/usr/bin/python3 - "$OUT" "$BACKEND" "$THREADS" <<'PY'
import glob, json, statistics, sys
out, backend, threads = sys.argv[1:4]
ours, alloc, theirs, rss, version = {}, {}, {}, {}, "?"
for f in sorted(glob.glob(out + "/jmh-*.json")):
    for r in json.load(open(f)):
        key = (r["params"]["shape"], r["benchmark"].rsplit(".", 1)[1])
        for it in r["primaryMetric"]["rawData"]:
            ours.setdefault(key, []).extend(it)
        norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        if norm:
            alloc.setdefault(key, []).append(norm["score"])
for line in open(out + "/torch.jsonl"):
    r = json.loads(line)
    key = (r["shape"], r["mode"])
    theirs.setdefault(key, []).append(r["ms"])
    rss.setdefault(key, []).append(r["peak_rss_growth_mib"])
    version = r["torch"]
print(f"MultiHeadAttention E=256 heads=8, float32, {threads} threads; ms = median per call")
print(f"{'case':>26} {'Sequor ms':>10} {'PyTorch ms':>11} {'PyT/Seq':>8} {'Sequor alloc/call':>18} {'PyTorch peak RSS+':>18}")
for key in ours:
    o, t = statistics.median(ours[key]), statistics.median(theirs[key])
    a = statistics.median(alloc[key]) / 2**20 if key in alloc else float("nan")
    m = statistics.median(rss[key])
    print(f"{key[0] + ' ' + key[1]:>26} {o:>10.1f} {t:>11.1f} {t / o:>7.2f}x {a:>14.1f} MiB {m:>14.1f} MiB")
print(f"(Sequor {backend}; PyTorch {version}, OMP_WAIT_POLICY=PASSIVE; JMH logs, JSON in {out})")
PY
