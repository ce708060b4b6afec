#!/usr/bin/env bash
# Starts the private Postfix and Dovecot of the integration tests (running setup.sh first,
# which installs and configures what is missing), waits until Postfix listens, and counts
# the caller as a user of the instance until it calls stop.sh.
#
# Usage: start.sh PID, where PID is the caller's process (the test or benchmark run): a
# run whose process is gone no longer counts, even if it never called stop.sh.
#
# Postfix and Dovecot are each started only if they are not running, and each is marked as
# started here; stop.sh stops what was marked, once the last user has gone. Runs may
# overlap (a test run and a benchmark): the lock in common.sh keeps them apart while
# starting and stopping.
#
# Prints the instance's settings as KEY=value lines on stdout, then
# MAILPORT_POSTFIX_STARTED=yes when this call started Postfix (no: it was running).
# Exit status as setup.sh (3: the instance cannot be made here).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

user="${1:?usage: start.sh PID (the process using the instance)}"
require_root
lock_instance
"$here/setup.sh"
prune_users

if ! dovecot_running; then
  rm -f "$STATE/dovecot/run/auth-client"
  # 9>&-: the daemons must not hold the lock (common.sh) for as long as they run.
  dovecot -c "$DC_CONF" </dev/null >/dev/null 2>&1 9>&- || die "dovecot failed to start (see $STATE/log/dovecot.log)"
  touch "$HARNESS/dovecot.started"
fi
for _ in $(seq 1 100); do
  [ -S "$STATE/dovecot/run/auth-client" ] && break
  sleep 0.05
done
[ -S "$STATE/dovecot/run/auth-client" ] || die "Dovecot did not open its auth socket (see $STATE/log/dovecot.log)"

started=no
if ! postfix_running; then
  postfix -c "$PF_CONF" start >/dev/null 2>&1 9>&- || die "postfix start failed (see $STATE/log/postfix.log)"
  touch "$HARNESS/postfix.started"
  started=yes
fi
# shellcheck disable=SC1090
. "$ENV_FILE"
for _ in $(seq 1 200); do
  port_in_use "$MAILPORT_POSTFIX_PORT" && port_in_use "$MAILPORT_POSTFIX_PLAIN_PORT" && break
  sleep 0.05
done
port_in_use "$MAILPORT_POSTFIX_PORT" || die "Postfix does not listen on 127.0.0.1:$MAILPORT_POSTFIX_PORT (see $STATE/log/postfix.log)"

touch "$HARNESS/users/$user"
cat "$ENV_FILE"
echo "MAILPORT_POSTFIX_STARTED=$started"
