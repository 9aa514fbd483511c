//! `newsgraph query` end to end: the real binary over a build of the bundled example
//! (the seed article), and over small dated feeds.

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

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

/// Build `inputs` (the bundled examples when empty) into `out`; returns the database.
fn build(inputs: &[&Path], gazetteers: Option<&Path>, out: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(out);
    let mut args = vec!["build".to_string(), "--quiet".to_string()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    if let Some(dir) = gazetteers {
        args.extend(["--gazetteers".to_string(), dir.display().to_string()]);
    }
    args.extend(["--out".to_string(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = newsgraph(&args);
    assert!(output.status.success(), "build failed: {}", stderr(&output));
    out.join("newsgraph.sqlite")
}

/// The seed article's database, built once for all tests of this file.
fn seed() -> &'static str {
    static DB: OnceLock<String> = OnceLock::new();
    DB.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("query-seed");
        build(&[], None, &out).display().to_string()
    })
}

/// `newsgraph query --db <seed> args...`, which must succeed.
fn query(args: &[&str]) -> Output {
    let mut all = vec!["query", "--db", seed()];
    all.extend(args);
    let output = newsgraph(&all);
    assert!(
        output.status.success(),
        "query {args:?} failed: {}",
        stderr(&output)
    );
    output
}

fn json(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = query(&all);
    serde_json::from_slice(&output.stdout).expect("--format json is JSON")
}

fn triples(rows: &[serde_json::Value]) -> Vec<(String, String, String)> {
    let field = |row: &serde_json::Value, key: &str| row[key].as_str().unwrap_or("-").to_string();
    rows.iter()
        .map(|r| {
            (
                field(r, "source_id"),
                field(r, "relation"),
                field(r, "target_id"),
            )
        })
        .collect()
}

const SUDANI: &str = "person/mohammed-shia-al-sudani";
const KSS: &str = "armed_group/kataib-sayyid-al-shuhada";
const STATE: &str = "government/usa-department-of-state";

#[test]
fn entity_by_surname_lists_the_prime_ministers_member_of_iraq() {
    let output = query(&["--entity", "Sudani"]);
    let table = stdout(&output);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("published  source"), "{table}");
    assert!(
        lines.iter().any(|l| l.contains("Mohammed Shia al-Sudani")
            && l.contains("member_of")
            && l.contains("Iraq")
            && l.contains("prime minister")),
        "{table}"
    );
    assert_eq!(*lines.last().unwrap(), "(1 relation)");
    assert!(
        stderr(&output).contains(&format!(
            "\"Sudani\" (name): Mohammed Shia al-Sudani ({SUDANI})"
        )),
        "{}",
        stderr(&output)
    );
    // Any spelling the database knows, folded; an id; a full alias.
    for name in ["al-sudani", "AL SUDANI", "Mohammed al-Sudani", SUDANI] {
        assert_eq!(
            triples(&json(&["--entity", name])),
            [(
                SUDANI.to_string(),
                "member_of".to_string(),
                "place/irq".to_string()
            )],
            "{name}"
        );
    }
}

#[test]
fn a_surname_no_mention_used_resolves_through_the_persons_name() {
    let output = query(&["--entity", "walae", "--include-negated"]);
    assert!(
        stderr(&output)
            .contains("\"walae\" (surname): Abu Alaa al-Walae (person/abu-alaa-al-walae)"),
        "{}",
        stderr(&output)
    );
    let table = stdout(&output);
    assert!(table.contains("attacked (negated)"), "{table}");
    assert!(table.contains("member_of"), "{table}");
}

