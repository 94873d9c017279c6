#!/usr/bin/env bash
# The fault matrix (issue 20; docs/faults.md): every case in separate JVMs against a real broker, then a table.
#   scripts/fault-matrix.sh                       # all cases (1..6), ~5 min on 2 cores
#   scripts/fault-matrix.sh --json faults.json    # also {"cases": [{"fault", "images", "answered", ...}]}
#   scripts/fault-matrix.sh --cases 1,4           # some cases
#   scripts/fault-matrix.sh --soak 30             # the soak instead: split layout at half its capacity for 30 min
# The same as ./lfvit faults ARGS (./lfvit faults --help lists every option); exit code 1 when a case fails.
set -euo pipefail
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lfvit" faults "$@"
