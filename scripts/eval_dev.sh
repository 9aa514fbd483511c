#!/usr/bin/env bash
# Score newsgraph on the dev sets in ../shared/eval/dev/ (docs/eval.md): build in release,
# convert CoNLL04 and WikiEvents (scripts/eval_convert.py), build each converted set into
# its own folder with the bundled gazetteers, and print the `newsgraph eval` tables.
#
#   scripts/eval_dev.sh [--out DIR] [--shared DIR] [eval options, e.g. --show-errors]
#
# --out    where the converted sets and databases go (default: a new temporary folder,
#          kept and printed); never the repository: the dev sets are not ours to ship.
# --shared the shared data folder (default: ../shared beside the repository).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out=""
shared="$root/../shared"
eval_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --out) out="$2"; shift 2 ;;
        --shared) shared="$2"; shift 2 ;;
        *) eval_args+=("$1"); shift ;;
    esac
done
[[ -n "$out" ]] || out="$(mktemp -d -t newsgraph-eval.XXXXXX)"
mkdir -p "$out"
dev="$shared/eval/dev"
for f in "$dev/conll04_dev.json" "$dev/wikievents/dev.jsonl"; do
    [[ -f "$f" ]] || { echo "error: $f not found; pass --shared DIR" >&2; exit 1; }
done

cd "$root"
cargo build --release --quiet
target="${CARGO_TARGET_DIR:-target}"
[[ "$target" = /* ]] || target="$root/$target"
bin="$target/release/newsgraph"
# The bundled gazetteers and rules, named explicitly so that NEWSGRAPH_DATA cannot change
# what is measured (build alone would look there first, see src/bundled.rs).
gazetteers="$root/gazetteers"

echo "newsgraph $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src gazetteers || echo '+changes'), $(date -u +%Y-%m-%d); output in $out"
python3 scripts/eval_convert.py conll04 "$dev/conll04_dev.json" "$out/conll04"
python3 scripts/eval_convert.py wikievents "$dev/wikievents/dev.jsonl" "$out/wikievents"
for set in conll04 wikievents; do
    rm -rf "$out/$set/build"
    "$bin" build "$out/$set/docs.jsonl" --gazetteers "$gazetteers" --out "$out/$set/build" --quiet
    echo
    echo "== $set"
    "$bin" eval --gold "$out/$set/gold.jsonl" --db "$out/$set/build/newsgraph.sqlite" ${eval_args[@]+"${eval_args[@]}"}
done
