// Check newsgraph's graph files with the JavaScript graph ecosystem, against the JSON
// export's own counts: graphology (Graph.from on graph.json, graphology-gexf on
// graph.gexf, graphology-graphml on graph.graphml) and Cytoscape.js (headless, on
// graph.json as elements). Usage: node scripts/check_exports.mjs OUTPUT_DIR
// Run from .ci/node's packages: NODE_PATH=.ci/node/node_modules, or see .ci/run.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve(".ci/node/package.json"));
const { MultiDirectedGraph } = require("graphology");
const gexf = require("graphology-gexf");
const graphml = require("graphology-graphml");
const cytoscape = require("cytoscape");

const out = process.argv[2];
if (!out) {
  console.error("usage: node scripts/check_exports.mjs OUTPUT_DIR");
  process.exit(2);
}
const read = (name) => readFileSync(path.join(out, name), "utf8");
const data = JSON.parse(read("graph.json"));
const fail = (message) => { console.error(`FAIL: ${message}`); process.exit(1); };
const check = (ok, message) => { if (!ok) fail(message); };

// Expected: what graph.json says (itself checked against the database by check_exports.py).
const wantNodes = new Map(data.nodes.map((n) => [n.id, n.label]));
const key = (s, r, t) => `${s}\u0000${r}\u0000${t}`;
const wantEdges = new Map(data.edges.map((e) => [key(e.source, e.relation, e.target), e]));
check(wantEdges.size === data.edges.length, "graph.json has a repeated (source, relation, target)");
const ids = new Set([...data.nodes.map((n) => n.id), ...data.edges.map((e) => e.id)]);
check(ids.size === data.nodes.length + data.edges.length, "ids are not unique across nodes and edges");

// eslint-disable-next-line no-control-regex
const xmlText = (s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");

function compare(name, graph, relationOf, labelOf, xml = false) {
  check(graph.type === "directed" || graph.type === "mixed", `${name}: graph is ${graph.type}`);
  check(graph.order === wantNodes.size, `${name}: ${graph.order} nodes, want ${wantNodes.size}`);
  graph.forEachNode((id, attrs) => {
    check(wantNodes.has(id), `${name}: unknown node ${id}`);
    check(labelOf(attrs) === wantNodes.get(id), `${name}: label of ${id} is ${labelOf(attrs)}, want ${wantNodes.get(id)}`);
  });
  check(graph.size === wantEdges.size, `${name}: ${graph.size} edges, want ${wantEdges.size}`);
  graph.forEachEdge((edge, attrs, source, target) => {
    const want = wantEdges.get(key(source, relationOf(attrs), target));
    check(want, `${name}: unexpected edge ${source} -${relationOf(attrs)}-> ${target}`);
    check(typeof attrs.weight === "number" && attrs.weight === want.weight,
      `${name}: weight ${JSON.stringify(attrs.weight)} on ${edge}, want ${want.weight}`);
    if (attrs.evidence !== undefined) {
      const got = Array.isArray(attrs.evidence) ? attrs.evidence.join("\n") : attrs.evidence;
      // XML 1.0 cannot carry some control characters (U+000B, U+0000...): the XML files
      // drop them, JSON keeps them.
      const expected = xml ? xmlText(want.evidence.join("\n")) : want.evidence.join("\n");
      check(got === expected, `${name}: evidence of ${edge} differs:\n${JSON.stringify(got)}\n---\n${JSON.stringify(expected)}`);
    }
  });
  console.log(`${name}: ${graph.order} nodes, ${graph.size} edges match graph.json`);
}

// graphology from node-link JSON
const fromJson = MultiDirectedGraph.from({
  attributes: data.graph,
  options: { type: "directed", multi: true },
  nodes: data.nodes.map(({ id, ...attributes }) => ({ key: id, attributes })),
  edges: data.edges.map(({ id, source, target, ...attributes }) => ({ key: id, source, target, attributes })),
});
compare("json (graphology)", fromJson, (a) => a.relation, (a) => a.label);

// graphology-gexf
const fromGexf = gexf.parse(MultiDirectedGraph, read("graph.gexf"));
compare("gexf (graphology-gexf)", fromGexf, (a) => a.relation ?? a.kind, (a) => a.label, true);

// graphology-graphml
const fromGraphml = graphml.parse(MultiDirectedGraph, read("graph.graphml"));
compare("graphml (graphology-graphml)", fromGraphml, (a) => a.relation, (a) => a.label, true);

// Cytoscape.js, headless, with graph.json as elements
const cy = cytoscape({
  headless: true,
  elements: [
    ...data.nodes.map((n) => ({ group: "nodes", data: { ...n } })),
    ...data.edges.map((e) => ({ group: "edges", data: { ...e } })),
  ],
});
check(cy.nodes().length === wantNodes.size && cy.edges().length === wantEdges.size,
  `cytoscape: ${cy.nodes().length} nodes and ${cy.edges().length} edges`);
console.log(`json (cytoscape.js): ${cy.nodes().length} nodes, ${cy.edges().length} edges`);
