#!/usr/bin/env bash
# Builds the gate and this harness, then times a full FULL_TRANSITIVE check of 500 events x 5 versions
# against a folder baseline, in-process (5 runs) and as the CLI a CI job runs (one cold JVM).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -Pbenchmarks -pl benchmarks/compat -am package -DskipTests
WORK=benchmarks/compat/target/compat-bench
ONE=benchmarks/compat/target/compat-bench-one
# every event gets a new version; then a pull request that adds a version to one event only
java -jar benchmarks/compat/target/herald-benchmark-compat.jar "$WORK" "${1:-500}" "${2:-5}" "${3:-5}"
java -jar benchmarks/compat/target/herald-benchmark-compat.jar "$ONE" "${1:-500}" "${2:-5}" 1 1 >/dev/null
for dir in "$WORK" "$ONE"; do
  for opts in "" "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"; do
    echo "CLI, cold JVM, end to end, java ${opts:-(default options)} -jar herald-compat.jar check --against $dir/baseline $dir/schemas:"
    start=$(date +%s%N)
    java $opts -jar compat-checker/target/herald-compat.jar check --against "$dir/baseline" "$dir/schemas"
    end=$(date +%s%N)
    echo "CLI wall time: $(( (end - start) / 1000000 )) ms"
  done
done
