#!/usr/bin/env bash
# A Transformer encoder layer step (d_model 256, 8 heads, ff 1024, B32 T128), forward and
# forward+backward, Sequor (bench/StepMemoryTiming) and PyTorch (bench/pytorch/encoder.py) alternating
# round by round in one run, with Sequor's longest GC pause and heap bytes per step; then the README's
# LSTM training step's heap bytes per step. Prints medians over rounds and the ratio PyTorch/Sequor
# (above 1: Sequor is faster).
# Usage: bench/run-encoder.sh [backend] [threads] [rounds]   (defaults: cpu-simd, 2, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND="${1:-cpu-simd}"
THREADS="${2:-2}"
ROUNDS="${3:-3}"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OUT="$(mktemp -d)"

mvn -q -pl bench -am package -DskipTests
run_java() {
  "$JAVA" --add-modules jdk.incubator.vector -Xmx4g -Dsequor.simd.threads="$THREADS" \
      -cp bench/target/benchmarks.jar dev.sequor.bench.StepMemoryTiming "$@" 2>/dev/null | grep '^{'
}
for round in $(seq "$ROUNDS"); do
  for mode in forward forwardBackward; do
    run_java encoder "$mode" "$BACKEND" 40 >>"$OUT/runs.jsonl"
    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/pytorch/encoder.py \
        --threads "$THREADS" "$mode" >>"$OUT/runs.jsonl"
  done
  run_java lstm train "$BACKEND" 100 >>"$OUT/runs.jsonl"
done

/usr/bin/python3 - "$OUT/runs.jsonl" "$THREADS" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
def med(case, mode, impl, key):
    v = [r[key] for r in runs if r["case"] == case and r["mode"] == mode and r["impl"].startswith(impl)]
    return statistics.median(v) if v else float("nan")
def worst(case, mode, key):
    return max(r[key] for r in runs if r["case"] == case and r["mode"] == mode and r["impl"].startswith("sequor"))
print(f"Transformer encoder layer d256 h8 ff1024 B32 T128, {sys.argv[2]} threads; medians over rounds of per-run medians")
print(f"{'mode':>16} {'Sequor ms':>10} {'mean':>7} {'PyTorch ms':>11} {'mean':>7} {'PyT/Seq':>8} {'max GC pause':>13} {'heap/step':>10}")
for mode in ("forward", "forwardBackward"):
    s, sm = med("encoder", mode, "sequor", "median_ms"), med("encoder", mode, "sequor", "mean_ms")
    t, tm = med("encoder", mode, "pytorch", "median_ms"), med("encoder", mode, "pytorch", "mean_ms")
    print(f"{mode:>16} {s:>10.1f} {sm:>7.1f} {t:>11.1f} {tm:>7.1f} {t / s:>7.2f}x {worst('encoder', mode, 'max_gc_pause_ms'):>10d} ms"
          f" {med('encoder', mode, 'sequor', 'heap_bytes_per_step') / 1024:>7.0f} KiB")
print(f"README LSTM step: {med('lstm', 'train', 'sequor', 'median_ms'):.2f} ms, "
      f"{med('lstm', 'train', 'sequor', 'heap_bytes_per_step') / 1024:.0f} KiB heap per step, "
      f"longest GC pause {worst('lstm', 'train', 'max_gc_pause_ms')} ms")
print(f"(runs in {sys.argv[1]})")
PY
