#!/usr/bin/env bash
# Prepares an unpacked WildFly for the libchan demo WAR:
#  - standalone/configuration/standalone-libchan.xml: standalone.xml with libchan.cli applied
#    (offline, with an embedded server; redone only when libchan.cli or standalone.xml changed),
#  - an application user in the file-based ApplicationRealm (application-users.properties), for
#    authentication tests: $LIBCHAN_DEMO_USER / $LIBCHAN_DEMO_PASSWORD (default libchan /
#    libchan-demo-1!), group "libchan"; added once, kept as it is afterwards.
# usage: deploy/wildfly/configure.sh JBOSS_HOME
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=${1:?usage: $0 JBOSS_HOME}
cfg=$home/standalone/configuration
out=$cfg/standalone-libchan.xml
user=${LIBCHAN_DEMO_USER:-libchan}
password=${LIBCHAN_DEMO_PASSWORD:-libchan-demo-1!}

[ -x "$home/bin/jboss-cli.sh" ] || { echo "configure.sh: no WildFly in $home" >&2; exit 1; }

if [ -f "$out" ] && [ "$out" -nt "$here/libchan.cli" ] && [ "$out" -nt "$cfg/standalone.xml" ]; then
  echo "configure.sh: $out is up to date"
else
  cp "$cfg/standalone.xml" "$out"
  # the CLI's own JVM: small and quick to start, whatever JAVA_OPTS the caller has
  if ! JAVA_OPTS="-Xms32m -Xmx256m -XX:TieredStopAtLevel=1" "$home/bin/jboss-cli.sh" --file="$here/libchan.cli" >/dev/null; then
    rm -f "$out"
    echo "configure.sh: $here/libchan.cli failed" >&2
    exit 1
  fi
  touch "$out"
  echo "configure.sh: wrote $out"
fi

if grep -q "^$user=" "$cfg/application-users.properties"; then
  echo "configure.sh: application user '$user' exists (delete its line in application-users.properties to reset it)"
else
  "$home/bin/add-user.sh" -a -s -u "$user" -p "$password" -g libchan -sc "$cfg"
  echo "configure.sh: added application user '$user' (group libchan) to $cfg/application-users.properties"
fi
