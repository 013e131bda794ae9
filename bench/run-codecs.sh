#!/usr/bin/env bash
# Runs the session codec benchmarks (io.libchan.bench.codec: encode+decode per codec, protobuf beside
# grpc-java's marshaller, request/reply over loopback TCP per codec) in one JMH run and prints the
# table of io.libchan.bench.codec.CodecCompare, with the sizes on the wire. Not part of CI.
#
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run-codecs.sh [JMH options] [regexp...]
#
# Iterations come from the benchmarks' annotations (about 4 minutes); any JMH option overrides them.
# Builds bench/target/benchmarks.jar first when it is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="${BENCH_JAR:-$here/target/benchmarks.jar}"
if [ ! -f "$jar" ] && [ -z "${BENCH_JAR:-}" ]; then
  (cd "$here/.." && mvn -B -q -pl bench -am package -DskipTests)
fi
jvm_opts=()
if "$java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
fi
exec "$java" "${jvm_opts[@]}" -cp "$jar" io.libchan.bench.codec.CodecCompare "$@"
