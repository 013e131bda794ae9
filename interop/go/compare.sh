#!/usr/bin/env bash
# Our echo server (libchan.jar echo) against Go libchan's own, both driven by the same Go client
# (echopeer), alternating in one sitting: byte-stream echo in MB/s per size, then sequential
# request/reply. Usage: interop/go/compare.sh ECHOPEER LIBCHAN_JAR [MIB...]   (default sizes 1 8 64 256)
set -euo pipefail
peer=$1; jar=$2; shift 2
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1 8 64 256)
out=$(mktemp -d)
# one run of the client, bounded: Go libchan's own client and server sometimes stall each other
run() { timeout 60 "$peer" "$@" || echo "$1 $2: no answer within 60 s (exit $?)"; }
"$peer" server > "$out/go.out" 2>&1 & gopid=$!
java -jar "$jar" echo --listen tcp://127.0.0.1:0 > "$out/java.out" 2>&1 & javapid=$!
trap 'kill $gopid $javapid 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 100); do grep -q listening "$out/java.out" && grep -q listening "$out/go.out" && break; sleep 0.1; done
java_addr=$(grep -o '127.0.0.1:[0-9]*' "$out/java.out" | head -1)
go_addr=$(grep -o '127.0.0.1:[0-9]*' "$out/go.out" | head -1)
for addr in "$java_addr" "$go_addr"; do   # warm-up (the JIT, mostly)
  for _ in 1 2 3; do run stream "$addr" 32 >/dev/null; run rr "$addr" 2000 >/dev/null; done
done
for round in 1 2 3; do
  for m in "${sizes[@]}"; do
    echo "libchan $(run stream "$java_addr" "$m")"
    echo "go      $(run stream "$go_addr" "$m")"
  done
done
for round in 1 2 3; do
  echo "libchan $(run rr "$java_addr" 5000)"
  echo "go      $(run rr "$go_addr" 5000)"
done
