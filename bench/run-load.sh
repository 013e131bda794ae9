#!/usr/bin/env bash
# The load harness of issue 14 item 6 (io.libchan.bench.load.LoadHarness): our server
# (libchan.jar echo) and a grpc-java echo server, each in its own JVM at -Xmx256m on 127.0.0.1, one
# after the other, under (a) 10,000 idle connections, (b) 1,000 sessions x 10 channels at one message
# per channel per second for 10 minutes, (c) 16 clients x 15 MiB at once, (d) 2,000 slow connections
# beside one request/reply client; prints ours vs grpc-java, the ratio, the target and a verdict.
# Not part of CI. All four at full size: about 40 minutes.
#
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run-load.sh            # a b c d, issue 14's sizes
#   bench/run-load.sh a                                                      # one scenario
#   bench/run-load.sh --sessions 100 --duration 30s b                        # smaller
#   bench/run-load.sh --libchan-jar /tmp/old-libchan.jar a                   # another build of our server
#   bench/run-load.sh --help                                                 # every option
#
# Builds deploy/cli/target/libchan.jar and bench/target/benchmarks.jar first when they are missing
# (a reactor build: nothing is installed). BENCH_JAR=FILE runs the harness and the grpc-java server
# from a copy of the benchmarks jar. Server logs and the table go to /tmp/libchan-load-DATE (--out).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="${BENCH_JAR:-$here/target/benchmarks.jar}"
libchan_jar="$root/deploy/cli/target/libchan.jar"
if { [ ! -f "$jar" ] && [ -z "${BENCH_JAR:-}" ]; } || [ ! -f "$libchan_jar" ]; then
  (cd "$root" && mvn -B -q -pl bench,deploy/cli -am package -DskipTests)
fi
# 10,000 client connections need 10,000 descriptors in the harness (and as many in the server):
# raise the soft limit to the hard one (a shell builtin; the servers inherit it).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "run-load.sh: ulimit -n is $(ulimit -n); (a) needs about 10,100 (raise the hard limit)" >&2
fi
jvm_opts=(-Xmx3g)
# JDK 23+ warns about sun.misc.Unsafe (Netty); JDK 24+ about Netty's native epoll transport.
if "$java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
fi
if "$java" --enable-native-access=ALL-UNNAMED -version >/dev/null 2>&1; then
  jvm_opts+=(--enable-native-access=ALL-UNNAMED)
fi
# --libchan-jar given later on the command line overrides this default
exec "$java" "${jvm_opts[@]}" -cp "$jar" io.libchan.bench.load.LoadHarness --libchan-jar "$libchan_jar" "$@"
