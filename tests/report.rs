//! `output/report.html`: written by every build, self-contained, and working in a real
//! browser. The browser part runs headless Chromium (Debian's `chromium`, installed by
//! `.ci/run`); without it the test says so and passes, except under CI (`CI=true`),
//! where a missing browser fails the test.

use std::path::Path;
use std::process::Command;

fn build_examples(out: &Path) {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let status = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["build", "--quiet", "--out"])
        .arg(out)
        .arg(&examples)
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

#[test]
fn the_report_runs_in_headless_chromium_and_search_highlights_a_node() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("skipped: no chromium on this machine");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    build_examples(out.path());
    let page = out.path().join("report.html");
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}#search=Sudani", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
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
        .unwrap_or_else(|| panic!("no #status in the page: {}", &dom[..dom.len().min(500)]));
    assert!(
        status.contains("data-ready=\"true\""),
        "the script did not finish: {status}"
    );
    assert!(
        status.contains("data-highlighted=\"person/mohammed-shia-al-sudani\""),
        "{status}"
    );
    let html = std::fs::read_to_string(&page).unwrap();
    let nodes = embedded_data(&html)["nodes"].as_array().unwrap().len();
    assert!(
        status.contains(&format!("data-nodes=\"{nodes}\"")),
        "the graph does not show the {nodes} nodes: {status}"
    );
}
