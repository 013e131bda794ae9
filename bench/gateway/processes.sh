# Shared by run-gateway.sh and count-gateway.sh (sourced): free loopback ports and background
# servers that are waited for. The sourcing script sets WORK, PIDS=() and SCRIPT (its name).

free_port() { # a loopback port nothing answers on
  local p
  while true; do
    p=$((12000 + RANDOM % 20000))   # below the ephemeral range, where outgoing connections bind
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# start NAME PATTERN CMD...: runs CMD in the background (output in $WORK/NAME.log), waits for PATTERN
start() {
  local name=$1 pattern=$2; shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    grep -q -- "$pattern" "$WORK/$name.log" 2>/dev/null && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "$SCRIPT: $name did not start:" >&2; cat "$WORK/$name.log" >&2; exit 2
}
