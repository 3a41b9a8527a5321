#!/usr/bin/env bash
# GEMM side by side: Sequor (JMH, bench/GemmBench) and PyTorch (bench/pytorch/gemm.py) in one run,
# on the same machine and thread count. Prints per shape: Sequor GFLOP/s, PyTorch GFLOP/s, ratio
# (medians). Usage: bench/run-gemm.sh [backend] [threads]   (defaults: cpu-simd, 2)
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND="${1:-cpu-simd}"
THREADS="${2:-2}"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OUT="$(mktemp -d)"

mvn -q -pl bench -am package -DskipTests
"$JAVA" -jar bench/target/benchmarks.jar \
    GemmBench -p backend="$BACKEND" -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g -Dsequor.simd.threads=$THREADS" \
    -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.log" 2>&1 || { cat "$OUT/jmh.log"; exit 1; }
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/pytorch/gemm.py --threads "$THREADS" \
    >"$OUT/torch.jsonl"

/usr/bin/python3 - "$OUT/jmh.json" "$OUT/torch.jsonl" "$BACKEND" "$THREADS" <<'PY'
import json, statistics, sys
jmh = json.load(open(sys.argv[1]))
torch = {r["shape"]: r for r in map(json.loads, open(sys.argv[2]))}
print(f"GEMM C = A*B, float32, {sys.argv[4]} threads; medians of JMH iterations / PyTorch repeats")
print(f"{'M x N x K':>16} {'Sequor ' + sys.argv[3]:>18} {'PyTorch':>10} {'ratio':>7}")
for r in jmh:
    shape = r["params"]["shape"]
    m, n, k = (int(v) for v in shape.split("x"))
    ms = statistics.median(v for it in r["primaryMetric"]["rawData"] for v in it)
    ours = 2.0 * m * n * k / (ms * 1e-3) / 1e9
    theirs = torch[shape]["gflops"]
    print(f"{shape:>16} {ours:>13.1f} GF/s {theirs:>6.1f} GF/s {ours / theirs:>6.2f}x")
print(f"(PyTorch {next(iter(torch.values()))['torch']}; raw JMH log and JSON in {sys.argv[1].rsplit('/', 1)[0]})")
PY
