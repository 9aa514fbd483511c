#!/usr/bin/env python3
"""Convert the dev sets in ../shared/eval/dev/ into `newsgraph eval` gold JSONL plus the
documents as JSONL input for `newsgraph build` (docs/eval.md).

    python3 scripts/eval_convert.py conll04 ../shared/eval/dev/conll04_dev.json OUT_DIR
    python3 scripts/eval_convert.py wikievents ../shared/eval/dev/wikievents/dev.jsonl OUT_DIR

writes OUT_DIR/docs.jsonl (id, text, and date when the set has one) and OUT_DIR/gold.jsonl.
Never write them into the repository: the dev sets are not ours to ship.

CoNLL04: one document per sentence (id `conll04-<orig_id>`), tokens joined back into text;
Work_For -> member_of, Located_In and OrgBased_In -> located_in, Kill -> attacked;
Live_In is not scored (newsgraph has no such relation).

WikiEvents: one document per article, its sentences one a line; each Conflict.Attack.*
event gives `attacked` from each Attacker to each Target, and from null to each Target
when it has no Attacker. Events with an Attacker but no Target are left out (newsgraph's
rules bind a target for nearly every attack, and the gold has no target to compare).

Standard library only.
"""

import argparse
import json
import os

CONLL04_RELATIONS = {
    "Work_For": "member_of",
    "Located_In": "located_in",
    "OrgBased_In": "located_in",
    "Kill": "attacked",
}

# No space before these tokens, none after the openers.
NO_SPACE_BEFORE = {",", ".", "'", ";", ":", "?", "!", ")", "]", "}", "%", "'s", "'S", "'t",
                   "'re", "'d", "'ll", "'ve", "'m", "n't"}
NO_SPACE_AFTER = {"(", "[", "{", "$"}


def detokenize(tokens):
    """Join Penn-style tokens back into text: quotes (`` and '' split into two tokens in
    CoNLL04) become straight double quotes, punctuation sticks to its word."""
    tokens = list(tokens)
    merged = []
    i = 0
    while i < len(tokens):
        pair = tokens[i:i + 2]
        if pair in (["`", "`"], ["'", "'"]):
            merged.append('"open' if pair[0] == "`" else '"close')
            i += 2
            continue
        if tokens[i] == "``":
            merged.append('"open')
        elif tokens[i] == "''":
            merged.append('"close')
        else:
            merged.append(tokens[i])
        i += 1
    out = ""
    glue_next = True
    for token in merged:
        if token == '"open':
            out += ("" if glue_next else " ") + '"'
            glue_next = True
            continue
        if token == '"close':
            out += '"'
            glue_next = False
            continue
        attach = glue_next or token in NO_SPACE_BEFORE or (
            token.startswith("'") and len(token) > 1 and token[1:].isalpha() and token[1:].islower()
            and len(token) <= 3)
        out += token if attach else " " + token
        glue_next = token in NO_SPACE_AFTER
    return out


def conll04_entities(tokens, tags):
    """Entity spans from BILOU tags, in order: (start, end, type)."""
    spans = []
    start = None
    for i, tag in enumerate(tags):
        if tag == "O":
            start = None
            continue
        prefix, kind = tag.split("-", 1)
        if prefix == "U":
            spans.append((i, i + 1, kind))
            start = None
        elif prefix == "B":
            start = i
        elif prefix == "L" and start is not None:
            spans.append((start, i + 1, kind))
            start = None
    return spans


