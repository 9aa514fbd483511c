//! The `factbook` importer: the CIA World Factbook's government and terrorism fields
//! (one JSON object per country and line) turned into governments, heads of state and
//! government, military and security bodies, and terrorist groups.
//!
//! ```sh
//! newsgraph gazetteer import --from factbook cia_factbook_government_terrorism.jsonl \
//!     pycountry_countries.tsv geonames_countries.tsv --against gazetteers --out gen-factbook.tsv
//! ```
//!
//! **Country codes.** The Factbook has no ISO codes. Every other file on the command line
//! must be a country list, recognised by its header: the pycountry TSV (`alpha_3`, `name`,
//! `official_name`, `common_name`) or the GeoNames countryInfo TSV (`iso3`, `name`,
//! `population`); at least one is required. Their names map a Factbook name to its ISO
//! 3166-1 alpha-3 code; the few Factbook spellings they lack ("Burma", "Macau", "Holy
//! See", older "Korea, South" forms) are in [`FACTBOOK_NAMES`], abbreviated short names
//! ("DRC", "Congo (Brazzaville)") in [`DISPLAY_NAMES`]. The GeoNames population orders the
//! output (most populous country first) and decides who owns a shared adjective. Entries
//! with no code (oceans, the EU, the world, Akrotiri, Spratly Islands ...) are skipped and
//! counted. The Gaza Strip and the West Bank ([`TERRITORIES`]) get the code PSE but no
//! government (the Factbook gives them none); the West Bank's Palestinian Authority
//! forces hang from `place/west-bank`, the id the curated core gazetteer uses, and the
//! Gaza Strip's (Hamas's, described in prose) are left to curated files.
//!
//! **Rows**, in this order (see [`read`]):
//! 1. `armed_group`, subtype `terrorist_organization`: the groups of the
//!    `terrorist_groups` field ([`parse_groups`]), one row per group however many
//!    countries list it (spelling variants and shared acronyms merge: "Jama'at Nusrat al
//!    Islam wal Muslimeen" and "Jama'at Nusrat al-Islam wal-Muslimin" are both JNIM), most
//!    widespread first. `country` only when a single country lists the group. A branch
//!    ("Islamic State of Iraq and ash-Sham (ISIS) - Algeria", "al-Qa'ida in the Islamic
//!    Maghreb") has the group it belongs to as parent ([`BRANCHING_GROUPS`]). The names
//!    news uses replace a few Factbook spellings ([`COMMON_GROUP_NAMES`]: "Islamic
//!    State"), so the rows meet the curated entries of the same groups.
//! 2. `government/<iso3>`, `Government of <name>`, subtype `national_government`
//!    (`territorial_government` for the dependencies in [`DEPENDENCIES`]), parent
//!    `place/<iso3>`, for every record naming a head of state or government (all UN
//!    members, plus Kosovo, Taiwan and the Holy See). Aliases: `<Name> government`,
//!    `<Name>'s government`, `<Adjective> government` (from the Factbook `adjective` field,
//!    only for a country at least ten times as populous as any other using the same word:
//!    "Chinese government" is China's, "Korean government" neither Korea's), and
//!    `Government of the <long name>`. **No capital-city metonyms**: "Washington said" is
//!    not resolved to the US government; capitals stay places (they come from GeoNames).
//! 3. `government` bodies from `military_forces` ([`parse_forces`]), subtype `military`,
//!    `security_force`, `police`, `intelligence`, `civil_defense`, `ministry`,
//!    `executive_office` or `agency` by keywords ([`body_subtype`]). Parent: the armed
//!    force, ministry or office they are listed under ("Ministry of Interior: National
//!    Police"), else the government. A name made only of generic words ("Army", "National
//!    Police", "Ministry of Interior") gets the country's adjective in front ("Algerian
//!    Army"; [`QUALIFIERS`] where the adjective is shared or odd: "US National Guard"), or
//!    the header's acronym ("IRGC Navy"); the bare name becomes an alias only when it has
//!    three words or more and no other country lists it ("Rapid Support Forces"). The
//!    field lost its line breaks, so blocks run into each other ("... National Gendarmerie
//!    Ministry of Interior: ..."); [`split_glued`] puts the breaks back. Acronyms that
//!    name bodies in several countries ("SAF", "FAC") go to the first, most populous one.
//! 4. `person` rows for the people named in `chief_of_state` and `head_of_government`
//!    ([`parse_people`]): heads of state (subtype `head_of_state`), heads of government
//!    (`head_of_government`), representatives, deputies and other officials (`official`),
//!    with `role` from the title ([`role_for`]; `head_of_state` or `head_of_government`
//!    when there is none) and `valid_from` from "(since ...)". Surnames are in capitals in
//!    the Factbook ("Abdelmadjid TEBBOUNE") and are tidied ("Abdelmadjid Tebboune"); short
//!    forms news uses become aliases ("Cyril Ramaphosa" for "Matamela Cyril Ramaphosa",
//!    "Donald Trump" for "Donald J. Trump"). A monarch known by one name keeps the title
//!    ("King Philippe"), so the name does not match every Philippe. A person listed by
//!    several countries (King Charles III) is one row: sovereign states before dependent
//!    territories, a country where the person is not represented by someone else first,
//!    then the most populous.
//!
//! 5. `government/<iso3>-cabinet`, subtype `cabinet`, parent the government: the body
//!    the `cabinet` field starts with ([`CABINET_BODIES`]: "Council of Ministers appointed
//!    by the president"), named "Council of Ministers of Iraq", aliases "Iraqi cabinet",
//!    "Iraq's cabinet", "Iraqi Council of Ministers". Fields that start otherwise are
//!    counted and skipped.
//!
//! The `cabinet` field names no ministers (it says how the cabinet is appointed), so there
//! are no minister rows; capitals and administrative divisions are left to the GeoNames
//! importer. Free text that cannot be read is skipped and counted ([`Counts`], printed to
//! stderr), never a panic; a malformed JSON line is an error with its file, line and
//! column.

use super::{entity, slug, tidy_name};
use crate::error::{Error, Result};
use crate::gazetteer::{Entity, EntityType};
use crate::text::fold_alias;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

mod forces;
mod groups;
mod people;
use forces::*;
use groups::*;
use people::*;

/// The `source` column starts with this; the field name follows.
const SOURCE: &str = "CIA World Factbook (public domain)";

/// Factbook names (as displayed: after [`DISPLAY_NAMES`], without a trailing note) that neither ISO list spells the
/// same way, and entries that are not countries (`None`: skipped).
pub const FACTBOOK_NAMES: &[(&str, Option<&str>)] = &[
    ("Burma", Some("MMR")),
    ("Macau", Some("MAC")),
    ("Holy See", Some("VAT")),
    ("Virgin Islands", Some("VIR")),
    ("Pitcairn Islands", Some("PCN")),
    ("Saint Helena, Ascension, and Tristan da Cunha", Some("SHN")),
    ("French Southern and Antarctic Lands", Some("ATF")),
    ("Svalbard", Some("SJM")),
    // Older Factbook editions list these names.
    ("Korea, South", Some("KOR")),
    ("Korea, North", Some("PRK")),
    ("Congo, Democratic Republic of the", Some("COD")),
    ("Congo, Republic of the", Some("COG")),
    ("Gambia, The", Some("GMB")),
    ("Bahamas, The", Some("BHS")),
    ("Micronesia, Federated States of", Some("FSM")),
    ("European Union", None),
    ("World", None),
];

/// Territories without a government entry: (Factbook name, ISO code, parent id, adjective).
pub const TERRITORIES: &[(&str, &str, &str, &str)] = &[
    ("Gaza Strip", "PSE", "place/gaza-strip", "Palestinian"),
    ("West Bank", "PSE", "place/west-bank", "Palestinian"),
];

/// Factbook short names replaced for display: abbreviations and qualified forms.
pub const DISPLAY_NAMES: &[(&str, &str)] = &[
    ("DRC", "Democratic Republic of the Congo"),
    ("Congo (Brazzaville)", "Republic of the Congo"),
    ("The Dominican", "Dominican Republic"),
    ("Gaza, Gaza Strip", "Gaza Strip"),
    ("Holy See (Vatican City)", "Holy See"),
];

/// Dependent territories (ISO alpha-3): their governments get the subtype
/// `territorial_government`, and a person listed both for them and for a sovereign state
/// belongs to the sovereign state.
pub const DEPENDENCIES: &[&str] = &[
    "ABW", "AIA", "ASM", "ATA", "ATF", "BLM", "BMU", "BVT", "CCK", "COK", "CUW", "CXR", "CYM",
    "ESH", "FLK", "FRO", "GGY", "GIB", "GRL", "GUM", "HKG", "HMD", "IMN", "IOT", "JEY", "MAC",
    "MAF", "MNP", "MSR", "NCL", "NFK", "NIU", "PCN", "PRI", "PYF", "SGS", "SHN", "SJM", "SPM",
    "SXM", "TCA", "TKL", "UMI", "VGB", "VIR", "WLF",
];

/// Adjectives used in front of generic force names where the Factbook's own adjective is
/// shared by two countries or reads oddly ("American National Guard").
pub const QUALIFIERS: &[(&str, &str)] = &[
    ("USA", "US"),
    ("PRK", "North Korean"),
    ("KOR", "South Korean"),
    ("COD", "DRC"),
    ("HKG", "Hong Kong"),
    ("MAC", "Macau"),
];

/// Factbook group names and the names news reports (and the core gazetteer) use: the
/// Factbook name becomes an alias, and "Islamic State" also names the branches.
pub const COMMON_GROUP_NAMES: &[(&str, &str)] = &[
    ("Islamic State of Iraq and ash-Sham", "Islamic State"),
    ("Palestine Islamic Jihad", "Palestinian Islamic Jihad"),
];

