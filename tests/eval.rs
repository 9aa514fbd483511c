//! End-to-end test of `newsgraph eval`: build a tiny database with the real binary, score
//! it against a tiny gold file.

use std::path::Path;
use std::process::{Command, Output};

fn newsgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .output()
        .expect("the newsgraph binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn eval_prints_scores_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let gazetteers = dir.path().join("gazetteers");
    std::fs::create_dir(&gazetteers).unwrap();
    std::fs::write(
        gazetteers.join("g.tsv"),
        "id\tname\ttype\taliases\tdemonyms\n\
         armed_group/hamas\tHamas\tarmed_group\t\t\n\
         armed_group/hezbollah\tHezbollah\tarmed_group\t\t\n\
         place/isr\tIsrael\tplace\t\tIsraeli\n",
    )
    .unwrap();
    std::fs::write(
        gazetteers.join("relations.toml"),
        "[[relation]]\ntype = \"attacked\"\nverbs.hit = [\"attack\"]\npatterns = [\"{src} ~ <hit> ~2 {tgt}\"]\n",
    )
    .unwrap();
    let docs = dir.path().join("docs.jsonl");
    std::fs::write(
        &docs,
        "{\"id\": \"a\", \"text\": \"Hamas attacked Israel.\"}\n\
         {\"id\": \"b\", \"text\": \"Hezbollah attacked Israel on Monday.\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let built = newsgraph(&[
        "build",
        path(&docs),
        "--gazetteers",
        path(&gazetteers),
        "--out",
        path(&out),
        "--quiet",
    ]);
    assert!(built.status.success(), "{}", text(&built.stderr));

    let gold = dir.path().join("gold.jsonl");
    std::fs::write(
        &gold,
        "{\"id\": \"a\", \"text\": \"Hamas attacked Israel.\", \"entities\": [{\"text\": \"Hamas\", \"type\": \"ORG\"}], \"relations\": [{\"source\": \"Hamas\", \"relation\": \"attacked\", \"target\": \"Israel\"}]}\n\
         {\"id\": \"b\", \"relations\": [{\"source\": \"Israel\", \"relation\": \"attacked\", \"target\": \"Hezbollah\"}]}\n",
    )
    .unwrap();
    let db = out.join("newsgraph.sqlite");
    let output = newsgraph(&[
        "eval",
        "--gold",
        path(&gold),
        "--db",
        path(&db),
        "--show-errors",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..10],
        [
            "relation         gold predicted correct precision  recall      F1",
            "attacked            2         2       1     0.500   0.500   0.500",
            "total (micro)       2         2       1     0.500   0.500   0.500",
            "",
            "entities           gold predicted   correct precision    recall        f1",
            // Document b annotates no entities, so its Hezbollah is not scored; a's Israel
            // is a place its annotation does not list.
            "organisation          1         1         1     1.000     1.000     1.000",
            "person                0         0         0         -         -         -",
            "place                 0         1         0     0.000         -         -",
            "gold entities matched by a mentioned entity: 1 of 1 (100.0%)",
            "",
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("misses (1):\nb\t\"Israel\" attacked \"Hezbollah\"\n\t| Hezbollah attacked Israel on Monday."),
        "{stdout}"
    );
    assert!(
        stdout.contains("false hits (1):\nb\t\"Hezbollah\" (armed_group/hezbollah) attacked \"Israel\" (place/isr)\n\t| Hezbollah attacked Israel on Monday."),
        "{stdout}"
    );

    // A bad gold line stops with its file and line, on one line, and a non-zero exit.
    std::fs::write(
        &gold,
        "{\"id\": \"a\", \"relations\": [{\"source\": \"A\", \"relation\": \"liked\", \"target\": \"B\"}]}\n",
    )
    .unwrap();
    let output = newsgraph(&["eval", "--gold", path(&gold), "--db", path(&db)]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("gold.jsonl:1:1: unknown relation \"liked\""),
        "{stderr}"
    );

    std::fs::write(&gold, "{\"id\": \"a\"}\n").unwrap();
    let output = newsgraph(&[
        "eval",
        "--gold",
        path(&gold),
        "--db",
        path(&dir.path().join("none.sqlite")),
    ]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("no such database"));
}
