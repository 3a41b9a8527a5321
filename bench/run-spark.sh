#!/usr/bin/env bash
# Spark numbers for the README: a ~1M-parameter LSTM classifier's training step on local[2] (compute vs
# all-reduce, bytes per worker per step) against one process with the same global batch, and scoring
# throughput against one process. Usage: bench/run-spark.sh [STEPS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor run, so the sibling modules resolve to their target/classes without an install.
mvn -B -ntp -q -pl spark -am test-compile dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-cp.txt
cp="spark/target/test-classes:spark/target/classes:$(cat spark/target/bench-cp.txt)"
jdk=$(ls -d /usr/lib/jvm/*25* | head -1)
# The JVM options Spark needs on Java 25, as the module's tests use them.
opens=$(sed -n 's:.*<spark.test.opens>\(.*\)</spark.test.opens>.*:\1:p' spark/pom.xml)
exec "$jdk/bin/java" -Xmx4g --add-modules jdk.incubator.vector $opens -cp "$cp" \
  dev.sequor.spark.SparkScalingBench "${1:-10}" "${2:-3}"
