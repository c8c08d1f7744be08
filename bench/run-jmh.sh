#!/usr/bin/env bash
# Runs the JMH benchmarks of src/test/java/io/gatehouse/bench on the test classpath.
#   bench/run-jmh.sh                       # every benchmark (~4-5 minutes)
#   bench/run-jmh.sh WrrWeightsBench -f 1  # a regex and any JMH options
# Results: target/jmh-result.json, and a Markdown table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/jmh-classpath.txt)"

if [ "$#" -eq 0 ]; then
    set -- 'io\.gatehouse\.bench\..*'
fi
# Bounded: each benchmark's @Warmup/@Measurement is 2 x 1 s + 3 x 1 s in one fork.
timeout 20m java -cp "$CP" org.openjdk.jmh.Main "$@" -rf json -rff target/jmh-result.json

python3 - <<'PY'
import json
rows = json.load(open("target/jmh-result.json"))
print("| benchmark | params | threads | picks/s | ± (99.9%) |")
print("| --- | --- | ---: | ---: | ---: |")
for r in rows:
    name = r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1]
    params = ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
    m = r["primaryMetric"]
    print(f"| {name} | {params} | {r['threads']} | {m['score']:,.0f} | {m['scoreError']:,.0f} |")
PY