#[test]
fn between_two_actors_shows_the_designation_in_either_order() {
    let expected = [(STATE.to_string(), "designated".to_string(), KSS.to_string())];
    assert_eq!(
        triples(&json(&[
            "--between",
            "Kataib Sayyid al-Shuhada",
            "State Department"
        ])),
        expected
    );
    assert_eq!(
        triples(&json(&[
            "--between",
            "US State Department",
            "Kata’ib Sayyid al-Shuhada"
        ])),
        expected
    );
    let table = stdout(&query(&[
        "--between",
        "Kataib Sayyid al-Shuhada",
        "State Department",
    ]));
    assert!(
        table.contains("US Department of State") && table.contains("designated"),
        "{table}"
    );
}

#[test]
fn json_has_every_field_with_the_whole_evidence() {
    let rows = json(&["--entity", "Kata'ib Sayyid al-Shuhada"]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in &rows {
        for key in [
            "published",
            "source_id",
            "source",
            "relation",
            "target_id",
            "target",
            "role",
            "negated",
            "hedged",
            "confidence",
            "reporter_id",
            "reporter",
            "doc_id",
            "sentence",
            "title",
            "url",
            "rule",
            "evidence",
        ] {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
        assert_eq!(row["target_id"], KSS);
    }
    let designation = rows.iter().find(|r| r["relation"] == "designated").unwrap();
    let evidence = designation["evidence"].as_str().unwrap();
    assert_eq!(
        evidence.split_whitespace().collect::<Vec<_>>().join(" "), // the seed has no-break spaces
        "Last month, the US Department of State designated Kataib Sayyid al-Shuhada and its \
         secretary general as specially designated global terrorists."
    );
}

#[test]
fn relation_type_negation_and_limit_filter() {
    let attacked = json(&["--relation", "attacked"]);
    assert!(attacked.iter().all(|r| r["relation"] == "attacked"));
    assert!(attacked.iter().all(|r| r["negated"] == false));
    let with_negated = json(&["--relation", "attacked", "--include-negated"]);
    assert_eq!(with_negated.len(), attacked.len() + 1);
    assert!(with_negated.iter().any(|r| r["negated"] == true));
    assert_eq!(json(&["--relation", "attacked", "--limit", "2"]).len(), 2);
    // co_occurs only when asked for.
    assert!(json(&[]).iter().all(|r| r["relation"] != "co_occurs"));
    assert!(!json(&["--relation", "co_occurs"]).is_empty());
    // The seed has no date, so a period leaves nothing (and says so).
    let table = stdout(&query(&["--since", "2000"]));
    assert!(table.ends_with("(0 relations)\n"), "{table}");
}

#[test]
fn the_table_is_aligned_and_cuts_the_evidence() {
    let table = stdout(&query(&["--include-negated"]));
    let lines: Vec<&str> = table.lines().collect();
    let header = lines[0];
    let column = |name: &str| header.find(name).unwrap();
    let (relation, evidence) = (column("relation"), column("evidence"));
    for line in &lines[1..lines.len() - 1] {
        let chars: Vec<char> = line.chars().collect();
        let at = |k: usize| chars[..k].iter().collect::<String>();
        // Every column starts at the header's column (counted in characters).
        assert!(at(relation).ends_with("  "), "{line}");
        assert!(at(evidence).ends_with("  "), "{line}");
        assert!(
            chars.len() <= evidence + newsgraph::query::EVIDENCE_WIDTH,
            "{line}"
        );
    }
    assert!(table.contains('…'), "long evidence is cut: {table}");
}

/// Split one CSV record (RFC 4180; no line breaks inside fields in these tests).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[test]
fn csv_has_a_header_and_quoted_fields() {
    let output = query(&["--entity", "Iraq", "--format", "csv"]);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let header = csv_fields(lines[0]);
    assert_eq!(header[0], "published");
    assert_eq!(header.last().unwrap(), "evidence");
    assert!(lines.len() > 1);
    for line in &lines[1..] {
        let fields = csv_fields(line);
        assert_eq!(fields.len(), header.len(), "{line}");
        assert!(fields[3] != "co_occurs");
    }
    assert!(
        lines[1..]
            .iter()
            .any(|l| csv_fields(l)[1] == SUDANI && csv_fields(l)[5] == "Iraq")
    );
}

#[test]
fn sql_in_names_and_filters_is_data() {
    let db = Connection::open(seed()).unwrap();
    let count = |db: &Connection| -> i64 {
        db.query_row("SELECT COUNT(*) FROM relations", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&db);
    let evil = "'; DROP TABLE relations; --";
    for args in [
        vec!["--entity", evil],
        vec!["--relation", evil],
        vec!["--between", evil, "Iraq"],
        vec!["--since", evil],
        vec!["--entity", "Iraq", "--relation", evil],
    ] {
        let mut all = vec!["query", "--db", seed()];
        all.extend(&args);
        let output = newsgraph(&all);
        assert!(!output.status.success(), "{args:?}");
        let message = stderr(&output);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(
            !message.contains("SQL") && !message.contains("syntax"),
            "{message}"
        );
    }
    assert_eq!(count(&db), before, "the relations table is intact");
    assert_eq!(
        triples(&json(&["--entity", "Sudani"])).len(),
        1,
        "and still answers"
    );
}

#[test]
fn names_that_look_like_sql_resolve_and_are_bound() {
    let dir = tempfile::tempdir().unwrap();
    let gazetteers = dir.path().join("gaz");
    std::fs::create_dir(&gazetteers).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml"),
        gazetteers.join("relations.toml"),
    )
    .unwrap();
    std::fs::write(
        gazetteers.join("evil.tsv"),
        "id\tname\ttype\taliases\n\
         armed_group/evil\tEvil'); DROP TABLE relations; --\tarmed_group\tEvil Front\n\
         place/isr\tIsrael\tplace\t\n",
    )
    .unwrap();
    let input = dir.path().join("feed.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"x'; DROP TABLE documents; --\",\"text\":\"Evil Front attacked Israel.\",\"date\":\"2023-12-08\"}\n",
    )
    .unwrap();
    let db = build(&[&input], Some(&gazetteers), &dir.path().join("out"));
    let db = db.to_str().unwrap();
    let output = newsgraph(&[
        "query",
        "--db",
        db,
        "--entity",
        "Evil'); DROP TABLE relations; --",
        "--relation",
        "attacked",
        "--since",
        "2023-12",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["source"], "Evil'); DROP TABLE relations; --");
    assert_eq!(rows[0]["doc_id"], "x'; DROP TABLE documents; --");
}

#[test]
fn periods_filter_by_published_date() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("feed.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"oct\",\"text\":\"Hamas attacked Israel.\",\"date\":\"2023-10-07\"}\n\
         {\"id\":\"dec\",\"text\":\"Hezbollah attacked Israel.\",\"date\":\"2023-12-08T10:00:00Z\"}\n\
         {\"id\":\"undated\",\"text\":\"The Houthis attacked Israel.\"}\n",
    )
    .unwrap();
    let db = build(&[&input], None, &dir.path().join("out"));
    let docs = |args: &[&str]| -> Vec<String> {
        let mut all = vec![
            "query",
            "--db",
            db.to_str().unwrap(),
            "--relation",
            "attacked",
            "--format",
            "json",
        ];
        all.extend(args);
        let output = newsgraph(&all);
        assert!(output.status.success(), "{}", stderr(&output));
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
        rows.iter()
            .map(|r| r["doc_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        docs(&[]),
        ["oct", "dec", "undated"],
        "dated first, oldest first"
    );
    assert_eq!(docs(&["--since", "2023-11"]), ["dec"]);
    assert_eq!(docs(&["--until", "2023-10"]), ["oct"]);
    assert_eq!(
        docs(&["--since", "2023-12-08", "--until", "2023-12-08"]),
        ["dec"]
    );
    assert_eq!(
        docs(&["--since", "2023", "--until", "2023"]),
        ["oct", "dec"]
    );
    assert!(docs(&["--since", "2024-01-01"]).is_empty());
}

#[test]
fn bad_options_fail_with_one_line() {
    let mut cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--relation", "attack"],
            "no relation of type \"attack\"",
        ),
        (vec!["--until", "8 Dec 2023"], "expected a date as YYYY"),
        (vec!["--entity", "Atlantis"], "no entity in"),
    ];
    cases.push((
        vec!["--entity", "Iraq", "--between", "Iraq", "Hamas"],
        "cannot be used with",
    ));
    for (args, message) in cases {
        let mut all = vec!["query", "--db", seed()];
        all.extend(&args);
        let output = newsgraph(&all);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let missing = newsgraph(&["query", "--db", "/nonexistent/newsgraph.sqlite"]);
    assert!(stderr(&missing).contains("no such database"));
}

/// Build `jsonl` (one article a line) with the bundled gazetteers into `dir/out`; returns
/// the database.
fn build_jsonl(dir: &Path, jsonl: &str) -> PathBuf {
    let input = dir.join("feed.jsonl");
    std::fs::write(&input, jsonl).unwrap();
    build(&[&input], None, &dir.join("out"))
}

/// `newsgraph query --db <db> args...`, successful or not.
fn query_db(db: &Path, args: &[&str]) -> Output {
    let mut all = vec!["query", "--db", db.to_str().unwrap()];
    all.extend(args);
    newsgraph(&all)
}

const HAMAS_ATTACKED_ISRAEL: &str =
    "{\"id\":\"a\",\"text\":\"BAGHDAD (Reuters) - Hamas attacked Israel on Friday.\"}\n";

/// The files of `dir`, by name.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Query and export `db`, both of which must succeed and find Hamas's attack.
fn query_and_export(db: &Path, export_to: &Path) {
    let output = query_db(db, &["--entity", "Hamas"]);
    assert!(output.status.success(), "query: {}", stderr(&output));
    assert!(stdout(&output).contains("attacked"), "{}", stdout(&output));
    let output = newsgraph(&[
        "export",
        "--db",
        db.to_str().unwrap(),
        "--format",
        "json",
        "--out",
        export_to.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "export: {}", stderr(&output));
    assert!(
        std::fs::read_to_string(export_to)
            .unwrap()
            .contains("attacked")
    );
}

#[test]
fn a_database_in_a_read_only_folder_can_be_queried_and_exported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let built = build_jsonl(dir.path(), HAMAS_ATTACKED_ISRAEL);
    let folder = dir.path().join("read-only");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("newsgraph.sqlite");
    std::fs::copy(&built, &db).unwrap();
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    mode(&db, 0o444);
    mode(&folder, 0o555);
    // As root (or with CAP_DAC_OVERRIDE) the modes are not enforced: nothing to test here;
    // `a_database_whose_wal_files_cannot_be_made_can_be_queried_and_exported` covers the
    // same failure either way.
    let enforced = std::fs::write(folder.join("probe"), "").is_err();
    if enforced {
        query_and_export(&db, &dir.path().join("graph.json"));
        assert_eq!(file_names(&folder), ["newsgraph.sqlite"]);
    } else {
        let _ = std::fs::remove_file(folder.join("probe"));
        eprintln!("skipped: file modes are not enforced for this user (root?)");
    }
    mode(&folder, 0o755);
}

#[test]
fn a_database_whose_wal_files_cannot_be_made_can_be_queried_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let built = build_jsonl(dir.path(), HAMAS_ATTACKED_ISRAEL);
    // A directory where SQLite would put its -shm or -wal file: it cannot be created or
    // opened, whoever runs the test, as in a read-only folder.
    for blocked in ["newsgraph.sqlite-shm", "newsgraph.sqlite-wal"] {
        let folder = dir.path().join(blocked);
        std::fs::create_dir(&folder).unwrap();
        let db = folder.join("newsgraph.sqlite");
        std::fs::copy(&built, &db).unwrap();
        std::fs::create_dir(folder.join(blocked)).unwrap();
        let bytes = std::fs::read(&db).unwrap();
        query_and_export(&db, &dir.path().join(format!("{blocked}.json")));
        assert_eq!(file_names(&folder), ["newsgraph.sqlite", blocked]);
        assert!(
            std::fs::read(&db).unwrap() == bytes,
            "{blocked}: the database changed"
        );
    }
}

#[test]
fn open_read_only_creates_no_wal_files_and_changes_nothing() {
    use newsgraph::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let built = build_jsonl(dir.path(), HAMAS_ATTACKED_ISRAEL);
    let folder = dir.path().join("copy");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("newsgraph.sqlite");
    std::fs::copy(&built, &db).unwrap();
    let bytes = std::fs::read(&db).unwrap();
    let filters = newsgraph::query::Filters {
        entity: Some("Hamas".into()),
        ..Default::default()
    };
    {
        let store = Store::open_read_only(&db).unwrap();
        let answer = newsgraph::query::run(&store, &filters).unwrap();
        assert_eq!(answer.rows.len(), 1);
        let graph = newsgraph::graph::from_store_filtered(&store, &Default::default()).unwrap();
        assert!(graph.edge_count() > 0);
        assert_eq!(file_names(&folder), ["newsgraph.sqlite"], "while open");
        assert!(
            store
                .connection()
                .execute_batch("CREATE TABLE t (x)")
                .is_err(),
            "it cannot write"
        );
    }
    assert_eq!(file_names(&folder), ["newsgraph.sqlite"], "once closed");
    assert!(std::fs::read(&db).unwrap() == bytes, "the database changed");

    // With a writer at work (its -wal file present), what it committed is read too.
    let writer = Connection::open(&db).unwrap();
    writer
        .execute(
            "INSERT INTO documents (id, sha256, text) VALUES ('new', 'x', 'text')",
            [],
        )
        .unwrap();
    assert!(folder.join("newsgraph.sqlite-wal").exists());
    let store = Store::open_read_only(&db).unwrap();
    let documents: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(documents, 2);
    drop(writer);

    let missing = Store::open_read_only(&folder.join("none.sqlite"))
        .err()
        .unwrap();
    assert!(
        missing.to_string().contains("no such database"),
        "{missing}"
    );
}

#[test]
fn the_table_escapes_control_characters_and_csv_and_json_keep_them() {
    let dir = tempfile::tempdir().unwrap();
    // ESC [31m (red), ESC [0m, BEL (a beep) and CSI (C1) in the text, ESC [2J (clear the
    // screen) in the document id.
    let db = build_jsonl(
        dir.path(),
        "{\"id\":\"a\\u001b[2J\",\"text\":\"Hamas attacked Israel on Friday \
         in \\u001b[31mGaza\\u001b[0m\\u0007 and \\u009b elsewhere.\"}\n",
    );
    let output = query_db(&db, &["--entity", "Hamas"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let table = stdout(&output);
    assert!(table.contains("attacked"), "{table}");
    assert!(
        !table.chars().any(|c| c.is_control() && c != '\n'),
        "{table:?}"
    );
    assert!(
        table.contains("\\u{1b}[31mGaza\\u{1b}[0m\\u{7} and \\u{9b} elsewhere"),
        "{table}"
    );
    assert!(table.contains("a\\u{1b}[2J"), "{table}");

    let output = query_db(&db, &["--entity", "Hamas", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows[0]["doc_id"], "a\u{1b}[2J");
    assert!(
        rows[0]["evidence"]
            .as_str()
            .unwrap()
            .contains("\u{1b}[31mGaza\u{1b}[0m\u{7} and \u{9b} elsewhere"),
        "{rows:?}"
    );

    let output = query_db(&db, &["--entity", "Hamas", "--format", "csv"]);
    let text = stdout(&output);
    let record = text.lines().nth(1).unwrap();
    let fields = csv_fields(record);
    assert!(record.contains(",\"a\u{1b}[2J\","), "quoted: {record:?}");
    assert_eq!(fields[12], "a\u{1b}[2J");
    assert!(fields[17].contains("\u{1b}[31mGaza\u{1b}[0m\u{7} and \u{9b} elsewhere"));
}

/// `query --db <db> args...`, which must fail with one line on standard error; returns it.
fn query_error(db: &Path, args: &[&str]) -> String {
    let output = query_db(db, args);
    assert!(!output.status.success(), "{args:?} succeeded");
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    message
}

#[test]
fn a_misspelt_name_gets_the_closest_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_jsonl(
        dir.path(),
        "{\"id\":\"a\",\"text\":\"KABUL (Reuters) - The Taliban attacked Kabul on Friday, \
         Afghan President Ashraf Ghani said. Hezbollah condemned the attack.\"}\n",
    );
    for (name, suggestion) in [
        ("Talibn", "did you mean: Taliban"),
        ("ashraf gani", "did you mean: Ashraf Ghani"),
        ("Hezbolah", "did you mean: Hezbollah"),
        ("Gani", "did you mean: Ashraf Ghani"),
    ] {
        let message = query_error(&db, &["--entity", name]);
        assert!(message.contains("no entity in"), "{message}");
        assert!(message.contains(suggestion), "{name}: {message}");
        let names = message.split("did you mean: ").nth(1).unwrap();
        assert!(names.trim_end().ends_with('?'), "{message}");
        assert!(names.split(", ").count() <= 5, "{message}");
    }
    // Nothing near: no suggestion.
    let message = query_error(&db, &["--entity", "Atlantis"]);
    assert!(!message.contains("did you mean"), "{message}");
}

#[test]
fn a_partial_name_resolves_when_one_entity_has_its_words_and_lists_several() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_jsonl(
        dir.path(),
        "{\"id\":\"a\",\"text\":\"DAMASCUS (Reuters) - Jabhat al-Nusra attacked Israel on \
         Friday. Al-Nusra fighters were seen near the border.\"}\n",
    );
    let message = query_error(&db, &["--entity", "Nusra"]);
    for expected in [
        "al-Nusrah Front (armed_group/al-nusra-front, 1 mention)",
        "al-Nusra (armed_group/al-nusra, 1 mention)",
        "--entity",
    ] {
        assert!(message.contains(expected), "{expected}: {message}");
    }
    // One entity with the word: it is used, and standard error says so.
    let output = query_db(&db, &["--entity", "jabhat"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("al-Nusrah Front (armed_group/al-nusra-front)"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("attacked"), "{}", stdout(&output));
}

#[test]
fn an_actor_with_only_co_occurrences_points_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_jsonl(
        dir.path(),
        "{\"id\":\"a\",\"text\":\"BEIRUT (Reuters) - Hamas and Hezbollah flags were waved at \
         the rally on Friday.\"}\n\
         {\"id\":\"b\",\"text\":\"The Taliban held a parade on Friday.\"}\n",
    );
    let output = query_db(&db, &["--entity", "Hamas"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).ends_with("(0 relations)\n"));
    let message = stderr(&output);
    let command = format!(
        "newsgraph query --entity Hamas --relation co_occurs --db {}",
        db.display()
    );
    assert!(message.contains("co-occurrence"), "{message}");
    assert!(message.contains(&command), "{command}: {message}");
    // The command shown lists them.
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    let output = newsgraph(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("co_occurs"), "{}", stdout(&output));
    assert!(stdout(&output).contains("Hezbollah"), "{}", stdout(&output));
    // Named alone: no relation at all, and standard error says so.
    let output = query_db(&db, &["--entity", "Taliban"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("\"Taliban\": no relation, not even a co-occurrence"),
        "{}",
        stderr(&output)
    );
}
