#!/usr/bin/env bash
# Streaming inference latency, LSTM H512 and GRU H512, batch 1, one step per call: Sequor
# (bench/StreamingBench on cpu-simd or the backend named) and Debian's PyTorch
# (bench/pytorch/streaming.py) at 1 and 2 threads, alternating round by round so load from other
# processes falls on both alike. Prints per case and thread count the medians over rounds of p50
# and p99 in microseconds and Sequor's ratio (< 1: Sequor faster).
# Usage: bench/run-streaming.sh [rounds] [backend] [java options...]   (defaults: 3 rounds, cpu-simd)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
BACKEND="${2:-cpu-simd}"
shift $(( $# > 2 ? 2 : $# ))
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OUT="$(mktemp -d)"

mvn -q -o -pl bench -am compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$PWD/bench/target/streaming-classpath.txt"
CP="bench/target/classes:$(cat bench/target/streaming-classpath.txt)"
export OMP_WAIT_POLICY=PASSIVE

for round in $(seq "$ROUNDS"); do
  for threads in 1 2; do
    "$JAVA" --add-modules jdk.incubator.vector -Xmx2g "$@" -Dsequor.simd.threads="$threads" \
        -cp "$CP" dev.sequor.bench.StreamingBench "$BACKEND" >>"$OUT/jvm.jsonl" 2>"$OUT/jvm-$round-$threads.log" \
        || { cat "$OUT/jvm-$round-$threads.log"; exit 1; }
    OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" \
        /usr/bin/python3 bench/pytorch/streaming.py --threads "$threads" >>"$OUT/torch.jsonl"
  done
done

/usr/bin/python3 - "$OUT" <<'PY'
import collections, json, statistics, sys
out = sys.argv[1]
p50, p99, keys, version = collections.defaultdict(list), collections.defaultdict(list), [], "?"
for f in ("jvm.jsonl", "torch.jsonl"):
    for line in open(f"{out}/{f}"):
        if line.startswith("{"):
            r = json.loads(line)
            k = (r["case"], r["threads"])
            p50[k + (r["engine"],)].append(r["p50_us"])
            p99[k + (r["engine"],)].append(r["p99_us"])
            version = r.get("torch", version)
            if k not in keys:
                keys.append(k)
med = lambda d, k: statistics.median(d[k]) if d.get(k) else float("nan")
print("Streaming, batch 1, one step per call; medians over rounds of p50 / p99, microseconds")
print(f"{'case':14} {'thr':>3} {'Sequor p50':>11} {'p99':>8} {'PyTorch p50':>12} {'p99':>8} {'p50 ratio':>10} {'p99/p50':>8}")
for c, t in keys:
    s50, s99 = med(p50, (c, t, "sequor")), med(p99, (c, t, "sequor"))
    t50, t99 = med(p50, (c, t, "pytorch")), med(p99, (c, t, "pytorch"))
    print(f"{c:14} {t:>3} {s50:11.1f} {s99:8.1f} {t50:12.1f} {t99:8.1f} {s50 / t50:9.2f}x {s99 / s50:8.2f}")
print(f"(PyTorch {version} from Debian; ratio = Sequor / PyTorch, < 1 means Sequor is faster; raw data in {out})")
PY
