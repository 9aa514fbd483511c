//! `output/report.html`: written by every build, self-contained, and working in a real
//! browser. The browser part runs headless Chromium (Debian's `chromium`, installed by
//! `.ci/run`); without it the test says so and passes, except under CI (`CI=true`),
//! where a missing browser fails the test.

use std::path::Path;
use std::process::Command;

mod support;

fn build_examples(out: &Path) {
    build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), out);
}

fn build(input: &Path, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["build", "--quiet", "--out"])
        .arg(out)
        .arg(input)
        .status()
        .unwrap();
    assert!(status.success());
}

/// The JSON the page embeds.
fn embedded_data(html: &str) -> serde_json::Value {
    let marker = r#"<script type="application/json" id="data">"#;
    let start = html.find(marker).expect("data script") + marker.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn the_report_is_self_contained_and_holds_the_seed_graph() {
    let out = tempfile::tempdir().unwrap();
    build_examples(out.path());
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    for remote in [
        "src=\"http",
        "href=\"http://cdn",
        "<link rel=\"stylesheet\"",
    ] {
        assert!(!html.contains(remote), "the page loads {remote}...");
    }
    let data = embedded_data(&html);
    let nodes: Vec<&str> = data["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    for id in [
        "person/mohammed-shia-al-sudani",
        "armed_group/kataib-sayyid-al-shuhada",
        "government/usa-department-of-state",
    ] {
        assert!(nodes.contains(&id), "{id} missing from {nodes:?}");
    }
    let designated = data["top_relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["relation"] == "designated")
        .expect("the designation is a top relation");
    assert_eq!(designated["target"], "armed_group/kataib-sayyid-al-shuhada");
    assert!(
        designated["evidence"][0]["sentence"]
            .as_str()
            .unwrap()
            .contains("designat"),
        "{designated}"
    );
    assert!(data["counts"]["documents"] == 1);
}

/// The report takes its actors, top relations and drawn graph from the build's graph, not
/// from queries of its own: they must still say what the database says.
#[test]
fn the_report_agrees_with_the_database() {
    let Some(conflict) = support::shared("corpus/conflict") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    build(&conflict, out.path());
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let data = embedded_data(&html);
    let db = rusqlite::Connection::open(out.path().join("newsgraph.sqlite")).unwrap();
    let rows = |sql: &str| -> Vec<Vec<serde_json::Value>> {
        let mut statement = db.prepare(sql).unwrap();
        let width = statement.column_count();
        statement
            .query_map([], |row| {
                (0..width)
                    .map(|i| {
                        Ok(match row.get_ref(i)? {
                            rusqlite::types::ValueRef::Integer(n) => n.into(),
                            value => value.as_str().unwrap().into(),
                        })
                    })
                    .collect()
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let fields = |items: &serde_json::Value, names: &[&str]| -> Vec<Vec<serde_json::Value>> {
        let items = items.as_array().unwrap();
        items
            .iter()
            .map(|item| names.iter().map(|name| item[name].clone()).collect())
            .collect()
    };

    let actors: Vec<Vec<serde_json::Value>> = data["actors"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(kind, list)| {
            fields(list, &["id", "name", "mentions", "documents"])
                .into_iter()
                .map(move |mut row| {
                    row.insert(0, kind.as_str().into());
                    row
                })
        })
        .collect();
    // The report shows what the graph shows: discovered names mentioned fewer than 3
    // times are left out (`--min-discovered-mentions`).
    let expected_actors = rows(
        "SELECT type, id, name, n, d FROM (
             SELECT e.type, e.id, e.name, COUNT(*) AS n, COUNT(DISTINCT m.doc_id) AS d,
                    ROW_NUMBER() OVER (PARTITION BY e.type ORDER BY COUNT(*) DESC, e.name, e.id) AS r
             FROM mentions m JOIN entities e ON e.id = m.entity_id GROUP BY e.id
             HAVING e.origin != 'discovered' OR COUNT(*) >= 3)
         WHERE r <= 15 ORDER BY type, r",
    );
    assert!(expected_actors.len() > 30, "{expected_actors:?}");
    assert_eq!(actors, expected_actors);

    let top = fields(
        &data["top_relations"],
        &["source", "relation", "target", "weight", "documents"],
    );
    let expected_top = rows(
        "WITH hidden AS (SELECT e.id FROM entities e JOIN mentions m ON m.entity_id = e.id
                   WHERE e.origin = 'discovered' GROUP BY e.id HAVING COUNT(*) < 3)
         SELECT source, relation, target, weight, documents FROM edges
         WHERE relation <> 'co_occurs' AND source IS NOT NULL AND target IS NOT NULL
           AND source NOT IN hidden AND target NOT IN hidden
         ORDER BY weight DESC, documents DESC, source, relation, target LIMIT 15",
    );
    assert_eq!(expected_top.len(), 15);
    assert_eq!(top, expected_top);

    let nodes = fields(&data["nodes"], &["id", "mentions"]);
    let expected_nodes = rows(
        "WITH hidden AS (SELECT e.id FROM entities e JOIN mentions m ON m.entity_id = e.id
                   WHERE e.origin = 'discovered' GROUP BY e.id HAVING COUNT(*) < 3),
              ends AS (SELECT source_id, target_id FROM relations
                       WHERE negated = 0 AND source_id IS NOT NULL AND target_id IS NOT NULL
                         AND source_id NOT IN hidden AND target_id NOT IN hidden),
              degree AS (SELECT id, COUNT(*) AS w FROM (
                             SELECT source_id AS id FROM ends UNION ALL SELECT target_id FROM ends)
                         GROUP BY id)
         SELECT d.id, (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = d.id)
         FROM degree d ORDER BY d.w DESC, d.id LIMIT 300",
    );
    assert!(expected_nodes.len() > 50, "{expected_nodes:?}");
    assert_eq!(nodes, expected_nodes);

    let shown: std::collections::HashSet<String> = nodes
        .iter()
        .map(|node| node[0].as_str().unwrap().to_string())
        .collect();
    let edges = fields(&data["edges"], &["source", "relation", "target", "weight"]);
    let expected_edges: Vec<_> = rows(
        "WITH hidden AS (SELECT e.id FROM entities e JOIN mentions m ON m.entity_id = e.id
                   WHERE e.origin = 'discovered' GROUP BY e.id HAVING COUNT(*) < 3)
         SELECT source, relation, target, weight FROM edges
         WHERE source IS NOT NULL AND target IS NOT NULL
           AND source NOT IN hidden AND target NOT IN hidden
         ORDER BY source, relation, target",
    )
    .into_iter()
    .filter(|edge| {
        [&edge[0], &edge[2]]
            .iter()
            .all(|id| shown.contains(id.as_str().unwrap()))
    })
    .collect();
    assert_eq!(edges, expected_edges);

    for (count, sql) in [
        ("documents", "SELECT COUNT(*) FROM documents"),
        ("mentions", "SELECT COUNT(*) FROM mentions"),
        (
            "relations",
            "SELECT COUNT(*) FROM relations WHERE negated = 0 AND relation <> 'co_occurs'",
        ),
        (
            "negated",
            "SELECT COUNT(*) FROM relations WHERE negated = 1",
        ),
    ] {
        let expected: i64 = db.query_row(sql, [], |r| r.get(0)).unwrap();
        assert_eq!(data["counts"][count], expected, "{count}");
    }
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The page at `page` (with `hash` after `#`) as headless Chromium leaves it once its
/// script has run: the serialised DOM and the attributes of `#status`. `None` when there is
/// no browser on this machine (said on stderr; a failure under CI).
fn load_in_chromium(page: &Path, hash: &str) -> Option<(String, String)> {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install chromium (see .ci/run)"
        );
        support::skipped("the browser part of a report test (no chromium on this machine)");
        return None;
    };
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}#{hash}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    let log = String::from_utf8_lossy(&output.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(
        console.is_empty(),
        "the page wrote to the console:\n{}",
        console.join("\n")
    );
    let status = dom
        .split("<div id=\"status\"")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or_else(|| panic!("no #status in the page: {}", &dom[..dom.len().min(500)]))
        .to_string();
    assert!(
        status.contains("data-ready=\"true\""),
        "the script did not finish: {status}"
    );
    let body = &dom[..dom.find("<script").unwrap_or(dom.len())];
    if let Some(at) = body.find("[object ") {
        panic!(
            "an element was written as text: {}",
            &body[at.saturating_sub(300)..]
        );
    }
    Some((dom, status))
}

