#!/usr/bin/env bash
# One LSTM layer's forward (B=32, T=100, 256 -> 256) side by side: Sequor (JMH, bench/LstmBench)
# and PyTorch's torch.nn.LSTM (bench/pytorch/lstm.py), same machine and thread count, one after the
# other. Prints the median milliseconds of each and the speed-up.
# Usage: bench/run-lstm.sh [backend] [threads]   (defaults: cpu-simd, 2)
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND="${1:-cpu-simd}"
THREADS="${2:-2}"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OUT="$(mktemp -d)"

mvn -q -pl bench -am package -DskipTests
"$JAVA" -jar bench/target/benchmarks.jar LstmBench -p backend="$BACKEND" \
    -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g -Dsequor.simd.threads=$THREADS" \
    -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.log" 2>&1 || { cat "$OUT/jmh.log"; exit 1; }
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/pytorch/lstm.py --threads "$THREADS" \
    >"$OUT/torch.json"

/usr/bin/python3 - "$OUT" "$BACKEND" "$THREADS" <<'PY'
import json, statistics, sys
out, backend, threads = sys.argv[1:4]
r = json.load(open(out + "/jmh.json"))[0]
ours = statistics.median(v for it in r["primaryMetric"]["rawData"] for v in it)
torch = json.load(open(out + "/torch.json"))
print(f"LSTM forward B=32 T=100 256->256, float32, {threads} threads; medians")
print(f"Sequor {backend}: {ours:.1f} ms   PyTorch {torch['torch']}: {torch['ms']:.1f} ms   "
      f"speed-up {torch['ms'] / ours:.2f}x")
print(f"(JMH log and JSON in {out})")
PY
