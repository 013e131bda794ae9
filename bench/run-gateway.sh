#!/usr/bin/env bash
# The tcp gateway's benchmark (issue 17, item 6; not run by CI, see bench/README.md): a throwaway
# PostgreSQL and sshd on loopback, then the same figures over seven paths in one run:
#   direct        the client talks to the server itself
#   tcp tls unix  through `libchan.jar forward` to `libchan.jar gateway` over that transport
#                 (unix://: the gateway hands the target's socket to forward, fd passing)
#   ssh           through OpenSSH's `ssh -L` forwarding (what people use today)
#   socat2        through two chained socat relays (client -> socat -> socat -> server): a minimal C
#                 relay in the topology of forward + gateway, the floor two extra processes set
#   socat1        through one socat: the topology of forward over unix:// (one process copying)
# Figures: pgbench -S with 8 clients (TPS, p99 latency from pgbench's per-transaction log), a 1 GB
# `COPY ... TO STDOUT` read by psql, and raw bulk upload through the forward (bench/gateway/BulkPeer.java).
# Then the JDBC figure (io.libchan.bench.gateway.JdbcSelect in bench/target/benchmarks.jar): a
# select-by-primary-key loop like pgbench -S, 8 threads with a pgjdbc connection each, direct, on the
# socket the unix:// gateway hands to the JVM itself (no relay at all), and through forward over
# tcp://, the three taking turns in 1 s slices within one JVM (SECS slices each).
# Before the measured rounds every path is warmed up the same way (WARM_SECS of pgbench, the COPY,
# WARM_BULK_MIB of bulk), so the JVMs' warm-up is not what the figures measure.
# Environment: SECS (pgbench seconds per path, 15), ROUNDS (best of, 2), COPY_ROWS (1000000:
# ~1 GB), BULK_MIB (2048), WARM_SECS (30; 0: no warm-up), WARM_BULK_MIB (3072), JAVA_HOME. Needs
# Debian's postgresql, openssh-server, openssh-client and socat (socat is installed with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-15}
ROUNDS=${ROUNDS:-2}
COPY_ROWS=${COPY_ROWS:-1000000}
BULK_MIB=${BULK_MIB:-2048}
WARM_SECS=${WARM_SECS:-30}
WARM_BULK_MIB=${WARM_BULK_MIB:-3072}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAR=$PWD/deploy/cli/target/libchan.jar
BENCH_JAR=$PWD/bench/target/benchmarks.jar
BULK=$PWD/bench/gateway/BulkPeer.java
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if ! command -v socat >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq socat >/dev/null
fi
for tool in "$PGBIN/initdb" "$PGBIN/postgres" psql pgbench /usr/sbin/sshd ssh ssh-keygen keytool socat; do
  command -v "$tool" >/dev/null || { echo "run-gateway.sh: $tool is missing" >&2; exit 2; }
done
[ -f "$JAR" ] || mvn -B -q -pl deploy/cli -am package -DskipTests
[ -f "$BENCH_JAR" ] || mvn -B -q -pl bench -am package -DskipTests

WORK=$(mktemp -d /tmp/libchan-gwbench.XXXXXX)
PIDS=()
cleanup() {
  local status=$?
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$status" = 0 ]; then rm -rf "$WORK"; else echo "run-gateway.sh: failed; the servers' logs are in $WORK" >&2; fi
}
trap cleanup EXIT

SCRIPT=run-gateway.sh
. "$(dirname "$0")/gateway/processes.sh"

as_server_user=()
if [ "$(id -u)" = 0 ]; then # PostgreSQL refuses root
  as_server_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  chmod 711 "$WORK"   # nobody must reach its own directory inside
  mkdir -p "$WORK/pg" /run/sshd && chown nobody "$WORK/pg"
else
  mkdir -p "$WORK/pg"
fi