/// The value of the `name` attribute in `#status`'s attributes.
fn status_value<'a>(status: &'a str, name: &str) -> &'a str {
    let marker = format!("{name}=\"");
    let start = status
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {status}"))
        + marker.len();
    let end = start + status[start..].find('"').unwrap();
    &status[start..end]
}

/// Build a report from JSONL `lines` in a temporary directory, which is returned with the
/// page's path.
fn build_jsonl(lines: &[serde_json::Value]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.jsonl");
    let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    build(&input, &out);
    let page = out.join("report.html");
    (dir, page)
}

#[test]
fn the_report_runs_in_headless_chromium_and_search_highlights_a_node() {
    let out = tempfile::tempdir().unwrap();
    build_examples(out.path());
    let page = out.path().join("report.html");
    let Some((_, status)) = load_in_chromium(&page, "search=Sudani") else {
        return;
    };
    assert!(
        status.contains("data-highlighted=\"person/mohammed-shia-al-sudani\""),
        "{status}"
    );
    // Drawn by default: the actors with a relation other than co-occurrence (unticked).
    let html = std::fs::read_to_string(&page).unwrap();
    let data = embedded_data(&html);
    let connected: std::collections::HashSet<&str> = (data["edges"].as_array().unwrap().iter())
        .filter(|e| e["relation"] != "co_occurs")
        .flat_map(|e| [e["source"].as_str().unwrap(), e["target"].as_str().unwrap()])
        .collect();
    let nodes = data["nodes"].as_array().unwrap().len();
    assert_eq!(
        status_value(&status, "data-nodes"),
        connected.len().to_string(),
        "{status}"
    );
    assert_eq!(
        status_value(&status, "data-isolated"),
        (nodes - connected.len()).to_string(),
        "{status}"
    );
}

