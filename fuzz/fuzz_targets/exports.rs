//! The XML writers: a graph whose ids, labels, evidence and document ids are any text
//! gives GraphML and GEXF that a strict XML parser (roxmltree) reads, and GraphML's
//! evidence comes back as written, less the characters XML 1.0 forbids.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsgraph::export::{gexf, graphml, id_list, xml};
use newsgraph::graph::{Edge, Graph, Node};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fields: Vec<&str> = text.split('\u{0}').collect();
    let field = |k: usize| fields.get(k).copied().unwrap_or("").to_string();
    let mut graph = Graph::new();
    let node = |id: String, label: String| Node {
        id,
        label,
        kind: "person".into(),
        subtype: None,
        country: None,
        mentions: 1,
        documents: 1,
    };
    let a = graph.add_node(node(field(0), field(1)));
    let b = graph.add_node(node(format!("{}b", field(0)), field(2)));
    let evidence = vec![field(3), field(4)];
    let doc_ids = vec![field(5), field(6)];
    graph.add_edge(
        a,
        b,
        Edge {
            relation: "attacked".into(),
            weight: 1,
            documents: 1,
            first_seen: None,
            last_seen: None,
            evidence: evidence.clone(),
            doc_ids: doc_ids.clone(),
            confidence: 0.5,
            roles: Vec::new(),
        },
    );
    let kept = |s: &str| s.chars().filter(|&c| xml::xml_allowed(c)).collect::<String>();
    for graphml_format in [true, false] {
        let mut xml = Vec::new();
        if graphml_format {
            graphml::write(&graph, &mut xml).unwrap();
        } else {
            gexf::write(&graph, &mut xml).unwrap();
        }
        let xml = String::from_utf8(xml).unwrap();
        let document = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let values: Vec<String> = document
            .descendants()
            .filter(|n| n.is_element())
            .flat_map(|n| {
                std::iter::once(n.text().unwrap_or_default().to_string())
                    .chain(n.attributes().map(|a| a.value().to_string()))
            })
            .collect();
        assert!(values.contains(&kept(&evidence.join("\n"))));
        assert!(values.contains(&kept(&id_list(&doc_ids))));
    }
});
