//! End-to-end tests of the `newsgraph` binary: the seed article acceptance, reruns, bad
//! input and bad gazetteers.

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn newsgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .output()
        .expect("the newsgraph binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn build(inputs: &[&Path], out: &Path) -> Output {
    let mut args = vec!["build".to_string()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".to_string(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = newsgraph(&args);
    assert!(
        output.status.success(),
        "build failed: {}\n{}",
        stdout(&output),
        stderr(&output)
    );
    output
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// Non-negated relations as (source, relation, target, role).
fn relations(db: &Connection) -> Vec<(String, String, String, String)> {
    db.prepare(
        "SELECT IFNULL(source_id, '-'), relation, IFNULL(target_id, '-'), IFNULL(role, '')
         FROM relations WHERE negated = 0 AND relation != 'co_occurs'",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn count(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn seed_article_gives_the_expected_graph() {
    let out = tempfile::tempdir().unwrap();
    let output = build(&[&examples()], out.path());
    let summary = stdout(&output);
    assert!(summary.contains("1 new"), "{summary}");
    for file in ["newsgraph.sqlite", "graph.graphml", "graph.json"] {
        assert!(out.path().join(file).is_file(), "{file} missing");
    }
    let db = Connection::open(out.path().join("newsgraph.sqlite")).unwrap();
    let found = relations(&db);
    let has = |source: &str, relation: &str, target: &str| {
        found
            .iter()
            .any(|(s, r, t, _)| s == source && r == relation && t == target)
    };
    let role_of = |source: &str, target: &str| {
        found
            .iter()
            .find(|(s, r, t, _)| s == source && r == "member_of" && t == target)
            .map(|f| f.3.clone())
    };
    assert!(has(
        "government/usa-department-of-state",
        "designated",
        "armed_group/kataib-sayyid-al-shuhada"
    ));
    assert!(has("armed_group/hamas", "attacked", "place/isr"));
    assert!(has(
        "place/usa",
        "called_on",
        "government/iraqi-security-forces"
    ));
    assert_eq!(
        role_of(
            "person/abu-alaa-al-walae",
            "armed_group/kataib-sayyid-al-shuhada"
        )
        .as_deref(),
        Some("commander")
    );
    assert_eq!(
        role_of(
            "person/matthew-miller",
            "government/usa-department-of-state"
        )
        .as_deref(),
        Some("spokesperson")
    );
    assert_eq!(
        role_of(
            "person/patrick-ryder",
            "government/usa-department-of-defense"
        )
        .as_deref(),
        Some("spokesman")
    );
    assert_eq!(
        role_of("person/mohammed-shia-al-sudani", "place/irq").as_deref(),
        Some("prime minister")
    );
    // The commander "did not claim responsibility": no attack by the group or by him.
    for actor in [
        "armed_group/kataib-sayyid-al-shuhada",
        "person/abu-alaa-al-walae",
    ] {
        assert!(
            !found
                .iter()
                .any(|(s, r, _, _)| s == actor && r == "attacked"),
            "{actor} must not have attacked: {found:?}"
        );
    }
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM relations WHERE negated = 1 AND relation = 'attacked'
             AND source_id = 'person/abu-alaa-al-walae'"
        ),
        1,
        "the denial is kept as a negated relation"
    );
}

#[test]
fn name_variants_resolve_to_one_entity_and_spans_match_surfaces() {
    let out = tempfile::tempdir().unwrap();
    build(&[&examples()], out.path());
    let db = Connection::open(out.path().join("newsgraph.sqlite")).unwrap();
    let entity_of = |surface: &str| -> Vec<String> {
        db.prepare("SELECT DISTINCT entity_id FROM mentions WHERE surface = ?1")
            .unwrap()
            .query_map([surface], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    for surface in ["Sudani", "al-Sudani", "Mohammed Shia al-Sudani"] {
        assert_eq!(
            entity_of(surface),
            ["person/mohammed-shia-al-sudani"],
            "{surface}"
        );
    }
    for surface in ["State Department", "US Department of State"] {
        assert_eq!(
            entity_of(surface),
            ["government/usa-department-of-state"],
            "{surface}"
        );
    }
    assert_eq!(entity_of("US"), ["place/usa"]);
    assert_eq!(entity_of("Miller"), ["person/matthew-miller"]);

    let text: String = db
        .query_row("SELECT text FROM documents", [], |r| r.get(0))
        .unwrap();
    let mut statement = db
        .prepare("SELECT start, end, surface FROM mentions")
        .unwrap();
    let mentions: Vec<(i64, i64, String)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(mentions.len() > 30);
    for (start, end, surface) in mentions {
        assert_eq!(&text[start as usize..end as usize], surface);
    }
    let mut statement = db
        .prepare(
            "SELECT r.source_start, r.source_end, m.surface FROM relations r
             JOIN mentions m ON m.doc_id = r.doc_id AND m.start = r.source_start
             WHERE r.source_start IS NOT NULL",
        )
        .unwrap();
    let spans: Vec<(i64, i64, String)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!spans.is_empty());
    for (start, end, surface) in spans {
        assert_eq!(&text[start as usize..end as usize], surface);
    }
}

#[test]
fn boilerplate_is_stripped_from_the_stored_text() {
    let out = tempfile::tempdir().unwrap();
    build(&[&examples()], out.path());
    let db = Connection::open(out.path().join("newsgraph.sqlite")).unwrap();
    let (text, title): (String, String) = db
        .query_row("SELECT text, title FROM documents", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    for furniture in [
        "Skip to Content",
        "Jump to comments",
        "All rights reserved",
        "Community Guidelines",
        "BE PART OF THE CONVERSATION",
    ] {
        assert!(!text.contains(furniture), "{furniture:?} left in the text");
    }
    for body in [
        "The commander of an Iran-backed Iraqi militia is vowing more attacks",
        "So far, it’s our assessment that that has been contained.",
        "contributed reporting.",
    ] {
        assert!(text.contains(body), "{body:?} lost from the text");
    }
    assert_eq!(
        title,
        "Iran-backed militia vows more attacks after US Embassy in Iraq comes under fire"
    );
}

#[test]
fn rerun_adds_nothing_and_changed_text_replaces_the_document() {
    let out = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    let article = input.path().join("story.txt");
    std::fs::write(&article, "Hamas' attack on Israel was condemned.\n").unwrap();
    build(&[input.path()], out.path());
    let db_path = out.path().join("newsgraph.sqlite");
    let snapshot = |db: &Connection| {
        (
            count(db, "SELECT COUNT(*) FROM documents"),
            count(db, "SELECT COUNT(*) FROM mentions"),
            count(db, "SELECT COUNT(*) FROM relations"),
        )
    };
    let first = snapshot(&Connection::open(&db_path).unwrap());
    let again = build(&[input.path()], out.path());
    assert!(stdout(&again).contains("0 new, 0 replaced, 1 unchanged"));
    assert_eq!(snapshot(&Connection::open(&db_path).unwrap()), first);

    std::fs::write(&article, "Hezbollah attacked Israel on Monday.\n").unwrap();
    let changed = build(&[input.path()], out.path());
    assert!(
        stdout(&changed).contains("1 replaced"),
        "{}",
        stdout(&changed)
    );
    let db = Connection::open(&db_path).unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 1);
    assert!(has_relation(
        &db,
        "armed_group/hezbollah",
        "attacked",
        "place/isr"
    ));
    assert!(!has_relation(
        &db,
        "armed_group/hamas",
        "attacked",
        "place/isr"
    ));

    std::fs::write(input.path().join("second.txt"), "Iran backed Hamas.\n").unwrap();
    let added = build(&[input.path()], out.path());
    assert!(stdout(&added).contains("1 new, 0 replaced, 1 unchanged"));
}

#[test]
fn a_build_from_the_gazetteer_cache_writes_what_a_build_from_the_files_writes() {
    use std::os::unix::fs::MetadataExt;
    let uncached = tempfile::tempdir().unwrap();
    let cached = tempfile::tempdir().unwrap();
    let cache_home = tempfile::tempdir().unwrap();
    let examples = examples();
    let run = |out: &Path, extra: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
            .args(["build", examples.to_str().unwrap(), "--out"])
            .arg(out)
            .args(extra)
            .env("XDG_CACHE_HOME", cache_home.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    };
    let copies = || -> Vec<PathBuf> {
        match std::fs::read_dir(cache_home.path().join("newsgraph")) {
            Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    };
    run(uncached.path(), &["--no-gazetteer-cache"]);
    assert!(copies().is_empty());
    run(cached.path(), &[]);
    let cache = copies().pop().expect("the first build saved a copy");
    let saved = std::fs::metadata(&cache).unwrap().ino();
    // A new database, so every document is analysed again, now with the cached gazetteers.
    for file in [
        "newsgraph.sqlite",
        "newsgraph.sqlite-wal",
        "newsgraph.sqlite-shm",
    ] {
        let _ = std::fs::remove_file(cached.path().join(file));
    }
    run(cached.path(), &[]);
    assert_eq!(copies(), std::slice::from_ref(&cache));
    assert_eq!(
        std::fs::metadata(&cache).unwrap().ino(),
        saved,
        "the second build read the cache instead of writing it again"
    );
    for file in ["graph.json", "graph.graphml", "edges.csv", "nodes.csv"] {
        assert_eq!(
            std::fs::read(uncached.path().join(file)).unwrap(),
            std::fs::read(cached.path().join(file)).unwrap(),
            "{file}"
        );
    }
    let rows = |dir: &Path| {
        let db = Connection::open(dir.join("newsgraph.sqlite")).unwrap();
        let mut mentions: Vec<(String, i64, i64, String)> = db
            .prepare("SELECT doc_id, start, end, entity_id FROM mentions")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        mentions.sort();
        let mut relations = relations(&db);
        relations.sort();
        (mentions, relations)
    };
    let (mentions, relations) = rows(cached.path());
    assert!(!mentions.is_empty() && !relations.is_empty());
    assert_eq!((mentions, relations), rows(uncached.path()));
}

#[test]
fn an_edge_lists_its_first_thousand_documents_and_counts_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let documents = newsgraph::graph::DOC_IDS_PER_EDGE + 2;
    let lines: Vec<String> = (0..documents)
        .map(|k| {
            serde_json::json!({
                "id": format!("day-{k:05}"),
                "text": format!("Hamas attacked Israel on day {k}. Hamas attacked Israel again."),
            })
            .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let out = dir.path().join("out");
    build(&[&input], &out);
    let graph: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("graph.json")).unwrap()).unwrap();
    let edge = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["source"] == "armed_group/hamas"
                && e["target"] == "place/isr"
                && e["relation"] == "attacked"
        })
        .expect("Hamas attacked Israel");
    assert_eq!(edge["weight"], 2 * documents);
    assert_eq!(edge["documents"], documents);
    let listed: Vec<&str> = edge["doc_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    let first: Vec<String> = (0..newsgraph::graph::DOC_IDS_PER_EDGE)
        .map(|k| format!("day-{k:05}"))
        .collect();
    assert_eq!(listed, first);
}

fn has_relation(db: &Connection, source: &str, relation: &str, target: &str) -> bool {
    db.query_row(
        "SELECT COUNT(*) FROM relations WHERE source_id = ?1 AND relation = ?2 AND target_id = ?3 AND negated = 0",
        [source, relation, target],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        > 0
}

#[test]
fn bad_input_is_reported_and_recorded_not_dropped() {
    let out = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    let dir = input.path();
    std::fs::write(dir.join("latin1.txt"), b"Hamas attacked Isra\xebl in Gaza.").unwrap();
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    std::fs::write(dir.join("blob.txt"), b"\x89PNG\x00\x00\x01").unwrap();
    std::fs::write(dir.join("page.html"), b"<html>\x00\x00<p>Hi</p></html>").unwrap();
    std::fs::write(
        dir.join("feed.jsonl"),
        "{\"id\":\"a\",\"text\":\"Iran backed Hamas.\"}\n{oops\n{\"id\":\"b\"}\n{\"id\":\"c\",\"text\":\"Hezbollah attacked Israel.\"}\n",
    )
    .unwrap();
    let output = build(&[dir], out.path());
    let warnings = stderr(&output);
    assert!(
        warnings.contains("feed.jsonl:2: not valid JSON"),
        "{warnings}"
    );
    assert!(
        warnings.contains("feed.jsonl:3: missing `text`"),
        "{warnings}"
    );
    assert!(warnings.contains("blob.txt: binary file"), "{warnings}");
    assert!(
        warnings.contains("page.html: binary file (NUL bytes), not HTML")
            || warnings.contains("page.html: HTML input needs the `html` feature"),
        "{warnings}"
    );
    assert!(warnings.contains("empty.txt: document \"empty\" has no text"));
    // Standard error is a pipe here, not a terminal: warnings only, no progress line.
    assert!(!warnings.contains("documents/s"), "{warnings}");
    let db = Connection::open(out.path().join("newsgraph.sqlite")).unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM rejects"), 5);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 3);
    let encoding: String = db
        .query_row(
            "SELECT encoding FROM documents WHERE id = 'latin1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(encoding, "windows-1252");
    assert!(stdout(&output).contains("5 rejected"));

    // A rerun reports the rejects again but records each once.
    let again = build(&[dir], out.path());
    assert!(stdout(&again).contains("5 rejected"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM rejects"), 5);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 3);
}

#[test]
fn jsonl_from_standard_input() {
    let out = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["build", "-", "--quiet", "--out"])
        .arg(out.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\":\"s1\",\"text\":\"The State Department designated Hamas.\",\"published\":\"2023-12-08\"}\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert!(output.stdout.is_empty(), "--quiet prints nothing");
    let db = Connection::open(out.path().join("newsgraph.sqlite")).unwrap();
    let published: String = db
        .query_row(
            "SELECT published FROM relations WHERE relation = 'designated'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(published, "2023-12-08");
    let first_seen: String = db
        .query_row(
            "SELECT first_seen FROM edges WHERE relation = 'designated'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(first_seen, "2023-12-08");
}

#[test]
fn a_bad_gazetteer_stops_the_run_before_anything_is_written() {
    let out = tempfile::tempdir().unwrap();
    let gazetteers = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml"),
        gazetteers.path().join("relations.toml"),
    )
    .unwrap();
    std::fs::write(
        gazetteers.path().join("people.tsv"),
        "id\tname\ttype\taliases\nplace/usa\tUnited States\tplace\tUS\nplace/usa-2\tUSA\tplace\tUS\n",
    )
    .unwrap();
    let output = newsgraph(&[
        "build",
        examples().to_str().unwrap(),
        "--gazetteers",
        gazetteers.path().to_str().unwrap(),
        "--out",
        out.path().join("run").to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains("people.tsv:3:23: alias \"US\" already maps to place/usa"),
        "{message}"
    );
    assert!(!out.path().join("run/newsgraph.sqlite").exists());
}

#[test]
fn failures_exit_non_zero_with_one_line() {
    let out = tempfile::tempdir().unwrap();
    let output = newsgraph(&[
        "build",
        "/no/such/folder",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("/no/such/folder"), "{message}");
}

#[test]
fn help_documents_the_build_options() {
    let output = newsgraph(&["build", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for option in [
        "--gazetteers",
        "--out",
        "--jobs",
        "--quiet",
        "--no-gazetteer-cache",
        "JSONL",
        "SHA-256",
    ] {
        assert!(help.contains(option), "--help lacks {option}");
    }
}

#[test]
fn graphml_is_well_formed_with_declared_endpoints() {
    use quick_xml::events::Event;
    let out = tempfile::tempdir().unwrap();
    build(&[&examples()], out.path());
    let xml = std::fs::read_to_string(out.path().join("graph.graphml")).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut nodes = std::collections::HashSet::new();
    let mut endpoints = Vec::new();
    let mut labelled_edges = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name).unwrap().map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                };
                match e.name().as_ref() {
                    "node" => {
                        nodes.insert(attr("id").unwrap());
                    }
                    "edge" => {
                        endpoints.push(attr("source").unwrap());
                        endpoints.push(attr("target").unwrap());
                        labelled_edges += usize::from(attr("label").is_some());
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(nodes.len() >= 15);
    assert!(labelled_edges >= 10);
    assert_eq!(labelled_edges * 2, endpoints.len());
    for endpoint in endpoints {
        assert!(nodes.contains(&endpoint), "undeclared endpoint {endpoint}");
    }
}

#[test]
fn gazetteer_check_reports_the_bundled_counts() {
    let output = newsgraph(&["gazetteer", "check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    let count = |label: &str| -> usize {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {label} line in:\n{report}"))
    };
    assert!(count("place:") >= 30_000);
    assert!(count("person:") >= 5_000);
    assert!(count("national_government:") >= 193);
    assert!(count("armed_group:") >= 1_400);
    assert!(report.contains("loaded and built the matcher in"));
}

#[test]
fn gazetteer_import_writes_tsv_that_loads_next_to_the_existing_folder() {
    let dir = tempfile::tempdir().unwrap();
    let fto = dir.path().join("fto.tsv");
    std::fs::write(
        &fto,
        "ent_num\tname\tprograms\taliases_from_remarks\n4695\tHAMAS\t[FTO] [SDGT]\t\n9999\tEXAMPLE LIBERATION FRONT\t[FTO] [SDGT]\tELF-X\n",
    )
    .unwrap();
    let out = dir.path().join("mine/gen.tsv");
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    let gazetteers = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
    let output = newsgraph(&[
        "gazetteer",
        "import",
        "--from",
        "ofac",
        fto.to_str().unwrap(),
        "--against",
        gazetteers.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let tsv = std::fs::read_to_string(&out).unwrap();
    // Hamas is already bundled: only the new group is written.
    assert!(!tsv.contains("\tHamas\t"), "{tsv}");
    assert!(
        tsv.contains("armed_group/example-liberation-front\tExample Liberation Front\tarmed_group")
    );
    let check = newsgraph(&[
        "gazetteer",
        "check",
        gazetteers.to_str().unwrap(),
        dir.path().join("mine").to_str().unwrap(),
    ]);
    assert!(check.status.success(), "{}", stderr(&check));

    let bad = newsgraph(&[
        "gazetteer",
        "import",
        "--from",
        "wikidata",
        fto.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("unknown import format \"wikidata\""));
}

#[test]
fn sample_mentions_is_reproducible_tsv() {
    let out = tempfile::tempdir().unwrap();
    build(&[&examples()], out.path());
    let db = out.path().join("newsgraph.sqlite");
    let sample = |seed: &str| {
        let output = newsgraph(&[
            "sample-mentions",
            "--db",
            db.to_str().unwrap(),
            "-n",
            "5",
            "--seed",
            seed,
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let first = sample("3");
    assert_eq!(first, sample("3"));
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].starts_with("doc_id\tentity_id\ttype\tkind\tsurface\tcontext\tverdict"));
    for line in &lines[1..] {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 7);
        assert!(fields[5].contains(&format!("«{}»", fields[4])), "{line}");
    }
    let missing = newsgraph(&["sample-mentions", "--db", "/no/such.sqlite"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("no such database"));
}

#[test]
fn suggest_lists_frequent_unmatched_names_as_loadable_gazetteer_rows() {
    let input = tempfile::tempdir().unwrap();
    let text = "The Zorvian Liberation Front attacked a convoy on Monday. \
                Officials blamed the Zorvian Liberation Front. \
                Later the Zorvian Liberation Front struck again in Iraq. \
                Spokesman Tarek Qasimov said on Monday that Iraq was calm.";
    std::fs::write(input.path().join("a.txt"), text).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(&[input.path()], out.path());
    let db = out.path().join("newsgraph.sqlite");
    let output = newsgraph(&["suggest", "--db", db.to_str().unwrap(), "--min-count", "2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let tsv = stdout(&output);
    let rows: Vec<&str> = tsv.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        rows,
        [
            "id\tname\ttype\tsource\tx_count\tx_documents\tx_type_from\tx_example",
            &format!(
                "armed_group/zorvian-liberation-front\tZorvian Liberation Front\tarmed_group\t\
                 suggested by newsgraph from {}: verify\t3\t1\tlast word\t\
                 The Zorvian Liberation Front attacked a convoy on Monday.",
                db.display()
            ),
        ],
        "Iraq is known, Monday is a calendar word, Tarek Qasimov occurs once: {tsv}"
    );
    // The output loads as a gazetteer.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("suggested.tsv"), &tsv).unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
    let check = newsgraph(&[
        "gazetteer",
        "check",
        bundled.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn a_duplicate_id_with_another_text_in_one_run_is_rejected_not_stored() {
    let input = tempfile::tempdir().unwrap();
    std::fs::write(
        input.path().join("feed.jsonl"),
        "{\"id\":\"a\",\"text\":\"Iran backed Hamas.\"}\n\
         {\"id\":\"a\",\"text\":\"Iran backed Hamas.\"}\n\
         {\"id\":\"a\",\"text\":\"Hezbollah attacked Israel.\"}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = build(&[input.path()], out.path());
    assert!(
        stderr(&output)
            .contains("feed.jsonl:3: duplicate id \"a\" with a different text (first at "),
        "{}",
        stderr(&output)
    );
    let db = Connection::open(out.path().join("newsgraph.sqlite")).unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM rejects"), 1);
    let text: String = db
        .query_row("SELECT text FROM documents WHERE id = 'a'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(text, "Iran backed Hamas.", "the first text is kept");
}

#[test]
fn sql_in_names_ids_and_sources_is_stored_as_data() {
    let gazetteers = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
    std::fs::copy(
        bundled.join("relations.toml"),
        gazetteers.path().join("relations.toml"),
    )
    .unwrap();
    std::fs::write(
        gazetteers.path().join("evil.tsv"),
        "id\tname\ttype\taliases\n\
         armed_group/evil\tEvil'); DROP TABLE relations; --\tarmed_group\tEvil Front\n\
         place/isr\tIsrael\tplace\t\n",
    )
    .unwrap();
    let input = tempfile::tempdir().unwrap();
    std::fs::write(
        input.path().join("feed.jsonl"),
        "{\"id\":\"x'; DROP TABLE documents; --\",\"text\":\"Evil Front attacked Israel.\",\
          \"source\":\"/etc/passwd\"}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = newsgraph(&[
        "build",
        "--quiet",
        "--gazetteers",
        gazetteers.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        input.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let db = Connection::open(out.path().join("newsgraph.sqlite")).unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 1);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM relations WHERE relation = 'attacked'"
        ),
        1
    );
    let (name, source): (String, String) = db
        .query_row(
            "SELECT e.name, d.source FROM entities e, documents d WHERE e.id = 'armed_group/evil'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(name, "Evil'); DROP TABLE relations; --");
    assert_eq!(source, "/etc/passwd", "a source path is data, never opened");
}

#[test]
fn export_writes_each_format_with_filters_from_an_existing_database() {
    let out = tempfile::tempdir().unwrap();
    build(&[&examples()], out.path());
    for name in [
        "graph.graphml",
        "graph.gexf",
        "graph.json",
        "nodes.csv",
        "edges.csv",
        "report.html",
    ] {
        assert!(out.path().join(name).exists(), "build did not write {name}");
    }
    let db = out.path().join("newsgraph.sqlite");
    let export = |args: &[&str]| {
        let mut all = vec!["export", "--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        newsgraph(&all)
    };
    let gexf = out.path().join("attacks.gexf");
    let output = export(&[
        "--format",
        "gexf",
        "--out",
        gexf.to_str().unwrap(),
        "--relation",
        "attacked",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&gexf).unwrap();
    assert!(text.contains(r#"<gexf xmlns="http://gexf.net/1.3""#));
    assert!(text.contains(r#"defaultedgetype="directed" mode="dynamic" timeformat="date""#));
    assert!(text.contains(r#"kind="attacked" label="attacked""#));
    assert!(
        !text.contains("co_occurs") && !text.contains("member_of"),
        "the filter let other relations through"
    );
    assert!(text.contains("<viz:color r="));
    // Only the endpoints of kept edges are nodes.
    let nodes = text.matches("<node id=").count();
    let edges = text.matches("<edge id=").count();
    assert!(
        edges >= 1 && nodes <= 2 * edges,
        "{nodes} nodes for {edges} edges"
    );

    let csv_dir = out.path().join("csv");
    let output = export(&[
        "--format",
        "csv",
        "--out",
        csv_dir.to_str().unwrap(),
        "--entity-type",
        "person,government",
        "--no-co-occurs",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let edges = std::fs::read_to_string(csv_dir.join("edges.csv")).unwrap();
    assert!(edges.starts_with("Source,Target,Type,Kind,Id,Label,Weight,"));
    assert!(
        edges.contains(
            "person/matthew-miller,government/usa-department-of-state,Directed,member_of"
        ),
        "{edges}"
    );
    assert!(
        !edges.contains("co_occurs") && !edges.contains("place/"),
        "{edges}"
    );

    // Values are checked, never pasted into SQL.
    let output = export(&[
        "--format",
        "json",
        "--out",
        "/dev/null",
        "--relation",
        "'; DROP TABLE relations; --",
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("unknown relation"),
        "{}",
        stderr(&output)
    );
    let output = export(&["--format", "dot", "--out", "/dev/null"]);
    assert!(
        stderr(&output).contains("unknown format \"dot\""),
        "{}",
        stderr(&output)
    );
    let db = Connection::open(&db).unwrap();
    assert!(count(&db, "SELECT COUNT(*) FROM relations") > 0);
}

#[test]
fn a_lone_surname_is_the_office_holder_in_office_on_the_articles_date_in_his_country() {
    let input = tempfile::tempdir().unwrap();
    let feed = input.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        "{\"id\": \"in-office\", \"text\": \"Reagan told reporters in Washington the talks with Moscow would go on.\", \"published\": \"1987-03-02\"}\n\
         {\"id\": \"long-after\", \"text\": \"Reagan told reporters in Washington the talks with Moscow would go on, officials said.\", \"published\": \"2020-03-02\"}\n\
         {\"id\": \"undated\", \"text\": \"Reagan told reporters in Washington the talks with Moscow would go on, aides said.\"}\n\
         {\"id\": \"assad\", \"text\": \"Assad said the talks in Damascus would go on.\", \"published\": \"2015-03-02\"}\n\
         {\"id\": \"assad-elsewhere\", \"text\": \"Assad said the prices of cocoa would fall further.\", \"published\": \"2015-03-03\"}\n\
         {\"id\": \"jones\", \"text\": \"Jones said the offer was too low.\", \"published\": \"1987-03-02\"}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build(&[feed.as_path()], out.path());
    let db = Connection::open(out.path().join("newsgraph.sqlite")).unwrap();
    let named = |doc: &str, surname: &str| -> String {
        db.query_row(
            "SELECT m.entity_id FROM mentions m JOIN documents d ON d.id = m.doc_id
             WHERE m.doc_id = ?1 AND substr(d.text, m.start + 1, m.end - m.start) = ?2",
            [doc, surname],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(named("in-office", "Reagan"), "person/ronald-reagan");
    // Out of office, or with no date, the surname is nobody we know for sure.
    assert_eq!(named("long-after", "Reagan"), "person/discovered-reagan");
    assert_eq!(named("undated", "Reagan"), "person/discovered-reagan");
    // The tagger reads a lone "Assad said" as a company; the office holder wins. The
    // family members without a dated office do not count as namesakes.
    assert_eq!(named("assad", "Assad"), "person/bashar-al-assad");
    // Not in an article that names no place of his country.
    assert!(named("assad-elsewhere", "Assad").contains("discovered"));
    // Ten listed office holders are called Jones: this one is nobody in particular.
    assert!(named("jones", "Jones").contains("discovered"));
}
