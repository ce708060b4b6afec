#!/usr/bin/env bash
# Prepares a private Postfix (with Dovecot for SASL AUTH) for mailport's integration tests.
# Idempotent: installs the Debian packages postfix and dovecot-core when missing (as root,
# non-interactively), then writes the instance's configuration under $MAILPORT_POSTFIX_DIR
# (default /tmp/mailport-postfix). The machine's own /etc/postfix and /etc/dovecot are not
# touched, and nothing is started: start.sh does that.
#
# The instance listens on 127.0.0.1 only and never relays: it delivers to maildirs under
# $MAILPORT_POSTFIX_DIR/mail (domain mailport.test) or discards (domain
# discard.mailport.test); every other destination is refused at RCPT, and there is no
# smtp/relay delivery agent in its master.cf at all.
#
# Exit status: 0 ready; 3 the instance cannot be made here (not root; or the packages are
# missing and apt-get is not there or fails, e.g. without network): the test suite is
# skipped with the message printed. With CI=true those are failures (status 1), as is
# anything else that goes wrong.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

# ------------------------------------------------------------------------------------------
# Packages

have_packages() {
  command -v postfix >/dev/null 2>&1 && [ -x /usr/sbin/postconf ] && command -v dovecot >/dev/null 2>&1 \
    && command -v doveadm >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1
}

install_packages() {
  command -v apt-get >/dev/null 2>&1 \
    || skip "postfix/dovecot-core are not installed and there is no apt-get to install them; the Postfix suite is skipped"
  log "installing postfix, dovecot-core and openssl (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
  echo "postfix postfix/mailname string localhost" | debconf-set-selections
  # Keep the packages' own services (the machine-wide Postfix and Dovecot) from starting.
  local policy=/usr/sbin/policy-rc.d made_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=yes
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq \
    || skip "apt-get update failed (no network?): cannot install postfix/dovecot-core; the Postfix suite is skipped"
  apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold postfix dovecot-core openssl >/dev/null \
    || skip "apt-get install postfix dovecot-core failed (no network?); the Postfix suite is skipped"
  if [ -n "$made_policy" ]; then rm -f "$policy"; trap - EXIT; fi
  have_packages || die "the packages were installed but postfix/dovecot/doveadm are still missing"
}

# ------------------------------------------------------------------------------------------
# Configuration

# The first port from $1 up that nothing listens on and that is not in $2.
free_port() {
  local port=$1
  while port_in_use "$port" || [ "$port" = "${2:-}" ]; do
    port=$((port + 1))
    [ "$port" -lt "$(($1 + 100))" ] || die "no free port between $1 and $(($1 + 99))"
  done
  echo "$port"
}

make_certificate() {
  local dir="$STATE/tls"
  mkdir -p "$dir"
  if [ -s "$dir/cert.pem" ] && openssl x509 -checkend 86400 -noout -in "$dir/cert.pem" >/dev/null 2>&1; then
    return
  fi
  log "making a self-signed certificate for localhost and 127.0.0.1"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
  chmod 600 "$dir/key.pem"
  chmod 644 "$dir/cert.pem"
}

write_dovecot() {
  mkdir -p "$STATE/dovecot/run" "$STATE/dovecot/state" "$STATE/log"
  # The test users, in Dovecot's passwd-file format; the passwords are test data.
  cat >"$STATE/dovecot/users" <<USERS
tester@mailport.test:{PLAIN}correct horse battery staple
USERS
  chown root:dovecot "$STATE/dovecot/users"
  chmod 640 "$STATE/dovecot/users"
  cat >"$DC_CONF" <<CONF
# Dovecot only authenticates, for the private Postfix instance's SASL; no IMAP, no POP3.
protocols = none
base_dir = $STATE/dovecot/run
state_dir = $STATE/dovecot/state
log_path = $STATE/log/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Wrong passwords are part of the tests: answer them at once (failures still go out on
# Dovecot's half-second tick), and keep no penalty for an address that failed, which
# would delay its next attempts by 2 s, then 4, 8 ...
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN $STATE/dovecot/users
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=/nonexistent
}
service auth {
  unix_listener auth-client {
    mode = 0660
    user = postfix
    group = postfix
  }
}
CONF
}