/// Groups whose regional branches the Factbook names `<group> in <region>`: such a branch
/// gets the group as parent.
pub const BRANCHING_GROUPS: &[&str] = &["Islamic State of Iraq and ash-Sham", "al-Qa'ida"];

/// Acronyms never used as aliases: news agencies' bylines and the like.
const ACRONYM_STOPLIST: &[&str] = &["AFP", "AP", "UPI", "BBC", "CNN", "EU", "UN", "NA"];

/// What [`read_counted`] read, made and skipped.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Factbook records read.
    pub records: usize,
    /// Records without an ISO code (oceans, the EU, uninhabited islands ...), by name.
    pub unmapped: Vec<String>,
    pub governments: usize,
    pub people: usize,
    /// Chief-of-state and head-of-government statements that named nobody readable
    /// ("President (vacant)", notes), and mentions left out as a former office holder.
    pub people_skipped: usize,
    pub groups: usize,
    /// Items of `terrorist_groups` that are prose, not a group name.
    pub groups_skipped: usize,
    /// Military and security bodies (not counting ministries and offices).
    pub forces: usize,
    /// Ministries and offices the forces are listed under.
    pub ministries: usize,
    /// Items of `military_forces` that could not be read as a body (prose, fragments).
    pub forces_skipped: usize,
    /// Cabinets read from the `cabinet` field.
    pub cabinets: usize,
    /// Non-empty `cabinet` fields that name no body [`cabinet_body`] knows.
    pub cabinets_skipped: usize,
}

impl Counts {
    /// One line saying what was read and skipped.
    fn summary(&self) -> String {
        format!(
            "factbook: {} records ({} without an ISO code skipped); {} governments, {} people \
             ({} statements skipped), {} terrorist groups ({} items skipped), {} military and \
             security bodies and {} ministries ({} items skipped), {} cabinets ({} fields skipped)",
            self.records,
            self.unmapped.len(),
            self.governments,
            self.people,
            self.people_skipped,
            self.groups,
            self.groups_skipped,
            self.forces,
            self.ministries,
            self.forces_skipped,
            self.cabinets,
            self.cabinets_skipped
        )
    }
}

/// Read the Factbook JSONL and the country lists into rows (see the module docs), with a
/// note of what was read and skipped.
pub fn read(files: &[PathBuf]) -> Result<super::Imported> {
    let (rows, counts) = read_counted(files)?;
    Ok(super::Imported {
        rows,
        notes: vec![counts.summary()],
    })
}

/// [`read`], returning the counts instead of a note.
pub fn read_counted(files: &[PathBuf]) -> Result<(Vec<Entity>, Counts)> {
    let mut records = Vec::new();
    let mut names = CountryNames::default();
    for path in files {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Error::parse(path, line, 1, "invalid UTF-8")
        })?;
        match input_kind(path, &text)? {
            InputKind::Factbook => records.extend(parse_records(path, &text)?),
            InputKind::Pycountry => names.add_pycountry(path, &text)?,
            InputKind::Geonames => names.add_geonames(path, &text)?,
        }
    }
    if records.is_empty() {
        return Err(Error::Config(
            "factbook import: no Factbook JSONL file among the inputs".into(),
        ));
    }
    if names.by_name.is_empty() {
        return Err(Error::Config(
            "factbook import: the Factbook has no ISO codes; also pass a country list \
             (pycountry_countries.tsv or geonames_countries.tsv) to map names to codes"
                .into(),
        ));
    }
    Ok(build(&records, &names))
}

// ---------------------------------------------------------------------------------------
// Input files

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InputKind {
    Factbook,
    Pycountry,
    Geonames,
}

/// Tell the inputs apart by their first line: a JSON object, or a TSV header.
fn input_kind(path: &Path, text: &str) -> Result<InputKind> {
    let first = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}'))
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if first.trim_start().starts_with('{') {
        return Ok(InputKind::Factbook);
    }
    let columns: Vec<&str> = first.split('\t').map(str::trim).collect();
    let has = |c: &str| columns.contains(&c);
    if has("alpha_3") && has("name") {
        Ok(InputKind::Pycountry)
    } else if has("iso3") && has("name") {
        Ok(InputKind::Geonames)
    } else {
        Err(Error::Unsupported {
            path: path.to_path_buf(),
            message: "not a Factbook JSONL file, nor a country list (a TSV header naming \
                      alpha_3 and name, as pycountry's, or iso3 and name, as GeoNames')"
                .into(),
        })
    }
}

/// One Factbook country: the fields this importer reads.
#[derive(Debug, Clone, Default)]
struct Record {
    /// `file:line`.
    origin: String,
    short: String,
    long: String,
    adjective: String,
    chief: String,
    head: String,
    cabinet: String,
    groups: String,
    military: String,
}

/// Parse the JSONL: one object per line, blank lines skipped. A line that is not a JSON
/// object is an error naming its file, line and column.
fn parse_records(path: &Path, text: &str) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            Error::parse(
                path,
                line_no,
                e.column().max(1),
                format!("malformed JSON: {message}"),
            )
        })?;
        let Some(object) = value.as_object() else {
            return Err(Error::parse(
                path,
                line_no,
                1,
                "expected a JSON object (one Factbook country per line)",
            ));
        };
        let field = |name: &str| {
            object
                .get(name)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .trim()
                .to_string()
        };
        records.push(Record {
            origin: format!("{}:{line_no}", path.display()),
            short: field("conventional_short"),
            long: field("conventional_long"),
            adjective: field("adjective"),
            chief: field("chief_of_state"),
            head: field("head_of_government"),
            cabinet: field("cabinet"),
            groups: field("terrorist_groups"),
            military: field("military_forces"),
        });
    }
    Ok(records)
}

/// Country names from the ISO lists, folded, to their alpha-3 code; GeoNames populations.
#[derive(Debug, Default)]
struct CountryNames {
    by_name: HashMap<String, String>,
    population: HashMap<String, u64>,
    /// Every alpha-2 and alpha-3 code, upper case (acronyms equal to one are not aliases).
    codes: HashSet<String>,
}

/// The lookup key of a country name: folded, without a leading "the".
fn country_key(name: &str) -> String {
    let folded = fold_alias(name);
    folded
        .strip_prefix("the ")
        .map(str::to_string)
        .unwrap_or(folded)
}

/// The rows of a TSV with a header, as (line number, column name -> value).
fn tsv_rows<'a>(
    path: &Path,
    text: &'a str,
    required: &[&str],
) -> Result<Vec<(usize, HashMap<&'a str, &'a str>)>> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((_, header)) = lines.next() else {
        return Ok(Vec::new());
    };
    let columns: Vec<&str> = header
        .trim_start_matches('\u{feff}')
        .split('\t')
        .map(str::trim)
        .collect();
    for name in required {
        if !columns.contains(name) {
            return Err(Error::parse(
                path,
                1,
                1,
                format!("header has no `{name}` column"),
            ));
        }
    }
    Ok(lines
        .map(|(index, line)| {
            let row = columns
                .iter()
                .copied()
                .zip(line.trim_end_matches('\r').split('\t').map(str::trim))
                .collect();
            (index + 1, row)
        })
        .collect())
}

impl CountryNames {
    fn add(&mut self, name: &str, iso3: &str) {
        if !name.trim().is_empty() {
            self.by_name
                .entry(country_key(name))
                .or_insert_with(|| iso3.to_string());
        }
    }

    fn add_pycountry(&mut self, path: &Path, text: &str) -> Result<()> {
        for (_, row) in tsv_rows(path, text, &["alpha_3", "name"])? {
            let iso3 = row.get("alpha_3").copied().unwrap_or("");
            if !is_alpha3(iso3) {
                continue;
            }
            self.codes.insert(iso3.to_string());
            if let Some(a2) = row.get("alpha_2") {
                self.codes.insert(a2.to_uppercase());
            }
            for column in ["name", "official_name", "common_name"] {
                self.add(row.get(column).copied().unwrap_or(""), iso3);
            }
        }
        Ok(())
    }

    fn add_geonames(&mut self, path: &Path, text: &str) -> Result<()> {
        for (_, row) in tsv_rows(path, text, &["iso3", "name"])? {
            let iso3 = row.get("iso3").copied().unwrap_or("");
            if !is_alpha3(iso3) {
                continue;
            }
            self.codes.insert(iso3.to_string());
            if let Some(a2) = row.get("iso") {
                self.codes.insert(a2.to_uppercase());
            }
            self.add(row.get("name").copied().unwrap_or(""), iso3);
            if let Some(people) = row.get("population").and_then(|p| p.parse::<u64>().ok()) {
                self.population.entry(iso3.to_string()).or_insert(people);
            }
        }
        Ok(())
    }

    fn iso3(&self, name: &str) -> Option<&str> {
        self.by_name.get(&country_key(name)).map(String::as_str)
    }
}

