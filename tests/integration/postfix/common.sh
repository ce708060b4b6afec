# Shared by setup.sh, start.sh and stop.sh: where the private Postfix and Dovecot live.
# Sourced, not run.

# Everything of the test instance lives here; the machine's /etc/postfix and /etc/dovecot
# are never read or written.
MAILPORT_POSTFIX_DIR="${MAILPORT_POSTFIX_DIR:-/tmp/mailport-postfix}"
STATE="$MAILPORT_POSTFIX_DIR"
PF_CONF="$STATE/postfix"
DC_CONF="$STATE/dovecot/dovecot.conf"
ENV_FILE="$STATE/instance.env"

log() { printf 'mailport-postfix: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Whether something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Whether the private Postfix instance is running.
postfix_running() {
  [ -f "$PF_CONF/main.cf" ] && postfix -c "$PF_CONF" status >/dev/null 2>&1
}

# Whether the private Dovecot is running.
dovecot_running() {
  [ -f "$STATE/dovecot/run/master.pid" ] && kill -0 "$(cat "$STATE/dovecot/run/master.pid")" 2>/dev/null
}