write_postfix() {
  local port=$1 plain_port=$2
  mkdir -p "$PF_CONF" "$STATE/spool" "$STATE/data" "$STATE/log" "$STATE/mail"
  chown 65534:65534 "$STATE/mail"
  chown postfix "$STATE/data"
  cat >"$PF_CONF/mailboxes" <<MAPS
tester@mailport.test    mailport.test/tester/
alice@mailport.test     mailport.test/alice/
bob@mailport.test       mailport.test/bob/
jösé@mailport.test      mailport.test/jösé/
postmaster@mailport.test mailport.test/postmaster/
MAPS
  cat >"$PF_CONF/transport" <<MAPS
discard.mailport.test   discard:
MAPS
  cat >"$PF_CONF/main.cf" <<CONF
# A private Postfix instance for mailport's integration tests (tests/integration/postfix).
compatibility_level = 3.6
queue_directory = $STATE/spool
data_directory = $STATE/data
mail_owner = postfix
maillog_file_prefixes = $STATE/log
maillog_file = $STATE/log/postfix.log
myhostname = mail.mailport.test
mydomain = mailport.test
myorigin = \$mydomain
smtpd_banner = \$myhostname ESMTP mailport test instance
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
biff = no

# Never relay: the only destinations are the maildirs of mailport.test and the discard
# transport; the fallback transports bounce, and master.cf has no smtp client.
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
local_header_rewrite_clients =
smtpd_relay_restrictions = reject_unauth_destination
relay_domains = discard.mailport.test
transport_maps = texthash:$PF_CONF/transport
default_transport = error:5.7.1 this test instance never relays
relay_transport = error:5.7.1 this test instance never relays
local_transport = error:5.7.1 this test instance has no local delivery
virtual_mailbox_domains = mailport.test
virtual_mailbox_base = $STATE/mail
virtual_mailbox_maps = texthash:$PF_CONF/mailboxes
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
virtual_mailbox_limit = 0
notify_classes = resource, software
bounce_notice_recipient = postmaster@mailport.test
2bounce_notice_recipient = postmaster@mailport.test

smtputf8_enable = yes
message_size_limit = 1048576

smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_tls_cert_file = $STATE/tls/cert.pem
smtpd_tls_key_file = $STATE/tls/key.pem
smtpd_tls_loglevel = 0

smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $STATE/dovecot/run/auth-client
smtpd_sasl_security_options = noanonymous
smtpd_sasl_tls_security_options = noanonymous
CONF
  cat >"$PF_CONF/master.cf" <<CONF
# service   type  private unpriv chroot wakeup maxproc command
127.0.0.1:$port inet n - n - - smtpd
127.0.0.1:$plain_port inet n - n - - smtpd
  -o smtpd_discard_ehlo_keywords=pipelining,chunking
cleanup    unix  n - n - 0 cleanup
qmgr       unix  n - n 300 1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n - - trivial-rewrite
bounce     unix  - - n - 0 bounce
defer      unix  - - n - 0 bounce
trace      unix  - - n - 0 bounce
verify     unix  - - n - 1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n - - proxymap
proxywrite unix  - - n - 1 proxymap
showq      unix  n - n - - showq
error      unix  - - n - - error
retry      unix  - - n - - error
discard    unix  - - n - - discard
virtual    unix  - n n - - virtual
anvil      unix  - - n - 1 anvil
scache     unix  - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
CONF
  cat >"$ENV_FILE" <<ENV
MAILPORT_POSTFIX_PORT=$port
MAILPORT_POSTFIX_PLAIN_PORT=$plain_port
MAILPORT_POSTFIX_CERT=$STATE/tls/cert.pem
MAILPORT_POSTFIX_MAILDIR=$STATE/mail
MAILPORT_POSTFIX_USER=tester@mailport.test
MAILPORT_POSTFIX_PASSWORD='correct horse battery staple'
ENV
}

configure() {
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  make_certificate
  write_dovecot
  local port plain_port
  # MAILPORT_POSTFIX_BASE_PORT: where to start looking, to keep two instances apart.
  port=$(free_port "${MAILPORT_POSTFIX_BASE_PORT:-2525}")
  plain_port=$(free_port $((port + 1)) "$port")
  write_postfix "$port" "$plain_port"
  # Creates the queue directories with their owners and modes (postfix start checks the rest).
  [ -d "$STATE/spool/active" ] || postfix -c "$PF_CONF" set-permissions >/dev/null 2>&1 || true
  log "configured in $STATE: SMTP on 127.0.0.1:$port (and :$plain_port without PIPELINING/CHUNKING)"
}

require_root
lock_instance
have_packages || install_packages
if postfix_running; then
  log "the instance in $STATE is running: configuration left as it is"
else
  configure
fi
