#!/usr/bin/env python3
"""Run the PETRARCH2 validation records whose expected events are attacks, condemnations or
sanctions through `newsgraph build`, and count how many we code alike (docs/eval.md).

    python3 scripts/eval_petrarch.py [--records FILE] [--out DIR] [--bin PATH] [--details]

For every record of ../shared/peer/petrarch2/validation.jsonl with an event whose `family`
is attack(ed), condemn(ed) or sanction(ed), the sentence becomes one JSONL document for
`newsgraph build` (bundled gazetteers), and the database is read back:

- same family: we store a non-negated relation of the matching type in that sentence
  (attack -> attacked, condemn -> condemned, sanction -> designated);
- same family and actors: such a relation whose source and target match the event's
  CAMEO source and target codes.

Our code for an entity is its `entities.code` when that is a CAMEO actor code from the
Phoenix dictionaries (the entry's `source` names them and the code is letters in groups of
three), else its `country` (ISO 3166-1 alpha-3, which is also the CAMEO country code).
Two codes match when they are equal or one is a prefix of the other of at least three
letters (the country level): IRQ matches IRQGOV, IRQGOV does not match IRQMIL. A `---`
actor (PETRARCH coded none) matches only a relation with no entity on that side.

Standard library only.
"""

import argparse
import collections
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

FAMILIES = {
    "attack": "attacked", "attacked": "attacked",
    "condemn": "condemned", "condemned": "condemned",
    # CAMEO 16-17 and 19x sanction events (reduce relations, embargo, arrest, expel ...)
    # have no relation of their own in newsgraph; `designated` (listing, sanctioning,
    # blacklisting) is the nearest.
    "sanction": "designated", "sanctioned": "designated",
}
CAMEO_ACTOR = re.compile(r"[A-Z]{3}(?:[A-Z0-9]{3})*")


def our_code(code, country, source):
    """The CAMEO code of one of our entities, and where it came from."""
    if code and (source or "").startswith("Phoenix dictionaries") and CAMEO_ACTOR.fullmatch(code):
        return code, "phoenix"
    if country:
        return country, "country"
    return None, None


def gold_actor(code):
    """A PETRARCH actor code: None for `---` (no actor), else the code."""
    code = (code or "").strip()
    return None if code.strip("-") == "" else code


def actor_matches(gold, entity, ours):
    """Whether our side (entity id, its code) is the PETRARCH actor `gold`."""
    if gold is None:
        return entity is None
    if ours is None:
        return False
    if gold == ours:
        return True
    short, long_ = sorted((gold, ours), key=len)
    return len(short) >= 3 and long_.startswith(short)


