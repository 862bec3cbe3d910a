#!/usr/bin/env bash
# The bus benchmark: Herald (producer -> broker -> 3 services) and, when node is on the PATH,
# the BullMQ peer from ../shared/peer-bench/bullmq, against one throwaway embedded redis-server.
# Usage: benchmarks/bus/run.sh [--reps 3] [--n 50000] [--rate 1000] [--duration 20] [--c 50] [--broker-threads 2] [--no-peer]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -B -q -Pbenchmarks -pl benchmarks/bus -am package -DskipTests
fi
peer_dir="${PEER_DIR:-$root/../shared/peer-bench/bullmq}"
exec java ${JAVA_OPTS:-} -jar "$here/target/herald-bus-bench.jar" --peer-dir "$peer_dir" "$@"
