#!/usr/bin/env bash
# Validates the compose file and checks that every LFVIT_* variable the compose file and lfvit.env hand
# to the apps is a setting the app reads: an AppConfig key (a.b.c -> LFVIT_A_B_C) or a Kafka client
# setting (LFVIT_KAFKA_*). The app ignores unknown variables, so a misspelt name would silently leave the
# default in place. Uses Compose v1 (docker-compose) or v2 (docker compose), whichever can render the
# file; exits 2 with the reason when neither can, so the check never passes without checking.
set -euo pipefail
cd "$(dirname "$0")/.."

compose_file=docker/docker-compose.yml
config=streams-app/src/main/java/io/lfvit/app/config/AppConfig.java
# The key constants ("bootstrap.servers", ...), not the prefixes ("kafka.", "LFVIT_").
known=$(sed -nE 's/^[[:space:]]*public static final String [A-Z_]+ = "([a-z][a-z0-9.-]*[a-z0-9])";.*/\1/p' "$config" \
  | tr 'a-z.-' 'A-Z__' | sed 's/^/LFVIT_/')
[ -n "$known" ] || { echo "check-env: no keys found in $config" >&2; exit 1; }

# The rendered compose file (environment and env_file merged), from the first compose command that works.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
rendered=""
for compose in "docker-compose" "docker compose"; do
  if ! command -v "${compose%% *}" >/dev/null 2>&1; then
    echo "$compose: not installed" >>"$errors"
    continue
  fi
  # shellcheck disable=SC2086
  if rendered=$($compose -f "$compose_file" config 2>>"$errors"); then
    break
  fi
  echo "($compose -f $compose_file config failed)" >>"$errors"
  rendered=""
done
if [ -z "$rendered" ]; then
  {
    echo "check-env: cannot check $compose_file: neither 'docker-compose' nor 'docker compose' could render it."
    echo "check-env: install Compose (apt-get install docker-compose, or the Docker Compose v2 plugin) or fix the file:"
    sed 's/^/  /' "$errors"
  } >&2
  exit 2
fi

from_compose=$(sed -nE 's/^[[:space:]]+(LFVIT_[A-Z0-9_]+):.*/\1/p' <<<"$rendered")
if [ -z "$from_compose" ]; then
  echo "check-env: no LFVIT_* variable in the rendered $compose_file: nothing was checked (format changed?)" >&2
  exit 2
fi
used=$( { echo "$from_compose"; sed -nE 's/^[[:space:]]*(LFVIT_[A-Z0-9_]+)=.*/\1/p' docker/lfvit.env; } | sort -u)

bad=0
for name in $used; do
  case "$name" in LFVIT_KAFKA_?*) continue ;; esac
  if ! grep -qx "$name" <<<"$known"; then
    echo "check-env: $name is not an AppConfig setting (see $config)" >&2
    bad=1
  fi
done
[ $bad -eq 0 ] && echo "check-env: $(wc -w <<<"$used") LFVIT_* variables, all settings the app reads"
exit $bad