def date_of(record):
    d = str(record.get("date") or "")
    return f"{d[:4]}-{d[4:6]}-{d[6:8]}" if re.fullmatch(r"\d{8}", d) else None


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", default=os.path.join(
        root, "..", "shared", "peer", "petrarch2", "validation.jsonl"))
    parser.add_argument("--out", help="working folder (default: a new temporary folder)")
    parser.add_argument("--bin", help="newsgraph binary (default: cargo build --release)")
    parser.add_argument("--details", action="store_true", help="print every record")
    args = parser.parse_args()

    records = []
    with open(args.records, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                events = [e for e in r.get("events") or [] if e.get("family") in FAMILIES]
                if events:
                    records.append((r, events))

    out = args.out or tempfile.mkdtemp(prefix="newsgraph-petrarch.")
    os.makedirs(out, exist_ok=True)
    # `newsgraph build` stores a text once, under its first id: records that repeat a
    # sentence share one document.
    doc_of_text, docs = {}, []
    for r, _ in records:
        text = r.get("text") or ""
        if text.strip() and text not in doc_of_text:
            doc_of_text[text] = r["id"]
            doc = {"id": r["id"], "text": text}
            if date_of(r):
                doc["date"] = date_of(r)
            docs.append(doc)
    docs_path = os.path.join(out, "docs.jsonl")
    with open(docs_path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")

    binary = args.bin
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
        target = os.environ.get("CARGO_TARGET_DIR") or "target"
        binary = os.path.join(root, target, "release", "newsgraph")
    build_dir = os.path.join(out, "build")
    db_path = os.path.join(build_dir, "newsgraph.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    subprocess.run([binary, "build", docs_path, "--gazetteers", os.path.join(root, "gazetteers"),
                    "--out", build_dir, "--quiet"], check=True)

    db = sqlite3.connect(db_path)
    relations = collections.defaultdict(list)
    for doc_id, relation, s_id, s_code, s_country, s_source, t_id, t_code, t_country, t_source \
            in db.execute("""
        SELECT r.doc_id, r.relation,
               r.source_id, s.code, s.country, s.source,
               r.target_id, t.code, t.country, t.source
        FROM relations r
        LEFT JOIN entities s ON s.id = r.source_id
        LEFT JOIN entities t ON t.id = r.target_id
        WHERE r.negated = 0 AND r.relation IN ('attacked', 'condemned', 'designated')
        ORDER BY r.id"""):
        relations[doc_id].append({
            "relation": relation,
            "source": s_id, "target": t_id,
            "source_code": our_code(s_code, s_country, s_source),
            "target_code": our_code(t_code, t_country, t_source),
        })

    # Counts per family, per suite and in total: records, same family, same family and
    # actors (codes with country fallback), same family and actors by Phoenix codes only.
    def counter():
        return collections.Counter()
    by_family = collections.defaultdict(counter)
    by_suite = collections.defaultdict(counter)
    total = counter()
    details = []
    for r, events in records:
        doc_id = doc_of_text.get(r.get("text") or "")
        found = relations.get(doc_id, [])
        family_hit = actors_hit = phoenix_hit = False
        for e in events:
            relation = FAMILIES[e["family"]]
            same = [x for x in found if x["relation"] == relation]
            src, tgt = gold_actor(e.get("source")), gold_actor(e.get("target"))
            ok = [x for x in same if actor_matches(src, x["source"], x["source_code"][0])
                  and actor_matches(tgt, x["target"], x["target_code"][0])]
            phoenix = [x for x in ok if all(
                entity is None or origin == "phoenix"
                for entity, (_, origin) in ((x["source"], x["source_code"]),
                                            (x["target"], x["target_code"])))]
            e_family, e_actors, e_phoenix = bool(same), bool(ok), bool(phoenix)
            family_hit |= e_family
            actors_hit |= e_actors
            phoenix_hit |= e_phoenix
            c = by_family[relation]
            c["events"] += 1
            c["same family"] += e_family
            c["same actors"] += e_actors
            c["phoenix codes only"] += e_phoenix
        for c in (by_suite[r["suite"]], total):
            c["records"] += 1
            c["same family"] += family_hit
            c["same actors"] += actors_hit
            c["phoenix codes only"] += phoenix_hit
        details.append((r, events, found, family_hit, actors_hit))

    print(f"newsgraph on {len(records)} PETRARCH2 records with attack/condemn/sanction events "
          f"({len(docs)} distinct sentences); output in {out}")
    columns = ("same family", "same actors", "phoenix codes only")
    header = f"{'':<22} {'records':>8} " + " ".join(f"{c:>18}" for c in columns)
    print(header)
    for name, c in sorted(by_suite.items()) + [("total", total)]:
        print(f"{name:<22} {c['records']:>8} " + " ".join(f"{c[k]:>18}" for k in columns))
    print()
    print(f"{'by family (events)':<22} {'events':>8} " + " ".join(f"{c:>18}" for c in columns))
    for name, c in sorted(by_family.items()):
        print(f"{name:<22} {c['events']:>8} " + " ".join(f"{c[k]:>18}" for k in columns))
    if args.details:
        print()
        for r, events, found, family_hit, actors_hit in details:
            mark = "actors" if actors_hit else "family" if family_hit else "-"
            print(f"[{mark}] {r['id']}: {r.get('text', '')[:160]}")
            for e in events:
                print(f"    expected {e['source']} {FAMILIES[e['family']]} {e['target']} "
                      f"(CAMEO {e['cameo']})")
            for x in found:
                print(f"    found    {x['source']} [{x['source_code'][0]}] {x['relation']} "
                      f"{x['target']} [{x['target_code'][0]}]")


if __name__ == "__main__":
    sys.exit(main())
