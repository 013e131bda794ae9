#!/usr/bin/env bash
# Runs the libchan/rsocket benchmarks and prints the comparison table (io.libchan.bench.Compare).
#
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run.sh [JMH options] [regexp...]
#
# Defaults: -f 1 -wi 3 -w 2s -i 5 -r 2s, every benchmark. Java 21+ is needed for the
# virtual-thread mode (skipped with a message on Java 17). Builds bench/target/benchmarks.jar
# first when it is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$here/.." && mvn -B -q -pl bench -am package -DskipTests)
fi
jvm_opts=()
# JDK 23+ warns about JMH's use of sun.misc.Unsafe; the forks inherit this JVM's options.
if "$java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
fi
exec "$java" "${jvm_opts[@]}" -cp "$jar" io.libchan.bench.Compare "$@"
