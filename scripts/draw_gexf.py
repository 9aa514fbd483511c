"""Draw a newsgraph GEXF file the way the Gephi walkthrough (docs/gephi.md) sets it up:
nodes coloured by the file's viz:color (entity type) and sized by its viz:size (mentions),
edges of the chosen relations only, filtered by weight, laid out with a force layout.
It reads the file with networkx's GEXF reader, so the picture shows what the file holds.

Usage: python3 scripts/draw_gexf.py graph.gexf picture.png [--min-weight N] [--relations a,b]
Needs networkx and matplotlib.
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gexf")
    parser.add_argument("png")
    parser.add_argument("--min-weight", type=int, default=1)
    parser.add_argument("--relations", default="attacked,threatened,condemned,accused,designated,called_on,supports,met_with,member_of")
    args = parser.parse_args()
    keep = set(args.relations.split(","))
    g = nx.read_gexf(args.gexf)
    typed = nx.MultiDiGraph()
    for u, v, d in g.edges(data=True):
        if d.get("relation") in keep and float(d.get("weight", 1)) >= args.min_weight:
            typed.add_edge(u, v, **d)
    for n in typed.nodes:
        typed.nodes[n].update(g.nodes[n])
    pos = nx.spring_layout(typed.to_undirected(), k=0.9, seed=3, iterations=200)
    colour = lambda n: tuple(typed.nodes[n]["viz"]["color"][c] / 255 for c in "rgb")  # noqa: E731
    size = lambda n: 30 * typed.nodes[n]["viz"].get("size", 5)  # noqa: E731
    plt.figure(figsize=(14, 10))
    nx.draw_networkx_edges(typed, pos, arrows=True, arrowsize=10, edge_color="#888", width=0.8,
                           node_size=[size(n) for n in typed.nodes])
    nx.draw_networkx_nodes(typed, pos, node_color=[colour(n) for n in typed.nodes],
                           node_size=[size(n) for n in typed.nodes])
    nx.draw_networkx_labels(typed, pos, labels={n: typed.nodes[n]["label"] for n in typed.nodes},
                            font_size=7)
    seen = {}
    for n in typed.nodes:
        seen.setdefault(typed.nodes[n].get("type"), colour(n))
    for kind, c in sorted(seen.items()):
        plt.scatter([], [], color=c, label=kind)
    plt.legend(loc="lower left", frameon=False)
    plt.title(f"{typed.number_of_nodes()} actors, {typed.number_of_edges()} relations")
    plt.axis("off")
    plt.tight_layout()
    plt.savefig(args.png, dpi=90)


if __name__ == "__main__":
    main()
