#!/usr/bin/env bash
# Runs the network benchmarks (libchan, grpc-java, rsocket-java, jschan over loopback TCP; byte-stream
# echo against a plain socket) in one JMH run and prints the comparison table
# (io.libchan.bench.net.NetCompare).
#
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run-network.sh [JMH options] [regexp...]
#
# Iterations come from the benchmarks' annotations (8 x 2 s warm-up, 5 x 2 s measurement, 1 fork;
# jschan 2 + 3); any JMH option overrides them. About 23 minutes: the libchan benchmarks run twice,
# with metrics off and on (param metrics, io.libchan.bench.net.BenchMetrics; -p metrics=off skips
# the second), and the table compares the two ("metrics cost"). Every benchmark also reports the
# process CPU time per op (io.libchan.bench.net.CpuProfiler). The jschan benchmark needs node and
# interop/jschan/node_modules (bash interop/jschan/setup.sh); without them its row shows "-".
# LIBCHAN_BENCH_TABLE=FILE also writes the table to FILE. Builds bench/target/benchmarks.jar first
# when it is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# BENCH_JAR=FILE runs another copy of the jar (e.g. one copied aside, so that a rebuild of
# bench/target/benchmarks.jar during the run cannot break the forks that are still to start).
jar="${BENCH_JAR:-$here/target/benchmarks.jar}"
if [ ! -f "$jar" ] && [ -z "${BENCH_JAR:-}" ]; then
  (cd "$here/.." && mvn -B -q -pl bench -am package -DskipTests)
fi
export LIBCHAN_JSCHAN_DIR="${LIBCHAN_JSCHAN_DIR:-$here/../interop/jschan}"
jvm_opts=()
# JDK 23+ warns about sun.misc.Unsafe (JMH, Netty); JDK 24+ about Netty's native epoll transport.
# The forks inherit this JVM's options.
if "$java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
fi
if "$java" --enable-native-access=ALL-UNNAMED -version >/dev/null 2>&1; then
  jvm_opts+=(--enable-native-access=ALL-UNNAMED)
fi
"$java" "${jvm_opts[@]}" -cp "$jar" io.libchan.bench.net.NetCompare "$@"
# The metrics cost, measured so that the load cancels out (the JMH rows above are minutes apart):
# (a) and (b) with metrics and tracing off and on, alternated in 250 ms slices in one JVM
# (io.libchan.bench.net.MetricsCost, 300 pairs: about 6 minutes; from 100 pairs a median at (a)
# moves by about 2.5% run to run). METRICS_COST_PAIRS=0 skips it.
pairs="${METRICS_COST_PAIRS:-300}"
if [ "$pairs" != 0 ]; then
  echo
  echo "metrics cost, alternated in one JVM (MetricsCost $pairs pairs, server push, metrics and tracing on):"
  "$java" "${jvm_opts[@]}" -cp "$jar" io.libchan.bench.net.MetricsCost "$pairs" 250 20 push on 2>/dev/null \
    | { if [ -n "${LIBCHAN_BENCH_TABLE:-}" ]; then tee -a "$LIBCHAN_BENCH_TABLE"; else cat; fi; }
fi
# Issue 14's (a) and (b) targets against rsocket-java, measured the same way: libchan and rsocket-java
# in one JVM, alternated in 250 ms slices (io.libchan.bench.net.PeerRatio, 150 pairs: about 3.5
# minutes). PEER_RATIO_PAIRS=0 skips it.
peer_pairs="${PEER_RATIO_PAIRS:-150}"
if [ "$peer_pairs" != 0 ]; then
  echo
  echo "libchan against rsocket-java, alternated in one JVM (PeerRatio $peer_pairs pairs, server push):"
  "$java" "${jvm_opts[@]}" -cp "$jar" io.libchan.bench.net.PeerRatio "$peer_pairs" 250 20 push 2>/dev/null \
    | { if [ -n "${LIBCHAN_BENCH_TABLE:-}" ]; then tee -a "$LIBCHAN_BENCH_TABLE"; else cat; fi; }
fi
