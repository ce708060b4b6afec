#!/usr/bin/env bash
# Ends a run's use of the private Postfix and Dovecot (start.sh PID); when no other run
# uses them any more, stops those of them that start.sh started (a Postfix or Dovecot
# that was already running is left running). Leaves the configuration and the delivered
# mail in place (setup.sh reuses them).
#
# Usage: stop.sh PID, the same PID as given to start.sh.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

user="${1:?usage: stop.sh PID (as given to start.sh)}"
# Only root can have started them.
[ "$(id -u)" -eq 0 ] && [ -d "$STATE" ] || exit 0
lock_instance
rm -f "$HARNESS/users/$user"
prune_users
if [ -n "$(ls -A "$HARNESS/users")" ]; then
  log "still in use by another run: left running"
  exit 0
fi

# Stops $1 (postfix or dovecot) with the command that follows if start.sh started it. The
# mark is kept when that fails, so that a later stop.sh tries again.
stop_started() {
  local name=$1
  shift
  [ -e "$HARNESS/$name.started" ] || return 0
  if "${name}_running" && ! "$@" >/dev/null 2>&1; then
    log "stopping $name failed"
    return 1
  fi
  rm -f "$HARNESS/$name.started"
}

status=0
stop_started postfix postfix -c "$PF_CONF" stop || status=1
stop_started dovecot doveadm -c "$DC_CONF" stop || status=1
exit "$status"
