#!/usr/bin/env bash
# Runs the libchan demo WAR in WildFly on this machine, by hand. See deploy/WILDFLY.md.
#
#   deploy/run-wildfly.sh [--offset N|auto] [--listen URI] [--home JBOSS_HOME] [--check]
#
# Builds the WAR if it is missing, unpacks WildFly (the version the build pins) into
# deploy/target/wildfly/ if it is not there yet, configures it (deploy/wildfly/configure.sh), copies
# the WAR to standalone/deployments with the raw libchan server's address (--listen, or 9323 plus
# the offset) written into the WAR's own microprofile-config.properties, starts WildFly on
# 127.0.0.1 with every port shifted by one offset (auto: the first of 0, 100, 200... at which all
# of them are free), waits for the deployment and prints the URLs. Ctrl-C (or SIGTERM) stops
# WildFly gracefully: the WAR is undeployed, which ends every libchan session cleanly. --check
# instead calls the app once over HTTP and over libchan, then stops and exits 0 if both answered.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
war=$root/deploy/war/target/libchan-demo.war
cli_jar=$root/deploy/cli/target/libchan.jar
offset=auto
listen=
home=
check=false

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 64; }
while [ $# -gt 0 ]; do
  case "$1" in
    --offset) offset=${2:?}; shift 2 ;;
    --listen) listen=${2:?}; shift 2 ;;
    --home) home=${2:?}; shift 2 ;;
    --check) check=true; shift ;;
    -h|--help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done

say() { echo "run-wildfly: $*"; }

# -- the WAR
if [ ! -f "$war" ]; then
  say "building the WAR (mvn package -pl deploy/war -am)"
  mvn -B -q -f "$root/pom.xml" package -DskipTests -pl deploy/war -am
fi

# -- WildFly
if [ -z "$home" ]; then
  unpack_dir=$root/deploy/target/wildfly
  if ! ls -d "$unpack_dir"/wildfly-*/bin >/dev/null 2>&1; then
    say "unpacking WildFly into $unpack_dir (org.wildfly:wildfly-dist, as it-tests does)"
    mvn -B -q -f "$root/it-tests/pom.xml" dependency:unpack@unpack-wildfly -Dwildfly.unpack.dir="$unpack_dir"
  fi
  home=$(ls -d "$unpack_dir"/wildfly-*/ | head -1)
  home=${home%/}
fi
bash "$root/deploy/wildfly/configure.sh" "$home"

# -- ports: WildFly's defaults, plus the demo's libchan port, all shifted by one offset
ports=(8080 8443 9990 9993 8009 4712 4713 9323)
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
all_free() { for p in "${ports[@]}"; do if in_use $((p + $1)); then return 1; fi; done; }
if [ "$offset" = auto ]; then
  for o in $(seq 0 100 20000); do
    if all_free "$o"; then offset=$o; break; fi
  done
  [ "$offset" != auto ] || { echo "run-wildfly: no free port offset found" >&2; exit 1; }
elif ! all_free "$offset"; then
  echo "run-wildfly: a port is in use at offset $offset (ports ${ports[*]} + $offset)" >&2; exit 1
