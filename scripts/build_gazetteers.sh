#!/usr/bin/env bash
# Regenerate the bundled gazetteers from the public sources in ../shared/sources.
#
# The hand-curated files (gazetteers/core.tsv, gazetteers/curated.tsv) come first; each
# importer then adds what the earlier files do not already have (--against), so the
# generated files load together without clashes. Finally the common-word stop list is
# derived from the aliases and the news corpus. Generated files are committed; run this
# after changing an importer or a curated file, then review `git diff --stat gazetteers`.
set -euo pipefail
cd "$(dirname "$0")/.."
sources=${SOURCES:-../shared/sources}
corpus=${CORPUS:-../shared/corpus/news.jsonl.gz}

cargo build --release --quiet
ng=target/release/newsgraph
rm -f gazetteers/gen-*.tsv

$ng gazetteer import --from geonames --against gazetteers --out gazetteers/gen-places.tsv \
    "$sources/places/geonames_countries.tsv" "$sources/places/countryinfo_countries.jsonl" \
    "$sources/places/pycountry_countries.tsv" "$sources/places/geonames_cities15000.tsv" \
    "$sources/places/pycountry_subdivisions.tsv"
$ng gazetteer import --from factbook --against gazetteers --out gazetteers/gen-factbook.tsv \
    "$sources/factbook/cia_factbook_government_terrorism.jsonl" \
    "$sources/places/pycountry_countries.tsv" "$sources/places/geonames_countries.tsv"
$ng gazetteer import --from ofac --against gazetteers --out gazetteers/gen-sanctions.tsv \
    "$sources/sanctions/ofac_fto_2024-05-03.tsv" "$sources/sanctions/ofac_sdgt_entities_2024-05-03.tsv" \
    "$sources/sanctions/un_sc_entities_2018-10-29.tsv" "$sources/sanctions/ofac_sdn_2024-05-03.csv" \
    "$sources/places/pycountry_countries.tsv"
$ng gazetteer import --from phoenix --against gazetteers --out gazetteers/gen-phoenix.tsv \
    "$sources/phoenix/Phoenix.MilNonState.actors.txt" "$sources/phoenix/Phoenix.IssueCoding.txt" \
    "$sources/phoenix/Phoenix.International.actors.txt" "$sources/phoenix/Phoenix.Countries.actors.txt"

# Ministries every government has, after the imports so that theirs win.
python3 scripts/build_ministries.py gazetteers "$sources/factbook/cia_factbook_government_terrorism.jsonl" \
    > gazetteers/gen-ministries.tsv.tmp
mv gazetteers/gen-ministries.tsv.tmp gazetteers/gen-ministries.tsv

python3 scripts/build_common_words.py gazetteers "$corpus" > gazetteers/common_words.txt
$ng gazetteer check gazetteers
