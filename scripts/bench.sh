#!/usr/bin/env bash
# Throughput and memory of `newsgraph build` over the shared news corpus, next to a bare
# matcher-only pass over the same text in the same run (docs/performance.md).
#
#   scripts/bench.sh [CORPUS]      (default ../shared/corpus/news.jsonl.gz)
#   BENCH_MILLION=1 scripts/bench.sh   also a million tiny articles, for peak memory
#
# Prints, for the corpus (1x) on 1 and 2 jobs and for a 4x concatenation with fresh ids on
# 2 jobs: MB of article text, wall time, MB/s, documents/s and peak RSS
# (/usr/bin/time -v), plus the matcher-only MB/s and the ratio between them. Build times
# include loading the gazetteers (from the cache the first build writes);
# the matcher-only time does not.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/news.jsonl.gz}
cargo build --release --quiet
ng=target/release/newsgraph
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A gazetteer cache of the bench's own, so the first run writes it as a new user's would.
export XDG_CACHE_HOME="$tmp/cache"
zcat -f "$corpus" > "$tmp/1x.jsonl"
python3 - "$tmp/1x.jsonl" "$tmp/4x.jsonl" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
lines = open(src, encoding="utf-8").read().splitlines()
with open(dst, "w", encoding="utf-8") as out:
    for copy in range(4):
        for line in lines:
            d = json.loads(line)
            d["id"] = f"{d['id']}#{copy}"
            # A copy must be new text, or the SHA-256 check would skip it.
            d["text"] = d["text"] + f"\n\n(copy {copy})"
            out.write(json.dumps(d) + "\n")
PY
text_mb() { python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1], encoding='utf-8'))/1e6)" "$1"; }
docs() { wc -l < "$1"; }
calc() { python3 -c "print($1)"; }

printf "%-28s %8s %8s %8s %9s %10s\n" run "text MB" "wall s" "MB/s" "docs/s" "peak MB"
# Builds share one gazetteer cache folder, so all but the first read the gazetteers from
# the copy the first one wrote; each starts with a new database.
run() {
    local name=$1 input=$2 jobs=$3
    find "$tmp/out" -mindepth 1 -delete 2>/dev/null || true
    /usr/bin/time -v "$ng" build --quiet --jobs "$jobs" --out "$tmp/out" "$input" 2> "$tmp/time.txt"
    local wall rss mb n
    wall=$(python3 -c "import re,sys; t=re.search(r'Elapsed \(wall clock\) time.*: (.*)', open(sys.argv[1]).read()).group(1).split(':'); print(sum(float(x)*60**i for i,x in enumerate(reversed(t))))" "$tmp/time.txt")
    rss=$(awk '/Maximum resident set size/ {print int($6/1024)}' "$tmp/time.txt")
    mb=$(text_mb "$input"); n=$(docs "$input")
    printf "%-28s %8.1f %8.1f %8.2f %9.0f %10s\n" "$name" "$mb" "$wall" "$(calc "$mb / $wall")" "$(calc "$n / $wall")" "$rss"
    calc "$mb / $wall" > "$tmp/last_mbs"
}
rm -rf "$tmp/out"
run "build 1x, 2 jobs, new dir" "$tmp/1x.jsonl" 2
run "build 1x, 1 job" "$tmp/1x.jsonl" 1
build1=$(cat "$tmp/last_mbs")
run "build 1x, 2 jobs" "$tmp/1x.jsonl" 2
build2=$(cat "$tmp/last_mbs")
run "build 4x, 2 jobs" "$tmp/4x.jsonl" 2
for jobs in 1 2; do
    line=$("$ng" bench-match --jobs "$jobs" "$tmp/1x.jsonl")
    echo "matcher only 1x, $jobs job(s): $line"
    mbs=$(echo "$line" | sed -E 's/.*: ([0-9.]+) MB\/s/\1/')
    eval "match$jobs=$mbs"
done
echo "ratio matcher/build, 1 job: $(calc "round($match1 / $build1, 1)")"
echo "ratio matcher/build, 2 jobs: $(calc "round($match2 / $build2, 1)")"
/usr/bin/time -v "$ng" gazetteer check gazetteers 2> "$tmp/time.txt" | grep "loaded and built"

# Hostile text (issue #7): work must stay bounded by design, so these should take about as
# long per MB as ordinary news.
python3 - "$tmp/hostile.jsonl" <<'PY'
import json, sys
docs = {
    "no-full-stops-1MB": ("Hamas attacked Israel and " * 40000)[:1_000_000],
    "100k-names": " ".join(["Hezbollah Iran Iraq Syria Hamas"] * 20000) + ".",
    "controls-rtl-emoji": ("\u202eعصائب أهل الحق\u202c \u0007 Kata\u0301ib 🎉 " * 20000),
    # unicode-segmentation's sentence rule SB8 scanned ahead again from every closer.
    "closers-after-full-stop": "Hamas said so." + ")" * 1_000_000 + " then.",
}
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for i, t in docs.items():
        out.write(json.dumps({"id": i, "text": t}) + "\n")
PY
run "hostile text, 2 jobs" "$tmp/hostile.jsonl" 2

# Memory at scale (docs/performance.md, "Memory with a million documents"): a million tiny
# articles, which takes about 100 s more. Opt in with BENCH_MILLION=1.
if [ "${BENCH_MILLION:-0}" = 1 ]; then
    python3 -c "
import json, sys
with open(sys.argv[1], 'w') as out:
    for i in range(1_000_000):
        out.write(json.dumps({'id': f'tiny-{i:07d}-abcdefgh', 'text': f'Hamas said on day {i} that Israel attacked Gaza.'}) + '\n')
" "$tmp/million.jsonl"
    run "1,000,000 tiny docs, 2 jobs" "$tmp/million.jsonl" 2
fi
