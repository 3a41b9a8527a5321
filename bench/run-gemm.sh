#!/usr/bin/env bash
# GEMM side by side: Sequor (JMH, bench/GemmBench) and PyTorch (bench/pytorch/gemm.py) in one run,
# same machine, same thread count. The two alternate shape by shape (and round by round), so load
# from other processes falls on both alike. Prints per shape: Sequor GFLOP/s, PyTorch GFLOP/s and
# their ratio, each the median over all of that side's timed iterations.
# Usage: bench/run-gemm.sh [backend] [threads] [rounds]   (defaults: cpu-simd, 2, 1)
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND="${1:-cpu-simd}"
THREADS="${2:-2}"
ROUNDS="${3:-1}"
SHAPES="1024x1024x1024 64x2048x1024 3200x1024x256"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OUT="$(mktemp -d)"

mvn -q -pl bench -am package -DskipTests
for round in $(seq "$ROUNDS"); do
  for shape in $SHAPES; do
    "$JAVA" -jar bench/target/benchmarks.jar GemmBench -p backend="$BACKEND" -p shape="$shape" \
        -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g -Dsequor.simd.threads=$THREADS" \
        -rf json -rff "$OUT/jmh-$shape-$round.json" >"$OUT/jmh-$shape-$round.log" 2>&1 \
        || { cat "$OUT/jmh-$shape-$round.log"; exit 1; }
    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/pytorch/gemm.py \
        --threads "$THREADS" "$shape" >>"$OUT/torch.jsonl"
  done
done

/usr/bin/python3 - "$OUT" "$BACKEND" "$THREADS" <<'PY'
import glob, json, statistics, sys
out, backend, threads = sys.argv[1:4]
ours, theirs, version = {}, {}, "?"
for f in sorted(glob.glob(out + "/jmh-*.json")):
    for r in json.load(open(f)):
        shape = r["params"]["shape"]
        m, n, k = (int(v) for v in shape.split("x"))
        for it in r["primaryMetric"]["rawData"]:
            ours.setdefault(shape, []).extend(2.0 * m * n * k / (ms * 1e-3) / 1e9 for ms in it)
for line in open(out + "/torch.jsonl"):
    r = json.loads(line)
    theirs.setdefault(r["shape"], []).extend(r["repeats"])
    version = r["torch"]
print(f"GEMM C = A*B, float32, {threads} threads; medians of JMH iterations / PyTorch repeats")
print(f"{'M x N x K':>16} {'Sequor ' + backend:>18} {'PyTorch':>12} {'ratio':>7}")
for shape in ours:
    o, t = statistics.median(ours[shape]), statistics.median(theirs[shape])
    print(f"{shape:>16} {o:>13.1f} GF/s {t:>7.1f} GF/s {o / t:>6.2f}x")
print(f"(PyTorch {version}; JMH logs and JSON in {out})")
PY