fn is_alpha3(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

// ---------------------------------------------------------------------------------------
// Countries

/// A Factbook record with an ISO code.
#[derive(Debug, Clone)]
struct Country {
    iso3: String,
    /// "Iraq", "Democratic Republic of the Congo".
    display: String,
    long: Option<String>,
    /// The Factbook adjective's variants ("Lao", "Laotian").
    adjectives: Vec<String>,
    /// Put in front of generic force names ("Algerian Army").
    qualifier: String,
    dependency: bool,
    population: u64,
    /// `government/<iso3>`, or the territory's place id.
    parent: String,
    /// Whether a government row is made (the record names a head of state or government).
    government: bool,
    record: usize,
}

/// The name a record is shown under: [`DISPLAY_NAMES`], else the short name without a
/// trailing note in parentheses, else (short name "none") the long name.
fn display_name(record: &Record) -> Option<String> {
    if let Some((_, shown)) = DISPLAY_NAMES.iter().find(|(raw, _)| *raw == record.short) {
        return Some(shown.to_string());
    }
    let short = strip_trailing_paren(&record.short);
    if !short.is_empty() && !short.eq_ignore_ascii_case("none") {
        return Some(short);
    }
    let long = long_name(&record.long)?;
    Some(long)
}

/// The long name without notes ("...; note - ...", "(prior to 2021)"), if there is one.
fn long_name(raw: &str) -> Option<String> {
    let cut = raw.split(';').next().unwrap_or("");
    if cut.contains("prior to") || cut.contains("former") {
        return None;
    }
    let cut = strip_trailing_paren(cut);
    if cut.is_empty() || cut.eq_ignore_ascii_case("none") {
        None
    } else {
        Some(cut.to_string())
    }
}

/// "Falkland Islands (Islas Malvinas)" → "Falkland Islands"; a parenthesis inside the
/// name stays ("Cocos (Keeling) Islands").
fn strip_trailing_paren(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(')')
        && let Some(open) = text.rfind('(')
        && open > 0
    {
        return text[..open].trim().to_string();
    }
    text.to_string()
}

/// The Factbook adjective's variants: "Lao or Laotian" → Lao, Laotian; "Swati; note -
/// ..." → Swati; "Motswana (singular), Batswana (plural)" → none (singular/plural
/// forms are nouns).
fn adjective_variants(raw: &str) -> Vec<String> {
    let raw = raw.split(';').next().unwrap_or("");
    if raw.contains("singular") || raw.contains("plural") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for part in raw.split([',', '/']).flat_map(|p| p.split(" or ")) {
        let part = part.split('(').next().unwrap_or("").trim();
        let part = part.strip_prefix("or ").unwrap_or(part).trim();
        if part.is_empty()
            || part.eq_ignore_ascii_case("none")
            || part == "NA"
            || !part.starts_with(|c: char| c.is_uppercase())
        {
            continue;
        }
        if !out.iter().any(|o: &String| o == part) {
            out.push(part.to_string());
        }
    }
    out
}

/// Map a record to its country, or `None` (with the name) when it has no ISO code.
fn resolve_country(
    record: &Record,
    index: usize,
    names: &CountryNames,
) -> std::result::Result<Country, String> {
    let Some(display) = display_name(record) else {
        return Err(String::new());
    };
    let adjectives = adjective_variants(&record.adjective);
    let long = long_name(&record.long).filter(|l| l != &display);
    if let Some((_, iso3, place, adjective)) = TERRITORIES.iter().find(|t| t.0 == display) {
        return Ok(Country {
            iso3: iso3.to_string(),
            display,
            long,
            adjectives: Vec::new(),
            qualifier: adjective.to_string(),
            dependency: true,
            population: 0,
            parent: place.to_string(),
            government: false,
            record: index,
        });
    }
    let from_table = FACTBOOK_NAMES
        .iter()
        .find(|(name, _)| *name == display || *name == record.short);
    let iso3 = match from_table {
        Some((_, code)) => code.map(str::to_string),
        None => [
            Some(display.clone()),
            Some(record.short.clone()),
            long.clone(),
            Some(record.long.clone()),
        ]
        .into_iter()
        .flatten()
        .find_map(|n| names.iso3(&n).map(str::to_string)),
    };
    let Some(iso3) = iso3 else {
        return Err(display);
    };
    let qualifier = QUALIFIERS
        .iter()
        .find(|(code, _)| *code == iso3)
        .map(|(_, q)| q.to_string())
        .or_else(|| adjectives.first().cloned())
        .unwrap_or_else(|| display.clone());
    Ok(Country {
        dependency: DEPENDENCIES.contains(&iso3.as_str()),
        population: names.population.get(&iso3).copied().unwrap_or(0),
        parent: format!("government/{}", iso3.to_lowercase()),
        government: !record.chief.is_empty() || !record.head.is_empty(),
        iso3,
        display,
        long,
        adjectives,
        qualifier,
        record: index,
    })
}

/// "Government of the United States", "Government of Iraq".
fn with_article(name: &str) -> String {
    const FIRST: &[&str] = &[
        "United",
        "Republic",
        "Democratic",
        "Central",
        "Federated",
        "Holy",
        "Czech",
        "Isle",
    ];
    const LAST: &[&str] = &[
        "Islands",
        "Republic",
        "Emirates",
        "States",
        "Kingdom",
        "Netherlands",
        "Philippines",
        "Maldives",
        "Comoros",
        "Territory",
        "Lands",
        "Congo",
    ];
    let first = name.split_whitespace().next().unwrap_or("");
    let last = name.split_whitespace().last().unwrap_or("");
    if first == "The" {
        name.to_string()
    } else if FIRST.contains(&first) || LAST.contains(&last) {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

/// The government row of a country (see the module docs for the aliases).
fn government_row(country: &Country, record: &Record, owned_adjectives: &[String]) -> Entity {
    let name = format!("Government of {}", with_article(&country.display));
    let mut row = entity(
        country.parent.clone(),
        name,
        EntityType::Government,
        record.origin.clone(),
    );
    row.subtype = Some(
        if country.dependency {
            "territorial_government"
        } else {
            "national_government"
        }
        .into(),
    );
    row.country = Some(country.iso3.clone());
    row.parent = Some(format!("place/{}", country.iso3.to_lowercase()));
    let bare = country
        .display
        .strip_prefix("The ")
        .unwrap_or(&country.display);
    let mut aliases = vec![format!("{bare} government")];
    if !bare.ends_with('s') {
        aliases.push(format!("{bare}'s government"));
    }
    for adjective in owned_adjectives {
        aliases.push(format!("{adjective} government"));
    }
    if let Some(long) = &country.long {
        aliases.push(format!("Government of {}", with_article_long(long)));
    }
    push_unique(&mut row.aliases, aliases);
    row.source = Some(format!("{SOURCE}: conventional_short, adjective"));
    row
}

/// Names of cabinets the `cabinet` field starts with ("Council of Ministers appointed by
/// the president"), longest first so "Cabinet of Ministers" wins over "Cabinet".
const CABINET_BODIES: &[&str] = &[
    "Union Council of Ministers",
    "National Council of Ministers",
    "Federal Executive Council",
    "National Executive Council",
    "Cabinet of Ministers",
    "Council of Ministers",
    "Council of Government",
    "Executive Council",
    "Congress of State",
    "Council of State",
    "Federal Council",
    "Executive Yuan",
    "State Council",
    "Cabinet",
];

/// The cabinet a `cabinet` field names, if it starts with one of [`CABINET_BODIES`]
/// followed by the end, punctuation or a lower-case word ("Cabinet appointed by ...";
/// not "Cabinet Secretary ...").
fn cabinet_body(field: &str) -> Option<&'static str> {
    CABINET_BODIES.iter().copied().find(|body| {
        field.strip_prefix(body).is_some_and(|rest| {
            rest.chars()
                .find(|c| !c.is_whitespace())
                .is_none_or(|c| !c.is_alphanumeric() || c.is_lowercase())
        })
    })
}

/// The cabinet of a country: "Council of Ministers of Iraq", with the aliases news uses
/// ("Iraqi cabinet", "Iraq's cabinet", "Iraqi Council of Ministers").
fn cabinet_row(
    country: &Country,
    record: &Record,
    body: &str,
    owned_adjectives: &[String],
) -> Entity {
    let mut row = entity(
        format!("{}-cabinet", country.parent),
        format!("{body} of {}", with_article(&country.display)),
        EntityType::Government,
        record.origin.clone(),
    );
    row.subtype = Some("cabinet".into());
    row.country = Some(country.iso3.clone());
    row.parent = Some(country.parent.clone());
    let bare = country
        .display
        .strip_prefix("The ")
        .unwrap_or(&country.display);
    let mut aliases = vec![format!("{bare} cabinet")];
    if !bare.ends_with('s') {
        aliases.push(format!("{bare}'s cabinet"));
    }
    for adjective in owned_adjectives {
        aliases.push(format!("{adjective} cabinet"));
        if body != "Cabinet" {
            aliases.push(format!("{adjective} {body}"));
        }
    }
    push_unique(&mut row.aliases, aliases);
    row.source = Some(format!("{SOURCE}: cabinet, adjective"));
    row
}

/// "the People's Republic of China", "Brunei Darussalam" (no article before a name that
/// starts with the short name).
fn with_article_long(long: &str) -> String {
    let first = long.split_whitespace().next().unwrap_or("");
    if first.eq_ignore_ascii_case("the") {
        format!("the {}", long.split_once(' ').map_or("", |(_, r)| r))
    } else if matches!(
        first,
        "Republic"
            | "Kingdom"
            | "People's"
            | "Democratic"
            | "Federal"
            | "Federative"
            | "Islamic"
            | "State"
            | "United"
            | "Union"
            | "Commonwealth"
            | "Principality"
            | "Grand"
            | "Sultanate"
            | "Hashemite"
            | "Independent"
            | "Arab"
            | "Socialist"
            | "Plurinational"
            | "Bolivarian"
            | "Oriental"
            | "Argentine"
            | "Swiss"
            | "Hellenic"
            | "Italian"
            | "French"
            | "Portuguese"
            | "Lebanese"
            | "Syrian"
            | "Kyrgyz"
            | "Slovak"
            | "Czech"
            | "Gabonese"
            | "Togolese"
            | "Russian"
            | "Cooperative"
            | "Federated"
            | "Lao"
            | "Territory"
            | "Overseas"
            | "Country"
            | "Bailiwick"
            | "Territorial"
            | "Co-operative"
            | "Federation"
    ) {
        format!("the {long}")
    } else {
        long.to_string()
    }
}

fn push_unique(list: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    for item in items {
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        if !item.is_empty() && !list.iter().any(|l| fold_alias(l) == fold_alias(&item)) {
            list.push(item);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Assembly

fn build(records: &[Record], names: &CountryNames) -> (Vec<Entity>, Counts) {
    let mut counts = Counts {
        records: records.len(),
        ..Counts::default()
    };
    let mut countries = Vec::new();
    for (index, record) in records.iter().enumerate() {
        match resolve_country(record, index, names) {
            Ok(country) => countries.push(country),
            Err(name) => counts.unmapped.push(if name.is_empty() {
                record.origin.clone()
            } else {
                name
            }),
        }
    }
    // Most populous first; file order otherwise (sort is stable).
    countries.sort_by_key(|c| std::cmp::Reverse(c.population));
    let country_words: HashSet<String> = names
        .by_name
        .keys()
        .cloned()
        .chain(countries.iter().map(|c| country_key(&c.display)))
        .collect();

    let groups = group_rows(records, &countries, names, &mut counts);
    let mut governments = Vec::new();
    let mut cabinets = Vec::new();
    let owned = owned_adjectives(&countries);
    for country in countries.iter().filter(|c| c.government) {
        let adjectives = owned.get(&country.iso3).cloned().unwrap_or_default();
        let record = &records[country.record];
        governments.push(government_row(country, record, &adjectives));
        match cabinet_body(&record.cabinet) {
            Some(body) => cabinets.push(cabinet_row(country, record, body, &adjectives)),
            None if !matches!(record.cabinet.as_str(), "" | "NA") => counts.cabinets_skipped += 1,
            None => {}
        }
    }
    counts.governments = governments.len();
    counts.cabinets = cabinets.len();
    governments.extend(cabinets);
    let forces = force_rows(records, &countries, names, &country_words, &mut counts);
    let people = person_rows(records, &countries, &country_words, &mut counts);

    let mut rows = groups;
    rows.extend(governments);
    rows.extend(forces);
    rows.extend(people);
    unique_ids(&mut rows);
    (rows, counts)
}

/// Adjectives each country may use in "<Adjective> government": its own, or shared with
/// countries at most a tenth of its population ("Chinese" for China, not Macau; "Korean"
/// for neither Korea).
fn owned_adjectives(countries: &[Country]) -> HashMap<String, Vec<String>> {
    let mut users: HashMap<String, Vec<&Country>> = HashMap::new();
    for country in countries.iter().filter(|c| c.government) {
        for adjective in &country.adjectives {
            users
                .entry(fold_alias(adjective))
                .or_default()
                .push(country);
        }
    }
    let mut owned: HashMap<String, Vec<String>> = HashMap::new();
    for country in countries.iter().filter(|c| c.government) {
        for adjective in &country.adjectives {
            let sharing = &users[&fold_alias(adjective)];
            let owner = sharing.iter().all(|other| {
                other.iso3 == country.iso3
                    || (country.population > 0
                        && other.population.saturating_mul(10) <= country.population)
            });
            if owner {
                owned
                    .entry(country.iso3.clone())
                    .or_default()
                    .push(adjective.clone());
            }
        }
    }
    owned
}

/// Make ids unique: a later row whose id is taken gets `-2`, `-3` ...
fn unique_ids(rows: &mut [Entity]) {
    let mut seen: HashSet<String> = HashSet::new();
    for row in rows.iter_mut() {
        if seen.contains(&row.id) {
            let mut n = 2;
            while seen.contains(&format!("{}-{n}", row.id)) {
                n += 1;
            }
            row.id = format!("{}-{n}", row.id);
        }
        seen.insert(row.id.clone());
    }
}

fn source(field: &str) -> Option<String> {
    Some(format!("{SOURCE}: {field}"))
}

// ---------------------------------------------------------------------------------------
// Text helpers

/// Typographic quotes and dashes to ASCII, white space collapsed.
fn clean(text: &str) -> String {
    let replaced: String = text
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    replaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Repair parentheses: a `)` without its `(` is dropped; a `(` never closed is closed
/// before the next `,` or `;` at its level (or at the end).
fn balance_parens(text: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(text.len() + 4);
    let mut open: Vec<usize> = Vec::new();
    for c in text.chars() {
        match c {
            '(' => {
                open.push(out.len());
                out.push(c);
            }
            ')' => {
                if open.pop().is_some() {
                    out.push(c);
                }
            }
            c => out.push(c),
        }
    }
    while let Some(start) = open.pop() {
        let mut depth = 0usize;
        let mut close = out.len();
        for (at, &c) in out.iter().enumerate().skip(start + 1) {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                ',' | ';' if depth == 0 => {
                    close = at;
                    break;
                }
                _ => {}
            }
        }
        out.insert(close, ')');
    }
    out.into_iter().collect()
}

/// Split at `separators` outside parentheses; each piece comes with the separator that
/// ended the piece before it (`None` for the first).
fn split_top(text: &str, separators: &[char]) -> Vec<(String, Option<char>)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut before: Option<char> = None;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && separators.contains(&c) {
            out.push((current.trim().to_string(), before));
            current.clear();
            before = Some(c);
        } else {
            current.push(c);
        }
    }
    out.push((current.trim().to_string(), before));
    out
}

/// Split at a word (" or ", " and the ") outside parentheses.
fn split_top_word(text: &str, word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut skip_to = 0;
    for (at, c) in text.char_indices() {
        if at < skip_to {
            continue;
        }
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && text[at..].starts_with(word) {
            out.push(text[start..at].trim().to_string());
            skip_to = at + word.len();
            start = skip_to;
        }
    }
    out.push(text[start.min(text.len())..].trim().to_string());
    out.retain(|p| !p.is_empty());
    out
}

/// The text outside parentheses, and each top-level parenthesis with whether text
/// follows it ("Burma (People's) Police Force": the parenthesis is inside the name).
fn outside_parens(text: &str) -> (String, Vec<(String, bool)>) {
    let mut outside = String::new();
    let mut parens: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                if depth > 0 {
                    current.push(c);
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    parens.push((current.trim().to_string(), outside.len()));
                    current.clear();
                    outside.push(' ');
                } else {
                    current.push(c);
                }
            }
            ')' => {}
            c if depth > 0 => current.push(c),
            c => outside.push(c),
        }
    }
    if depth > 0 && !current.trim().is_empty() {
        parens.push((current.trim().to_string(), outside.len()));
    }
    let parens = parens
        .into_iter()
        .map(|(content, at)| {
            let rest = outside[at..].trim();
            (content, !rest.is_empty())
        })
        .collect();
    let outside = outside.split_whitespace().collect::<Vec<_>>().join(" ");
    (outside, parens)
}

