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

# A mark is kept when stopping fails, so that a later stop.sh tries again.
status=0
if [ -e "$HARNESS/postfix.started" ]; then
  if ! postfix_running || postfix -c "$PF_CONF" stop >/dev/null 2>&1; then
    rm -f "$HARNESS/postfix.started"
  else
    log "postfix stop failed"
    status=1
  fi
fi
if [ -e "$HARNESS/dovecot.started" ]; then
  if ! dovecot_running || doveadm -c "$DC_CONF" stop >/dev/null 2>&1; then
    rm -f "$HARNESS/dovecot.started"
  else
    log "doveadm stop failed"
    status=1
  fi
fi
exit "$status"