echo "== PostgreSQL, sshd, bulk sink (load average at the start: $(cut -d" " -f1-3 /proc/loadavg))"
LC_ALL=C "${as_server_user[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >"$WORK/initdb.log"
PG=$(free_port)
start postgres "ready to accept connections" "${as_server_user[@]}" "$PGBIN/postgres" -D "$WORK/pg/data" -p "$PG" -k "$WORK/pg" \
  -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c shared_buffers=256MB -c max_connections=50
ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/user_key"
cp "$WORK/user_key.pub" "$WORK/authorized_keys"
SSHD=$(free_port)
cat >"$WORK/sshd_config" <<CONF
Port $SSHD
ListenAddress 127.0.0.1
HostKey $WORK/host_key
AuthorizedKeysFile $WORK/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
PidFile none
CONF
start sshd "Server listening" /usr/sbin/sshd -D -e -f "$WORK/sshd_config"
start sink "^sink " "$JAVA" "$BULK" sink 0
SINK=$(sed -n '1s/^sink //p' "$WORK/sink.log")

echo "== gateways and forwards (tcp, tls, unix) and ssh -L"
keytool -genkeypair -alias localhost -keyalg RSA -keysize 2048 -dname CN=localhost -validity 30 \
  -storetype PKCS12 -keystore "$WORK/localhost.p12" -storepass changeit >/dev/null 2>&1