fn letters(word: &str) -> usize {
    word.chars().filter(|c| c.is_alphabetic()).count()
}

/// A word written like an acronym in the Factbook's prose: no spaces, at least two
/// capitals, at most three small letters, e.g. `ISIS-GS`, `CPP/NPA`, `LeT`, `TdA`. Wider
/// than the matcher's acronyms ([`crate::gazetteer::matcher::is_acronym`]), which are what
/// matches only in capitals.
fn looks_like_acronym(text: &str) -> bool {
    !text.contains(' ')
        && text.chars().filter(|c| c.is_uppercase()).count() >= 2
        && text.chars().filter(|c| c.is_lowercase()).count() <= 3
}

/// Words that join a name's capitalised words: "Army of the Republic", "Jeshi la Polisi".
const CONNECTORS: &[&str] = &[
    "of", "and", "the", "for", "de", "del", "della", "des", "du", "la", "le", "les", "da", "do",
    "dos", "das", "di", "e", "y", "i", "na", "von", "der", "den", "zu", "et", "al", "el", "ul",
    "wal", "fi", "to", "on", "in", "d'", "l'", "o", "or",
];

fn is_connector(word: &str) -> bool {
    let lower = word.to_lowercase();
    let bare = lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
    CONNECTORS.contains(&bare)
        || bare.starts_with("l'")
        || bare.starts_with("d'")
        || bare.starts_with("al-")
        || bare.starts_with("el-")
        || bare.starts_with("ash-")
}

