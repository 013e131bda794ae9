#!/usr/bin/env bash
# Prepares an unpacked WildFly for the libchan demo WAR:
#  - standalone/configuration/standalone-libchan.xml: standalone.xml with libchan.cli applied
#    (offline, with an embedded server; redone only when libchan.cli or standalone.xml changed),
#  - two application users in the file-based ApplicationRealm (application-users.properties and
#    application-roles.properties, where a user's group is its role), added once, kept as they are
#    afterwards:
#      $LIBCHAN_DEMO_USER / $LIBCHAN_DEMO_PASSWORD (default libchan / libchan-demo-1!), group "libchan":
#        may use the WAR's channels below /libchan-demo/api/libchan (web.xml) and its browser page;
#      $LIBCHAN_GUEST_USER / $LIBCHAN_GUEST_PASSWORD (default guest / libchan-guest-1!), no group:
#        authenticates, but is refused there (403).
# usage: deploy/wildfly/configure.sh JBOSS_HOME
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=${1:?usage: $0 JBOSS_HOME}
cfg=$home/standalone/configuration
out=$cfg/standalone-libchan.xml
user=${LIBCHAN_DEMO_USER:-libchan}
password=${LIBCHAN_DEMO_PASSWORD:-libchan-demo-1!}
guest=${LIBCHAN_GUEST_USER:-guest}
guest_password=${LIBCHAN_GUEST_PASSWORD:-libchan-guest-1!}

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

# add_user NAME PASSWORD [GROUP]
add_user() {
  if grep -q "^$1=" "$cfg/application-users.properties"; then
    echo "configure.sh: application user '$1' exists (delete its line in application-users.properties to reset it)"
  else
    # add-user.sh's own JVM: small, as for the CLI above
    JAVA_OPTS="-Xms32m -Xmx128m -XX:TieredStopAtLevel=1" "$home/bin/add-user.sh" -a -s -u "$1" -p "$2" ${3:+-g "$3"} -sc "$cfg"
    echo "configure.sh: added application user '$1' (${3:+group $3}${3:-no group}) to $cfg/application-users.properties"
  fi
}
add_user "$user" "$password" libchan
add_user "$guest" "$guest_password"
