#!/usr/bin/env bash
# Times RouteCompiler.compile of one stage with N resources (default 10,000): the cold first compile
# and the median of 15 warm ones. Bounded: a few seconds after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.gatehouse.proxy.bench.CompileBenchMain "${1:-10000}"