/// An actor with no relation among the relations drawn (here only co-occurrences, which
/// are not drawn by default) is left out of the graph, where it would sit unconnected, until
/// "show unconnected actors" is ticked (`#isolated=show` in the address).
#[test]
fn isolated_actors_are_hidden_by_default() {
    let (_dir, page) = build_jsonl(&[
        serde_json::json!({"id": "a", "text": "BAGHDAD (Reuters) - Hamas attacked Israel on Friday."}),
        serde_json::json!({"id": "b", "text": "Hezbollah said nothing about Iraq on Monday."}),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    let data = embedded_data(&html);
    let nodes: Vec<&str> = (data["nodes"].as_array().unwrap().iter())
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(nodes.contains(&"armed_group/hezbollah"), "{nodes:?}");
    let Some((_, status)) = load_in_chromium(&page, "search=Hezbollah") else {
        return;
    };
    assert_eq!(status_value(&status, "data-nodes"), "2", "{status}");
    assert_eq!(
        status_value(&status, "data-isolated"),
        (nodes.len() - 2).to_string(),
        "{status}"
    );
    assert_eq!(status_value(&status, "data-highlighted"), "", "{status}");
    let Some((_, status)) = load_in_chromium(&page, "isolated=show&search=Hezbollah") else {
        return;
    };
    assert_eq!(
        status_value(&status, "data-nodes"),
        nodes.len().to_string(),
        "{status}"
    );
    assert_eq!(
        status_value(&status, "data-highlighted"),
        "armed_group/hezbollah",
        "{status}"
    );
}

/// Only http(s) URLs become links: a document's `javascript:` (or `data:`, `vbscript:`)
/// URL is shown as text, never as an `href` that runs a script when clicked.
#[test]
fn only_http_urls_become_links_in_the_report() {
    let attacked = "BAGHDAD (Reuters) - Hamas attacked Israel on";
    let threatened = "BAGHDAD (Reuters) - Hamas threatened Israel on";
    let docs: Vec<serde_json::Value> = [
        ("a1", attacked, "Friday", "javascript:alert(12)"),
        ("a2", attacked, "Saturday", " JaVaScRiPt:alert(13)"),
        ("a3", attacked, "Sunday", "https://example.com/a3"),
        (
            "t1",
            threatened,
            "Friday",
            "data:text/html,<script>alert(14)</script>",
        ),
        ("t2", threatened, "Saturday", "vbscript:msgbox(15)"),
        ("t3", threatened, "Sunday", " HTTP://example.com/t3 "),
    ]
    .into_iter()
    .map(|(id, text, day, url)| {
        let text = format!("{text} {day}.");
        serde_json::json!({"id": id, "text": text, "url": url, "title": format!("title {id}")})
    })
    .collect();
    let (_dir, page) = build_jsonl(&docs);
    let html = std::fs::read_to_string(&page).unwrap();
    let data = embedded_data(&html);
    let urls: Vec<&str> = data["top_relations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["evidence"].as_array().unwrap())
        .filter_map(|e| e["url"].as_str())
        .collect();
    assert_eq!(urls.len(), 6, "every document is evidence: {urls:?}");
    let Some((dom, _)) = load_in_chromium(&page, "") else {
        return;
    };
    let hrefs: Vec<&str> = dom
        .split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    for href in &hrefs {
        let lower = href.to_ascii_lowercase();
        assert!(
            lower.starts_with("http://") || lower.starts_with("https://"),
            "a link to {href} in the page"
        );
    }
    assert!(hrefs.contains(&"https://example.com/a3"), "{hrefs:?}");
    assert!(hrefs.contains(&"HTTP://example.com/t3"), "{hrefs:?}");
    for shown in ["javascript:alert(12)", "vbscript:msgbox(15)"] {
        assert!(dom.contains(shown), "{shown} is not shown as text");
    }
}

/// `<!--` in an article must not swallow the page's script (in a script element, `<!--`
/// followed by `<script>` hides the next `</script>` from the parser): the page still draws
/// the graph.
#[test]
fn an_html_comment_in_an_article_does_not_blank_the_report() {
    let (_dir, page) = build_jsonl(&[serde_json::json!({
        "id": "a",
        "text": "BAGHDAD (Reuters) - Hamas attacked Israel <!-- <script> on Friday.",
        "url": "https://example.com/a",
        "title": "<!-- <script> title",
    })]);
    let html = std::fs::read_to_string(&page).unwrap();
    let data = embedded_data(&html);
    let evidence = data["top_relations"][0]["evidence"][0]["sentence"]
        .as_str()
        .unwrap();
    assert!(evidence.contains("<!-- <script>"), "{evidence}");
    let Some((_, status)) = load_in_chromium(&page, "") else {
        return;
    };
    let drawn: usize = status_value(&status, "data-nodes").parse().unwrap();
    assert!(drawn >= 2, "the graph is not drawn: {status}");
}
