#!/usr/bin/env bash
# Checks that every LFVIT_* variable the compose file and lfvit.env hand to the apps is a setting the
# app reads: an AppConfig key (a.b.c -> LFVIT_A_B_C) or a Kafka client setting (LFVIT_KAFKA_*). The app
# ignores unknown variables, so a misspelt name would silently leave the default in place.
set -euo pipefail
cd "$(dirname "$0")/.."

config=streams-app/src/main/java/io/lfvit/app/config/AppConfig.java
# The key constants ("bootstrap.servers", ...), not the prefixes ("kafka.", "LFVIT_").
known=$(sed -nE 's/^[[:space:]]*public static final String [A-Z_]+ = "([a-z][a-z0-9.-]*[a-z0-9])";.*/\1/p' "$config" \
  | tr 'a-z.-' 'A-Z__' | sed 's/^/LFVIT_/')
[ -n "$known" ] || { echo "check-env: no keys found in $config" >&2; exit 1; }

used=$( { docker-compose -f docker/docker-compose.yml config \
            | sed -nE 's/^[[:space:]]+(LFVIT_[A-Z0-9_]+):.*/\1/p'
          sed -nE 's/^[[:space:]]*(LFVIT_[A-Z0-9_]+)=.*/\1/p' docker/lfvit.env; } | sort -u)

bad=0
for name in $used; do
  case "$name" in LFVIT_KAFKA_?*) continue ;; esac
  if ! grep -qx "$name" <<<"$known"; then
    echo "check-env: $name is not an AppConfig setting (see $config)" >&2
    bad=1
  fi
done
exit $bad
