#!/usr/bin/env bash
# How far an existing event catalogue gets through Herald: import, generate, compile, read its
# real payloads. Usage: benchmarks/codegen/corpus.sh <schema-tree> <types-subdir> [<payload-examples>]
# e.g. a checkout of octokit/webhooks: corpus.sh payload-schemas/api.github.com common payload-examples/api.github.com
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -Pbenchmarks -pl benchmarks/codegen -am package dependency:build-classpath -DskipTests \
    -Dinvoker.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
java ${JAVA_OPTS:-} -cp "benchmarks/codegen/target/classes:$(cat benchmarks/codegen/target/classpath.txt)" \
    dev.herald.bench.codegen.CorpusCheck "$@"