def convert_conll04(path):
    with open(path, encoding="utf-8") as f:
        sentences = json.load(f)
    docs, gold = [], []
    stats = {"documents": 0, "relations": 0, "skipped": {}}
    for sentence in sentences:
        tokens, tags = sentence["tokens"], sentence["tags"]
        doc_id = f"conll04-{sentence['orig_id']}"
        text = detokenize(tokens)
        spans = conll04_entities(tokens, tags)
        entities = [{"text": detokenize(tokens[s:e]), "type": kind} for s, e, kind in spans]
        relations = []
        for r in sentence.get("relations", []):
            relation = CONLL04_RELATIONS.get(r["type"])
            if relation is None:
                stats["skipped"][r["type"]] = stats["skipped"].get(r["type"], 0) + 1
                continue
            relations.append({
                "source": entities[r["head"]]["text"],
                "relation": relation,
                "target": entities[r["tail"]]["text"],
                "evidence": text,
            })
        docs.append({"id": doc_id, "text": text})
        gold.append({"id": doc_id, "text": text, "entities": entities, "relations": relations})
        stats["documents"] += 1
        stats["relations"] += len(relations)
    return docs, gold, stats


def convert_wikievents(path):
    docs, gold = [], []
    stats = {"documents": 0, "relations": 0, "skipped": {}}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            # The set's own character offsets do not line up with its `text`, whose
            # sentences run together ("in SyriaThe desert"): rebuild the text from the
            # sentence strings, one a line.
            sentence_texts = [s[1].strip() for s in doc["sentences"]]
            text = "\n".join(sentence_texts)
            mentions = {m["id"]: m for m in doc["entity_mentions"]}
            entities = [{"text": m["text"], "type": m["entity_type"]}
                        for m in doc["entity_mentions"]]
            relations = []
            for event in doc["event_mentions"]:
                if not event["event_type"].startswith("Conflict.Attack"):
                    continue
                attackers = [a["text"] for a in event["arguments"] if a["role"] == "Attacker"]
                targets = [a["text"] for a in event["arguments"] if a["role"] == "Target"]
                sent_idx = event["trigger"].get("sent_idx")
                evidence = (sentence_texts[sent_idx]
                            if sent_idx is not None and sent_idx < len(sentence_texts) else None)
                if not targets:
                    key = ("Conflict.Attack with Attacker only" if attackers
                           else "Conflict.Attack with neither Attacker nor Target")
                    stats["skipped"][key] = stats["skipped"].get(key, 0) + 1
                    continue
                for target in targets:
                    for attacker in attackers or [None]:
                        relations.append({"source": attacker, "relation": "attacked",
                                          "target": target, "evidence": evidence})
            assert all(a["entity_id"] in mentions
                       for e in doc["event_mentions"] for a in e["arguments"])
            docs.append({"id": doc["doc_id"], "text": text})
            gold.append({"id": doc["doc_id"], "text": text, "entities": entities,
                         "relations": relations})
            stats["documents"] += 1
            stats["relations"] += len(relations)
    return docs, gold, stats


def merge_repeated_texts(docs, gold):
    """`newsgraph build` stores a text once, under the first id it comes with, so a later
    document with the same text would be missing from the database: merge its gold
    entities and relations into the first document's instead."""
    first = {}
    out_docs, out_gold = [], []
    for d, g in zip(docs, gold):
        if d["text"] in first:
            kept = first[d["text"]]
            kept["entities"] += g["entities"]
            kept["relations"] += g["relations"]
            continue
        first[d["text"]] = g
        out_docs.append(d)
        out_gold.append(g)
    return out_docs, out_gold, len(docs) - len(out_docs)


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("format", choices=["conll04", "wikievents"])
    parser.add_argument("input", help="conll04_*.json or wikievents/*.jsonl")
    parser.add_argument("out", help="output folder (created); gets docs.jsonl and gold.jsonl")
    args = parser.parse_args()
    convert = convert_conll04 if args.format == "conll04" else convert_wikievents
    docs, gold, stats = convert(args.input)
    docs, gold, merged = merge_repeated_texts(docs, gold)
    os.makedirs(args.out, exist_ok=True)
    write_jsonl(os.path.join(args.out, "docs.jsonl"), docs)
    write_jsonl(os.path.join(args.out, "gold.jsonl"), gold)
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(stats["skipped"].items())) or "none"
    print(f"{args.format}: {len(docs)} documents ({merged} repeated texts merged), "
          f"{stats['relations']} gold relations (left out: {skipped}) -> {args.out}")


if __name__ == "__main__":
    main()
