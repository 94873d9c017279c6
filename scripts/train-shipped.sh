#!/usr/bin/env bash
# Trains (or resumes) every shipped bundle, one after the other, as the README's results were made:
# the ViT from scratch (3 epochs, the defaults); every family started from it and trained one more
# epoch with the same options (4 epochs in all: the Table 3 peers, models/vit-e4 their baseline);
# two more epochs for LF-ViT and the ViT, one run after the other (models/lfvit-e5 and models/vit-e5,
# then 6 epochs: models/lfvit, the served model, and models/vit-e6, its equal-budget baseline);
# then the from-scratch comparisons. A finished bundle is skipped (lfvit train exits 4), an interrupted one
# resumes from its checkpoint, so running this again after a stop carries on where it was.
#   scripts/train-shipped.sh            # all, in this order
#   scripts/train-shipped.sh vit lfvit  # only these
# SIGTERM/SIGINT stops the current run at its next checkpoint (lfvit train waits for it).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

FROM_VIT="--init models/vit --epochs 1 --warmup 50"
ONE_MORE="--epochs 1 --warmup 50 --init"
declare -A ARGS=(
  [vit]="--family vit"
  [lfvit-e4]="--family lfvit $FROM_VIT"
  [vit-e4]="--family vit $FROM_VIT"
  [lfvit-e5]="--family lfvit $ONE_MORE models/lfvit-e4"
  [vit-e5]="--family vit $ONE_MORE models/vit-e4"
  [lfvit]="--family lfvit $ONE_MORE models/lfvit-e5"
  [vit-e6]="--family vit $ONE_MORE models/vit-e5"
  [evit-0.7]="--family evit --keep-rate 0.7 $FROM_VIT"
  [evit-0.5]="--family evit --keep-rate 0.5 $FROM_VIT"
  [cfvit]="--family cfvit $FROM_VIT"
  [lfvit-evit]="--family lfvit --keep-rate 0.7 $FROM_VIT"
  [from-scratch/lfvit]="--family lfvit"
  [from-scratch/cfvit]="--family cfvit"
  [from-scratch/evit-0.7]="--family evit --keep-rate 0.7"
)
ORDER=(vit lfvit-e4 vit-e4 lfvit-e5 vit-e5 lfvit vit-e6 evit-0.7 evit-0.5 cfvit lfvit-evit from-scratch/lfvit from-scratch/cfvit from-scratch/evit-0.7)
[ $# -gt 0 ] && ORDER=("$@")

child=""
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM INT

for name in "${ORDER[@]}"; do
  [ -n "${ARGS[$name]:-}" ] || { echo "train-shipped: unknown bundle '$name' (one of: ${!ARGS[*]})" >&2; exit 2; }
  echo "train-shipped: models/$name ($(date -u +%H:%M:%S))" >&2
  # shellcheck disable=SC2086
  ./lfvit train ${ARGS[$name]} --out "models/$name" &
  child=$!
  wait "$child"
  code=$?
  child=""
  case $code in
    0) echo "train-shipped: models/$name done" >&2 ;;
    4) ;;  # already finished: lfvit train said so
    *) echo "train-shipped: models/$name stopped with exit code $code" >&2; exit "$code" ;;
  esac
done
