#!/usr/bin/env bash
# LSTM and GRU side by side: Sequor (bench/RnnBench, cpu-simd or the backend named), libtorch 2.7.1 + MKL through DJL
# 0.35.1 in the same JVM (built with -Pdjl; pass --no-djl to skip it), and Debian's PyTorch
# (bench/pytorch/rnn.py), single layer, at (B=32, T=100, 256->256) and (B=64, T=50, 512->512),
# forward and forward+backward. The JVM (Sequor and libtorch alternating iteration by iteration) and
# PyTorch alternate round by round, so load from other processes falls on all alike. Prints per
# case the median milliseconds of each, Sequor's ratio to each (< 1: Sequor faster) and Sequor's
# GFLOP/s.
# Usage: bench/run-rnn.sh [--no-djl] [rounds] [threads] [backend]   (defaults: 3 rounds, 2 threads, cpu-simd)
set -euo pipefail
cd "$(dirname "$0")/.."
DJL=1
if [[ "${1:-}" == "--no-djl" ]]; then DJL=0; shift; fi
ROUNDS="${1:-3}"
THREADS="${2:-2}"
BACKEND="${3:-cpu-simd}"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OUT="$(mktemp -d)"
PROFILE=""
ENGINES="sequor"
if [[ $DJL == 1 ]]; then PROFILE="-Pdjl"; ENGINES="sequor,libtorch"; fi

# Compile only (no shaded jar) and run on the class path Maven resolves.
mvn -q -pl bench -am $PROFILE compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$PWD/bench/target/rnn-classpath.txt"
CP="bench/target/classes:$(cat bench/target/rnn-classpath.txt)"

# DJL: no usage reporting, no downloads (the native library comes from the Maven jar), cache in target/.
export OPT_OUT_TRACKING=true DJL_CACHE_DIR="$PWD/bench/target/djl-cache" ENGINE_CACHE_DIR="$PWD/bench/target/djl-cache"
# Both libtorch (OpenMP) and Debian's PyTorch: threads as Sequor's, and no spin-waiting OpenMP.
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS"

for round in $(seq "$ROUNDS"); do
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g \
      -Dsequor.simd.threads="$THREADS" -Dai.djl.offline=true \
      -cp "$CP" dev.sequor.bench.RnnBench rounds=1 engines="$ENGINES" threads="$THREADS" backend="$BACKEND" \
      >>"$OUT/jvm.jsonl" 2>"$OUT/jvm-$round.log" || { cat "$OUT/jvm-$round.log"; exit 1; }
  /usr/bin/python3 bench/pytorch/rnn.py --threads "$THREADS" --rounds 1 >>"$OUT/torch.jsonl"
done

/usr/bin/python3 - "$OUT" "$THREADS" <<'PY'
import collections, json, statistics, sys
out, threads = sys.argv[1:3]
ms, gflop, cases, version = collections.defaultdict(list), {}, [], "?"
for f in ("jvm.jsonl", "torch.jsonl"):
    for line in open(f"{out}/{f}"):
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        ms[(r["case"], r["engine"])] += r["ms"]
        gflop[r["case"]] = r["gflop"]
        version = r.get("torch", version)
        if r["case"] not in cases:
            cases.append(r["case"])
def med(c, e):
    v = ms.get((c, e))
    return statistics.median(v) if v else float("nan")
print(f"Single-layer RNNs, float32, {threads} threads; medians of all timed iterations, milliseconds")
print(f"{'case':32} {'Sequor':>8} {'PyTorch':>8} {'libtorch':>9} {'vs PyTorch':>11} {'vs libtorch':>12} {'Sequor GFLOP/s':>15}")
for c in cases:
    s, p, l = med(c, "sequor"), med(c, "pytorch"), med(c, "libtorch")
    print(f"{c:32} {s:8.1f} {p:8.1f} {l:9.1f} {s / p:10.2f}x {s / l:11.2f}x {gflop[c] / s * 1e3:15.1f}")
print(f"(PyTorch {version} from Debian; libtorch 2.7.1 + MKL via DJL 0.35.1; ratio = Sequor / other,"
      f" < 1 means Sequor is faster; raw data in {out})")
PY
