//! Every ```sql block of docs/sql.md runs without error against a database built from the
//! bundled example, and the outputs the page shows have the columns the queries return.
//! The questions about periods run on a small dated feed too.

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fenced blocks of a markdown file: (language, body), in order.
fn blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(language)) => open = Some((language.trim().to_string(), String::new())),
            (Some(_), Some(_)) => out.push(open.take().unwrap()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "an unclosed code block");
    out
}

fn build(inputs: &[&Path], out: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(out);
    let mut args = vec!["build".to_string(), "--quiet".to_string()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".to_string(), out.display().to_string()]);
    let output = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out.join("newsgraph.sqlite")
}

/// Run one statement; its column names and rows (NULL as "").
fn run(db: &Connection, sql: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut statement = db
        .prepare(sql)
        .unwrap_or_else(|e| panic!("{e}\nin:\n{sql}"));
    let columns: Vec<String> = statement.column_names().map(|c| c.to_string()).collect();
    let n = columns.len();
    let rows = statement
        .query_map([], |row| {
            (0..n)
                .map(|k| {
                    Ok(match row.get_ref(k)? {
                        ValueRef::Null => String::new(),
                        ValueRef::Integer(i) => i.to_string(),
                        ValueRef::Real(f) => f.to_string(),
                        ValueRef::Text(t) | ValueRef::Blob(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                    })
                })
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .unwrap_or_else(|e| panic!("{e}\nin:\n{sql}"))
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap_or_else(|e| panic!("{e}\nin:\n{sql}"));
    (columns, rows)
}

fn cookbook() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/sql.md");
    blocks(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn every_cookbook_query_runs_on_the_bundled_example_and_shown_outputs_match() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sql-docs-seed");
    let db = Connection::open(build(&[], &out)).unwrap();
    let blocks = cookbook();
    let queries = blocks.iter().filter(|(l, _)| l == "sql").count();
    assert!(queries >= 10, "{queries} queries");
    for (k, (language, sql)) in blocks.iter().enumerate() {
        if language != "sql" {
            continue;
        }
        let (columns, rows) = run(&db, sql);
        // An output shown right after the query: its header is the query's columns, and it
        // shows the query's rows (or the first of them, then "…").
        let Some((next, shown)) = blocks.get(k + 1) else {
            continue;
        };
        if next != "text" {
            continue;
        }
        let lines: Vec<&str> = shown.lines().collect();
        let header: Vec<&str> = lines[0].split_whitespace().collect();
        assert_eq!(header, columns, "the output shown for:\n{sql}");
        let cut = lines.last() == Some(&"…");
        let shown_rows = lines.len() - 1 - usize::from(cut);
        if cut {
            assert!(rows.len() > shown_rows, "{sql}");
        } else {
            assert_eq!(rows.len(), shown_rows, "{sql}\n{rows:?}");
        }
        for (line, row) in lines[1..=shown_rows].iter().zip(&rows) {
            let first = row.iter().find(|cell| !cell.is_empty()).unwrap();
            let first: String = first.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                line.trim_start().starts_with(&first),
                "shown {line:?}, the query gives {row:?}"
            );
        }
    }
}

#[test]
fn the_period_questions_answer_on_dated_articles() {
    let dir = tempfile::tempdir().unwrap();
    let today: String = Connection::open_in_memory()
        .unwrap()
        .query_row("SELECT date('now')", [], |r| r.get(0))
        .unwrap();
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        format!(
            "{{\"id\":\"a\",\"text\":\"Hamas attacked Israel.\",\"date\":\"2023-10-07\",\"source\":\"Wire\"}}\n\
             {{\"id\":\"b\",\"text\":\"Hezbollah attacked Israel on Monday.\",\"date\":\"2023-10-09\",\"source\":\"Wire\"}}\n\
             {{\"id\":\"c\",\"text\":\"The Houthis attacked Israel again.\",\"date\":\"{today}\",\"source\":\"Daily\"}}\n"
        ),
    )
    .unwrap();
    let db = Connection::open(build(&[&feed], &dir.path().join("out"))).unwrap();
    let mut results = Vec::new();
    for (language, sql) in cookbook() {
        if language == "sql" {
            results.push((sql.clone(), run(&db, &sql)));
        }
    }
    let answer = |starts: &str| {
        results
            .iter()
            .find(|(sql, _)| sql.contains(starts))
            .map(|(_, (_, rows))| rows.clone())
            .unwrap_or_else(|| panic!("no query with {starts:?}"))
    };
    // New actors this month: the Houthis, first seen today (Israel was seen in 2023).
    let new = answer("HAVING MIN(d.published) >= strftime('%Y-%m', 'now')");
    assert_eq!(
        new.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        ["Ansarallah"]
    );
    // Attacks per week: two in the week of 7 October 2023 (a Saturday) and 9 October (the
    // next Monday) are two weeks.
    let weeks = answer("strftime('%Y-W%W'");
    assert_eq!(weeks[0][0], "2023-W40");
    assert_eq!(weeks[1][0], "2023-W41");
    assert_eq!(weeks.len(), 3);
    // Who attacked whom most: three attackers of Israel, with dates.
    let attacks = answer("WHERE e.relation = 'attacked'");
    assert_eq!(attacks.len(), 3);
    assert!(attacks.iter().all(|r| r[1] == "Israel" && !r[4].is_empty()));
}
