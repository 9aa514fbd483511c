//! Issue 15: hostile but fair input, and a new user's first hour. One named regression test
//! per defect found, each running the real binary. The GraphML test reads the file with
//! networkx, as an analyst's script would (CI's virtual environment has it; elsewhere the
//! test says it skipped the networkx part unless `CI=true`).

use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod support;

fn newsgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .env("XDG_CACHE_HOME", cache_home())
        .output()
        .expect("the newsgraph binary runs")
}

/// One gazetteer cache for this test target, kept out of the user's own.
fn cache_home() -> PathBuf {
    std::env::temp_dir().join("newsgraph-tests-cache")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `newsgraph build --out OUT INPUTS...`, which must succeed.
fn build(inputs: &[&Path], out: &Path) -> Output {
    let output = try_build(inputs, out);
    assert!(
        output.status.success(),
        "build failed: {}\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    output
}

fn try_build(inputs: &[&Path], out: &Path) -> Output {
    let mut args = vec![
        "build".to_string(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    newsgraph(&args)
}

fn jsonl(dir: &Path, name: &str, lines: &[serde_json::Value]) -> PathBuf {
    let path = dir.join(name);
    let mut file = std::fs::File::create(&path).unwrap();
    for line in lines {
        writeln!(file, "{line}").unwrap();
    }
    path
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// A Python with networkx: CI's virtual environment, or the system's if it has it.
fn python_with_networkx() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/.venv/bin/python");
    for python in [venv, PathBuf::from("python3")] {
        let ok = Command::new(&python)
            .args(["-c", "import networkx"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(python);
        }
    }
    assert!(
        std::env::var_os("CI").is_none_or(|ci| ci != "true"),
        "CI must have networkx (.ci/run installs it in .ci/.venv)"
    );
    support::skipped("the networkx part of a test (no Python with networkx here)");
    None
}

#[test]
fn issue_15_cdata_end_in_an_article_keeps_graphml_well_formed_for_networkx() {
    let dir = tempfile::tempdir().unwrap();
    let input = jsonl(
        dir.path(),
        "a.jsonl",
        &[
            serde_json::json!({"id": "a", "text": "BAGHDAD (Reuters) - Hamas attacked Israel ]]> on Friday."}),
        ],
    );
    let out = dir.path().join("out");
    build(&[&input], &out);
    let exported = dir.path().join("exported.graphml");
    let output = newsgraph(&[
        "export",
        "--db",
        out.join("newsgraph.sqlite").to_str().unwrap(),
        "--format",
        "graphml",
        "--out",
        exported.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    for file in [out.join("graph.graphml"), exported, out.join("graph.gexf")] {
        let xml = std::fs::read_to_string(&file).unwrap();
        roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{}: not well-formed: {e}", file.display()));
    }
    let Some(python) = python_with_networkx() else {
        return;
    };
    let script = "import sys, networkx as nx\n\
        g = nx.read_graphml(sys.argv[1], force_multigraph=True)\n\
        ev = [d['evidence'] for _, _, d in g.edges(data=True) if d['relation'] == 'attacked']\n\
        assert any(']]>' in e for e in ev), ev\n\
        g = nx.read_gexf(sys.argv[2])\n\
        print('ok')";
    let checked = Command::new(python)
        .args(["-c", script])
        .arg(out.join("graph.graphml"))
        .arg(out.join("graph.gexf"))
        .output()
        .unwrap();
    assert!(checked.status.success(), "{}", text(&checked.stderr));
}

#[test]
fn issue_15_doc_ids_are_a_json_array_in_every_graph_file() {
    let dir = tempfile::tempdir().unwrap();
    let article = "BAGHDAD (Reuters) - Hamas attacked Israel on Friday.";
    let input = jsonl(
        dir.path(),
        "a.jsonl",
        &[
            serde_json::json!({"id": "044", "text": article}),
            serde_json::json!({"id": "x; y", "text": format!("{article} Again.")}),
        ],
    );
    let out = dir.path().join("out");
    build(&[&input], &out);
    let want = r#"["044","x; y"]"#;
    let graphml = std::fs::read_to_string(out.join("graph.graphml")).unwrap();
    assert!(
        graphml.contains(&format!(r#"<data key="doc_ids">{want}</data>"#)),
        "{graphml}"
    );
    let gexf = std::fs::read_to_string(out.join("graph.gexf")).unwrap();
    assert!(
        gexf.contains(r#"value="[&quot;044&quot;,&quot;x; y&quot;]""#),
        "{gexf}"
    );
    let edges = std::fs::read_to_string(out.join("edges.csv")).unwrap();
    assert!(edges.contains(r#""[""044"",""x; y""]""#), "{edges}");
}

#[test]
fn issue_15_a_second_build_into_a_locked_folder_is_refused_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // This process holds the lock, as a running build would.
    let lock = std::fs::File::create(out.join(".newsgraph.lock")).unwrap();
    lock.lock().unwrap();
    writeln!(&lock, "4242").unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let refused = try_build(&[&examples], &out);
    assert!(!refused.status.success());
    let message = text(&refused.stderr);
    assert!(
        message.contains("another newsgraph build is writing into this folder (process 4242)"),
        "{message}"
    );
    assert!(!out.join("newsgraph.sqlite").exists());
    drop(lock);
    // A killed build's temporary graph file goes with the next build.
    std::fs::write(out.join("graph.json.999999-0.tmp"), "{").unwrap();
    build(&[&examples], &out);
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn issue_15_a_damaged_gzip_stores_nothing_from_it_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    // Text that does not compress away, so the damage lands inside the deflate data.
    let mut seed = 7_u64;
    for n in 0..400 {
        let words: Vec<String> = (0..60)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                format!("w{:x}", seed >> 40)
            })
            .collect();
        let line = serde_json::json!({"id": format!("d{n}"), "text": format!("Hamas attacked Israel. {}", words.join(" "))});
        writeln!(gz, "{line}").unwrap();
    }
    gz.finish().unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 8].fill(0);
    std::fs::write(&path, &bytes).unwrap();
    let good = jsonl(
        dir.path(),
        "good.jsonl",
        &[serde_json::json!({"id": "good", "text": "Hezbollah attacked Israel."})],
    );
    let out = dir.path().join("out");
    let output = try_build(&[&path, &good], &out);
    assert!(
        !output.status.success(),
        "a damaged archive must not exit 0"
    );
    let message = text(&output.stderr);
    assert!(
        message.contains("news.jsonl.gz")
            && message.contains("damaged or incomplete gzip data near compressed byte"),
        "{message}"
    );
    assert!(
        message.contains("none of this file's records were stored"),
        "{message}"
    );
    let db = out.join("newsgraph.sqlite");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM documents"),
        1,
        "only good.jsonl"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM rejects WHERE path LIKE '%news.jsonl.gz' AND reason LIKE 'damaged%'"
        ),
        1
    );
}

#[test]
fn issue_15_byte_order_marks_lose_neither_records_nor_datelines() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let dateline = "BAGHDAD, Dec 8, 2023 (Reuters) - Hamas attacked Israel on Friday.";
    std::fs::write(input.join("bom.txt"), format!("\u{feff}{dateline}")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Hezbollah attacked Israel in Bogot\u{e1}.".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    std::fs::write(input.join("utf16.txt"), utf16).unwrap();
    std::fs::write(
        input.join("feed.jsonl"),
        "\u{feff}{\"id\":\"first\",\"text\":\"Hamas attacked Israel.\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = build(&[&input], &out);
    assert!(
        text(&output.stdout).contains("3 new, 0 replaced, 0 unchanged; 0 rejected"),
        "{}",
        text(&output.stdout)
    );
    let db = Connection::open(out.join("newsgraph.sqlite")).unwrap();
    let row = |id: &str| -> (Option<String>, String, String) {
        db.query_row(
            "SELECT published, encoding, text FROM documents WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    };
    assert_eq!(row("bom").0.as_deref(), Some("2023-12-08"));
    assert!(row("bom").2.starts_with("BAGHDAD"));
    let (_, encoding, stored) = row("utf16");
    assert_eq!(encoding, "utf-16le");
    assert!(stored.contains("Bogot\u{e1}"), "{stored}");
    assert_eq!(row("first").1, "utf-8");
}

#[test]
fn issue_15_an_article_stored_under_another_id_stays_findable_and_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let article = "BAGHDAD (Reuters) - Hamas attacked Israel on Friday.";
    let first = jsonl(
        dir.path(),
        "first.jsonl",
        &[serde_json::json!({"id": "a", "text": article})],
    );
    let second = jsonl(
        dir.path(),
        "second.jsonl",
        &[
            serde_json::json!({"id": "b", "text": article}),
            serde_json::json!({"id": "c", "text": article}),
        ],
    );
    let out = dir.path().join("out");
    build(&[&first], &out);
    let output = build(&[&second], &out);
    let summary = text(&output.stdout);
    assert!(
        summary.contains("read 2 document(s): 0 new, 0 replaced, 0 unchanged, 2 duplicate(s) of stored articles; 0 rejected"),
        "{summary}"
    );
    let db = Connection::open(out.join("newsgraph.sqlite")).unwrap();
    let found: Vec<(String, String, String)> = db
        .prepare("SELECT id, doc_id, origin FROM duplicates ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(found.len(), 2);
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("b", "a"));
    assert!(found[1].2.ends_with("second.jsonl:2"), "{found:?}");
    let again = build(&[&second], &out);
    assert!(
        text(&again.stdout).contains("0 new, 0 replaced, 2 unchanged; 0 rejected"),
        "{}",
        text(&again.stdout)
    );
}

#[test]
fn issue_15_a_fifo_is_rejected_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), "Hamas attacked Israel.").unwrap();
    let fifo = input.join("pipe.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = dir.path().join("out");
    // Both as a folder entry and named on the command line; a hang fails by timeout.
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["build", "--out"])
        .arg(&out)
        .arg(&input)
        .arg(&fifo)
        .env("XDG_CACHE_HOME", cache_home())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("the build waited on the FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let warnings = text(&output.stderr);
    assert_eq!(
        warnings
            .matches("pipe.jsonl: a FIFO (named pipe), not read")
            .count(),
        2,
        "{warnings}"
    );
    assert!(text(&output.stdout).contains("1 new, 0 replaced, 0 unchanged; 2 rejected"));
}

#[test]
fn issue_15_dates_are_normalised_at_ingest_and_filters_compare_dates() {
    let dir = tempfile::tempdir().unwrap();
    let input = jsonl(
        dir.path(),
        "reuters.jsonl",
        &[
            serde_json::json!({"id": "r1", "text": "Hamas attacked Israel on Tuesday.", "date": "21-APR-1987 10:01:01.79"}),
            serde_json::json!({"id": "r2", "text": "Hezbollah attacked Israel.", "published": "Fri, 08 Dec 2023 09:14:00 +0000"}),
            serde_json::json!({"id": "r3", "text": "The Taliban attacked Pakistan.", "published": "sometime in spring"}),
        ],
    );
    let out = dir.path().join("out");
    let output = build(&[&input], &out);
    let warnings = text(&output.stderr);
    assert!(
        warnings.contains(
            "reuters.jsonl: 1 date(s) could not be read (first: \"sometime in spring\" at"
        ),
        "{warnings}"
    );
    let db = out.join("newsgraph.sqlite");
    let published = |id: &str| -> (Option<String>, Option<String>) {
        Connection::open(&db)
            .unwrap()
            .query_row(
                "SELECT published, published_raw FROM documents WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    assert_eq!(
        published("r1"),
        (
            Some("1987-04-21".into()),
            Some("21-APR-1987 10:01:01.79".into())
        )
    );
    assert_eq!(published("r2").0.as_deref(), Some("2023-12-08"));
    assert_eq!(published("r3"), (None, Some("sometime in spring".into())));
    let query = |args: &[&str]| {
        let mut all = vec![
            "query",
            "--db",
            db.to_str().unwrap(),
            "--format",
            "csv",
            "--relation",
            "attacked",
        ];
        all.extend_from_slice(args);
        newsgraph(&all)
    };
    let since_2023 = text(&query(&["--since", "2023"]).stdout);
    assert!(!since_2023.contains("r1"), "{since_2023}");
    assert!(since_2023.contains("r2"), "{since_2023}");
    let in_1987 = text(&query(&["--since", "1987-01", "--until", "1987-12"]).stdout);
    assert!(
        in_1987.contains("r1") && !in_1987.contains("r2"),
        "{in_1987}"
    );
    for bad in ["2023-13", "2023-02-30"] {
        let refused = query(&["--since", bad]);
        assert!(!refused.status.success(), "--since {bad} was accepted");
        assert!(
            text(&refused.stderr).contains("expected a date"),
            "{}",
            text(&refused.stderr)
        );
    }
    // The graph files and the report see the dates too.
    let gexf = std::fs::read_to_string(out.join("graph.gexf")).unwrap();
    assert!(gexf.contains(r#"start="1987-04-21""#), "{gexf}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        report.contains("\"week\":\"1987-04-20\""),
        "no week of 1987 in the report"
    );
}

#[test]
fn issue_15_a_failed_build_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let missing = try_build(&[&dir.path().join("no-such-file.jsonl")], &out);
    assert!(!missing.status.success());
    assert!(
        text(&missing.stderr).contains("no-such-file.jsonl: no such file or folder"),
        "{}",
        text(&missing.stderr)
    );
    assert!(!out.exists(), "--out was created for a missing input");

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("table.csv"), "a,b\n").unwrap();
    let nothing = try_build(&[&empty], &out);
    assert!(!nothing.status.success());
    let message = text(&nothing.stderr);
    assert!(message.contains("no article read from"), "{message}");
    assert!(
        message.contains("1 file(s) that are not articles skipped"),
        "{message}"
    );
    assert!(
        !out.exists(),
        "--out was left for a build that read nothing"
    );

    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let not_a_folder = try_build(&[&examples], &file);
    assert!(!not_a_folder.status.success());
    assert!(
        text(&not_a_folder.stderr).contains("is a file; --out must be a folder"),
        "{}",
        text(&not_a_folder.stderr)
    );
}

#[test]
fn issue_15_the_gazetteer_cache_lives_in_the_cache_folder_not_in_out() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("gazetteers.cache"), vec![0; 1000]).unwrap();
    std::fs::write(out.join("gazetteers.cache.4242.tmp"), vec![0; 1000]).unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let output = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["build", "--quiet", "--out"])
        .arg(&out)
        .arg(&examples)
        .env("XDG_CACHE_HOME", &cache)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        !out.join("gazetteers.cache").exists(),
        "the old copy in --out is removed"
    );
    let copies: Vec<String> = std::fs::read_dir(cache.join("newsgraph"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert!(
        copies[0].starts_with("gazetteers-") && copies[0].ends_with(".cache"),
        "{copies:?}"
    );
}

#[test]
fn issue_15_a_file_header_is_not_taken_for_a_title() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("header.txt"),
        "wikievents:test:suicide_ied_100\nunknown\nBomber kills six in Bagram\n\nHamas attacked Israel on Friday.",
    )
    .unwrap();
    std::fs::write(
        input.join("headline.txt"),
        "Militia vows more attacks\n\nHezbollah attacked Israel on Friday.",
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&[&input], &out);
    let db = Connection::open(out.join("newsgraph.sqlite")).unwrap();
    let title = |id: &str| -> Option<String> {
        db.query_row("SELECT title FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
    };
    assert_eq!(title("header"), None);
    assert_eq!(
        title("headline").as_deref(),
        Some("Militia vows more attacks")
    );
}
