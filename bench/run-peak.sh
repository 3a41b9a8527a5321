#!/usr/bin/env bash
# The machine's measured float32 FMA peak (bench/native/fma_peak.c: 12 independent FMA chains per
# thread on full vector registers, no memory traffic), for AVX2 and, where the CPU has it, AVX-512,
# on 1 thread and on every online CPU. The README states each kernel's GFLOP/s as a fraction of the
# peak for the vector width the Vector API picks (AVX-512 where present, AVX2 under -XX:UseAVX=2).
# Usage: bench/run-peak.sh [threads...]   (needs gcc; prints one JSON line per ISA and thread count)
set -euo pipefail
cd "$(dirname "$0")"
BIN="$(mktemp -d)/fma_peak"
gcc -O2 -pthread native/fma_peak.c -o "$BIN"
lscpu | sed -n 's/^Model name: *//p'
"$BIN" "$@"
