"""Draw a newsgraph graph.json to a PNG (the picture in the README).

Usage: python3 scripts/draw_graph.py output/graph.json docs/seed-graph.png
Needs networkx and matplotlib. Co-occurrence edges are left out to keep the picture legible.
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402

COLOURS = {
    "person": "#4C72B0",
    "armed_group": "#C44E52",
    "government": "#55A868",
    "organization": "#8172B2",
    "place": "#CCB974",
}


def main(source: str, target: str) -> None:
    data = json.load(open(source, encoding="utf-8"))
    g = nx.node_link_graph(data, edges="edges")
    typed = nx.MultiDiGraph()
    for u, v, d in g.edges(data=True):
        if d["relation"] != "co_occurs":
            typed.add_edge(u, v, **d)
    for n in typed.nodes:
        typed.nodes[n].update(g.nodes[n])
    pos = nx.spring_layout(typed.to_undirected(), k=1.2, seed=7)
    plt.figure(figsize=(13, 8))
    nx.draw_networkx_nodes(
        typed, pos, node_size=900,
        node_color=[COLOURS[typed.nodes[n]["type"]] for n in typed.nodes],
    )
    nx.draw_networkx_labels(
        typed, pos, labels={n: typed.nodes[n]["label"] for n in typed.nodes}, font_size=9
    )
    nx.draw_networkx_edges(typed, pos, arrows=True, arrowsize=15, node_size=900, edge_color="#555")
    nx.draw_networkx_edge_labels(
        typed, pos,
        edge_labels={(u, v): d["relation"] + (f" ({', '.join(d['roles'])})" if d["roles"] else "")
                     for u, v, d in typed.edges(data=True)},
        font_size=8,
    )
    for kind, colour in COLOURS.items():
        plt.scatter([], [], c=colour, label=kind)
    plt.legend(loc="lower left", frameon=False)
    plt.axis("off")
    plt.tight_layout()
    plt.savefig(target, dpi=110)


if __name__ == "__main__":
    main(*sys.argv[1:3])