declare -A LISTEN=([tcp]=tcp://127.0.0.1:0 [tls]=tls://127.0.0.1:0 [unix]=unix://$WORK/gw.sock)
declare -A PORT_PG PORT_BULK GW_URI
for door in tcp tls unix; do
  extra=(); client=()
  [ "$door" = tls ] && extra=(--keystore "$WORK/localhost.p12" --keystore-password changeit) && client=(--insecure)
  start "gw-$door" "^listening " "$JAVA" -jar "$JAR" gateway --listen "${LISTEN[$door]}" \
    --target "pg=tcp://127.0.0.1:$PG" --target "bulk=tcp://127.0.0.1:$SINK" "${extra[@]}"
  uri=$(sed -n '1s/^listening //p' "$WORK/gw-$door.log")
  GW_URI[$door]=$uri
  for target in pg bulk; do
    start "fw-$door-$target" "^forwarding " "$JAVA" -jar "$JAR" forward --local 127.0.0.1:0 "$uri" "$target" "${client[@]}"
    port=$(sed -n '1s/^forwarding 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/fw-$door-$target.log")
    if [ "$target" = pg ]; then PORT_PG[$door]=$port; else PORT_BULK[$door]=$port; fi
  done
done
PORT_PG[direct]=$PG; PORT_BULK[direct]=$SINK
PORT_PG[ssh]=$(free_port); PORT_BULK[ssh]=$(free_port)
ssh -F /dev/null -i "$WORK/user_key" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no \
  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ExitOnForwardFailure=yes -N \
  -L "${PORT_PG[ssh]}:127.0.0.1:$PG" -L "${PORT_BULK[ssh]}:127.0.0.1:$SINK" -p "$SSHD" "$(id -un)@127.0.0.1" \
  >"$WORK/ssh.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/${PORT_PG[ssh]}") 2>/dev/null && break; sleep 0.1; done

echo "== socat relays (two chained, and one)"
# relay PORT DEST_PORT: a socat on 127.0.0.1:PORT forking a copy process per connection to DEST_PORT,
# copying 256 KiB at a time like the gateway's reads (socat's default, 8 KiB, would slow its bulk)
relay() {
  socat -b 262144 "TCP-LISTEN:$1,bind=127.0.0.1,reuseaddr,fork,nodelay" "TCP:127.0.0.1:$2,nodelay" >"$WORK/socat-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "run-gateway.sh: socat on $1 did not start" >&2; exit 2
}
for target in pg bulk; do
  dest=$PG; [ "$target" = bulk ] && dest=$SINK
  inner=$(free_port); relay "$inner" "$dest"
  outer=$(free_port); relay "$outer" "$inner"
  one=$(free_port); relay "$one" "$dest"
  if [ "$target" = pg ]; then PORT_PG[socat2]=$outer; PORT_PG[socat1]=$one; else PORT_BULK[socat2]=$outer; PORT_BULK[socat1]=$one; fi
done

echo "== pgbench -i -s 10 (direct)"
pgbench -i -q -s 10 -h 127.0.0.1 -p "$PG" -U postgres postgres >"$WORK/pgbench-init.log" 2>&1

PATHS=(direct tcp tls unix ssh socat2 socat1)
declare -A TPS P99 COPY BULKR JTPS JP99
if [ "$WARM_SECS" -gt 0 ]; then
  # The forward and gateway JVMs start cold: a first run through them spends its first seconds in
  # the interpreter and JIT compilations (tls p99 over a cold 10 s run twice the warm one's), which
  # ssh and socat (C) never pay: tls p99 after 10 s of warm-up 2.52 ms, after 20 s 1.20, after 30 s
  # 0.96 (ssh -L 1.14, 1.18, 1.11); a bulk upload through them still speeds up over its first 3 GiB
  # (543, 913, 1107, 1124 MiB/s for four 1 GiB uploads in a row over tcp://). Every path carries the
  # same load once before the measured rounds, through the very processes measured then, so the
  # figures compare steady states.
  echo "== warm-up: ${WARM_SECS} s of pgbench -S, the COPY and $WARM_BULK_MIB MiB of bulk through every path"
  for p in "${PATHS[@]}"; do
    pgbench -S -n -c 8 -j 2 -T "$WARM_SECS" -h 127.0.0.1 -p "${PORT_PG[$p]}" -U postgres postgres >/dev/null 2>&1
    psql -h 127.0.0.1 -p "${PORT_PG[$p]}" -U postgres -d postgres -qAt \
      -c "copy (select repeat('x', 1000) from generate_series(1, $COPY_ROWS)) to stdout" >/dev/null
    "$JAVA" "$BULK" send 127.0.0.1 "${PORT_BULK[$p]}" "$WARM_BULK_MIB" >/dev/null
  done
fi
JPATHS=(direct unix-handover tcp-forward)
better() { awk -v a="$1" -v b="$2" -v dir="$3" 'BEGIN { if (b == "" || (dir == "max" ? a > b : a < b)) print a; else print b }'; }
for round in $(seq 1 "$ROUNDS"); do
  for p in "${PATHS[@]}"; do
    echo "-- round $round: $p"
    rm -f "$WORK"/lat.*
    out=$(pgbench -S -n -c 8 -j 2 -T "$SECS" -l --log-prefix="$WORK/lat" -h 127.0.0.1 -p "${PORT_PG[$p]}" -U postgres postgres 2>&1)
    tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
    [ "${failed:-0}" = 0 ] || { echo "$p: $failed failed transactions" >&2; exit 1; }
    p99=$(cat "$WORK"/lat.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int(NR*0.99)] / 1000}')
    if [ -z "${TPS[$p]:-}" ] || awk -v a="$tps" -v b="${TPS[$p]}" 'BEGIN { exit !(a > b) }'; then TPS[$p]=$tps; P99[$p]=$p99; fi
    t0=$(date +%s.%N)
    psql -h 127.0.0.1 -p "${PORT_PG[$p]}" -U postgres -d postgres -qAt \
      -c "copy (select repeat('x', 1000) from generate_series(1, $COPY_ROWS)) to stdout" >/dev/null
    t1=$(date +%s.%N)
    copy=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    COPY[$p]=$(better "$copy" "${COPY[$p]:-}" min)
    bulk=$("$JAVA" "$BULK" send 127.0.0.1 "${PORT_BULK[$p]}" "$BULK_MIB")
    BULKR[$p]=$(better "$bulk" "${BULKR[$p]:-}" max)
    echo "   TPS $tps  p99 ${p99} ms  COPY ${copy} s  bulk ${bulk} MiB/s"
  done
  echo "-- round $round: JDBC ${JPATHS[*]}, taking turns in 1 s slices"
  out=$("$JAVA" -cp "$BENCH_JAR" io.libchan.bench.gateway.JdbcSelect "$SECS" 8 direct direct "$PG" \
    handover unix-handover "${GW_URI[unix]}" pg direct tcp-forward "${PORT_PG[tcp]}")
  while read -r j _ tps _ p99; do
    if [ -z "${JTPS[$j]:-}" ] || awk -v a="$tps" -v b="${JTPS[$j]}" 'BEGIN { exit !(a > b) }'; then JTPS[$j]=$tps; JP99[$j]=$p99; fi
    echo "   $j: TPS $tps  p99 ${p99} ms"
  done <<<"$out"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo
echo "== results (best of $ROUNDS rounds; ratios: path / direct, higher is better except p99 and COPY time)"
printf '%-26s' "figure"; for p in "${PATHS[@]}"; do printf '%14s' "$p"; done; echo
row() { # row LABEL ARRAYNAME INVERT [PATHS ARRAYNAME]
  local -n a=$2 paths=${4:-PATHS}
  printf '%-26s' "$1"; for p in "${paths[@]}"; do printf '%14s' "${a[$p]}"; done; echo
  printf '%-26s' "  vs direct"
  for p in "${paths[@]}"; do
    if [ "$3" = invert ]; then printf '%14s' "$(ratio "${a[direct]}" "${a[$p]}")"; else printf '%14s' "$(ratio "${a[$p]}" "${a[direct]}")"; fi
  done; echo
}
row "pgbench -S c=8: TPS" TPS plain
row "pgbench -S c=8: p99 ms" P99 invert
row "COPY $((COPY_ROWS * 1001 / 1000000)) MB: seconds" COPY invert
row "bulk $BULK_MIB MiB: MiB/s" BULKR plain
echo
check() { awk -v a="$2" -v b="$3" -v t="$4" -v label="$1" 'BEGIN { r = a / b; printf "%-52s %.2f (target %s) %s\n", label, r, t, (r >= t ? "MET" : "MISSED") }'; }
check "tcp TPS / direct" "${TPS[tcp]}" "${TPS[direct]}" 0.9
check "tcp bulk / direct" "${BULKR[tcp]}" "${BULKR[direct]}" 0.8
check "unix TPS / direct" "${TPS[unix]}" "${TPS[direct]}" 0.98
check "unix COPY speed / direct" "${COPY[direct]}" "${COPY[unix]}" 0.98
check "unix bulk / direct" "${BULKR[unix]}" "${BULKR[direct]}" 0.98
check "tls TPS / ssh -L (faster: > 1)" "${TPS[tls]}" "${TPS[ssh]}" 1.0
check "tls p99 speed / ssh -L (ssh p99 / tls p99)" "${P99[ssh]}" "${P99[tls]}" 1.0
check "tls COPY speed / ssh -L" "${COPY[ssh]}" "${COPY[tls]}" 1.0
check "tls bulk / ssh -L" "${BULKR[tls]}" "${BULKR[ssh]}" 1.0
echo "(the unix path is forward's local copy between psql's socket and the handed-over target socket: the gateway copies nothing)"
echo
echo "== against a minimal C relay in the same topology (libchan / socat, higher is better: 1.00 = as cheap as socat)"
vs() { awk -v a="$2" -v b="$3" -v label="$1" 'BEGIN { printf "%-52s %.2f\n", label, a / b }'; }
vs "tcp TPS / socat chain" "${TPS[tcp]}" "${TPS[socat2]}"
vs "tcp p99 speed / socat chain (socat p99 / tcp p99)" "${P99[socat2]}" "${P99[tcp]}"
vs "tcp COPY speed / socat chain" "${COPY[socat2]}" "${COPY[tcp]}"
vs "tcp bulk / socat chain" "${BULKR[tcp]}" "${BULKR[socat2]}"
vs "unix TPS / one socat" "${TPS[unix]}" "${TPS[socat1]}"
vs "unix p99 speed / one socat" "${P99[socat1]}" "${P99[unix]}"
vs "unix COPY speed / one socat" "${COPY[socat1]}" "${COPY[unix]}"
vs "unix bulk / one socat" "${BULKR[unix]}" "${BULKR[socat1]}"
echo
echo "== JDBC select by primary key, 8 threads x 1 connection, ${SECS} x 1 s slices taking turns (best of $ROUNDS rounds)"
printf '%-26s' "figure"; for p in "${JPATHS[@]}"; do printf '%14s' "$p"; done; echo
row "JDBC c=8: TPS" JTPS plain JPATHS
row "JDBC c=8: p99 ms" JP99 invert JPATHS
echo
check "JDBC unix handed-over TPS / direct" "${JTPS[unix-handover]}" "${JTPS[direct]}" 0.98
check "JDBC unix handed-over p99 speed / direct" "${JP99[direct]}" "${JP99[unix-handover]}" 0.98
echo "(unix-handover: each pgjdbc connection runs on the PostgreSQL socket the gateway handed to this JVM, no relay in the path)"
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
