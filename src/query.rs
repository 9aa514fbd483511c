//! `newsgraph query`: the common questions without SQL — all relations of an actor, of a
//! type, in a period, or between two actors — as an aligned table, CSV or JSON.
//!
//! Names are resolved the way an analyst writes them: an entity id, a name, alias or
//! demonym, or a text the document used for the entity (a surname such as "Sudani"), all
//! compared folded (case, diacritics, apostrophes and hyphens ignored); failing those, the
//! last words of a person's name ("Walae"). Every value from the user reaches SQLite as a
//! bound parameter; the SQL text is fixed.

use crate::error::{Error, Result};
use crate::store::Store;
use crate::text::fold_alias;
use rusqlite::params;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

/// What to look for. Without `relation`, `co_occurs` is left out.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Relations with this actor as source or target.
    pub entity: Option<String>,
    /// Only relations of this type (`co_occurs` included only when named).
    pub relation: Option<String>,
    /// Published on or after: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub since: Option<String>,
    /// Published on or before (the whole month or year for `YYYY-MM`, `YYYY`).
    pub until: Option<String>,
    /// Relations between these two actors, in either direction.
    pub between: Option<(String, String)>,
    /// Also relations the text negates ("did not attack").
    pub include_negated: bool,
    /// At most this many rows.
    pub limit: Option<usize>,
}

/// The entities a name given by the user resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub name: String,
    /// `(id, name)` of each entity.
    pub entities: Vec<(String, String)>,
    /// How they were found: `id`, `name`, `surname`, or `word` (the one entity with the
    /// name's words in one of its names).
    pub how: &'static str,
}

/// One relation with its actors' names and its document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub published: Option<String>,
    pub source_id: Option<String>,
    pub source: Option<String>,
    pub relation: String,
    pub target_id: Option<String>,
    pub target: Option<String>,
    pub role: Option<String>,
    pub negated: bool,
    pub hedged: bool,
    pub confidence: Option<f64>,
    pub reporter_id: Option<String>,
    pub reporter: Option<String>,
    pub doc_id: String,
    pub sentence: i64,
    pub title: Option<String>,
    pub url: Option<String>,
    pub rule: Option<String>,
    pub evidence: String,
}

/// The rows, and how the names in the filters were resolved.
#[derive(Debug, Clone)]
pub struct Answer {
    pub resolved: Vec<Resolved>,
    pub rows: Vec<Row>,
    /// When no relation type was asked for and no row matched the actors: how many
    /// `co_occurs` relations the same filters have (which are left out unless asked for).
    pub co_occurs: Option<u64>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns, evidence cut to [`EVIDENCE_WIDTH`] characters.
    Table,
    /// Every field, RFC 4180 quoting.
    Csv,
    /// An array of objects with every field.
    Json,
}

/// Characters of evidence shown in a table.
pub const EVIDENCE_WIDTH: usize = 90;
/// Characters of a name shown in a table.
const NAME_WIDTH: usize = 40;

const QUERY: &str = "
SELECT r.published, r.source_id, s.name, r.relation, r.target_id, t.name, r.role,
       r.negated, r.hedged, r.confidence, r.reporter_id, p.name, r.doc_id, r.sentence,
       d.title, d.url, r.rule, r.evidence
FROM relations r
LEFT JOIN entities s ON s.id = r.source_id
LEFT JOIN entities t ON t.id = r.target_id
LEFT JOIN entities p ON p.id = r.reporter_id
LEFT JOIN documents d ON d.id = r.doc_id
WHERE (CASE WHEN ?1 IS NULL THEN r.relation != 'co_occurs' ELSE r.relation = ?1 END)
  AND (?2 OR r.negated = 0)
  AND (?3 IS NULL OR substr(r.published, 1, length(?3)) >= ?3)
  AND (?4 IS NULL OR substr(r.published, 1, length(?4)) <= ?4)
  AND (?5 IS NULL OR r.source_id IN (SELECT value FROM json_each(?5))
                  OR r.target_id IN (SELECT value FROM json_each(?5)))
  AND (?6 IS NULL
       OR (r.source_id IN (SELECT value FROM json_each(?6))
           AND r.target_id IN (SELECT value FROM json_each(?7)))
       OR (r.source_id IN (SELECT value FROM json_each(?7))
           AND r.target_id IN (SELECT value FROM json_each(?6))))
ORDER BY r.published IS NULL, r.published, r.doc_id, r.sentence, r.id
LIMIT ?8";

