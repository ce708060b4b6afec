#!/usr/bin/env bash
# Stops the private Postfix and Dovecot of the integration tests, if they run. Leaves the
# configuration and the delivered mail in place (setup.sh reuses them).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

status=0
if postfix_running; then
  postfix -c "$PF_CONF" stop >/dev/null 2>&1 || { log "postfix stop failed"; status=1; }
fi
if dovecot_running; then
  doveadm -c "$DC_CONF" stop >/dev/null 2>&1 || { log "doveadm stop failed"; status=1; }
fi
exit "$status"