/// A lower-case word that is not a connector: a sign of prose ("is responsible for").
fn is_prose_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_lowercase()) && !is_connector(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;
    use crate::gazetteer::import::{merge, write_tsv};
    use std::io::Write as _;

    const PYCOUNTRY: &str = "alpha_2\talpha_3\tnumeric\tname\tofficial_name\tcommon_name\n\
        IQ\tIRQ\t368\tIraq\tRepublic of Iraq\t\n\
        GB\tGBR\t826\tUnited Kingdom\tUnited Kingdom of Great Britain and Northern Ireland\t\n\
        AU\tAUS\t036\tAustralia\t\t\n\
        AI\tAIA\t660\tAnguilla\t\t\n\
        CD\tCOD\t180\tCongo, The Democratic Republic of the\t\t\n\
        MM\tMMR\t104\tMyanmar\tRepublic of Myanmar\t\n\
        PS\tPSE\t275\tPalestine, State of\tthe State of Palestine\t\n";
    const GEONAMES: &str = "geonameid\tiso\tiso3\tname\tcapital\tpopulation\n\
        99237\tIQ\tIRQ\tIraq\tBaghdad\t38433600\n\
        2635167\tGB\tGBR\tUnited Kingdom\tLondon\t66488991\n\
        2077456\tAU\tAUS\tAustralia\tCanberra\t24992369\n\
        3573511\tAI\tAIA\tAnguilla\tThe Valley\t13254\n\
        203312\tCD\tCOD\tDemocratic Republic of the Congo\tKinshasa\t84068091\n";

    fn record(fields: &[(&str, &str)]) -> String {
        let object: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect();
        serde_json::Value::Object(object).to_string()
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(text.as_bytes()).unwrap();
        path
    }

    fn fixture_records() -> String {
        [
            record(&[
                ("conventional_short", "Iraq"),
                ("conventional_long", "Republic of Iraq"),
                ("adjective", "Iraqi"),
                ("chief_of_state", "President Latif RASHID (since 13 October 2022)"),
                (
                    "head_of_government",
                    "Prime Minister Mohammed Shia al-SUDANI (since 27 October 2022)",
                ),
                ("cabinet", "Council of Ministers proposed by the prime minister"),
                (
                    "terrorist_groups",
                    "Ansar al-Islam; Islamic State of Iraq and ash-Sham (ISIS); \
                     Kata'ib Hizballah; Kata\u{2019}ib Sayyid al-Shuhada (KSS)",
                ),
                (
                    "military_forces",
                    "Ministry of Defense: Iraqi Army, Iraqi Navy, Iraqi Air Force Office of \
                     the Prime Minister: Iraqi Counterterrorism Service (CTS); Popular \
                     Mobilization Committee (PMC) Ministry of Interior: Federal Police Forces \
                     Command, Provincial Police (2025)",
                ),
            ]),
            record(&[
                ("conventional_short", "United Kingdom"),
                ("conventional_long", "United Kingdom of Great Britain and Northern Ireland; note - the island of Great Britain includes England, Scotland, and Wales"),
                ("adjective", "British"),
                ("chief_of_state", "King CHARLES III (since 8 September 2022)"),
                ("head_of_government", "Prime Minister Keir STARMER (since 5 July 2024)"),
                ("terrorist_groups", "Islamic State of Iraq and ash-Sham (ISIS); al-Qa'ida"),
                (
                    "military_forces",
                    "United Kingdom Armed Forces (aka British Armed Forces): British Army, \
                     Royal Navy (includes Royal Marines), Royal Air Force (2025)",
                ),
            ]),
            record(&[
                ("conventional_short", "Anguilla"),
                ("adjective", "Anguillan"),
                (
                    "chief_of_state",
                    "King CHARLES III (since 8 September 2022); represented by Governor \
                     Julia CROUCH (since 11 September 2023)",
                ),
                ("head_of_government", "Premier Cora RICHARDSON-HODGE (since 27 February 2025)"),
            ]),
            record(&[
                ("conventional_short", "Australia"),
                ("adjective", "Australian"),
                (
                    "chief_of_state",
                    "King CHARLES III (since 8 September 2022); represented by Governor \
                     General Samantha (Sam) MOSTYN (since 1 July 2024)",
                ),
                ("head_of_government", "Prime Minister Anthony ALBANESE (since 23 May 2022)"),
                ("terrorist_groups", "Islamic State of Iraq and ash-Sham (ISIS)"),
            ]),
            record(&[
                ("conventional_short", "DRC"),
                ("conventional_long", "Democratic Republic of the Congo"),
                ("adjective", "Congolese or Congo"),
                ("chief_of_state", "President Felix TSHISEKEDI (since 20 January 2024)"),
                (
                    "terrorist_groups",
                    "Islamic State of Iraq and ash-Sham \u{2013} Democratic Republic of the Congo (ISIS-DRC)",
                ),
            ]),
            record(&[("conventional_short", "Burma"), ("chief_of_state", "Acting President Sr. Gen. MIN AUNG HLAING (since 31 July 2025)")]),
            record(&[
                ("conventional_short", "West Bank"),
                ("terrorist_groups", "HAMAS; Palestine Islamic Jihad"),
                (
                    "military_forces",
                    "per the Oslo Accords, the Palestinian Authority (PA) is not permitted a \
                     conventional military but maintains security and police forces; PA forces \
                     include the Palestinian National Security Forces, Presidential Guard, Civil \
                     Police (2024)",
                ),
            ]),
            record(&[("conventional_short", ""), ("government_type", "a hybrid and unique intergovernmental and supranational organization")]),
        ]
        .join("\n")
    }

    fn fixture() -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            write(dir.path(), "factbook.jsonl", &fixture_records()),
            write(dir.path(), "pycountry.tsv", PYCOUNTRY),
            write(dir.path(), "geonames.tsv", GEONAMES),
        ];
        (dir, files)
    }

    fn no_countries() -> HashSet<String> {
        HashSet::new()
    }

    fn names(bodies: &[Body]) -> Vec<&str> {
        bodies.iter().map(|b| b.name.as_str()).collect()
    }

    // --- inputs -------------------------------------------------------------------------

    #[test]
    fn inputs_are_recognised_by_their_first_line() {
        let p = Path::new("x");
        assert_eq!(input_kind(p, "{\"a\": 1}\n").unwrap(), InputKind::Factbook);
        assert_eq!(input_kind(p, PYCOUNTRY).unwrap(), InputKind::Pycountry);
        assert_eq!(input_kind(p, GEONAMES).unwrap(), InputKind::Geonames);
        let err = input_kind(p, "id\tname\ttype\n").unwrap_err().to_string();
        assert!(err.contains("not a Factbook JSONL file"), "{err}");
    }

    #[test]
    fn malformed_json_is_a_parse_error_with_line_and_column() {
        let text = format!(
            "{}\n\n{{\"conventional_short\": \"Iraq\",, }}\n",
            record(&[])
        );
        let err = parse_records(Path::new("fb.jsonl"), &text).unwrap_err();
        match &err {
            Error::Parse { line, column, .. } => {
                assert_eq!((*line, *column), (3, 31));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            err.to_string().starts_with("fb.jsonl:3:31: malformed JSON"),
            "{err}"
        );
        let err = parse_records(Path::new("fb.jsonl"), "[1, 2]\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("fb.jsonl:1:1: expected a JSON object"),
            "{err}"
        );
    }

    #[test]
    fn cabinets_are_read_from_the_start_of_the_cabinet_field() {
        assert_eq!(
            cabinet_body("Cabinet of Ministers appointed by the president"),
            Some("Cabinet of Ministers")
        );
        assert_eq!(
            cabinet_body("Cabinet; appointed by the king"),
            Some("Cabinet")
        );
        assert_eq!(cabinet_body("Executive Yuan"), Some("Executive Yuan"));
        assert_eq!(
            cabinet_body("Cabinet Secretary appointed by the president"),
            None
        );
        assert_eq!(cabinet_body("cabinet appointed by president"), None);
        assert_eq!(cabinet_body("NA"), None);

        let (_dir, files) = fixture();
        let (rows, counts) = read_counted(&files).unwrap();
        let iraq = rows
            .iter()
            .find(|r| r.id == "government/irq-cabinet")
            .unwrap();
        assert_eq!(iraq.name, "Council of Ministers of Iraq");
        assert_eq!(iraq.parent.as_deref(), Some("government/irq"));
        assert_eq!(iraq.subtype.as_deref(), Some("cabinet"));
        for alias in [
            "Iraq cabinet",
            "Iraq's cabinet",
            "Iraqi cabinet",
            "Iraqi Council of Ministers",
        ] {
            assert!(
                iraq.aliases.iter().any(|a| a == alias),
                "{alias}: {:?}",
                iraq.aliases
            );
        }
        assert_eq!(counts.cabinets, 1);
    }

    #[test]
    fn a_country_list_is_required() {
        let dir = tempfile::tempdir().unwrap();
        let factbook = write(dir.path(), "f.jsonl", &fixture_records());
        let err = read_counted(&[factbook]).unwrap_err().to_string();
        assert!(err.contains("no ISO codes"), "{err}");
    }

    #[test]
    fn country_names_map_to_iso_codes() {
        let mut names = CountryNames::default();
        names.add_pycountry(Path::new("p"), PYCOUNTRY).unwrap();
        names.add_geonames(Path::new("g"), GEONAMES).unwrap();
        let resolve = |short: &str, long: &str| {
            let r = Record {
                short: short.into(),
                long: long.into(),
                chief: "x".into(),
                ..Record::default()
            };
            resolve_country(&r, 0, &names).map(|c| (c.iso3, c.display, c.parent))
        };
        assert_eq!(
            resolve("Iraq", "Republic of Iraq").unwrap(),
            ("IRQ".into(), "Iraq".into(), "government/irq".into())
        );
        assert_eq!(resolve("DRC", "").unwrap().0, "COD");
        assert_eq!(resolve("Burma", "Union of Burma").unwrap().0, "MMR");
        assert_eq!(
            resolve(
                "none",
                "United Kingdom of Great Britain and Northern Ireland"
            )
            .unwrap()
            .0,
            "GBR"
        );
        let gaza = resolve("Gaza, Gaza Strip", "none").unwrap();
        assert_eq!(
            gaza,
            ("PSE".into(), "Gaza Strip".into(), "place/gaza-strip".into())
        );
        assert_eq!(resolve("European Union", "").unwrap_err(), "European Union");
        assert_eq!(
            resolve("Spratly Islands", "none").unwrap_err(),
            "Spratly Islands"
        );
        assert_eq!(names.population["GBR"], 66488991);
        assert!(names.codes.contains("GB") && names.codes.contains("GBR"));
    }

    #[test]
    fn adjectives_and_display_names() {
        assert_eq!(adjective_variants("Lao or Laotian"), ["Lao", "Laotian"]);
        assert_eq!(
            adjective_variants("Congolese or Congo"),
            ["Congolese", "Congo"]
        );
        assert_eq!(
            adjective_variants("Swati; note - former term, Swazi"),
            ["Swati"]
        );
        assert!(adjective_variants("Motswana (singular), Batswana (plural)").is_empty());
        assert!(adjective_variants("NA").is_empty());
        assert_eq!(
            adjective_variants("Barbadian or Bajan (colloquial)"),
            ["Barbadian", "Bajan"]
        );
        assert_eq!(
            strip_trailing_paren("Falkland Islands (Islas Malvinas)"),
            "Falkland Islands"
        );
        assert_eq!(
            strip_trailing_paren("Cocos (Keeling) Islands"),
            "Cocos (Keeling) Islands"
        );
        assert_eq!(with_article("United States"), "the United States");
        assert_eq!(with_article("Solomon Islands"), "the Solomon Islands");
        assert_eq!(with_article("The Gambia"), "The Gambia");
        assert_eq!(with_article("Iraq"), "Iraq");
        assert_eq!(
            with_article_long("People's Republic of China"),
            "the People's Republic of China"
        );
        assert_eq!(with_article_long("Brunei Darussalam"), "Brunei Darussalam");
        assert_eq!(
            long_name(
                "Islamic Republic of Afghanistan (prior to 15 August 2021); current country name disputed"
            ),
            None
        );
    }

    // --- people -------------------------------------------------------------------------

    fn people(text: &str, office: Office) -> Vec<Person> {
        parse_people(text, office, &no_countries()).0
    }

    #[test]
    fn heads_of_state_and_government_are_read_from_titles() {
        let p = people(
            "President Abdelmadjid TEBBOUNE (since 19 December 2019)",
            Office::ChiefOfState,
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].name, "Abdelmadjid Tebboune");
        assert_eq!(p[0].role, "president");
        assert_eq!(p[0].valid_from.as_deref(), Some("2019-12-19"));
        assert!(!p[0].official);

        let p = people(
            "Prime Minister Mohammed Shia al-SUDANI (since 27 October 2022)",
            Office::HeadOfGovernment,
        );
        assert_eq!(p[0].name, "Mohammed Shia al-Sudani");
        assert_eq!(p[0].role, "prime_minister");
        assert!(p[0].aliases.contains(&"Mohammed al-Sudani".to_string()));

        let p = people(
            "President XI Jinping (since 14 March 2013)",
            Office::ChiefOfState,
        );
        assert_eq!(p[0].name, "Xi Jinping");
        let p = people(
            "King CHARLES III (since 8 September 2022)",
            Office::ChiefOfState,
        );
        assert_eq!(
            (p[0].name.as_str(), p[0].role.as_str()),
            ("Charles III", "king")
        );
        assert_eq!(p[0].aliases, ["King Charles III"]);
        let p = people("King PHILIPPE (since 21 July 2013)", Office::ChiefOfState);
        assert_eq!(p[0].name, "King Philippe");
        let p = people("Pope LEO XIV (since 8 May 2025)", Office::ChiefOfState);
        assert_eq!(p[0].name, "Leo XIV");
        let p = people(
            "President Alexander VAN DER BELLEN (since 26 January 2017)",
            Office::ChiefOfState,
        );
        assert_eq!(p[0].name, "Alexander Van der Bellen");
        let p = people(
            "President Ferdinand \"BongBong\" MARCOS, Jr. (since 30 June 2022)",
            Office::ChiefOfState,
        );
        assert_eq!(p[0].name, "Ferdinand Marcos Jr.");
        assert!(p[0].aliases.contains(&"BongBong Marcos".to_string()));
        let p = people(
            "President Nayib Armando BUKELE Ortez (since 1 June 2019)",
            Office::ChiefOfState,
        );
        assert_eq!(p[0].name, "Nayib Armando Bukele Ortez");
        assert!(p[0].aliases.contains(&"Nayib Bukele".to_string()));
        let p = people(
            "Supreme Leader Ali Hoseini-KHAMENEI (since 4 June 1989)",
            Office::ChiefOfState,
        );
        assert_eq!(p[0].role, "supreme_leader");
        assert!(p[0].aliases.contains(&"Ali Khamenei".to_string()));
        let p = people(
            "President Donald J. TRUMP (since 20 January 2025)",
            Office::ChiefOfState,
        );
        assert_eq!(p[0].aliases, ["Donald Trump"]);
    }

    #[test]
    fn titles_with_acronyms_monarchs_and_deputies() {
        let p = people(
            "CNSP Prime Minister Ali Mahaman Lamine ZEINE (since 9 August 2023)",
            Office::HeadOfGovernment,
        );
        assert_eq!(p[0].name, "Ali Mahaman Lamine Zeine");
        assert_eq!(p[0].role, "prime_minister");
        let p = people(
            "Sultan and Prime Minister HAITHAM bin Tarik Al Said (since 11 January 2020)",
            Office::ChiefOfState,
        );
        assert_eq!(
            (p[0].name.as_str(), p[0].role.as_str()),
            ("Haitham bin Tarik Al Said", "sultan")
        );
        let p = people(
            "Vice President Mohammed JALLOW (since 23 February 2024)",
            Office::HeadOfGovernment,
        );
        assert_eq!(p[0].role, "vice_president");
        assert!(p[0].official);
        let p = people(
            "Sovereign Council Chair and Commander-in-Chief of the Sudanese Armed Forces General \
             Abd-al-Fattah al-BURHAN Abd-al-Rahman (since 11 November 2021)",
            Office::ChiefOfState,
        );
        assert_eq!(p[0].name, "Abd-al-Fattah al-Burhan Abd-al-Rahman");
        assert_eq!(p[0].role, "chairperson");
        let p = people(
            "King Sultan IBRAHIM ibni al-Marhum Sultan Iskandar (since 31 January 2024)",
            Office::ChiefOfState,
        );
        assert_eq!(p[0].name, "Ibrahim ibni al-Marhum Sultan Iskandar");
        assert_eq!(p[0].role, "king");
    }

    #[test]
    fn representatives_pairs_and_notes() {
        let (p, skipped) = parse_people(
            "King CHARLES III (since 8 September 2022); represented by Governor General \
             Samantha (Sam) MOSTYN (since 1 July 2024)",
            Office::ChiefOfState,
            &no_countries(),
        );
        assert_eq!(skipped, 0);
        assert_eq!(p.len(), 2);
        assert!(p[0].represented && !p[0].official);
        assert_eq!(p[1].name, "Samantha Mostyn");
        assert_eq!(p[1].aliases, ["Sam Mostyn"]);
        assert_eq!(p[1].role, "governor_general");
        assert!(p[1].official);

        let p = people(
            "co-chiefs of state Captains Regent Matteo ROSSI and Lorenzo BUGLI (for the period \
             1 October 2025 - 31 March 2026)",
            Office::ChiefOfState,
        );
        assert_eq!(p.len(), 2);
        for person in &p {
            assert_eq!(person.role, "captain_regent");
            assert_eq!(person.valid_from.as_deref(), Some("2025-10-01"));
            assert_eq!(person.valid_to.as_deref(), Some("2026-03-31"));
        }

        let p = people(
            "King WACHIRALONGKON; also spelled Vajiralongkorn (since 1 December 2016)",
            Office::ChiefOfState,
        );
        assert_eq!(p[0].name, "King Wachiralongkon");
        assert_eq!(p[0].aliases, ["Vajiralongkorn"]);
        assert_eq!(p[0].valid_from.as_deref(), Some("2016-12-01"));

        // A former office holder is left out; a plain name without capitals is read.
        let (p, skipped) = parse_people(
            "Ahmad al-Shara'; former President Bashar al-ASAD was overthrown by Islamist rebels \
             on 8 December 2024",
            Office::ChiefOfState,
            &no_countries(),
        );
        assert_eq!(p.len(), 1);
        assert_eq!(
            (p[0].name.as_str(), p[0].role.as_str()),
            ("Ahmad al-Shara'", "head_of_state")
        );
        assert_eq!(skipped, 1);

        let (p, skipped) =
            parse_people("President (vacant)", Office::ChiefOfState, &no_countries());
        assert!(p.is_empty());
        assert_eq!(skipped, 1);

        let countries: HashSet<String> = ["new zealand".to_string()].into();
        let (p, _) = parse_people(
            "King CHARLES III (since 8 September 2022); represented by Governor-General of New \
             Zealand Cindy KIRO (since 21 October 2021); the UK and New Zealand are represented \
             by New Zealand High Commissioner Mark GIBBS (since 5 March 2024)",
            Office::ChiefOfState,
            &countries,
        );
        let found: Vec<(&str, &str)> = p
            .iter()
            .map(|x| (x.name.as_str(), x.role.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("Charles III", "king"),
                ("Cindy Kiro", "governor_general"),
                ("Mark Gibbs", "high_commissioner")
            ]
        );
    }

    #[test]
    fn dates_and_surnames() {
        assert_eq!(
            parse_date("12 December 2019").as_deref(),
            Some("2019-12-12")
        );
        assert_eq!(parse_date("April 2018").as_deref(), Some("2018-04"));
        assert_eq!(parse_date("5 Sep 2025").as_deref(), Some("2025-09-05"));
        assert_eq!(parse_date("1997").as_deref(), Some("1997"));
        assert_eq!(parse_date("vacant"), None);
        assert_eq!(parse_date("45 Foo 99999"), None);
        assert_eq!(
            office_dates(
                "chairperson since 16 July 2025; presidency member since 20 November 2018"
            ),
            Some((Some("2025-07-16".into()), None))
        );
        assert_eq!(
            office_dates("28 October 2022"),
            Some((Some("2022-10-28".into()), None))
        );
        assert_eq!(office_dates("Sam"), None);
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            surname_case(&words(&["MUHAMMAD", "BIN", "ZAYID"])),
            "Muhammad bin Zayid"
        );
        assert_eq!(surname_case(&words(&["OSMANI-Sadriu"])), "Osmani-Sadriu");
        assert_eq!(
            surname_case(&words(&["CARL", "XVI", "GUSTAF"])),
            "Carl XVI Gustaf"
        );
        assert_eq!(surname_case(&words(&["MULI'AKA'AKA"])), "Muli'aka'aka");
        assert_eq!(
            role_for("Taoiseach (Prime Minister)", Office::HeadOfGovernment),
            Some("prime_minister")
        );
        assert_eq!(
            role_for(
                "President of Council of Ministers",
                Office::HeadOfGovernment
            ),
            Some("prime_minister")
        );
        assert_eq!(role_for("Amir", Office::ChiefOfState), Some("emir"));
        assert_eq!(role_for("Ulu o Tokelau", Office::HeadOfGovernment), None);
    }

    // --- terrorist groups ---------------------------------------------------------------

    #[test]
    fn group_items_with_acronyms_branches_and_double_names() {
        let (groups, skipped) = parse_groups(
            "al-Qa'ida in the Islamic Maghreb (AQIM); Islamic State of Iraq and ash-Sham (ISIS) \u{2013} \
             Algeria; Ansarallah (Houthis); Islamic Revolutionary Guard Corps (IRGC)/Qods Force; \
             Communist Party of the Philippines/New People's Army (CPP/NPA); HAMAS; Ansar al-Sharia groups",
        );
        assert_eq!(skipped, 0);
        let g = |name: &str| {
            groups
                .iter()
                .find(|g| g.name == name)
                .unwrap_or_else(|| panic!("{name}: {groups:?}"))
        };
        assert_eq!(g("al-Qa'ida in the Islamic Maghreb").aliases, ["AQIM"]);
        let branch = g("Islamic State of Iraq and ash-Sham - Algeria");
        assert_eq!(
            branch.head.as_deref(),
            Some("Islamic State of Iraq and ash-Sham")
        );
        assert_eq!(g("Ansarallah").aliases, ["Houthis"]);
        assert_eq!(
            g("Islamic Revolutionary Guard Corps/Qods Force").aliases,
            ["IRGC/Qods Force"]
        );
        let cpp = g("Communist Party of the Philippines/New People's Army");
        assert!(cpp.aliases.contains(&"New People's Army".to_string()));
        assert!(cpp.aliases.contains(&"CPP/NPA".to_string()));
        g("Hamas");
        g("Ansar al-Sharia");

        let (groups, _) = parse_groups(
            "Islamic State of Iraq and ash-Sham \u{2013} East Asia (ISIS-EA) in the Philippines; \
             Islamic State of Iraq and ash-Sham (ISIS) network in Tunisia (known locally as Ajnad \
             al-Khilafah or the Army of the Caliphate); Islamic State of Iraq and ash-Sham (aka \
             Jemaah Anshorut Daulah)",
        );
        assert_eq!(
            groups[0].name,
            "Islamic State of Iraq and ash-Sham - East Asia"
        );
        assert_eq!(groups[0].aliases, ["ISIS-EA"]);
        assert_eq!(
            groups[1].name,
            "Islamic State of Iraq and ash-Sham network in Tunisia"
        );
        assert_eq!(
            groups[1].aliases,
            ["Ajnad al-Khilafah", "Army of the Caliphate"]
        );
        assert_eq!(groups[2].aliases, ["Jemaah Anshorut Daulah"]);
    }

    #[test]
    fn group_lists_separated_by_commas_or_in_prose() {
        let (groups, _) =
            parse_groups("Abu Sayyaf Group, al-Qa'ida, Islamic State of Iraq and ash-Sham (ISIS)");
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Abu Sayyaf Group",
                "al-Qa'ida",
                "Islamic State of Iraq and ash-Sham"
            ]
        );
        let (groups, skipped) = parse_groups(
            "US-designated foreign terrorist groups such as the Islamic Jihad Union, the Islamic \
             Movement of Uzbekistan, and the Islamic State of Iraq and ash-Sham-Khorasan Province \
             have operated in the area where the Uzbek, Kyrgyz, and Tajik borders converge",
        );
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Islamic Jihad Union",
                "Islamic Movement of Uzbekistan",
                "Islamic State of Iraq and ash-Sham-Khorasan Province"
            ]
        );
        assert_eq!(skipped, 2); // "Kyrgyz", "and Tajik borders converge"
    }

    // --- forces -------------------------------------------------------------------------

    #[test]
    fn forces_with_headers_glued_blocks_and_generic_names() {
        let (bodies, skipped) = parse_forces(
            "Algerian People's National Army (ANP): Land Forces, Naval Forces (includes Coast \
             Guard), Air Forces, Republican Guard, National Gendarmerie Ministry of Interior: \
             General Directorate of National Security (national police) (2025)",
            "Algerian",
            &no_countries(),
        );
        assert_eq!(skipped, 0);
        assert_eq!(
            names(&bodies),
            [
                "Algerian People's National Army",
                "Algerian Land Forces",
                "Algerian Naval Forces",
                "Algerian Coast Guard",
                "Algerian Air Forces",
                "Algerian Republican Guard",
                "Algerian National Gendarmerie",
                "Algerian Ministry of Interior",
                "Algerian General Directorate of National Security",
            ]
        );
        assert_eq!(bodies[0].aliases, ["ANP"]);
        assert_eq!(bodies[1].parent, Some(0));
        assert_eq!(bodies[3].parent, Some(2)); // the coast guard is part of the navy
        assert_eq!(bodies[7].parent, None);
        assert_eq!(bodies[8].parent, Some(7));
        let subtypes: Vec<&str> = bodies.iter().map(|b| b.subtype).collect();
        assert_eq!(
            subtypes,
            [
                "military",
                "military",
                "military",
                "security_force",
                "military",
                "military",
                "police",
                "ministry",
                "security_force"
            ]
        );
        assert_eq!(bodies[7].aliases, ["Algerian Interior Ministry"]);
        assert_eq!(bodies[1].bare.as_deref(), Some("Land Forces"));
    }

    #[test]
    fn forces_under_single_word_headers_and_in_prose() {
        let (bodies, _) = parse_forces(
            "the military forces of Iran are divided between the Islamic Republic of Iran Regular \
             Forces (Artesh) and the Islamic Revolutionary Guard Corps (IRGC or Sepah): Artesh: \
             Ground Forces, Navy IRGC: Ground Forces, Qods Force (aka Quds Force; special \
             operations) Ministry of Intelligence and Security (2025)",
            "Iranian",
            &no_countries(),
        );
        assert_eq!(
            names(&bodies),
            [
                "Islamic Republic of Iran Regular Forces",
                "Islamic Revolutionary Guard Corps",
                "Artesh Ground Forces",
                "Artesh Navy",
                "IRGC Ground Forces",
                "Qods Force",
                "Iranian Ministry of Intelligence and Security",
            ]
        );
        assert_eq!(bodies[1].aliases, ["IRGC", "Sepah"]);
        assert_eq!(bodies[4].parent, Some(1));
        assert_eq!(bodies[5].aliases, ["Quds Force"]);
        assert_eq!(bodies[6].parent, None);
        assert_eq!(bodies[6].subtype, "intelligence");

        let (bodies, _) = parse_forces(
            "no regular military forces; the Mauritius Police Force (MPF) under the Ministry of \
             Defense is responsible for the country's security; it includes a paramilitary unit \
             known as the Special Mobile Force, which includes some motorized infantry (2025)",
            "Mauritian",
            &no_countries(),
        );
        assert_eq!(
            names(&bodies),
            ["Mauritius Police Force", "Mauritian Special Mobile Force"]
        );
    }

    #[test]
    fn forces_with_broken_parentheses_and_split_ministry_names() {
        let (bodies, _) = parse_forces(
            "no regular military forces; Prince\u{2019}s Company of Carabiniers (Compagnie des \
             Carabiniers du Prince, Police Department (Direction de la S\u{fb}ret\u{e9} Publique)",
            "Monegasque",
            &no_countries(),
        );
        assert_eq!(
            names(&bodies),
            [
                "Prince's Company of Carabiniers",
                "Monegasque Police Department"
            ]
        );
        let (bodies, _) = parse_forces(
            "Burundi National Defense Force (BNDF): Land Force (Army) Ministry of Interior, \
             Community Development, and Public Security: Burundi National Police (2024)",
            "Burundian",
            &no_countries(),
        );
        assert_eq!(
            names(&bodies),
            [
                "Burundi National Defense Force",
                "Burundian Land Force",
                "Burundian Ministry of Interior, Community Development, and Public Security",
                "Burundi National Police"
            ]
        );
        assert_eq!(bodies[3].parent, Some(2));
        let countries: HashSet<String> = ["china".to_string()].into();
        let (bodies, _) = parse_forces(
            "Hong Kong Police Force China's People's Liberation Army (PLA) Hong Kong Garrison is \
             responsible for defense duties; the garrison includes elements of the PLA Army, PLA \
             Navy (2025)",
            "Hong Kong",
            &countries,
        );
        assert_eq!(names(&bodies), ["Hong Kong Police Force"]);
    }

    #[test]
    fn glued_pieces_split_where_a_line_break_was_lost() {
        assert_eq!(
            split_glued("Sultan's Special Forces Royal Oman Police (ROP)"),
            ["Sultan's Special Forces", "Royal Oman Police (ROP)"]
        );
        assert_eq!(
            split_glued("Air Force (TNI-AU) Indonesian National Police (aka POLRI)"),
            [
                "Air Force (TNI-AU)",
                "Indonesian National Police (aka POLRI)"
            ]
        );
        assert_eq!(
            split_glued("Turkish Gendarmerie General Command"),
            ["Turkish Gendarmerie General Command"]
        );
        assert_eq!(
            split_glued("Police Helicopter Squadron"),
            ["Police Helicopter Squadron"]
        );
        assert_eq!(
            split_glued("Border Guard Forces Interior Ministry"),
            ["Border Guard Forces", "Interior Ministry"]
        );
        assert_eq!(
            split_glued("Punjab (Pakistan) Rangers"),
            ["Punjab (Pakistan) Rangers"]
        );
        assert!(is_generic("National Police"));
        assert!(is_generic("Ministry of Interior"));
        assert!(!is_generic("Kenya Army"));
        assert_eq!(body_subtype("Royal Malaysia Police"), Some("police"));
        assert_eq!(
            body_subtype("Malaysian Maritime Enforcement Agency"),
            Some("security_force")
        );
        assert_eq!(
            body_subtype("Federal Security Services"),
            Some("intelligence")
        );
        assert_eq!(
            body_subtype("Iraqi Office of the Prime Minister"),
            Some("executive_office")
        );
        assert_eq!(body_subtype("Ocean Affairs Council"), None);
        assert_eq!(balance_parens("a (b, c) d)"), "a (b, c) d");
        assert_eq!(balance_parens("a (b, c (d)"), "a (b), c (d)");
    }

    // --- assembly -----------------------------------------------------------------------

    #[test]
    fn rows_from_fixture_files() {
        let (_dir, files) = fixture();
        let (rows, counts) = read_counted(&files).unwrap();
        assert_eq!(counts.records, 8);
        assert_eq!(counts.unmapped.len(), 1); // the EU-like empty record
        let get = |id: &str| {
            rows.iter()
                .find(|r| r.id == id)
                .unwrap_or_else(|| panic!("{id}"))
        };

        // Order: armed groups, governments, forces, people.
        let kinds: Vec<EntityType> = rows.iter().map(|r| r.kind).collect();
        let first_government = kinds
            .iter()
            .position(|k| *k == EntityType::Government)
            .unwrap();
        let first_person = kinds.iter().position(|k| *k == EntityType::Person).unwrap();
        assert!(
            kinds[..first_government]
                .iter()
                .all(|k| *k == EntityType::ArmedGroup)
        );
        assert!(
            kinds[first_person..]
                .iter()
                .all(|k| *k == EntityType::Person)
        );

        let iraq = get("government/irq");
        assert_eq!(iraq.name, "Government of Iraq");
        assert_eq!(iraq.subtype.as_deref(), Some("national_government"));
        assert_eq!(iraq.parent.as_deref(), Some("place/irq"));
        assert_eq!(
            iraq.aliases,
            [
                "Iraq government",
                "Iraq's government",
                "Iraqi government",
                "Government of the Republic of Iraq"
            ]
        );
        assert_eq!(iraq.origin.rsplit(':').next(), Some("1"));
        assert_eq!(
            get("government/gbr").name,
            "Government of the United Kingdom"
        );
        assert_eq!(
            get("government/aia").subtype.as_deref(),
            Some("territorial_government")
        );
        assert!(rows.iter().all(|r| r.id != "government/pse"));

        // One Islamic State, with the countries that list it not named (several).
        let isis = get("armed_group/islamic-state");
        assert_eq!(isis.country, None);
        assert!(isis.aliases.contains(&"ISIS".to_string()));
        let drc =
            get("armed_group/islamic-state-of-iraq-and-ash-sham-democratic-republic-of-the-congo");
        assert_eq!(drc.parent.as_deref(), Some("armed_group/islamic-state"));
        assert_eq!(drc.country.as_deref(), Some("COD"));
        assert_eq!(
            get("armed_group/kataib-sayyid-al-shuhada")
                .country
                .as_deref(),
            Some("IRQ")
        );
        assert_eq!(
            get("armed_group/palestinian-islamic-jihad")
                .country
                .as_deref(),
            Some("PSE")
        );

        // Forces hang from their ministry, the government, or the territory's place.
        let army = get("government/iraqi-army");
        assert_eq!(
            army.parent.as_deref(),
            Some("government/iraqi-ministry-of-defense")
        );
        assert_eq!(army.country.as_deref(), Some("IRQ"));
        assert_eq!(
            army.source.as_deref(),
            Some("CIA World Factbook (public domain): military_forces")
        );
        assert_eq!(
            get("government/popular-mobilization-committee")
                .parent
                .as_deref(),
            Some("government/irq")
        );
        assert_eq!(
            get("government/british-royal-air-force").aliases,
            ["Royal Air Force"]
        );
        assert_eq!(
            get("government/palestinian-civil-police").parent.as_deref(),
            Some("place/west-bank")
        );

        // King Charles III is one person, of the United Kingdom.
        let charles: Vec<&Entity> = rows.iter().filter(|r| r.name == "Charles III").collect();
        assert_eq!(charles.len(), 1);
        assert_eq!(charles[0].country.as_deref(), Some("GBR"));
        assert_eq!(charles[0].parent.as_deref(), Some("government/gbr"));
        let governor = get("person/julia-crouch");
        assert_eq!(governor.subtype.as_deref(), Some("official"));
        assert_eq!(governor.country.as_deref(), Some("AIA"));
        let pm = get("person/mohammed-shia-al-sudani");
        assert_eq!(pm.role.as_deref(), Some("prime_minister"));
        assert_eq!(pm.subtype.as_deref(), Some("head_of_government"));
        assert_eq!(pm.valid_from.as_deref(), Some("2022-10-27"));
        assert_eq!(
            pm.source.as_deref(),
            Some("CIA World Factbook (public domain): head_of_government")
        );
        assert_eq!(
            get("person/min-aung-hlaing").country.as_deref(),
            Some("MMR")
        );
    }

    #[test]
    fn fixture_rows_load_next_to_the_core_gazetteer() {
        let (_dir, files) = fixture();
        let (rows, _) = read_counted(&files).unwrap();
        let core_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/core.tsv");
        let core =
            Gazetteer::load_files(std::slice::from_ref(&core_path), Default::default()).unwrap();
        let merged = merge(rows, &[&core]);
        // "Government of Iraq" is curated: the imported one is left out and Iraq's forces
        // and people hang from the curated entry.
        assert!(merged.entities.iter().all(|e| e.id != "government/irq"));
        let army = merged
            .entities
            .iter()
            .find(|e| e.id == "government/iraqi-army")
            .unwrap();
        assert_eq!(
            army.parent.as_deref(),
            Some("government/iraqi-ministry-of-defense")
        );
        let ministry = merged
            .entities
            .iter()
            .find(|e| e.id == "government/iraqi-ministry-of-defense")
            .unwrap();
        assert_eq!(
            ministry.parent.as_deref(),
            Some("government/iraq-government")
        );
        let mut out = Vec::new();
        write_tsv(&merged.entities, &["test".into()], &mut out).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let generated = write(
            dir.path(),
            "gen-factbook.tsv",
            &String::from_utf8(out).unwrap(),
        );
        Gazetteer::load_files(&[core_path, generated], Default::default()).unwrap();
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Odd text never makes a parser panic.
        #[test]
        fn parsers_never_panic(text in r#"[A-Za-z \u{e9}\u{2019}'"(),;:/.0-9-]{0,120}"#) {
            let countries: HashSet<String> = ["china".to_string()].into();
            let _ = parse_people(&text, Office::ChiefOfState, &countries);
            let _ = parse_people(&text, Office::HeadOfGovernment, &countries);
            let _ = parse_forces(&text, "Iraqi", &countries);
            let _ = parse_groups(&text);
            let _ = parse_date(&text);
            let _ = office_dates(&text);
            let _ = adjective_variants(&text);
            let _ = split_glued(&text);
        }

        /// Capitalised words, titles and parentheses in any order.
        #[test]
        fn parsers_never_panic_on_word_soup(words in proptest::collection::vec(
            proptest::sample::select(vec![
                "President", "Prime", "Minister", "KING", "III", "al-SUDANI", "(since", "2019)",
                "(", ")", ";", ",", ":", "represented", "by", "and", "Jr.", "\"Bo\"", "Army",
                "Ministry", "of", "Interior", "(includes", "Forces", "aka", "or", "-", "the",
            ]),
            0..30,
        )) {
            let text = words.join(" ");
            let none = HashSet::new();
            let _ = parse_people(&text, Office::ChiefOfState, &none);
            let _ = parse_forces(&text, "Iraqi", &none);
            let _ = parse_groups(&text);
        }
    }

    /// The real Factbook file and the pycountry and GeoNames country lists, if the shared
    /// data is next to the source tree.
    fn real_paths() -> Option<Vec<PathBuf>> {
        let shared = crate::test_support::shared("sources")?;
        let files = vec![
            shared.join("factbook/cia_factbook_government_terrorism.jsonl"),
            shared.join("places/pycountry_countries.tsv"),
            shared.join("places/geonames_countries.tsv"),
        ];
        files.iter().all(|f| f.exists()).then_some(files)
    }

    /// The real Factbook file with the country lists; skipped without the shared data.
    #[test]
    fn real_factbook_file() {
        let Some(files) = real_paths() else {
            eprintln!("skipped: the shared Factbook data (../shared/sources) is not there");
            return;
        };
        let (rows, counts) = read_counted(&files).unwrap();
        let count = |f: &dyn Fn(&Entity) -> bool| rows.iter().filter(|r| f(r)).count();
        let governments = count(&|r| r.subtype.as_deref() == Some("national_government"));
        let forces = count(&|r| {
            r.kind == EntityType::Government
                && !matches!(
                    r.subtype.as_deref(),
                    Some(
                        "national_government"
                            | "territorial_government"
                            | "ministry"
                            | "executive_office"
                            | "agency"
                    )
                )
        });
        eprintln!(
            "real Factbook: {} rows; {governments} national governments; {forces} military and \
             security bodies; {} ministries; {} people; {} armed groups; skipped: {} records \
             without code, {} people statements, {} group items, {} force items",
            rows.len(),
            counts.ministries,
            counts.people,
            counts.groups,
            counts.unmapped.len(),
            counts.people_skipped,
            counts.groups_skipped,
            counts.forces_skipped
        );
        assert!(governments >= 190, "{governments} national governments");
        assert!(forces >= 500, "{forces} military and security bodies");
        let iraq_head = rows
            .iter()
            .find(|r| {
                r.kind == EntityType::Person
                    && r.country.as_deref() == Some("IRQ")
                    && r.subtype.as_deref() == Some("head_of_government")
            })
            .expect("Iraq's head of government");
        assert_eq!(iraq_head.role.as_deref(), Some("prime_minister"));
        assert_eq!(iraq_head.parent.as_deref(), Some("government/irq"));
        let merged = merge(rows, &[]);
        assert_eq!(merged.duplicates, 0);
        let mut out = Vec::new();
        write_tsv(&merged.entities, &[], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        Gazetteer::from_tsv(Path::new("gen-factbook.tsv"), &text).unwrap();
    }
}
