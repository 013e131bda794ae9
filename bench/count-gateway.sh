#!/usr/bin/env bash
# Counts, not times (the machine is shared): what one pgbench -S transaction costs the processes
# of `libchan.jar forward` and `libchan.jar gateway` over tcp:// (or tls://, DOOR) in context switches (voluntary
# and not, summed over every thread), read/write system calls (/proc/PID/io syscr, syscw) and CPU
# time (user + system, /proc/PID/stat), read before and after a fixed `pgbench -S -c 8 -t TX`
# through them. For scale, the machine-wide context switches per transaction (/proc/stat ctxt:
# every process, other users' too, so noisy) of the same run direct and through the tunnel. Then
# the same counts per MiB of a bulk upload of BULK_MIB through a forward and the gateway
# (bench/gateway/BulkPeer.java), with its MiB/s. Usage: bench/count-gateway.sh [JAR] (default:
# deploy/cli/target/libchan.jar). Environment: TX (transactions per client, 2000), BULK_MIB
# (1024; 0: no bulk count), WARM_RUNS (4: runs of the pgbench count before the counted one),
# DOOR (tcp, or tls: the same through tls:// with a throwaway certificate), JAVA_HOME. Needs
# Debian's postgresql.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-$PWD/deploy/cli/target/libchan.jar}
TX=${TX:-2000}
WARM_RUNS=${WARM_RUNS:-4}
BULK_MIB=${BULK_MIB:-1024}
DOOR=${DOOR:-tcp}
BULK=$PWD/bench/gateway/BulkPeer.java
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
WORK=$(mktemp -d /tmp/libchan-gwcount.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
SCRIPT=count-gateway.sh
. "$(dirname "$0")/gateway/processes.sh"
as_server_user=()
if [ "$(id -u)" = 0 ]; then
  as_server_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  chmod 711 "$WORK"; mkdir -p "$WORK/pg" && chown nobody "$WORK/pg"
else
  mkdir -p "$WORK/pg"
fi
LC_ALL=C "${as_server_user[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >"$WORK/initdb.log"
PG=$(free_port)
start postgres "ready to accept connections" "${as_server_user[@]}" "$PGBIN/postgres" -D "$WORK/pg/data" -p "$PG" -k "$WORK/pg" \
  -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=50
start sink "^sink " "$JAVA" "$BULK" sink 0
SINK=$(sed -n '1s/^sink //p' "$WORK/sink.log")
gw_tls=(); fw_tls=()
if [ "$DOOR" = tls ]; then
  keytool -genkeypair -alias localhost -keyalg RSA -keysize 2048 -dname CN=localhost -validity 30 \
    -storetype PKCS12 -keystore "$WORK/localhost.p12" -storepass changeit >/dev/null 2>&1
  gw_tls=(--keystore "$WORK/localhost.p12" --keystore-password changeit); fw_tls=(--insecure)
fi
start gw "^listening " "$JAVA" -jar "$JAR" gateway --listen "$DOOR://127.0.0.1:0" --target "pg=tcp://127.0.0.1:$PG" \
  --target "bulk=tcp://127.0.0.1:$SINK" "${gw_tls[@]}"
GW=${PIDS[-1]}
GWURI=$(sed -n '1s/^listening //p' "$WORK/gw.log")
start fw "^forwarding " "$JAVA" -jar "$JAR" forward --local 127.0.0.1:0 "$GWURI" pg "${fw_tls[@]}"
FW=${PIDS[-1]}
FWPORT=$(sed -n '1s/^forwarding 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/fw.log")
start fwbulk "^forwarding " "$JAVA" -jar "$JAR" forward --local 127.0.0.1:0 "$GWURI" bulk "${fw_tls[@]}"
FWB=${PIDS[-1]}
FWBPORT=$(sed -n '1s/^forwarding 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/fwbulk.log")
pgbench -i -q -s 1 -h 127.0.0.1 -p "$PG" -U postgres postgres >"$WORK/init.log" 2>&1

# counts PID...: voluntary ctx switches, involuntary ones, syscr, syscw, threads, CPU ticks (summed)
counts() {
  local v=0 n=0 r=0 w=0 t=0 c=0 pid f
  for pid in "$@"; do
    for f in /proc/"$pid"/task/*/status; do
      v=$((v + $(awk '/^voluntary_ctxt_switches/ {print $2}' "$f" 2>/dev/null || echo 0)))
      n=$((n + $(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "$f" 2>/dev/null || echo 0)))
      t=$((t + 1))
    done
    r=$((r + $(awk '/^syscr/ {print $2}' /proc/"$pid"/io))); w=$((w + $(awk '/^syscw/ {print $2}' /proc/"$pid"/io)))
    c=$((c + $(sed 's/.*) //' /proc/"$pid"/stat | awk '{print $12 + $13}'))) # utime + stime, after the command name
  done
  echo "$v $n $r $w $t $c"
}
ctxt() { awk '/^ctxt/ {print $2}' /proc/stat; }
bench() { pgbench -S -n -c 8 -j 2 -t "$TX" -h 127.0.0.1 -p "$1" -U postgres postgres 2>&1 | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p'; }
per_tx() { # label before after tx [unit]
  read -r v0 n0 r0 w0 _ c0 <<<"$2"; read -r v1 n1 r1 w1 t1 c1 <<<"$3"
  awk -v l="$1" -v v=$((v1 - v0)) -v n=$((n1 - n0)) -v r=$((r1 - r0)) -v w=$((w1 - w0)) -v t="$4" -v th="$t1" -v u="${5:-tx}" \
    -v cpu=$(( (c1 - c0) * 1000 / $(getconf CLK_TCK) )) \
    'BEGIN { printf "%-10s ctx/%s %.2f (voluntary %.2f, involuntary %.2f)  syscalls/%s read %.2f write %.2f  CPU ms/%s %.3f  threads %d\n", l, u, (v+n)/t, v/t, n/t, u, r/t, w/t, u, cpu/t, th }'
}
# warm up the JIT: a JVM relay's CPU per transaction still falls after 16,000 transactions (0.21
# ms, then 0.08, then ~0.05 through a cold tcp forward + gateway), so WARM_RUNS runs of the bench first
for _ in $(seq 1 "$WARM_RUNS"); do bench "$FWPORT" >/dev/null; done
c0=$(ctxt); tx=$(bench "$PG"); c1=$(ctxt)
awk -v c=$((c1 - c0)) -v t="$tx" 'BEGIN { printf "direct     machine-wide ctx/tx %.1f\n", c/t }'
bg=$(counts "$GW"); bf=$(counts "$FW"); c0=$(ctxt)
tx=$(bench "$FWPORT")
c1=$(ctxt); ag=$(counts "$GW"); af=$(counts "$FW")
awk -v c=$((c1 - c0)) -v t="$tx" -v d="$DOOR" 'BEGIN { printf "%-10s machine-wide ctx/tx %.1f\n", d, c/t }'
per_tx "gateway" "$bg" "$ag" "$tx"
per_tx "forward" "$bf" "$af" "$tx"
echo "($tx transactions, load $(cut -d' ' -f1-3 /proc/loadavg))"
if [ "$BULK_MIB" -gt 0 ]; then
  "$JAVA" "$BULK" send 127.0.0.1 "$FWBPORT" 256 >/dev/null # warm up
  bg=$(counts "$GW"); bf=$(counts "$FWB")
  rate=$("$JAVA" "$BULK" send 127.0.0.1 "$FWBPORT" "$BULK_MIB")
  ag=$(counts "$GW"); af=$(counts "$FWB")
  per_tx "gateway" "$bg" "$ag" "$BULK_MIB" MiB
  per_tx "forward" "$bf" "$af" "$BULK_MIB" MiB
  echo "(bulk upload of $BULK_MIB MiB: $rate MiB/s, load $(cut -d' ' -f1-3 /proc/loadavg))"
fi
