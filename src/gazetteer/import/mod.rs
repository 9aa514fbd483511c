//! Importers: analysts' existing dictionaries and public lists turned into gazetteer
//! TSV (`newsgraph gazetteer import --from FORMAT FILE... --out FILE.tsv`).
//!
//! Each importer reads its source format into [`Entity`] rows, most important first (a
//! country before a city of the same name, a large city before a small one). [`merge`]
//! then makes the rows load cleanly next to existing gazetteers: a row whose id or name
//! an entry of the same type already has is a duplicate and is left out, an alias
//! another entry of the same type claims is left out, and a parent that does not exist
//! is cleared. What was left out is counted in [`Merged`].

pub mod factbook;
pub mod geonames;
pub mod ofac;
pub mod phoenix;

use super::{Entity, EntityType, Gazetteer};
pub use super::{entity, make_id, slug};
use crate::error::{Error, Result};
use crate::text::fold_alias;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::PathBuf;

/// The source formats `gazetteer import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TABARI/PETRARCH/Phoenix actor and agent dictionaries.
    Phoenix,
    /// GeoNames countryInfo and cities TSV, and ISO 3166-2 subdivisions (pycountry TSV).
    Geonames,
    /// The OFAC SDN CSV, its FTO/SDGT extracts, and the UN Security Council list.
    Ofac,
    /// The CIA World Factbook JSONL (heads of state and government, capitals, forces).
    Factbook,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Phoenix,
        Format::Geonames,
        Format::Ofac,
        Format::Factbook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Phoenix => "phoenix",
            Format::Geonames => "geonames",
            Format::Ofac => "ofac",
            Format::Factbook => "factbook",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .ok_or_else(|| {
                Error::Config(format!(
                    "unknown import format {text:?}; expected one of: {}",
                    Format::ALL.map(Format::as_str).join(", ")
                ))
            })
    }
}

/// What an importer read: rows, most important first, and notes for the person running
/// it (warnings about what was skipped, counts). The library prints nothing: the caller
/// shows the notes.
#[derive(Debug, Default)]
pub struct Imported {
    pub rows: Vec<Entity>,
    pub notes: Vec<String>,
}

/// Read `files` in `format`.
pub fn read(format: Format, files: &[PathBuf]) -> Result<Imported> {
    match format {
        Format::Phoenix => phoenix::read(files),
        Format::Geonames => geonames::read(files),
        Format::Ofac => ofac::read(files),
        Format::Factbook => factbook::read(files),
    }
}

/// Words that stay lower case inside a title-cased name (unless first).
const LOWER_WORDS: &[&str] = &[
    "al", "el", "ul", "bin", "ibn", "bint", "of", "the", "and", "for", "in", "on", "de", "del",
    "la", "le", "du", "da", "dos", "van", "von", "der", "wa", "fi",
];

/// Turn an ALL-CAPS source name into display form: "ABU SAYYAF GROUP" → "Abu Sayyaf
/// Group", "HARAKAT UL-MUJAHIDEEN" → "Harakat ul-Mujahideen", "AL-QA'IDA" → "al-Qa'ida".
/// Names that already have lower-case letters only lose extra spaces. A single word of up
/// to 4 letters ("ISIS", "PKK") and words in parentheses of up to 5 letters ("(PAD)"),
/// and Roman numerals, stay capitals: they are acronyms, which the matcher treats as
/// case-sensitive, while "HAMAS" becomes "Hamas" and matches in any case.
pub fn tidy_name(raw: &str) -> String {
    let words: Vec<&str> = raw.split_whitespace().collect();
    if raw.chars().any(char::is_lowercase) {
        return words.join(" ");
    }
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    if words.len() == 1 && letters(words[0]) <= 4 {
        return words[0].to_string();
    }
    let roman =
        |w: &str| !w.is_empty() && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) && w.len() <= 4;
    let mut out = Vec::with_capacity(words.len());
    for (at, word) in words.iter().enumerate() {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        if (word.starts_with('(') && letters(word) <= 5) || roman(bare) {
            out.push(word.to_string());
            continue;
        }
        let parts: Vec<&str> = word.split('-').collect();
        let parts: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(k, part)| {
                let lower = part.to_lowercase();
                let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
                let prefix = k + 1 < parts.len(); // "al-" in "al-Qa'ida"
                let first = at == 0 && k == 0;
                if LOWER_WORDS.contains(&bare) && (prefix || !first) {
                    lower
                } else {
                    capitalise(&lower)
                }
            })
            .collect();
        out.push(parts.join("-"));
    }
    out.join(" ")
}

