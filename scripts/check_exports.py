"""Check newsgraph's graph files with real graph libraries, against the database.

Usage: python3 scripts/check_exports.py OUTPUT_DIR [--require-tricky]

With --require-tricky the evidence must include `&`, `<`, `]]>`, a double quote, U+000B and a
non-ASCII node label somewhere (the fixture tests/data/exports/tricky.txt provides them),
so that the checks below have exercised escaping.

Reads OUTPUT_DIR/graph.graphml with networkx and python-igraph, graph.gexf with networkx's
GEXF reader, graph.json with networkx's node-link reader, and nodes.csv/edges.csv with
Python's csv module (as Gephi's spreadsheet import reads them), and checks that each holds
exactly the nodes and edges the SQLite database says it should, with their labels,
relation types, integer weights, string dates and evidence sentences (which may hold
`&`, `<` and quotes; characters XML 1.0 forbids, such as U+000B, are dropped from the XML
files). The XML files are first parsed by a strict XML parser.
"""

import csv
import json
import re
import sqlite3
import sys
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

import igraph
import networkx as nx


# Discovered names mentioned fewer times are left out of the graph files (the build's
# --min-discovered-mentions, default 3), with their edges.
MIN_DISCOVERED_MENTIONS = 3


def main(out: Path, require_tricky: bool = False) -> None:
    db = sqlite3.connect(out / "newsgraph.sqlite")
    hidden = {
        row[0]
        for row in db.execute(
            "SELECT e.id FROM entities e JOIN mentions m ON m.entity_id = e.id "
            "WHERE e.origin = 'discovered' GROUP BY e.id HAVING COUNT(*) < ?",
            (MIN_DISCOVERED_MENTIONS,),
        )
    }
    want_nodes = {
        row[0]: row[1]
        for row in db.execute(
            "SELECT e.id, e.name FROM entities e WHERE e.id IN (SELECT entity_id FROM mentions)"
        )
        if row[0] not in hidden
    }
    want_edges = Counter(
        {
            (s, r, t): w
            for s, r, t, w in db.execute(
                "SELECT source_id, relation, target_id, COUNT(*) FROM relations "
                "WHERE negated = 0 AND source_id IS NOT NULL AND target_id IS NOT NULL "
                "GROUP BY source_id, relation, target_id"
            )
            if s not in hidden and t not in hidden
        }
    )
    assert want_nodes and want_edges, "the database has no graph to check"

    want_evidence = {}
    for s, r, t, evidence in db.execute(
        "SELECT source_id, relation, target_id, evidence FROM relations "
        "WHERE negated = 0 AND source_id IS NOT NULL AND target_id IS NOT NULL ORDER BY id"
    ):
        if s in hidden or t in hidden:
            continue
        sentences = want_evidence.setdefault((s, r, t), [])
        if len(sentences) < 3 and evidence not in sentences:
            sentences.append(evidence)

    if require_tricky:
        everything = "".join(e for sentences in want_evidence.values() for e in sentences)
        for needle in ("&", "<", "]]>", '"', "\x0b"):
            assert needle in everything, f"no evidence holds {needle!r}: the fixture did not reach the graph"
        assert any(not label.isascii() for label in want_nodes.values()), "no non-ASCII label"
        pairs = Counter((s, t) for (s, _, t) in want_edges)
        assert max(pairs.values()) >= 2, "no pair of actors with two relation types"
        print("evidence holds &, <, ]]>, \" and U+000B; labels include non-ASCII; "
              f"{sum(1 for n in pairs.values() if n >= 2)} pairs have parallel edges of different relations")

    for name in ("graph.graphml", "graph.gexf"):
        ElementTree.parse(out / name)  # raises on anything not well-formed
        print(f"{name}: well-formed XML")

    graphs = {
        "graphml (networkx)": (nx.read_graphml(out / "graph.graphml", force_multigraph=True), True),
        "gexf (networkx)": (nx.read_gexf(out / "graph.gexf"), True),
        "json (networkx)": (
            nx.node_link_graph(
                json.loads((out / "graph.json").read_text(encoding="utf-8")), edges="edges"
            ),
            False,
        ),
    }
    for name, (g, xml) in graphs.items():
        assert g.is_directed(), f"{name}: not directed"
        labels = {node: data.get("label") for node, data in g.nodes(data=True)}
        assert labels == want_nodes, f"{name}: nodes/labels differ from the database"
        got_edges = Counter()
        for source, target, data in g.edges(data=True):
            weight = data["weight"]
            if name.startswith("gexf"):
                # GEXF weights are xsd:float; ours are written as integers ("3", never "3.0").
                assert float(weight).is_integer(), f"{name}: weight {weight!r}"
                weight = int(weight)
            assert isinstance(weight, int) and weight > 0, f"{name}: weight {weight!r}"
            relation = data["relation"]
            got_edges[(source, relation, target)] = weight
            for date in ("first_seen", "last_seen"):
                assert data.get(date) is None or isinstance(data[date], str), f"{name}: {date} {data[date]!r}"
            assert isinstance(data["documents"], int), f"{name}: documents {data['documents']!r}"
            evidence = data["evidence"]
            if isinstance(evidence, list):
                evidence = "\n".join(evidence)
            expected = "\n".join(want_evidence[(source, relation, target)])
            if xml:
                expected = XML_ILLEGAL.sub("", expected)
            assert evidence == expected, f"{name}: evidence differs: {evidence!r} != {expected!r}"
        assert got_edges == want_edges, (
            f"{name}: edges differ from the database: "
            f"missing {sorted(set(want_edges) - set(got_edges))[:5]}, "
            f"extra {sorted(set(got_edges) - set(want_edges))[:5]}"
        )
        print(f"{name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges match the database")

    with open(out / "nodes.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["Id"]: r["Label"] for r in rows} == want_nodes, "nodes.csv differs from the database"
    with open(out / "edges.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert all(r["Type"] == "Directed" and r["Kind"] == r["Label"] for r in rows)
    got = Counter({(r["Source"], r["Kind"], r["Target"]): int(r["Weight"]) for r in rows})
    assert got == want_edges, "edges.csv differs from the database"
    print(f"csv (csv module): {len(want_nodes)} nodes, {len(rows)} edges match the database")

    ig = igraph.Graph.Read_GraphML(str(out / "graph.graphml"))
    assert ig.is_directed()
    assert ig.vcount() == len(want_nodes) and ig.ecount() == sum(1 for _ in want_edges)
    assert set(ig.vs["label"]) == set(want_nodes.values())
    assert Counter(ig.es["relation"]) == Counter(r for (_, r, _) in want_edges)
    print(f"graphml (igraph): {ig.vcount()} nodes, {ig.ecount()} edges match the database")


if __name__ == "__main__":
    args = sys.argv[1:]
    require = "--require-tricky" in args
    args = [a for a in args if a != "--require-tricky"]
    if len(args) != 1:
        sys.exit(__doc__)
    main(Path(args[0]), require)
