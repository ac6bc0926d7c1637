#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432, database `test`, user postgres without a
# password from localhost) and Redis (127.0.0.1:6379) are installed and running,
# as the integration tests expect. Installs them with apt-get when missing.
set -euo pipefail

log() { printf '[services] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

pg_ok() { psql -h 127.0.0.1 -U postgres -d test -Atqc 'select 1' >/dev/null 2>&1; }

ensure_postgres() {
  if pg_ok; then log "PostgreSQL is up"; return; fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    log "installing PostgreSQL"
    apt_install postgresql postgresql-contrib
  fi
  command -v pgbench >/dev/null 2>&1 || apt_install postgresql-contrib
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
  if ! pg_ok; then
    # A fresh Debian cluster asks for a password over TCP: trust loopback for the tests.
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    if ! grep -q 'booking-ledger tests' "$hba"; then
      log "trusting loopback connections in $hba"
      as_root sed -i '1i host all all 127.0.0.1/32 trust # booking-ledger tests\nhost all all ::1/128 trust # booking-ledger tests' "$hba"
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
      sleep 1
    fi
    psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname='test'" | grep -q 1 \
      || psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test'
  fi
  pg_ok || { log "PostgreSQL is still unreachable on 127.0.0.1:5432"; exit 1; }
  log "PostgreSQL is up"
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then log "Redis is up"; return; fi
  command -v redis-server >/dev/null 2>&1 || { log "installing Redis"; apt_install redis-server; }
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 20); do redis-cli ping 2>/dev/null | grep -q PONG && break; sleep 0.5; done
  redis-cli ping | grep -q PONG || { log "Redis did not start"; exit 1; }
  log "Redis is up"
}

command -v psql >/dev/null 2>&1 || apt_install postgresql-client
# The README's walkthrough uses curl and jq.
for tool in curl jq; do command -v "$tool" >/dev/null 2>&1 || { log "installing $tool"; apt_install "$tool"; }; done
ensure_postgres
ensure_redis
# The console's browser tests drive Debian's Chromium (playwright-core never downloads a browser).
[ -x /usr/bin/chromium ] || { log "installing Chromium"; apt_install chromium; }
