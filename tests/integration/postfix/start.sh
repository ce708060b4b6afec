#!/usr/bin/env bash
# Starts the private Postfix and Dovecot of the integration tests (running setup.sh first,
# which installs and configures what is missing), and waits until Postfix greets.
# Prints the instance's settings as KEY=value lines on stdout, then
# MAILPORT_POSTFIX_STARTED=yes when this call started Postfix (no: it was running).
# Exit status as setup.sh (3: cannot install the packages here).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

"$here/setup.sh"

if ! dovecot_running; then
  rm -f "$STATE/dovecot/run/auth-client"
  dovecot -c "$DC_CONF" </dev/null >/dev/null 2>&1 || die "dovecot failed to start (see $STATE/log/dovecot.log)"
fi
for _ in $(seq 1 100); do
  [ -S "$STATE/dovecot/run/auth-client" ] && break
  sleep 0.05
done
[ -S "$STATE/dovecot/run/auth-client" ] || die "Dovecot did not open its auth socket (see $STATE/log/dovecot.log)"

started=no
if ! postfix_running; then
  postfix -c "$PF_CONF" start >/dev/null 2>&1 || die "postfix start failed (see $STATE/log/postfix.log)"
  started=yes
fi
# shellcheck disable=SC1090
. "$ENV_FILE"
for _ in $(seq 1 200); do
  port_in_use "$MAILPORT_POSTFIX_PORT" && port_in_use "$MAILPORT_POSTFIX_PLAIN_PORT" && break
  sleep 0.05
done
port_in_use "$MAILPORT_POSTFIX_PORT" || die "Postfix does not listen on 127.0.0.1:$MAILPORT_POSTFIX_PORT (see $STATE/log/postfix.log)"

cat "$ENV_FILE"
echo "MAILPORT_POSTFIX_STARTED=$started"