/// Upper-case the first letter (after any leading punctuation).
fn capitalise(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut done = false;
    for c in word.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// The rows that remain after [`merge`], and what was left out.
#[derive(Debug, Default)]
pub struct Merged {
    pub entities: Vec<Entity>,
    /// Rows whose id or name an earlier row or an existing entry of the same type has.
    pub duplicates: usize,
    /// Aliases and demonyms left out because another entry of the same type claims them.
    pub aliases_dropped: usize,
    /// Parents cleared because no entry has that id.
    pub parents_cleared: usize,
    /// People named by one word only ("Hussein"): left out, as such a name matches every
    /// namesake and blocks surname resolution.
    pub one_word_people: usize,
}

/// Make `rows` load cleanly together with `existing` (see the module docs). A row named
/// like an existing armed group is a duplicate even when its source calls it an
/// organization, and the other way round.
pub fn merge(rows: Vec<Entity>, existing: &[&Gazetteer]) -> Merged {
    // (folded alias, type) -> the id of the entry that claims it.
    let mut claimed: HashMap<(String, EntityType), String> = HashMap::new();
    let mut ids: HashSet<String> = HashSet::new();
    for gazetteer in existing {
        for e in gazetteer.entities() {
            ids.insert(e.id.clone());
            for alias in std::iter::once(&e.name)
                .chain(&e.aliases)
                .chain(&e.demonyms)
            {
                claimed
                    .entry((fold_alias(alias), e.kind))
                    .or_insert_with(|| e.id.clone());
            }
        }
    }
    let mut merged = Merged::default();
    // A row left out as a duplicate of another entry: its id -> that entry's id, so
    // parents pointing at the left-out row point at the entry that stands for it.
    let mut same_as: HashMap<String, String> = HashMap::new();
    for mut row in rows {
        // "The United Nations" is "United Nations" after an article the matcher sees anyway.
        row.name = without_article(&row.name);
        for alias in row.aliases.iter_mut() {
            *alias = without_article(alias);
        }
        let name = fold_alias(&row.name);
        if row.kind == EntityType::Person && !name.contains(' ') {
            merged.one_word_people += 1;
            continue;
        }
        if !name.chars().any(char::is_alphanumeric) || ids.contains(&row.id) {
            merged.duplicates += 1;
            continue;
        }
        // Sources disagree whether a group is armed (Aum Shinrikyo, charities fronting for
        // militants): one entry, the first, stands for the name across the two types.
        let twin = match row.kind {
            EntityType::ArmedGroup => Some(EntityType::Organization),
            EntityType::Organization => Some(EntityType::ArmedGroup),
            _ => None,
        };
        let owner = claimed
            .get(&(name.clone(), row.kind))
            .or_else(|| twin.and_then(|t| claimed.get(&(name.clone(), t))));
        if let Some(owner) = owner {
            same_as
                .entry(row.id.clone())
                .or_insert_with(|| owner.clone());
            merged.duplicates += 1;
            continue;
        }
        let mut own: Vec<String> = vec![name];
        let mut keep = |alias: &String, merged: &mut Merged| -> bool {
            let folded = fold_alias(alias);
            if !folded.chars().any(char::is_alphanumeric) || own.contains(&folded) {
                return false;
            }
            if claimed.contains_key(&(folded.clone(), row.kind)) {
                merged.aliases_dropped += 1;
                return false;
            }
            own.push(folded);
            true
        };
        row.aliases.retain(|a| keep(a, &mut merged));
        row.demonyms.retain(|d| keep(d, &mut merged));
        for folded in own {
            claimed.insert((folded, row.kind), row.id.clone());
        }
        ids.insert(row.id.clone());
        merged.entities.push(row);
    }
    for row in &mut merged.entities {
        if let Some(owner) = row.parent.as_ref().and_then(|p| same_as.get(p)) {
            row.parent = Some(owner.clone());
        }
        if row.parent.as_ref().is_some_and(|p| !ids.contains(p)) {
            row.parent = None;
            merged.parents_cleared += 1;
        }
    }
    merged
}

/// `name` without a leading English article ("The Islamic State" → "Islamic State").
fn without_article(name: &str) -> String {
    for article in ["The ", "the ", "THE "] {
        if let Some(rest) = name.strip_prefix(article)
            && rest.chars().any(char::is_alphanumeric)
        {
            return rest.to_string();
        }
    }
    name.to_string()
}

/// A value safe for one TSV cell: no tabs or line breaks.
fn cell(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A `|`-separated list; items that themselves contain `|` are left out.
fn list(items: &[String]) -> String {
    items
        .iter()
        .filter(|i| !i.contains('|'))
        .map(|i| cell(i))
        .filter(|i| !i.is_empty())
        .collect::<Vec<_>>()
        .join("|")
}

/// Write rows as gazetteer TSV. `comment` lines (without `#`) go first.
pub fn write_tsv(entities: &[Entity], comment: &[String], w: &mut dyn Write) -> io::Result<()> {
    for line in comment {
        writeln!(w, "# {}", cell(line))?;
    }
    writeln!(
        w,
        "{}",
        super::tsv::COLUMNS[..super::tsv::WRITTEN].join("\t")
    )?;
    let text = |v: &Option<String>| v.as_deref().map(cell).unwrap_or_default();
    for e in entities {
        let fields = [
            cell(&e.id),
            cell(&e.name),
            e.kind.as_str().to_string(),
            text(&e.subtype),
            text(&e.country),
            text(&e.parent),
            text(&e.role),
            text(&e.valid_from),
            text(&e.valid_to),
            list(&e.aliases),
            list(&e.demonyms),
            text(&e.code),
            if e.needs_context { "required" } else { "" }.to_string(),
            text(&e.source),
        ];
        writeln!(w, "{}", fields.join("\t"))?;
    }
    Ok(())
}

/// Counts per type and subtype, and the aliases shared across types, for `gazetteer check`.
#[derive(Debug, Default)]
pub struct Report {
    pub by_type: std::collections::BTreeMap<String, usize>,
    pub by_subtype: std::collections::BTreeMap<(String, String), usize>,
    pub aliases: usize,
    /// Folded aliases that entries of different types share, with their entry ids.
    pub cross_type: Vec<(String, Vec<String>)>,
}

/// Summarise a loaded gazetteer.
pub fn report(gazetteer: &Gazetteer) -> Report {
    let mut report = Report::default();
    let mut owners: HashMap<String, Vec<String>> = HashMap::new();
    for e in gazetteer.entities() {
        *report.by_type.entry(e.kind.as_str().into()).or_default() += 1;
        let subtype = e.subtype.clone().unwrap_or_else(|| "-".into());
        *report
            .by_subtype
            .entry((e.kind.as_str().into(), subtype))
            .or_default() += 1;
        let mut own = HashSet::new();
        for alias in std::iter::once(&e.name)
            .chain(&e.aliases)
            .chain(&e.demonyms)
        {
            let folded = fold_alias(alias);
            if own.insert(folded.clone()) {
                report.aliases += 1;
                owners.entry(folded).or_default().push(e.id.clone());
            }
        }
    }
    report.cross_type = owners
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .collect();
    report.cross_type.sort();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn slugs_are_folded_and_hyphenated() {
        assert_eq!(
            slug("Kata'ib Sayyid al-Shuhada"),
            "kataib-sayyid-al-shuhada"
        );
        assert_eq!(slug("  São Paulo (city) "), "sao-paulo-city");
        assert_eq!(make_id(EntityType::Place, "Bogotá"), "place/bogota");
    }

    #[test]
    fn all_caps_names_are_title_cased_but_acronyms_kept() {
        assert_eq!(tidy_name("ABU SAYYAF GROUP"), "Abu Sayyaf Group");
        assert_eq!(tidy_name("HARAKAT UL-MUJAHIDEEN"), "Harakat ul-Mujahideen");
        assert_eq!(tidy_name("AL-QA'IDA"), "al-Qa'ida");
        assert_eq!(tidy_name("HAMAS"), "Hamas");
        assert_eq!(tidy_name("ISIS"), "ISIS");
        assert_eq!(
            tidy_name("PROPAGANDA AND AGITATION DEPARTMENT (PAD)"),
            "Propaganda and Agitation Department (PAD)"
        );
        assert_eq!(tidy_name("POPE JOHN PAUL II"), "Pope John Paul II");
        assert_eq!(
            tidy_name("ISLAMIC STATE OF IRAQ AND THE LEVANT"),
            "Islamic State of Iraq and the Levant"
        );
        assert_eq!(tidy_name("  Kata'ib   Hizballah "), "Kata'ib Hizballah");
    }

    #[test]
    fn merge_drops_duplicates_and_claimed_aliases() {
        let existing = Gazetteer::from_tsv(
            Path::new("core.tsv"),
            "id\tname\ttype\taliases\nplace/irq\tIraq\tplace\tRepublic of Iraq\n",
        )
        .unwrap();
        let mut iraq = entity(
            "place/iraq".into(),
            "The Iraq".into(),
            EntityType::Place,
            "x".into(),
        );
        iraq.aliases = vec!["Al-Iraq".into()];
        let mut basra = entity(
            "place/basra".into(),
            "Basra".into(),
            EntityType::Place,
            "x".into(),
        );
        basra.aliases = vec!["Republic of Iraq".into(), "Basrah".into(), "Basra".into()];
        basra.parent = Some("place/irq".into());
        let mut small = entity(
            "place/basra-2".into(),
            "Basra".into(),
            EntityType::Place,
            "x".into(),
        );
        small.parent = Some("place/nowhere".into());
        let group = entity(
            "armed_group/basra".into(),
            "Basra".into(),
            EntityType::ArmedGroup,
            "x".into(),
        );
        let mut district = entity(
            "place/old-town".into(),
            "Old Town".into(),
            EntityType::Place,
            "x".into(),
        );
        district.parent = Some("place/iraq".into());
        let merged = merge(vec![iraq, basra, small, group, district], &[&existing]);
        let ids: Vec<&str> = merged.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["place/basra", "armed_group/basra", "place/old-town"]);
        // place/iraq was left out as a duplicate of place/irq: its child follows.
        assert_eq!(merged.entities[2].parent.as_deref(), Some("place/irq"));
        assert_eq!(merged.entities[0].aliases, ["Basrah"]);
        assert_eq!(merged.entities[0].parent.as_deref(), Some("place/irq"));
        assert_eq!(merged.duplicates, 2);
        assert_eq!(merged.aliases_dropped, 1);
    }

    #[test]
    fn one_word_person_names_are_left_out() {
        let king = entity(
            "person/hussein".into(),
            "Hussein".into(),
            EntityType::Person,
            "x".into(),
        );
        let minister = entity(
            "person/fuad-hussein".into(),
            "Fuad Hussein".into(),
            EntityType::Person,
            "x".into(),
        );
        let merged = merge(vec![king, minister], &[]);
        assert_eq!(merged.entities.len(), 1);
        assert_eq!(merged.entities[0].id, "person/fuad-hussein");
        assert_eq!(merged.one_word_people, 1);
    }

    #[test]
    fn written_tsv_loads_back() {
        let mut e = entity(
            "place/x".into(),
            "X\ttown".into(),
            EntityType::Place,
            "x".into(),
        );
        e.aliases = vec!["Ex".into(), "bad|alias".into()];
        e.code = Some("XXX".into());
        let mut out = Vec::new();
        write_tsv(&[e], &["generated".into()], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let g = Gazetteer::from_tsv(Path::new("gen.tsv"), &text).unwrap();
        let loaded = g.get("place/x").unwrap();
        assert_eq!(loaded.name, "X town");
        assert_eq!(loaded.aliases, ["Ex"]);
        assert_eq!(loaded.code.as_deref(), Some("XXX"));
    }
}