fn database(store: &Store) -> impl Fn(rusqlite::Error) -> Error + '_ {
    |cause| Error::Database {
        path: store.path().to_path_buf(),
        cause,
    }
}

/// Check a `--since` / `--until` value: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn check_date(option: &str, value: &str) -> Result<()> {
    match crate::text::dates::PartialDate::parse_iso(value) {
        Some(_) => Ok(()),
        None => Err(Error::Config(format!(
            "{option} {value:?}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, with a month \
             and day that exist"
        ))),
    }
}

/// The words of folded text: its runs of letters and digits.
fn words(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Edits (Damerau–Levenshtein) from `key` to `folded` or, closer still, to a run of as many
/// of its words as `key` has (a misspelt surname, a part of a long name).
fn edits(key: &str, key_words: usize, folded: &str) -> usize {
    let whole = strsim::damerau_levenshtein(key, folded);
    let words = words(folded);
    if key_words == 0 || words.len() <= key_words {
        return whole;
    }
    words
        .windows(key_words)
        .map(|run| strsim::damerau_levenshtein(key, &run.join(" ")))
        .fold(whole, usize::min)
}

/// Edits a misspelling of a name `characters` long may have and still be suggested: about
/// one in four characters; none for 3 or fewer, where one edit reaches too many names.
fn edits_allowed(characters: usize) -> usize {
    match characters {
        0..=3 => 0,
        4..=7 => 1,
        8..=11 => 2,
        _ => 3,
    }
}

/// A name, alias, demonym or mention text of an entity.
struct Known {
    id: String,
    /// The entity's name.
    canonical: String,
    text: String,
    folded: String,
    person: bool,
}

/// How many suggestions a name nothing matched gets at most.
pub const SUGGESTIONS: usize = 5;
/// How many candidates a partial name shared by several entities lists at most.
const CANDIDATES: usize = 10;

/// Every name, alias, demonym and mention text the database knows for an entity.
fn known_names(connection: &rusqlite::Connection) -> rusqlite::Result<Vec<Known>> {
    let mut names: Vec<Known> = Vec::new();
    for sql in [
        "SELECT a.entity_id, e.name, a.alias, e.type = 'person'
         FROM aliases a JOIN entities e ON e.id = a.entity_id",
        "SELECT DISTINCT m.entity_id, e.name, m.surface, e.type = 'person'
         FROM mentions m JOIN entities e ON e.id = m.entity_id",
    ] {
        let rows = connection.prepare(sql).and_then(|mut s| {
            s.query_map([], |r| {
                let text: String = r.get(2)?;
                Ok(Known {
                    id: r.get(0)?,
                    canonical: r.get(1)?,
                    folded: fold_alias(&text),
                    text,
                    person: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        names.extend(rows);
    }
    Ok(names)
}

/// `(id, name)` of the entities with a known name that `keep` accepts, by id.
fn entities_where(names: &[Known], keep: &dyn Fn(&str, bool) -> bool) -> Vec<(String, String)> {
    let mut entities: BTreeMap<String, String> = BTreeMap::new();
    for known in names {
        if keep(&known.folded, known.person) {
            entities.insert(known.id.clone(), known.canonical.clone());
        }
    }
    entities.into_iter().collect::<Vec<_>>()
}

fn mention_count(store: &Store, id: &str) -> Result<i64> {
    store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM mentions WHERE entity_id = ?1",
            [id],
            |r| r.get(0),
        )
        .map_err(database(store))
}

/// The entities `name` means: an entity id; else every entity with a name, alias or
/// demonym, or a mention text, equal to `name` folded; else every person whose folded
/// name or alias ends with `name`'s words (a surname); else the one entity whose names
/// have `name`'s words in a row ("Jabhat" for Jabhat al-Nusra). An error when several
/// entities have those words (it lists them, to pick one by id or full name), or none
/// (it suggests the closest names, [`SUGGESTIONS`] at most, by edit distance on folded
/// names).
pub fn resolve(store: &Store, name: &str) -> Result<Resolved> {
    let db = database(store);
    let connection = store.connection();
    let found = |how: &'static str, entities: Vec<(String, String)>| Resolved {
        name: name.to_string(),
        entities,
        how,
    };
    let by_id: Vec<(String, String)> = connection
        .prepare("SELECT id, name FROM entities WHERE id = ?1")
        .and_then(|mut s| {
            s.query_map([name.trim()], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .map_err(&db)?;
    if !by_id.is_empty() {
        return Ok(found("id", by_id));
    }
    let key = fold_alias(name);
    if key.is_empty() {
        return Err(Error::Config(format!(
            "{name:?}: an empty name matches no entity"
        )));
    }
    let names = known_names(connection).map_err(&db)?;
    let exact = entities_where(&names, &|folded, _| folded == key);
    if !exact.is_empty() {
        return Ok(found("name", exact));
    }
    let suffix = format!(" {key}");
    let surname = entities_where(&names, &|folded, person| {
        person && folded.ends_with(&suffix)
    });
    if !surname.is_empty() {
        return Ok(found("surname", surname));
    }
    let key_words = words(&key);
    let partial = entities_where(&names, &|folded, _| {
        !key_words.is_empty()
            && words(folded)
                .windows(key_words.len())
                .any(|run| run == key_words)
    });
    if partial.len() == 1 {
        return Ok(found("word", partial));
    }
    if !partial.is_empty() {
        return Err(ambiguous_words(store, name, &partial)?);
    }
    Err(no_entity_called(store, name, &key, &names)?)
}

/// The error for a `name` whose words are in the names of several entities (`partial`):
/// it lists the most mentioned of them.
fn ambiguous_words(store: &Store, name: &str, partial: &[(String, String)]) -> Result<Error> {
    let mut candidates = Vec::new();
    for (id, canonical) in partial {
        candidates.push((mention_count(store, id)?, id, canonical));
    }
    // The most mentioned first.
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let listed: Vec<String> = candidates
        .iter()
        .take(CANDIDATES)
        .map(|(n, id, canonical)| {
            format!(
                "{} ({}, {n} mention{})",
                printable(canonical),
                printable(id),
                if *n == 1 { "" } else { "s" }
            )
        })
        .collect();
    let more = candidates.len().saturating_sub(CANDIDATES);
    Ok(Error::Config(format!(
        "{name:?} is no entity's full name, and {} entities have these words in a name \
         or alias: {}{}; pick one with --entity and its id or full name",
        candidates.len(),
        listed.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )))
}

/// The error for a `name` (folded: `key`) nothing matched, with the closest known names.
fn no_entity_called(store: &Store, name: &str, key: &str, names: &[Known]) -> Result<Error> {
    let suggestions = closest_names(store, key, names)?;
    Ok(Error::Config(format!(
        "no entity in {} is called {name:?} (looked at ids, names, aliases, the texts of \
         mentions, people's surnames, and words of names){}",
        store.path().display(),
        if suggestions.is_empty() {
            String::new()
        } else {
            format!(
                "; did you mean: {}?",
                suggestions
                    .iter()
                    .map(|s| printable(s))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )))
}

/// The names closest to `key`, the fewest edits first, then the most mentioned; of an
/// entity, its spelling closest to the name (its own name when as close).
fn closest_names<'n>(store: &Store, key: &str, names: &'n [Known]) -> Result<Vec<&'n str>> {
    let key_words = words(key);
    let allowed = edits_allowed(key.chars().count());
    let mut closest: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    if allowed > 0 {
        for known in names {
            let n = edits(key, key_words.len(), &known.folded);
            let best = closest.get(known.id.as_str());
            if n <= allowed
                && best.is_none_or(|&(m, _)| n < m || (n == m && known.text == known.canonical))
            {
                closest.insert(&known.id, (n, &known.text));
            }
        }
    }
    let mut ranked = Vec::new();
    for (id, (n, text)) in closest {
        ranked.push((n, -mention_count(store, id)?, text));
    }
    ranked.sort();
    let mut suggestions: Vec<&str> = Vec::new();
    for (_, _, text) in ranked {
        if suggestions.len() < SUGGESTIONS
            && !suggestions
                .iter()
                .any(|s| fold_alias(s) == fold_alias(text))
        {
            suggestions.push(text);
        }
    }
    Ok(suggestions)
}

/// Check the dates and the relation type of `filters` before anything is resolved.
fn check_filters(store: &Store, filters: &Filters) -> Result<()> {
    if let Some(since) = &filters.since {
        check_date("--since", since)?;
    }
    if let Some(until) = &filters.until {
        check_date("--until", until)?;
    }
    if let Some(relation) = &filters.relation {
        let types: Vec<String> = store
            .connection()
            .prepare("SELECT DISTINCT relation FROM relations ORDER BY relation")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(database(store))?;
        if !types.contains(relation) {
            return Err(Error::Config(format!(
                "no relation of type {relation:?} in {}; it has: {}",
                store.path().display(),
                if types.is_empty() {
                    "none".to_string()
                } else {
                    types.join(", ")
                }
            )));
        }
    }
    Ok(())
}

/// The entity ids the actors of the filters resolved to, as JSON arrays for [`QUERY`].
struct ActorIds {
    entity: Option<String>,
    a: Option<String>,
    b: Option<String>,
}

/// Resolve `--entity` and `--between`.
fn resolve_actors(store: &Store, filters: &Filters) -> Result<(Vec<Resolved>, ActorIds)> {
    let ids = |r: &Resolved| {
        serde_json::to_string(&r.entities.iter().map(|(id, _)| id).collect::<Vec<_>>())
            .expect("a list of strings serialises")
    };
    let mut resolved = Vec::new();
    let entity = match &filters.entity {
        Some(name) => {
            let r = resolve(store, name)?;
            let json = ids(&r);
            resolved.push(r);
            Some(json)
        }
        None => None,
    };
    let (a, b) = match &filters.between {
        Some((a, b)) => {
            let (a, b) = (resolve(store, a)?, resolve(store, b)?);
            let json = (ids(&a), ids(&b));
            resolved.extend([a, b]);
            (Some(json.0), Some(json.1))
        }
        None => (None, None),
    };
    Ok((resolved, ActorIds { entity, a, b }))
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok(Row {
        published: r.get(0)?,
        source_id: r.get(1)?,
        source: r.get(2)?,
        relation: r.get(3)?,
        target_id: r.get(4)?,
        target: r.get(5)?,
        role: r.get(6)?,
        negated: r.get(7)?,
        hedged: r.get(8)?,
        confidence: r.get(9)?,
        reporter_id: r.get(10)?,
        reporter: r.get(11)?,
        doc_id: r.get(12)?,
        sentence: r.get(13)?,
        title: r.get(14)?,
        url: r.get(15)?,
        rule: r.get(16)?,
        evidence: r.get(17)?,
    })
}

fn query_rows(store: &Store, filters: &Filters, actors: &ActorIds) -> Result<Vec<Row>> {
    let db = database(store);
    let limit = filters
        .limit
        .map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
    let mut statement = store.connection().prepare(QUERY).map_err(&db)?;
    statement
        .query_map(
            params![
                filters.relation,
                filters.include_negated,
                filters.since,
                filters.until,
                actors.entity,
                actors.a,
                actors.b,
                limit
            ],
            row,
        )
        .map_err(&db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(&db)
}

/// How many `co_occurs` relations the same filters have, without a limit.
fn count_co_occurs(store: &Store, filters: &Filters, actors: &ActorIds) -> Result<u64> {
    let count: i64 = store
        .connection()
        .query_row(
            &format!("SELECT COUNT(*) FROM ({QUERY})"),
            params![
                "co_occurs",
                filters.include_negated,
                filters.since,
                filters.until,
                actors.entity,
                actors.a,
                actors.b,
                -1
            ],
            |r| r.get(0),
        )
        .map_err(database(store))?;
    Ok(count as u64)
}

/// Run a query.
pub fn run(store: &Store, filters: &Filters) -> Result<Answer> {
    check_filters(store, filters)?;
    let (resolved, actors) = resolve_actors(store, filters)?;
    let rows = query_rows(store, filters, &actors)?;
    // An actor named only alongside others (no typed relation): say how often.
    let co_occurs = if rows.is_empty()
        && filters.relation.is_none()
        && (filters.entity.is_some() || filters.between.is_some())
    {
        Some(count_co_occurs(store, filters, &actors)?)
    } else {
        None
    };
    Ok(Answer {
        resolved,
        rows,
        co_occurs,
    })
}

/// `text` for a terminal: every control character (C0, DEL, C1; ESC starts the escape
/// sequences that recolour or clear the screen, BEL beeps) shown as `\u{1b}`, the rest as
/// it is. Articles carry such characters; a table, the names on standard error and error
/// messages show them this way, CSV and JSON keep them (escaped as those formats require).
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` cut to `width` characters, white space collapsed, control characters shown as
/// [`printable`] does, with "…" when cut.
fn cut(text: &str, width: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = printable(&text).into_owned();
    if text.chars().count() <= width {
        return text;
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The name shown for an actor: its name, else its id, else "-" (no actor bound).
fn actor(name: &Option<String>, id: &Option<String>) -> String {
    name.clone()
        .or_else(|| id.clone())
        .unwrap_or_else(|| "-".into())
}

/// Write the rows in `format`.
pub fn write(rows: &[Row], format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Table => write_table(rows, out),
        Format::Csv => write_csv(rows, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            writeln!(out)
        }
    }
}

fn write_table(rows: &[Row], out: &mut dyn Write) -> std::io::Result<()> {
    let header = [
        "published",
        "source",
        "relation",
        "target",
        "role",
        "doc",
        "evidence",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            let mut relation = r.relation.clone();
            if r.negated {
                relation.push_str(" (negated)");
            }
            if r.hedged {
                relation.push_str(" (hedged)");
            }
            [
                printable(r.published.as_deref().unwrap_or("-")).into_owned(),
                cut(&actor(&r.source, &r.source_id), NAME_WIDTH),
                printable(&relation).into_owned(),
                cut(&actor(&r.target, &r.target_id), NAME_WIDTH),
                printable(r.role.as_deref().unwrap_or_default()).into_owned(),
                cut(&r.doc_id, NAME_WIDTH),
                cut(&r.evidence, EVIDENCE_WIDTH),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(k, (cell, width))| {
                if k + 1 == cells.len() {
                    cell.to_string() // no trailing padding
                } else {
                    format!("{cell:<width$}")
                }
            })
            .collect();
        padded.join("  ")
    };
    writeln!(out, "{}", line(&header))?;
    for row in &cells {
        writeln!(out, "{}", line(&row.each_ref().map(String::as_str)))?;
    }
    writeln!(
        out,
        "({} relation{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

/// A CSV field, quoted when it holds a comma, a quote, a line break or any other control
/// character (kept as it is).
fn csv_field(value: &str) -> String {
    if value.contains([',', '"']) || value.chars().any(char::is_control) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn write_csv(rows: &[Row], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "published,source_id,source,relation,target_id,target,role,negated,hedged,confidence,\
         reporter_id,reporter,doc_id,sentence,title,url,rule,evidence"
    )?;
    let text = |v: &Option<String>| csv_field(v.as_deref().unwrap_or(""));
    for r in rows {
        let fields = [
            text(&r.published),
            text(&r.source_id),
            text(&r.source),
            csv_field(&r.relation),
            text(&r.target_id),
            text(&r.target),
            text(&r.role),
            u8::from(r.negated).to_string(),
            u8::from(r.hedged).to_string(),
            r.confidence.map(|c| c.to_string()).unwrap_or_default(),
            text(&r.reporter_id),
            text(&r.reporter),
            csv_field(&r.doc_id),
            r.sentence.to_string(),
            text(&r.title),
            text(&r.url),
            text(&r.rule),
            csv_field(&r.evidence),
        ];
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_iso_prefixes() {
        for good in ["2023", "2023-12", "2023-12-08"] {
            assert!(check_date("--since", good).is_ok(), "{good}");
        }
        for bad in [
            "23",
            "2023-1",
            "2023/12/08",
            "Dec 2023",
            "2023-12-08T10",
            "",
            // Issue 15: months and days that do not exist.
            "2023-13",
            "2023-02-30",
        ] {
            assert!(check_date("--since", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cells_are_cut_and_csv_is_quoted() {
        assert_eq!(cut("a  b\nc", 10), "a b c");
        assert_eq!(cut("abcdefghij", 5), "abcd…");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_field("a\u{1b}[31mb"), "\"a\u{1b}[31mb\"");
    }

    #[test]
    fn misspellings_are_counted_in_edits_to_a_name_or_a_run_of_its_words() {
        assert_eq!(edits("talibn", 1, "taliban"), 1);
        assert_eq!(edits("gani", 1, "ashraf ghani"), 1);
        assert_eq!(edits("ashraf gani", 2, "ashraf ghani"), 1);
        assert_eq!(edits("ashraf gani", 2, "mohammad ashraf ghani ahmadzai"), 1);
        assert_eq!(edits("talbian", 1, "taliban"), 1); // a transposition is one edit
        assert_eq!(
            words("al nusrah front (jn)"),
            ["al", "nusrah", "front", "jn"]
        );
        assert_eq!(edits_allowed(3), 0);
        assert_eq!(edits_allowed(6), 1);
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(printable("plain – «text»"), "plain – «text»");
        assert_eq!(
            printable("\u{1b}[31mred\u{7}\u{0}\u{7f}\u{9b}"),
            "\\u{1b}[31mred\\u{7}\\u{0}\\u{7f}\\u{9b}"
        );
        assert_eq!(cut("a\tb\n\u{1b}[2J", 20), "a b \\u{1b}[2J");
    }
}
