#!/usr/bin/env bash
# Builds the generator and this harness, writes a synthetic registry of 500 events and times
# generate (+ compile) and the no-change rebuild, in-process; then the no-change check once more
# in a fresh JVM, as a Maven build would meet it. Usage: benchmarks/codegen/run.sh [events] [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -Pbenchmarks -pl benchmarks/codegen -am package dependency:build-classpath -DskipTests \
    -Dinvoker.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
# Copy this repository's jars aside: other builds in the same tree may rewrite target/ meanwhile.
LIB=benchmarks/codegen/target/bench-lib
rm -rf "$LIB" && mkdir -p "$LIB"
CP="benchmarks/codegen/target/classes"
IFS=':' read -ra ENTRIES <<< "$(cat benchmarks/codegen/target/classpath.txt)"
for entry in "${ENTRIES[@]}"; do
  case "$entry" in
    "$PWD"/*) cp "$entry" "$LIB/" && CP="$CP:$LIB/$(basename "$entry")" ;;
    *) CP="$CP:$entry" ;;
  esac
done
WORK=benchmarks/codegen/target/codegen-bench
java ${JAVA_OPTS:-} -cp "$CP" dev.herald.bench.codegen.CodegenBenchmark "$WORK" "${1:-500}" "${2:-5}"
# the plugin step from scratch in a fresh JVM: what `mvn` meets on a clean checkout (issue 14's cold run)
java ${JAVA_OPTS:-} -cp "$CP" dev.herald.bench.codegen.CodegenBenchmark --from-scratch "$WORK"
echo "the same with -XX:TieredStopAtLevel=1 (C1 only, e.g. in .mvn/jvm.config):"
java ${JAVA_OPTS:-} -XX:TieredStopAtLevel=1 -cp "$CP" dev.herald.bench.codegen.CodegenBenchmark --from-scratch "$WORK"
start=$(date +%s%N)
java ${JAVA_OPTS:-} -cp "$CP" dev.herald.bench.codegen.CodegenBenchmark --skip-check "$WORK"
end=$(date +%s%N)
echo "cold JVM, whole process (JVM start + class loading + check): $(( (end - start) / 1000000 )) ms"
