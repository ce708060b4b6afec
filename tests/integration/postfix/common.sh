# Shared by setup.sh, start.sh and stop.sh: where the private Postfix and Dovecot live.
# Sourced, not run.

# Everything of the test instance lives here; the machine's /etc/postfix and /etc/dovecot
# are never read or written.
MAILPORT_POSTFIX_DIR="${MAILPORT_POSTFIX_DIR:-/tmp/mailport-postfix}"
STATE="$MAILPORT_POSTFIX_DIR"
PF_CONF="$STATE/postfix"
DC_CONF="$STATE/dovecot/dovecot.conf"
ENV_FILE="$STATE/instance.env"
# What start.sh and stop.sh keep track of: the runs using the instance (users/<pid>), and
# which of Postfix and Dovecot they started (postfix.started, dovecot.started).
HARNESS="$STATE/harness"

# setup.sh's and start.sh's exit status when the instance cannot be made here.
SKIP_STATUS=3

log() { printf 'mailport-postfix: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# The instance cannot be made here: exit with SKIP_STATUS so that the suite is skipped,
# except in CI (CI=true), where that is a failure.
skip() {
  if [ "${CI:-}" = "true" ]; then
    die "$* (CI=true: the Postfix suite must run)"
  fi
  log "$*"
  exit "$SKIP_STATUS"
}

# Installing the packages, chown-ing the instance's files to postfix and dovecot, and
# `postfix start` all need root.
require_root() {
  [ "$(id -u)" -eq 0 ] || skip "not root: the private Postfix and Dovecot need root (to install them, chown their files and start them); the Postfix suite is skipped"
}

# Holds the instance's lock until the calling script exits, so that concurrent runs (a
# test run and a benchmark) start, configure and stop it one at a time. A script run by
# one that holds the lock (setup.sh from start.sh) does not take it again.
lock_instance() {
  [ -z "${MAILPORT_POSTFIX_LOCKED:-}" ] || return 0
  command -v flock >/dev/null 2>&1 || die "flock (util-linux) is missing: it keeps concurrent runs apart"
  mkdir -p "$STATE"
  exec 9>"$STATE/lock"
  flock 9
  export MAILPORT_POSTFIX_LOCKED=1
}

# Forgets the runs whose process is gone (killed before it could call stop.sh).
prune_users() {
  local file
  mkdir -p "$HARNESS/users"
  for file in "$HARNESS/users"/*; do
    [ -e "$file" ] || continue
    kill -0 "$(basename "$file")" 2>/dev/null || rm -f "$file"
  done
}

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