fi
http=$((8080 + offset)); https=$((8443 + offset)); mgmt=$((9990 + offset))
listen=${listen:-tcp://127.0.0.1:$((9323 + offset))}

# -- deploy and start. The raw server's address goes into the WAR's own configuration: a system
# property (-Dlibchan.server.raw.listen) would reach every deployment of this server, and any other
# WAR with libchan-cdi would open a listener there too.
deployments=$home/standalone/deployments
rm -f "$deployments"/libchan-demo.war*
work=$(mktemp -d)
config=WEB-INF/classes/META-INF/microprofile-config.properties
(cd "$work" && jar xf "$war" "$config")
grep -v '^libchan\.server\.raw\.listen=' "$work/$config" >"$work/config.properties"
echo "libchan.server.raw.listen=$listen" >>"$work/config.properties"
mv "$work/config.properties" "$work/$config"
cp "$war" "$work/libchan-demo.war"
(cd "$work" && jar uf libchan-demo.war "$config")
cp "$work/libchan-demo.war" "$deployments/libchan-demo.war"
rm -rf "$work"
console=$home/standalone/log/console.log
mkdir -p "$(dirname "$console")"
say "starting WildFly in $home (offset $offset; console: $console)"
LAUNCH_JBOSS_IN_BACKGROUND=1 "$home/bin/standalone.sh" \
  --read-only-server-config=standalone-libchan.xml \
  -Djboss.bind.address=127.0.0.1 -Djboss.bind.address.management=127.0.0.1 \
  -Djboss.socket.binding.port-offset="$offset" >"$console" 2>&1 &
server=$!

stop() {
  trap - INT TERM
  if kill -0 "$server" 2>/dev/null; then
    say "stopping WildFly (graceful: the WAR is undeployed first)"
    kill -TERM "$server"
    wait "$server" || true
  fi
  say "stopped"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

# The deployment scanner leaves a marker when the WAR is deployed or has failed.
for _ in $(seq 1 600); do
  [ -e "$deployments/libchan-demo.war.deployed" ] || [ -e "$deployments/libchan-demo.war.failed" ] && break
  kill -0 "$server" 2>/dev/null || { echo "run-wildfly: WildFly exited; see $console" >&2; exit 1; }
  sleep 0.5
done
if [ ! -e "$deployments/libchan-demo.war.deployed" ]; then
  echo "run-wildfly: the WAR did not deploy:" >&2
  cat "$deployments/libchan-demo.war.failed" >&2 2>/dev/null || echo "(timed out; see $console)" >&2
  stop; exit 1
fi

cat <<EOF
run-wildfly: libchan demo is up
  web page      http://127.0.0.1:$http/libchan-demo/   (the worker pool, live)
  JAX-RS        http://127.0.0.1:$http/libchan-demo/api/hello
  HTTP/2 + TLS  https://127.0.0.1:$https/libchan-demo/api/hello   (self-signed certificate)
  status        http://127.0.0.1:$http/libchan-demo/api/status
  libchan       $listen   (raw SPDY/3: java -jar deploy/cli/target/libchan.jar call $listen '{"seq":1,"body":"hi"}')
  libchan/HTTP  ws://127.0.0.1:$http/libchan-demo/libchan   h2c://127.0.0.1:$http/libchan-demo/libchan
                https://127.0.0.1:$https/libchan-demo/libchan   POST http://127.0.0.1:$http/libchan-demo/libchan/call/{hello,jobs,board}
  a worker      java -jar deploy/embedded/target/libchan-demo.jar worker ws://127.0.0.1:$http/libchan-demo/libchan
  gateway pg    java -jar deploy/cli/target/libchan.jar forward --local 127.0.0.1:15432 'ws://libchan:PASSWORD@127.0.0.1:$http/libchan-demo/api/libchan/ws' pg
  management    http://127.0.0.1:$mgmt/management
  log           $home/standalone/log/server.log
EOF

if [ "$check" = true ]; then
  status=0
  hello=$(curl -sS --max-time 30 "http://127.0.0.1:$http/libchan-demo/api/hello") || status=1
  say "GET /api/hello -> ${hello:-nothing}"
  [ "$hello" = "hello, world" ] || status=1
  if [ -f "$cli_jar" ]; then
    reply=$(java -jar "$cli_jar" call "$listen" '{"seq":1,"body":"hi"}' --timeout 30s) || status=1
    say "libchan call -> ${reply:-nothing}"
    [ "$reply" = '{"seq":1,"body":"hi"}' ] || status=1
  else
    say "no $cli_jar: libchan call skipped (mvn -B -q install -DskipTests builds it)"
  fi
  stop
  exit $status
fi

say "Ctrl-C stops it"
wait "$server" || true
