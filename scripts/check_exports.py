"""Check newsgraph's graph files with real graph libraries, against the database.

Usage: python3 scripts/check_exports.py OUTPUT_DIR

Reads OUTPUT_DIR/graph.graphml with networkx and python-igraph and OUTPUT_DIR/graph.json
with networkx's node-link reader, and checks that each holds exactly the nodes and edges the
SQLite database says it should, with their labels, relation types and integer weights.
"""

import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import igraph
import networkx as nx


def main(out: Path) -> None:
    db = sqlite3.connect(out / "newsgraph.sqlite")
    want_nodes = {
        row[0]: row[1]
        for row in db.execute(
            "SELECT e.id, e.name FROM entities e WHERE e.id IN (SELECT entity_id FROM mentions)"
        )
    }
    want_edges = Counter(
        {
            (s, r, t): w
            for s, r, t, w in db.execute(
                "SELECT source_id, relation, target_id, COUNT(*) FROM relations "
                "WHERE negated = 0 AND source_id IS NOT NULL AND target_id IS NOT NULL "
                "GROUP BY source_id, relation, target_id"
            )
        }
    )
    assert want_nodes and want_edges, "the database has no graph to check"

    graphs = {
        "graphml (networkx)": nx.read_graphml(out / "graph.graphml", force_multigraph=True),
        "json (networkx)": nx.node_link_graph(
            json.loads((out / "graph.json").read_text(encoding="utf-8")), edges="edges"
        ),
    }
    for name, g in graphs.items():
        assert g.is_directed(), f"{name}: not directed"
        labels = {node: data.get("label") for node, data in g.nodes(data=True)}
        assert labels == want_nodes, f"{name}: nodes/labels differ from the database"
        got_edges = Counter()
        for source, target, data in g.edges(data=True):
            weight = data["weight"]
            assert isinstance(weight, int) and weight > 0, f"{name}: weight {weight!r}"
            got_edges[(source, data["relation"], target)] = weight
        assert got_edges == want_edges, (
            f"{name}: edges differ from the database: "
            f"missing {sorted(set(want_edges) - set(got_edges))[:5]}, "
            f"extra {sorted(set(got_edges) - set(want_edges))[:5]}"
        )
        print(f"{name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges match the database")

    ig = igraph.Graph.Read_GraphML(str(out / "graph.graphml"))
    assert ig.is_directed()
    assert ig.vcount() == len(want_nodes) and ig.ecount() == sum(1 for _ in want_edges)
    assert set(ig.vs["label"]) == set(want_nodes.values())
    assert Counter(ig.es["relation"]) == Counter(r for (_, r, _) in want_edges)
    print(f"graphml (igraph): {ig.vcount()} nodes, {ig.ecount()} edges match the database")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
