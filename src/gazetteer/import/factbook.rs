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

// ---------------------------------------------------------------------------------------
// Terrorist groups

/// One group as a country's `terrorist_groups` field lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupItem {
    pub name: String,
    /// Acronyms and other names from parentheses ("AQIM", "Houthis").
    pub aliases: Vec<String>,
    /// The group this one is a branch of, as written: "Islamic State of Iraq and ash-Sham"
    /// in "Islamic State of Iraq and ash-Sham (ISIS) - Algeria".
    pub head: Option<String>,
}

/// Parse a `terrorist_groups` field: items separated by `;` (by `,` when there is no
/// `;`), each "Name (ACRONYM or other name)". Returns the groups and the number of items
/// skipped as prose. A prose field ("groups such as the Islamic Jihad Union, the ...
/// have operated in ...") yields only the names introduced by "such as the" and "the".
pub fn parse_groups(text: &str) -> (Vec<GroupItem>, usize) {
    let text = balance_parens(&clean(text));
    if text.is_empty() {
        return (Vec::new(), 0);
    }
    let separator = if split_top(&text, &[';']).len() > 1 {
        ';'
    } else {
        ','
    };
    let items: Vec<String> = split_top(&text, &[separator])
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| !p.is_empty())
        .collect();
    let prose = items.iter().any(|item| {
        let (outside, _) = outside_parens(item);
        outside
            .split_whitespace()
            .filter(|w| is_prose_word(w))
            .count()
            >= 2
    });
    let mut groups = Vec::new();
    let mut skipped = 0;
    for item in items {
        let item = if prose {
            match prose_group_name(&item) {
                Some(name) => name,
                None => {
                    skipped += 1;
                    continue;
                }
            }
        } else {
            item
        };
        match parse_group(&item) {
            Some(group) => groups.push(group),
            None => skipped += 1,
        }
    }
    (groups, skipped)
}

/// In a prose field, the name after "such as the" or a leading "the"/"and the", up to
/// the first lower-case word that is not a connector.
fn prose_group_name(item: &str) -> Option<String> {
    let start = if let Some(at) = item.find("such as the ") {
        at + "such as the ".len()
    } else if let Some(rest) = item.strip_prefix("and the ") {
        item.len() - rest.len()
    } else if let Some(rest) = item.strip_prefix("the ") {
        item.len() - rest.len()
    } else {
        return None;
    };
    let mut words = Vec::new();
    for word in item[start..].split_whitespace() {
        if is_prose_word(word) {
            break;
        }
        words.push(word);
    }
    while words.last().is_some_and(|w| is_connector(w)) {
        words.pop();
    }
    let name = words.join(" ");
    (words.len() >= 2 && name.starts_with(|c: char| c.is_uppercase())).then_some(name)
}

/// Parse one group item: "al-Qa'ida in the Islamic Maghreb (AQIM)", "Ansarallah
/// (Houthis)", "Islamic State of Iraq and ash-Sham (ISIS) - Algeria" (a branch: the
/// acronym names the head group), "... - East Asia (ISIS-EA) in the Philippines" (a
/// trailing `in <place>` is dropped), "Islamic State of Iraq and ash-Sham (aka Jemaah
/// Anshorut Daulah)". `None` for an item that is not a name.
pub fn parse_group(item: &str) -> Option<GroupItem> {
    let item = clean(item);
    let item = item
        .trim_matches(|c: char| c == '.' || c == ',' || c == ' ')
        .trim_start_matches("and ")
        .to_string();
    // Split into the text before the first top-level parenthesis, the parentheses, and
    // the text after them.
    let mut head_text = String::new();
    let mut parens: Vec<(String, String)> = Vec::new(); // (content, text after it)
    let mut depth = 0usize;
    let mut current = String::new();
    for c in item.chars() {
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
                    parens.push((current.trim().to_string(), String::new()));
                    current.clear();
                } else {
                    current.push(c);
                }
            }
            c if depth > 0 => current.push(c),
            c => match parens.last_mut() {
                Some((_, after)) => after.push(c),
                None => head_text.push(c),
            },
        }
    }
    let head_text = head_text.trim().to_string();
    if !head_text.starts_with(|c: char| c.is_uppercase() || c.is_lowercase()) {
        return None;
    }
    let mut group = GroupItem::default();
    let mut name = head_text.clone();
    let last = parens.len().saturating_sub(1);
    for (at, (content, after)) in parens.iter().enumerate() {
        let after = after.trim();
        if at == last && after.is_empty() {
            group.aliases.extend(paren_aliases(content));
        } else if after.starts_with("in ") && at == last {
            // "- East Asia (ISIS-EA) in the Philippines": the place is not part of the name.
            group.aliases.extend(paren_aliases(content));
        } else {
            // A parenthesis inside the item names what precedes it: the head group.
            if at == 0 && group.head.is_none() {
                group.head = Some(name.clone());
            }
            let joined = if let Some(rest) = after.strip_prefix('-') {
                format!("{name} - {}", rest.trim())
            } else if after.starts_with('/') {
                format!("{name}{after}")
            } else {
                format!("{name} {after}")
            };
            if after.starts_with('/') && looks_like_acronym(content) {
                group.aliases.push(format!("{content}{after}"));
            }
            name = joined;
        }
    }
    let mut name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    name = name.replace(" -", " - ").replace("-  ", "- ");
    name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(bare) = name.strip_suffix(" groups") {
        name = bare.to_string();
    }
    if name.split_whitespace().filter(|w| is_prose_word(w)).count() >= 2
        || letters(&name) < 3
        || name.split_whitespace().count() > 12
    {
        return None;
    }
    // "Communist Party of the Philippines/New People's Army (CPP/NPA)": one organisation
    // under a double name; each part is an alias too.
    if name.contains('/')
        && group
            .aliases
            .iter()
            .any(|a| a.contains('/') && looks_like_acronym(a))
    {
        for part in name.split('/') {
            if part.split_whitespace().count() >= 2 {
                group.aliases.push(part.trim().to_string());
            }
        }
    }
    group.name = tidy_name(&name);
    Some(group)
}

/// Names inside a parenthesis: "ISIS", "aka Jemaah Anshorut Daulah", "known locally as
/// Ajnad al-Khilafah or the Army of the Caliphate", "PLFP-GC".
fn paren_aliases(content: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (piece, _) in split_top(content, &[',', ';']) {
        for part in split_top_word(&piece, " or ") {
            let mut part = part.trim().to_string();
            for prefix in [
                "aka ",
                "also known as ",
                "known locally as ",
                "known as ",
                "also ",
                "or ",
                "the ",
            ] {
                if let Some(rest) = part.strip_prefix(prefix) {
                    part = rest.trim().to_string();
                }
            }
            let (outside, _) = outside_parens(&part);
            if outside.is_empty() || !outside.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            if outside.starts_with(|c: char| c.is_lowercase()) && !is_connector_prefixed(&outside) {
                continue;
            }
            out.push(outside);
        }
    }
    out
}

/// "al-Mourabitoun", "ash-Sham": a lower-case Arabic article starting a name.
fn is_connector_prefixed(text: &str) -> bool {
    ["al-", "el-", "ash-", "an-", "ad-", "as-"]
        .iter()
        .any(|p| text.starts_with(p))
}

/// A merged group and the countries that list it.
#[derive(Debug, Clone)]
struct Group {
    item: GroupItem,
    keys: HashSet<String>,
    countries: Vec<String>,
    origin: String,
    first_seen: usize,
}

/// The armed-group rows: parse each country's list, merge the same group listed by
/// several countries (same folded name, or a shared acronym), name branches' parents.
fn group_rows(
    records: &[Record],
    countries: &[Country],
    names: &CountryNames,
    counts: &mut Counts,
) -> Vec<Entity> {
    let by_record: HashMap<usize, &Country> = countries.iter().map(|c| (c.record, c)).collect();
    let mut groups: Vec<Group> = Vec::new();
    let mut seen = 0usize;
    for (index, record) in records.iter().enumerate() {
        let (items, skipped) = parse_groups(&record.groups);
        counts.groups_skipped += skipped;
        let country = by_record.get(&index).map(|c| c.iso3.clone());
        for item in items {
            seen += 1;
            let mut keys: HashSet<String> = HashSet::new();
            keys.insert(fold_alias(&item.name));
            for alias in &item.aliases {
                keys.insert(fold_alias(alias));
            }
            // Every group this item shares a key with is the same group: merge them all
            // ("...ash-Sham-Khorasan Province" and "... - Khorasan" meet through ISIS-K).
            let matching: Vec<usize> = groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.keys.iter().any(|k| keys.contains(k)))
                .map(|(at, _)| at)
                .collect();
            let new = Group {
                item,
                keys,
                countries: country.iter().cloned().collect(),
                origin: record.origin.clone(),
                first_seen: seen,
            };
            match matching.first() {
                None => groups.push(new),
                Some(&first) => {
                    for &other in matching[1..].iter().rev() {
                        let absorbed = groups.remove(other);
                        absorb(&mut groups[first], absorbed);
                    }
                    absorb(&mut groups[first], new);
                }
            }
        }
    }
    // The names news uses.
    for group in &mut groups {
        for (factbook, common) in COMMON_GROUP_NAMES {
            if group.item.name == *factbook {
                let old = std::mem::replace(&mut group.item.name, common.to_string());
                group.item.aliases.insert(0, old);
            } else if let Some(rest) = group.item.name.strip_prefix(factbook) {
                // A branch: "...ash-Sham-Khorasan Province" reads "...ash-Sham - Khorasan
                // Province"; "Islamic State - Khorasan Province" is an alias.
                let rest = match rest.strip_prefix('-') {
                    Some(place) if !place.starts_with(' ') => format!(" - {place}"),
                    _ => rest.to_string(),
                };
                group.item.name = format!("{factbook}{rest}");
                push_unique(&mut group.item.aliases, [format!("{common}{rest}")]);
            }
        }
    }
    // Most widespread first.
    groups.sort_by(|a, b| {
        b.countries
            .len()
            .cmp(&a.countries.len())
            .then(a.first_seen.cmp(&b.first_seen))
    });
    let ids: Vec<String> = groups
        .iter()
        .map(|g| format!("armed_group/{}", slug(&g.item.name)))
        .collect();
    // A group's key (folded name or alias) -> its id, to find branches' parents.
    let mut by_key: HashMap<String, &str> = HashMap::new();
    for (group, id) in groups.iter().zip(&ids) {
        by_key.entry(fold_alias(&group.item.name)).or_insert(id);
        for alias in &group.item.aliases {
            if alias.split_whitespace().count() >= 2 {
                by_key.entry(fold_alias(alias)).or_insert(id);
            }
        }
    }
    let mut rows = Vec::new();
    for (group, id) in groups.iter().zip(&ids) {
        let mut row = entity(
            id.clone(),
            group.item.name.clone(),
            EntityType::ArmedGroup,
            group.origin.clone(),
        );
        row.subtype = Some("terrorist_organization".into());
        if group.countries.len() == 1 {
            row.country = Some(group.countries[0].clone());
        }
        row.parent = group_parent(&group.item, &by_key, id);
        let aliases = group
            .item
            .aliases
            .iter()
            .filter(|a| keep_acronym(a, names))
            .cloned();
        push_unique(&mut row.aliases, aliases);
        row.aliases
            .retain(|a| fold_alias(a) != fold_alias(&row.name));
        row.source = source("terrorist_groups");
        rows.push(row);
    }
    counts.groups = rows.len();
    rows
}

/// Merge `other` into `group`: its name and aliases become aliases, its countries join.
fn absorb(group: &mut Group, other: Group) {
    push_unique(
        &mut group.item.aliases,
        std::iter::once(other.item.name).chain(other.item.aliases),
    );
    group.keys.extend(other.keys);
    if group.item.head.is_none() {
        group.item.head = other.item.head;
    }
    for code in other.countries {
        if !group.countries.contains(&code) {
            group.countries.push(code);
        }
    }
}

/// The id of the group `item` is a branch of: its head ("Islamic State of Iraq and
/// ash-Sham (ISIS) - Algeria"), or the part of its name before a dash when that is a group
/// ("Islamic State of Iraq and ash-Sham-Khorasan Province").
fn group_parent(item: &GroupItem, by_key: &HashMap<String, &str>, own: &str) -> Option<String> {
    let mut candidates: Vec<String> = item.head.iter().cloned().collect();
    for (at, c) in item.name.char_indices() {
        if c == '-' || c == '/' {
            candidates.push(item.name[..at].trim().to_string());
        }
    }
    // "al-Qa'ida in the Islamic Maghreb", "Islamic State of Iraq and ash-Sham in the
    // Greater Sahara": regional branches of the groups in [`BRANCHING_GROUPS`].
    for text in std::iter::once(&item.name).chain(&item.aliases) {
        let folded = fold_alias(text);
        for umbrella in BRANCHING_GROUPS {
            if folded.starts_with(&format!("{} in ", fold_alias(umbrella))) {
                candidates.push(umbrella.to_string());
            }
        }
    }
    candidates
        .iter()
        .filter(|c| fold_alias(c).split_whitespace().count() >= 2)
        .filter_map(|c| by_key.get(&fold_alias(c)))
        .find(|id| **id != own)
        .map(|id| id.to_string())
}

/// Whether an alias may be used: acronyms need three letters and must not be a country
/// code or a news agency ("AFP" is also the Armed Forces of the Philippines).
fn keep_acronym(alias: &str, names: &CountryNames) -> bool {
    if !looks_like_acronym(alias) {
        return true;
    }
    let bare: String = alias.chars().filter(|c| c.is_alphanumeric()).collect();
    letters(alias) >= 3
        && !names.codes.contains(&bare.to_uppercase())
        && !ACRONYM_STOPLIST.contains(&bare.to_uppercase().as_str())
}

// ---------------------------------------------------------------------------------------
// Military and security forces

/// One body of a `military_forces` field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// Display name, qualified if generic ("Algerian Army").
    pub name: String,
    /// The name as the Factbook gives it when it was qualified ("Army").
    pub bare: Option<String>,
    pub aliases: Vec<String>,
    pub subtype: &'static str,
    /// Index of the body this one is listed under, in the same result.
    pub parent: Option<usize>,
}

/// Words a force's name can end with or contain; an item with none of them is not a body.
const HEAD_NOUNS: &[&str] = &[
    "division",
    "company",
    "carabiniers",
    "army",
    "navy",
    "force",
    "forces",
    "guard",
    "guards",
    "police",
    "gendarmerie",
    "corps",
    "command",
    "service",
    "services",
    "ministry",
    "directorate",
    "department",
    "agency",
    "militia",
    "militias",
    "regiment",
    "brigade",
    "brigades",
    "troops",
    "marechaussee",
    "carabinieri",
    "constabulary",
    "rangers",
    "rifles",
    "unit",
    "units",
    "wing",
    "component",
    "bureau",
    "office",
    "secretariat",
    "committee",
    "council",
    "presidency",
    "organization",
    "organisation",
    "administration",
    "battalion",
    "squadron",
    "inspectorate",
    "defense",
    "defence",
    "marines",
    "aviation",
    "garrison",
    "contingent",
    "reserve",
    "reserves",
    "commission",
    "bundeswehr",
    "bundesheer",
    "forsvaret",
    "tatmadaw",
    "artesh",
    "basij",
];

/// Words that continue a force's name after a head noun ("Border Guard Forces Command");
/// any other capitalised word after a head noun starts a new body that lost its
/// separator ("National Gendarmerie Ministry of Interior").
const CONTINUATIONS: &[&str] = &[
    "force",
    "forces",
    "command",
    "service",
    "services",
    "corps",
    "police",
    "guard",
    "guards",
    "troops",
    "directorate",
    "department",
    "division",
    "agency",
    "regiment",
    "brigade",
    "brigades",
    "unit",
    "units",
    "wing",
    "component",
    "reserve",
    "reserves",
    "bureau",
    "academy",
    "squadron",
    "administration",
    "organization",
    "board",
    "battalion",
    "group",
    "contingent",
    "garrison",
    "army",
    "headquarters",
    "staff",
    "district",
];

/// Words that make a name generic: a name made only of these (and connectors) needs the
/// country in front of it.
const GENERIC: &[&str] = &[
    "army",
    "armed",
    "navy",
    "naval",
    "air",
    "aerospace",
    "space",
    "force",
    "land",
    "ground",
    "maritime",
    "marine",
    "coast",
    "coastal",
    "guard",
    "national",
    "royal",
    "republican",
    "presidential",
    "special",
    "operation",
    "border",
    "frontier",
    "reserve",
    "territorial",
    "defense",
    "defence",
    "component",
    "wing",
    "command",
    "service",
    "military",
    "militia",
    "cyber",
    "cyberspace",
    "troop",
    "internal",
    "security",
    "state",
    "federal",
    "strategic",
    "missile",
    "rocket",
    "public",
    "civil",
    "civilian",
    "mobile",
    "unit",
    "specialized",
    "regiment",
    "brigade",
    "fire",
    "firefighting",
    "health",
    "engineering",
    "light",
    "aviation",
    "riverine",
    "home",
    "intelligence",
    "directorate",
    "general",
    "department",
    "ministry",
    "interior",
    "justice",
    "police",
    "gendarmerie",
    "corps",
    "infantry",
    "emergency",
    "response",
    "rapid",
    "intervention",
    "protection",
    "order",
    "safety",
    "affair",
    "administration",
    "agency",
    "office",
    "bureau",
    "prime",
    "minister",
    "president",
    "presidency",
    "logistics",
    "support",
    "information",
    "electronic",
    "medical",
    "joint",
    "central",
    "people",
    "volunteer",
    "cadet",
    "regular",
    "auxiliary",
    "constabulary",
    "investigation",
    "criminal",
    "immigration",
    "customs",
    "drug",
    "enforcement",
    "law",
    "control",
    "surveillance",
    "migration",
    "professional",
    "judicial",
    "correctional",
    "prison",
    "traffic",
    "tactical",
    "task",
    "protective",
    "executive",
    "economic",
    "development",
    "construction",
    "nation",
    "building",
    "transportation",
    "energy",
    "oil",
    "fishery",
    "ocean",
    "council",
    "committee",
    "commission",
    "defense",
    "elite",
    "commando",
    "division",
    "squadron",
    "marines",
    "rescue",
    "headquarters",
    "staff",
    "operations",
    "secretariat",
    "secret",
    "reserves",
    "home",
    "sea",
    "air-defense",
    "high-level",
    "individual",
    "garrison",
    "coordinating",
    "political",
    "legal",
    "affairs",
    "social",
    "homeland",
    "decentralization",
    "community",
    "technology",
    "organization",
    "inspectorate",
    "battalion",
    "combating",
    "terrorism",
    "counterterrorism",
    "counter-terrorism",
    "village",
    "party",
    "guards",
    "forces",
    "services",
    "units",
    "brigades",
    "troops",
    "regiments",
    "components",
    "government",
    "cultural",
    "fisheries",
    "helicopter",
    "paramilitary",
    "arm",
    "safety",
    "delegation",
    "provincial",
    "regional",
    "local",
    "municipal",
    "airport",
    "duty",
    "duties",
    "vip",
    "explosive",
    "ordnance",
    "disposal",
    "facilities",
    "facility",
    "infrastructure",
    "sector",
    "board",
    "patrol",
    "unmanned",
    "system",
    "systems",
];

/// Lower case, possessive and plural `s` removed: "People's" → people, "Forces" → force.
fn word_stem(word: &str) -> String {
    let lower = word
        .to_lowercase()
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .to_string();
    let lower = lower.strip_suffix("'s").unwrap_or(&lower).to_string();
    let lower = lower.trim_end_matches('\'').to_string();
    if lower.len() > 4 && lower.ends_with('s') && !lower.ends_with("ss") {
        lower[..lower.len() - 1].to_string()
    } else {
        lower
    }
}

/// A name made only of generic words: "Army", "National Police", "Ministry of Interior".
pub fn is_generic(name: &str) -> bool {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    !words.is_empty()
        && words.iter().all(|w| {
            is_connector(w) || {
                let stem = word_stem(w);
                GENERIC.contains(&stem.as_str())
                    || GENERIC.contains(&w.to_lowercase().as_str())
                    || w.split('-')
                        .all(|p| GENERIC.contains(&word_stem(p).as_str()))
            }
        })
}

fn has_head_noun(name: &str) -> bool {
    name.split(|c: char| c.is_whitespace() || c == '/' || c == '-')
        .any(|w| {
            HEAD_NOUNS.contains(
                &w.to_lowercase()
                    .trim_matches(|c: char| !c.is_alphanumeric()),
            )
        })
}

/// The subtype of a body, by keywords in its name (whole words): `intelligence`,
/// `ministry`, `executive_office`, `civil_defense`, `police`, `security_force` (coast and
/// border guards, internal troops, paramilitary police), `military`; `None` when nothing
/// fits.
pub fn body_subtype(name: &str) -> Option<&'static str> {
    let words: String = name
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let lower = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let has = |phrases: &[&str]| phrases.iter().any(|p| lower.contains(&format!(" {p} ")));
    if has(&[
        "intelligence",
        "state security",
        "security service",
        "security services",
        "mabahith",
        "fsb",
        "committee for national security",
        "committee on national security",
    ]) {
        return Some("intelligence");
    }
    if has(&[
        "ministry",
        "secretariat",
        "department of",
        "state committee",
        "committee for",
    ]) {
        return Some("ministry");
    }
    if has(&["office of"]) {
        return Some("executive_office");
    }
    if has(&[
        "fire",
        "firefighting",
        "civil defense",
        "civil defence",
        "civil protection",
        "rescue",
        "sapeurs-pompiers",
    ]) {
        return Some("civil_defense");
    }
    if has(&[
        "police",
        "policia",
        "policía",
        "politie",
        "gendarmerie",
        "constabulary",
        "carabinieri",
        "marechaussee",
        "law enforcement",
        "civil guard",
        "guardia civil",
        "investigation",
    ]) {
        return Some("police");
    }
    if has(&[
        "coast guard",
        "coast guards",
        "border",
        "frontier",
        "internal troops",
        "internal security",
        "security force",
        "security forces",
        "security troops",
        "rangers",
        "rifles",
        "support forces",
        "protection",
        "mobilization",
        "emergency",
        "public security",
        "counterterrorism",
        "counter-terrorism",
        "security",
        "enforcement",
    ]) {
        return Some("security_force");
    }
    if has(&[
        "army",
        "navy",
        "naval",
        "air force",
        "air forces",
        "air corps",
        "air wing",
        "aerospace",
        "armed forces",
        "armed force",
        "defense force",
        "defence force",
        "defense forces",
        "defense service",
        "military",
        "marine",
        "marines",
        "regiment",
        "militia",
        "troops",
        "guard",
        "special forces",
        "special operations",
        "forces",
        "force",
        "corps",
        "command",
        "brigade",
        "brigades",
        "component",
        "squadron",
        "bundeswehr",
        "bundesheer",
        "forsvaret",
        "tatmadaw",
        "artesh",
        "basij",
        "aviation",
        "cyber",
        "reserve",
    ]) {
        return Some("military");
    }
    None
}

/// Head nouns after which a lost separator is looked for (not "Defense": "Defense Cyber
/// Main Directorate", "Estonian Defense League" go on).
const GLUE_HEADS: &[&str] = &[
    "army",
    "navy",
    "force",
    "forces",
    "guard",
    "guards",
    "police",
    "gendarmerie",
    "corps",
    "command",
    "service",
    "services",
    "ministry",
    "directorate",
    "department",
    "agency",
    "militia",
    "militias",
    "regiment",
    "brigade",
    "brigades",
    "troops",
    "marechaussee",
    "carabinieri",
    "constabulary",
    "rangers",
    "rifles",
    "unit",
    "units",
    "wing",
    "component",
    "bureau",
    "office",
    "secretariat",
    "committee",
    "council",
    "presidency",
    "organization",
    "administration",
    "battalion",
    "squadron",
    "inspectorate",
    "marines",
    "garrison",
];

/// Words that start a new body when they follow a head noun ("... Republican Guard,
/// National Gendarmerie Ministry of Interior: ...", "Sultan's Special Forces Royal Oman
/// Police (ROP): ...").
fn starts_body(word: &str, next: Option<&str>) -> bool {
    let continues = |w: &str| {
        CONTINUATIONS.contains(
            &w.to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric()),
        )
    };
    match word {
        "Ministry" | "Secretariat" | "Office" | "Committee" | "State" | "Federal" | "Royal"
        | "Interior" | "Coordinating" | "Other" | "Paramilitary" => true,
        "Department" => next == Some("of"),
        "General" => !next.is_some_and(continues),
        _ => false,
    }
}

/// Words that name a ministry's field in front of "Ministry" ("Interior Ministry").
const MINISTRY_FIELDS: &[&str] = &[
    "Interior",
    "Defense",
    "Defence",
    "Justice",
    "Home",
    "Foreign",
    "Finance",
    "Oil",
    "Coordinating",
];

/// Split a piece where a separator was lost (the Factbook's line breaks): "...Republican
/// Guard, National Gendarmerie Ministry of Interior: ..." → "National Gendarmerie",
/// "Ministry of Interior". A split comes after a head noun followed by a word that starts
/// a body ("Ministry", "Royal", "Federal" ...) or by a specific word with a head noun soon after ("Air and
/// Air Defense Forces Tajik National Guard"), after a parenthesis that ends a body ("Air
/// Force (TNI-AU) Indonesian National Police"), and before "Ministry" ("Vietnam People's
/// Ministry of Public Security").
pub fn split_glued(piece: &str) -> Vec<String> {
    // Words; a top-level parenthesis is one pseudo-word.
    let mut words: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in piece.chars() {
        match c {
            '(' => {
                if depth == 0 && !current.trim().is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                depth += 1;
                current.push(c);
            }
            ')' => {
                depth = depth.saturating_sub(1);
                current.push(c);
                if depth == 0 {
                    words.push(std::mem::take(&mut current));
                }
            }
            c if c.is_whitespace() && depth == 0 => {
                if !current.trim().is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                current.clear();
            }
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        words.push(current);
    }
    let bare = |w: &str| {
        w.split('/')
            .next()
            .unwrap_or("")
            .to_lowercase()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string()
    };
    let is_paren = |w: &str| w.starts_with('(');
    let head = |w: &str| GLUE_HEADS.contains(&bare(w).as_str());
    let continues = |w: &str| CONTINUATIONS.contains(&bare(w).as_str());
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for (at, word) in words.iter().enumerate() {
        let capitalised = word.starts_with(|c: char| c.is_uppercase());
        if at > 0 && capitalised && !out.last().is_some_and(|p| p.is_empty()) {
            let previous = words[at - 1].as_str();
            let next = words.get(at + 1).map(String::as_str);
            let head_follows = words[at + 1..]
                .iter()
                .take(3)
                .take_while(|w| !is_paren(w))
                .any(|w| head(w));
            let acronym = looks_like_acronym(word) && !word.contains('-');
            let split = if is_paren(previous) {
                let list =
                    previous.contains(',') || previous.contains(';') || previous.contains(" or ");
                let after_head = at >= 2 && head(&words[at - 2]) && !continues(word);
                after_head || list || starts_body(word, next)
            } else if head(previous) {
                // "Air Defense Forces IRGC: ...": an acronym after a head noun is a header.
                starts_body(word, next)
                    || (!continues(word) && ((!is_generic(word) && head_follows) || acronym))
            } else {
                word == "Ministry"
                    && !is_connector(previous)
                    && !matches!(previous, "a" | "an")
                    && !MINISTRY_FIELDS.contains(&previous)
                    && !previous.ends_with(',')
            };
            if split {
                out.push(Vec::new());
            }
        }
        if let Some(last) = out.last_mut() {
            last.push(word.clone());
        }
    }
    out.into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.join(" "))
        .collect()
}

/// Names found in a prose piece: the subject before "(...) is/are ..." ("the Saudi Arabian
/// Armed Forces (SAAF) are divided into ..."), and the list after "include", "between",
/// "known as", "over" ("PA forces include the Palestinian National Security Forces").
fn rescue_from_prose(piece: &str) -> Vec<String> {
    let mut out = Vec::new();
    let body = piece
        .strip_prefix("the ")
        .or_else(|| piece.strip_prefix("The "))
        .unwrap_or(piece);
    // "Name (Paren) lower-case-word ..."
    if body.starts_with(|c: char| c.is_uppercase())
        && let Some(open) = body.find('(')
    {
        let name = &body[..open];
        if !name.split_whitespace().any(is_prose_word) {
            let mut depth = 0usize;
            let mut close = None;
            for (at, c) in body.char_indices().skip_while(|(at, _)| *at < open) {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            close = Some(at);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if let Some(close) = close {
                let after = body[close + 1..].trim_start();
                if after.starts_with(|c: char| c.is_lowercase()) || after.is_empty() {
                    // "... of the Tripoli-based Government of National Unity (GNU) have":
                    // an acronym that does not start like the name names its last words.
                    let paren = body[open + 1..close].trim();
                    let first = name.trim().chars().next();
                    if looks_like_acronym(paren) && first.is_some_and(|f| !paren.starts_with(f)) {
                        out.push(name.trim().to_string());
                    } else {
                        out.push(body[..=close].to_string());
                    }
                }
            }
        }
    }
    // "and the Icelandic Coast Guard fall under ...": the capitalised words after a
    // leading "the", up to the first prose word, if they name a body.
    if let Some(rest) = piece
        .strip_prefix("and the ")
        .or_else(|| piece.strip_prefix("the "))
        && rest.starts_with(char::is_uppercase)
    {
        let run: Vec<&str> = rest
            .split_whitespace()
            .take_while(|w| !is_prose_word(w) && !w.starts_with('('))
            .collect();
        let name = run.join(" ");
        if run.len() >= 2 && run.len() < rest.split_whitespace().count() && has_head_noun(&name) {
            out.push(name);
        }
    }
    for trigger in [
        " known as ",
        " include ",
        " includes ",
        " including ",
        " such as ",
        " between ",
        " over ",
        " has a ",
        " has an ",
    ] {
        let Some(at) = piece.find(trigger) else {
            continue;
        };
        let rest = &piece[at + trigger.len()..];
        for part in split_top_word(rest, " and the ")
            .into_iter()
            .flat_map(|p| split_top_word(&p, " and a "))
            .flat_map(|p| split_top_word(&p, " and an "))
        {
            let part = part
                .trim_start_matches("the ")
                .trim_start_matches("a ")
                .trim_start_matches("an ");
            // Up to the first prose word outside parentheses.
            let mut kept = String::new();
            let mut depth = 0usize;
            for word in part.split_whitespace() {
                depth += word.matches('(').count();
                if depth == 0 && is_prose_word(word) {
                    break;
                }
                depth = depth.saturating_sub(word.matches(')').count());
                kept.push_str(word);
                kept.push(' ');
            }
            let kept = kept.trim().to_string();
            if kept.starts_with(|c: char| c.is_uppercase()) {
                out.push(kept);
            }
        }
        break;
    }
    out
}

/// An item's name and aliases: "Angolan Armed Forces (Forcas Armadas Angolanas, FAA)",
/// "Naval Forces (or National Navy)", "Ground Forces or People's Liberation Army Army
/// (PLAA)", "Burma (People's) Police Force" (an inner parenthesis is dropped). The
/// "(includes ...)" lists come back as `includes`.
fn parse_body_text(text: &str) -> Option<(String, Vec<String>, Vec<String>)> {
    let mut text = text.trim().trim_matches(|c: char| c == '\'' || c == '"');
    for prefix in ["and ", "the ", "The ", "a ", "an "] {
        text = text.strip_prefix(prefix).unwrap_or(text);
    }
    let text = text.trim_end_matches(['.', ',', ':']).trim();
    let (outside, _) = outside_parens(text);
    if !outside.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
        return None;
    }
    if outside.split_whitespace().any(is_prose_word) || outside.split_whitespace().count() > 12 {
        return None;
    }
    // "Royal Brunei Armed Forces (RBAF) or Angkatan Bersenjata Diraja Brunei (ABDB)": each
    // part after "or" is another name, each with its own parentheses.
    let mut name = String::new();
    let mut aliases = Vec::new();
    let mut parens = Vec::new();
    for (at, part) in split_top_word(text, " or ").into_iter().enumerate() {
        let (outside, part_parens) = outside_parens(&part);
        if at == 0 {
            name = outside;
        } else if !outside.is_empty() {
            aliases.push(outside);
        }
        let last = part_parens.len().saturating_sub(1);
        for (k, (content, inside)) in part_parens.into_iter().enumerate() {
            // A parenthesis inside a name ("Burma (People's) Police Force") is dropped; one
            // at the end of a part that is followed by "or" still names that part.
            parens.push((
                content,
                inside && !(at == 0 && k == last && text.contains(" or ")),
            ));
        }
    }
    let mut includes = Vec::new();
    for (content, inside) in parens {
        if inside {
            continue;
        }
        // "(includes Assam Rifles, Border Security Force, ...)": once a parenthesis says
        // "includes", the rest of it lists members, not names.
        let mut listing = false;
        for (piece, separator) in split_top(&content, &[',', ';']) {
            let piece = piece.trim();
            let piece = piece.strip_prefix("and ").unwrap_or(piece);
            if separator == Some(';') {
                listing = false;
            }
            // "includes ...", "specialized units include the ...".
            let list = piece
                .strip_prefix("includes ")
                .or_else(|| piece.strip_prefix("including "))
                .or_else(|| {
                    let lower = piece.starts_with(char::is_lowercase);
                    let at = piece.find(" include ")?;
                    lower.then(|| &piece[at + " include ".len()..])
                });
            let list = list.map(|l| l.trim_start_matches("the "));
            if list.is_some() || listing {
                listing = true;
                for part in split_top_word(list.unwrap_or(piece), " and ") {
                    let part = part.trim_start_matches("the ").to_string();
                    includes.push(part);
                }
                continue;
            }
            for part in split_top_word(piece, " or ") {
                let mut part = part.as_str();
                for prefix in ["aka ", "formerly ", "also ", "or ", "the "] {
                    part = part.strip_prefix(prefix).unwrap_or(part);
                }
                let (outer, inner) = outside_parens(part);
                if outer.starts_with(|c: char| c.is_uppercase()) {
                    aliases.push(outer);
                }
                for (content, _) in inner {
                    if looks_like_acronym(&content) {
                        aliases.push(content);
                    }
                }
            }
        }
    }
    Some((name, aliases, includes))
}

/// Parse a `military_forces` field into bodies (see the module docs). `qualifier` goes
/// in front of generic names; returns the bodies and the number of items skipped.
pub fn parse_forces(
    text: &str,
    qualifier: &str,
    country_names: &HashSet<String>,
) -> (Vec<Body>, usize) {
    let mut text = balance_parens(&clean(text));
    // "(2025)" at the end is the year of the information.
    if text.ends_with(')')
        && let Some(open) = text.rfind('(')
        && text[open + 1..text.len() - 1]
            .chars()
            .all(|c| c.is_ascii_digit())
    {
        text.truncate(open);
    }
    for prefix in [
        "no regular military forces or conscription",
        "no regular indigenous military forces",
        "no regular military forces",
        "no military forces",
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.trim_start_matches([';', ',', ' ']).to_string();
        }
    }
    let mut parser = ForceParser {
        qualifier,
        country_names,
        foreign: Vec::new(),
        bodies: Vec::new(),
        skipped: 0,
    };
    let mut scope: Option<Scope> = None;
    for (piece, before) in rejoin_ministry_names(split_top(text.trim(), &[',', ';'])) {
        if before == Some(';') {
            scope = None;
        }
        if piece.is_empty() {
            continue;
        }
        // "Header: item", possibly several colons ("Other security forces include:
        // Ministry of Interior: Facilities Security Forces").
        let parts: Vec<String> = split_top(&piece, &[':'])
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let last = parts.len() - 1;
        for (at, part) in parts.iter().enumerate() {
            let glued = split_glued(part);
            let count = glued.len();
            for (k, sub) in glued.iter().enumerate() {
                let is_header = at < last && k + 1 == count;
                if k > 0 {
                    // A lost line break: a new top-level entry.
                    scope = None;
                }
                if is_header {
                    scope = parser.header(sub, scope.as_ref());
                } else {
                    parser.item(sub, scope.as_ref());
                }
            }
        }
    }
    (parser.bodies, parser.skipped)
}

/// Whether a text starts a ministry's name ("Ministry of ...", "Coordinating Ministry").
fn starts_ministry(text: &str) -> bool {
    [
        "Ministry",
        "Coordinating Ministry",
        "Secretariat",
        "Department of",
    ]
    .iter()
    .any(|p| text.starts_with(p))
}

/// Put back ministry names that contain commas, which the split at commas cut up:
/// "Ministry of Interior", "Community Development", "and Public Security: Burundi National
/// Police" → "Ministry of Interior, Community Development, and Public Security: Burundi
/// National Police". A piece with a colon is joined to the up to three short pieces before
/// it when the first of them (its last glued part) starts a ministry's name.
fn rejoin_ministry_names(pieces: Vec<(String, Option<char>)>) -> Vec<(String, Option<char>)> {
    let has_colon = |p: &str| split_top(p, &[':']).len() > 1;
    let mut out: Vec<(String, Option<char>)> = Vec::new();
    for (piece, before) in pieces {
        if has_colon(&piece) && before == Some(',') {
            let header = split_top(&piece, &[':']).remove(0).0;
            let header_last = split_glued(&header).pop().unwrap_or_default();
            let mut join_from = None;
            if !starts_ministry(&header_last) && header_last.split_whitespace().count() <= 8 {
                for back in 1..=3.min(out.len()) {
                    let (candidate, sep) = &out[out.len() - back];
                    // The text after the candidate's last colon ("Burundi National Defense
                    // Force (BNDF): Land Force (Army) Ministry of Interior").
                    let after_colon = split_top(candidate, &[':']).pop().unwrap_or_default().0;
                    let last_part = split_glued(&after_colon).pop().unwrap_or_default();
                    if starts_ministry(&last_part) {
                        join_from = Some(out.len() - back);
                        break;
                    }
                    if has_colon(candidate)
                        || candidate.split_whitespace().count() > 4
                        || *sep != Some(',')
                    {
                        break;
                    }
                }
            }
            if let Some(from) = join_from {
                let tail: Vec<(String, Option<char>)> = out.drain(from..).collect();
                let first_sep = tail[0].1;
                let mut joined: Vec<String> = tail.into_iter().map(|(p, _)| p).collect();
                joined.push(piece);
                out.push((joined.join(", "), first_sep));
                continue;
            }
        }
        out.push((piece, before));
    }
    out
}

/// The header an item is listed under: the body's index, and the word generic names
/// under it take ("IRGC" → "IRGC Navy"), if it is a single token.
#[derive(Debug, Clone)]
struct Scope {
    parent: Option<usize>,
    prefix: Option<String>,
}

struct ForceParser<'a> {
    qualifier: &'a str,
    /// Folded country names: "China's People's Liberation Army (PLA) Hong Kong Garrison"
    /// in the Hong Kong entry is another country's force.
    country_names: &'a HashSet<String>,
    /// Acronyms of other countries' forces named in this field ("PLA"): bodies named
    /// after them are skipped too ("PLA Navy").
    foreign: Vec<String>,
    bodies: Vec<Body>,
    skipped: usize,
}

impl ForceParser<'_> {
    /// A header ("Ministry of Interior", "Algerian People's National Army (ANP)", "IRGC",
    /// "Other security forces include"): the scope for the items after its colon.
    fn header(&mut self, text: &str, outer: Option<&Scope>) -> Option<Scope> {
        let token = text.trim();
        let single = !token.contains(' ')
            && token.starts_with(|c: char| c.is_uppercase())
            && !is_generic(token);
        if single && let Some(found) = self.find(token) {
            return Some(Scope {
                parent: Some(found),
                prefix: Some(token.to_string()),
            });
        }
        let qualifier = self.qualifier.to_string();
        if let Some(index) = self.add(text, None, Role::Header { lone_word: single }, &qualifier) {
            return Some(Scope {
                parent: Some(index),
                prefix: single.then(|| token.to_string()),
            });
        }
        // A prose header: rescue what it names; its items hang from an acronym it
        // mentions ("Paramilitary forces under the FAR").
        for name in rescue_from_prose(text) {
            self.add(&name, None, Role::Item, &qualifier);
        }
        let mentioned = text
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| looks_like_acronym(w))
            .find_map(|w| self.find(w));
        Some(Scope {
            parent: mentioned.or(outer.and_then(|s| s.parent)),
            prefix: None,
        })
    }

    /// An item under `scope`; generic names take the scope's prefix ("IRGC Navy") or the
    /// country's adjective.
    fn item(&mut self, text: &str, scope: Option<&Scope>) {
        let parent = scope.and_then(|s| s.parent);
        let prefix = scope
            .and_then(|s| s.prefix.clone())
            .unwrap_or_else(|| self.qualifier.to_string());
        if self.add(text, parent, Role::Item, &prefix).is_some() {
            return;
        }
        let rescued = rescue_from_prose(text);
        if rescued.is_empty() {
            self.skipped += 1;
        }
        for name in rescued {
            if self.add(&name, parent, Role::Item, &prefix).is_none() {
                self.skipped += 1;
            }
        }
    }

    /// Add a body (or merge it into the one of the same name), with its "(includes ...)"
    /// members as bodies under it. `None` if the text is not a body.
    fn add(
        &mut self,
        text: &str,
        parent: Option<usize>,
        role: Role,
        prefix: &str,
    ) -> Option<usize> {
        let (name, aliases, includes) = parse_body_text(text)?;
        let (name, mut aliases) = split_slash_acronym(name, aliases);
        let first = name.split_whitespace().next().unwrap_or("");
        if let Some(owner) = first.strip_suffix("'s")
            && self.country_names.contains(&country_key(owner))
        {
            self.foreign
                .extend(aliases.iter().filter(|a| looks_like_acronym(a)).cloned());
            return None;
        }
        if self.foreign.iter().any(|f| f == first) {
            return None;
        }
        let lone_word = matches!(role, Role::Header { lone_word: true });
        // "State Security" (Kuwait) names an agency without a head noun.
        let agency = body_subtype(&name) == Some("intelligence");
        let lone_word_name = lone_word && !name.contains(' ');
        if !has_head_noun(&name) && !agency && !lone_word_name {
            return None;
        }
        if letters(&name) < 2 {
            return None;
        }
        let (shown, bare) = if is_generic(&name) && !looks_like_acronym(&name) {
            (format!("{prefix} {name}"), Some(name.clone()))
        } else {
            (name.clone(), None)
        };
        aliases.retain(|a| (looks_like_acronym(a) || !a.contains('/')) && !is_generic(a));
        if bare.is_some() {
            // "Army (Ejercito)": a one-word translation of a generic name is generic too.
            aliases.retain(|a| a.contains(' ') || looks_like_acronym(a));
        }
        let subtype = body_subtype(&shown)
            .or_else(|| aliases.iter().find_map(|a| body_subtype(a)))
            .unwrap_or(match role {
                Role::Header { .. } => "agency",
                Role::Item => "security_force",
            });
        if subtype == "ministry"
            && let Some(rest) = name.strip_prefix("Ministry of ")
        {
            // "Ministry of Interior" → "Interior Ministry", the form news uses.
            let rest = rest.strip_prefix("the ").unwrap_or(rest);
            if rest.split_whitespace().count() <= 2 && !rest.contains(" and ") {
                let short = format!("{rest} Ministry");
                aliases.push(if bare.is_some() {
                    format!("{prefix} {short}")
                } else {
                    short
                });
            }
        }
        let index = match self.find_body(&shown, &aliases) {
            Some(found) => {
                push_unique(&mut self.bodies[found].aliases, aliases);
                found
            }
            None => {
                let mut body = Body {
                    name: shown,
                    bare,
                    aliases: Vec::new(),
                    subtype,
                    parent,
                };
                push_unique(&mut body.aliases, aliases);
                self.bodies.push(body);
                self.bodies.len() - 1
            }
        };
        let qualifier = self.qualifier.to_string();
        for member in includes {
            if parse_body_text(&member).is_some_and(|(n, _, _)| has_head_noun(&n)) {
                self.add(&member, Some(index), Role::Item, &qualifier);
            }
        }
        Some(index)
    }

    /// The body with this name or alias (folded), e.g. the header "IRGC".
    fn find(&self, name: &str) -> Option<usize> {
        let key = fold_alias(name);
        self.bodies.iter().position(|b| {
            fold_alias(&b.name) == key || b.aliases.iter().any(|a| fold_alias(a) == key)
        })
    }

    /// The body a new one repeats: same name, or a shared alias that is a name, not an
    /// acronym (Peru's armed forces and air force are both "FAP").
    fn find_body(&self, name: &str, aliases: &[String]) -> Option<usize> {
        self.find(name).or_else(|| {
            aliases
                .iter()
                .filter(|a| !looks_like_acronym(a) && letters(a) >= 3)
                .find_map(|a| self.find(a))
        })
    }
}

/// How a body was listed: as a header (before a colon) or as an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `lone_word`: a single word without a head noun is accepted ("Artesh").
    Header {
        lone_word: bool,
    },
    Item,
}

/// "Secretariat of Security and Civilian Protection/SEDENA" (the National Guard is under
/// both) → the name before the slash; the acronym names another body.
fn split_slash_acronym(name: String, aliases: Vec<String>) -> (String, Vec<String>) {
    if let Some((before, after)) = name.rsplit_once('/')
        && looks_like_acronym(after)
        && before.contains(' ')
    {
        return (before.trim().to_string(), aliases);
    }
    (name, aliases)
}

/// The body rows of every country, with parents, cross-country name clashes resolved and
/// bare names added as aliases where they are distinctive.
fn force_rows(
    records: &[Record],
    countries: &[Country],
    names: &CountryNames,
    country_names: &HashSet<String>,
    counts: &mut Counts,
) -> Vec<Entity> {
    let mut parsed: Vec<(&Country, Vec<Body>)> = Vec::new();
    for country in countries {
        let record = &records[country.record];
        if country.iso3 == "PSE" && country.display == "Gaza Strip" {
            // Hamas's forces, described in prose: armed groups, not state forces.
            if !record.military.is_empty() {
                counts.forces_skipped += 1;
            }
            continue;
        }
        let (bodies, skipped) = parse_forces(&record.military, &country.qualifier, country_names);
        counts.forces_skipped += skipped;
        parsed.push((country, bodies));
    }
    // How many countries list each bare or plain name.
    let mut listed: HashMap<String, HashSet<&str>> = HashMap::new();
    for (country, bodies) in &parsed {
        for body in bodies {
            let plain = body.bare.as_deref().unwrap_or(&body.name);
            listed
                .entry(fold_alias(plain))
                .or_default()
                .insert(country.iso3.as_str());
            listed
                .entry(fold_alias(&body.name))
                .or_default()
                .insert(country.iso3.as_str());
        }
    }
    let mut rows = Vec::new();
    for (country, bodies) in &parsed {
        let record = &records[country.record];
        let ids: Vec<String> = bodies
            .iter()
            .map(|b| {
                let clash = listed[&fold_alias(&b.name)].len() > 1;
                let name = if clash {
                    format!("{} ({})", b.name, country.display)
                } else {
                    b.name.clone()
                };
                format!("government/{}", slug(&name))
            })
            .collect();
        for (body, id) in bodies.iter().zip(&ids) {
            let clash = listed[&fold_alias(&body.name)].len() > 1;
            let name = if clash {
                format!("{} ({})", body.name, country.display)
            } else {
                body.name.clone()
            };
            let mut row = entity(
                id.clone(),
                name,
                EntityType::Government,
                record.origin.clone(),
            );
            row.subtype = Some(body.subtype.into());
            row.country = Some(country.iso3.clone());
            row.parent = Some(match body.parent {
                Some(at) => ids[at].clone(),
                None => country.parent.clone(),
            });
            let mut aliases: Vec<String> = body
                .aliases
                .iter()
                .filter(|a| keep_acronym(a, names))
                .cloned()
                .collect();
            if let Some(bare) = &body.bare {
                let words = bare.split_whitespace().filter(|w| !is_connector(w)).count();
                let distinctive = words >= 3
                    && listed[&fold_alias(bare)].len() == 1
                    && !matches!(body.subtype, "ministry" | "executive_office" | "agency");
                if distinctive {
                    aliases.push(bare.clone());
                }
            }
            push_unique(&mut row.aliases, aliases);
            row.aliases
                .retain(|a| fold_alias(a) != fold_alias(&row.name));
            row.source = source("military_forces");
            if matches!(body.subtype, "ministry" | "executive_office" | "agency") {
                counts.ministries += 1;
            } else {
                counts.forces += 1;
            }
            rows.push(row);
        }
    }
    rows
}

// ---------------------------------------------------------------------------------------
// People

/// Which field a person was named in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Office {
    ChiefOfState,
    HeadOfGovernment,
}

/// A person named in `chief_of_state` or `head_of_government`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    pub name: String,
    pub aliases: Vec<String>,
    /// Lower case with underscores: `president`, `prime_minister`, `governor_general`.
    pub role: String,
    /// A representative or other official, not the head of state or government.
    pub official: bool,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// Someone represents this person here ("King CHARLES III ...; represented by ...").
    pub represented: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Paren(String),
    Comma,
    Semi,
}

/// Words, parentheses (one token each), commas and semicolons.
fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut paren = String::new();
    let mut depth = 0usize;
    let flush = |word: &mut String, out: &mut Vec<Tok>| {
        if !word.is_empty() {
            out.push(Tok::Word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        if depth > 0 {
            match c {
                '(' => {
                    depth += 1;
                    paren.push(c);
                }
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        out.push(Tok::Paren(std::mem::take(&mut paren).trim().to_string()));
                    } else {
                        paren.push(c);
                    }
                }
                c => paren.push(c),
            }
            continue;
        }
        match c {
            '(' => {
                flush(&mut word, &mut out);
                depth = 1;
            }
            ')' => {}
            ',' => {
                flush(&mut word, &mut out);
                out.push(Tok::Comma);
            }
            ';' => {
                flush(&mut word, &mut out);
                out.push(Tok::Semi);
            }
            c if c.is_whitespace() => flush(&mut word, &mut out),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    if depth > 0 && !paren.trim().is_empty() {
        out.push(Tok::Paren(paren.trim().to_string()));
    }
    out
}

/// Lower-case name particles: "al-SUDANI", "CORREIA e SILVA", "Savi de TOVE".
const PARTICLES: &[&str] = &[
    "al", "el", "ad", "ash", "as", "an", "bin", "ibn", "bint", "ibni", "ul", "e", "i", "y", "de",
    "del", "della", "di", "da", "das", "do", "dos", "du", "la", "le", "van", "von", "der", "den",
    "ter", "zu", "wa", "o", "ould",
];

fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// Title words that end a person's given names when read backwards.
const TITLE_WORDS: &[&str] = &[
    "president",
    "vice",
    "prime",
    "minister",
    "premier",
    "chancellor",
    "king",
    "queen",
    "emperor",
    "empress",
    "sultan",
    "amir",
    "emir",
    "prince",
    "princess",
    "crown",
    "grand",
    "duke",
    "duchess",
    "pope",
    "archbishop",
    "bishop",
    "co-prince",
    "leader",
    "supreme",
    "governor",
    "governor-general",
    "general",
    "lieutenant",
    "lieutenant-governor",
    "administrator",
    "superior",
    "commissioner",
    "high",
    "prefect",
    "mayor",
    "chairman",
    "chairperson",
    "chair",
    "chief",
    "executive",
    "secretary",
    "state",
    "interim",
    "acting",
    "transition",
    "transitional",
    "caretaker",
    "deputy",
    "co-vice",
    "regent",
    "regents",
    "captain",
    "captains",
    "capt.",
    "col.",
    "colonel",
    "gen.",
    "lt.",
    "sr.",
    "dr.",
    "sir",
    "dame",
    "lord",
    "lady",
    "marshal",
    "vice-marshal",
    "air",
    "commander",
    "commander-in-chief",
    "bailiff",
    "taoiseach",
    "ratu",
    "sheikh",
    "shaykh",
    "mr.",
    "mrs.",
    "ms.",
    "brig.",
    "maj.",
    "adm.",
    "field",
    "council",
    "presidency",
    "assembly",
    "government",
    "territory",
    "territorial",
    "island",
    "islands",
    "republic",
    "commonwealth",
    "kingdom",
    "confederation",
    "federation",
    "office",
    "yuan",
    "commission",
    "forces",
    "army",
    "officer",
    "member",
    "seat",
    "head",
    "co-chiefs",
    "ministers",
    "affairs",
    "foreign",
    "political",
];

fn is_title_word(word: &str) -> bool {
    TITLE_WORDS.contains(&word.to_lowercase().trim_end_matches(',').trim())
}

/// A surname as the Factbook writes it: capitals ("TEBBOUNE", "al-SUDANI",
/// "OSMANI-Sadriu", "LA'AULIALEMALIETOA").
fn is_caps_word(word: &str) -> bool {
    if word.contains('.') || word.starts_with('"') {
        return false;
    }
    let parts: Vec<&str> = word.split('-').filter(|p| !p.is_empty()).collect();
    let caps = |p: &str| {
        letters(p) >= 2
            && p.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
    };
    let mut any = false;
    for part in &parts {
        if caps(part) {
            any = true;
        } else if !(is_particle(part) || part.starts_with(char::is_uppercase)) {
            return false;
        }
    }
    any
}

/// A given name: "Abdelmadjid", "Jean-Lucien", "J.", "al-Shara'", "d'Oliveira".
fn is_given_word(word: &str) -> bool {
    let bare = word.trim_matches('"');
    if bare.is_empty() || is_caps_word(bare) {
        return false;
    }
    if bare.starts_with(char::is_uppercase) {
        return true;
    }
    if let Some((prefix, rest)) = bare.split_once(['-', '\''])
        && (is_particle(prefix) || prefix == "d")
        && rest.starts_with(char::is_uppercase)
    {
        return true;
    }
    false
}

fn is_roman(word: &str) -> bool {
    !word.is_empty() && word.len() <= 5 && word.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

/// Format a run of capitalised surname words: "MUHAMMAD BIN ZAYID" → "Muhammad bin
/// Zayid", "CHARLES III" → "Charles III", "XI" → "Xi", "VAN DER BELLEN" → "Van der
/// Bellen", "OSMANI-Sadriu" → "Osmani-Sadriu".
pub fn surname_case(words: &[String]) -> String {
    let mut out = Vec::new();
    for (at, word) in words.iter().enumerate() {
        if at > 0 && is_roman(word) {
            out.push(word.clone());
            continue;
        }
        let parts: Vec<String> = word
            .split('-')
            .enumerate()
            .map(|(k, part)| {
                let is_caps = letters(part) >= 1
                    && part
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase);
                if !is_caps {
                    return part.to_string();
                }
                let lower = part.to_lowercase();
                if (at > 0 || k > 0) && is_particle(&lower) {
                    return lower;
                }
                let mut chars = lower.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            })
            .collect();
        out.push(parts.join("-"));
    }
    out.join(" ")
}

fn month_number(word: &str) -> Option<usize> {
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches('.');
    if lower.len() < 3 {
        return None;
    }
    (crate::text::dates::MONTH_NAMES.iter())
        .position(|m| *m == lower || (lower.len() >= 3 && lower.len() <= 4 && m.starts_with(lower)))
        .map(|m| m + 1)
}

fn year(word: &str) -> Option<u32> {
    let digits = word.trim_matches(|c: char| !c.is_ascii_digit());
    (digits.len() == 4 && word.trim_end_matches([',', ';', ')']).len() == 4)
        .then(|| digits.parse().ok())
        .flatten()
        .filter(|y| (1800..=2100).contains(y))
}

/// The first date in `text`: "12 December 2019" → 2019-12-12, "April 2018" → 2018-04,
/// "5 Sep 2025", "1997" → 1997.
pub fn parse_date(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == ',' || c == ';'))
        .collect();
    for at in 0..words.len() {
        if let (Some(day), Some(month), Some(y)) = (
            words[at]
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=31).contains(d)),
            words.get(at + 1).and_then(|w| month_number(w)),
            words.get(at + 2).and_then(|w| year(w)),
        ) {
            return Some(format!("{y}-{month:02}-{day:02}"));
        }
        if let (Some(month), Some(y)) = (
            month_number(words[at]),
            words.get(at + 1).and_then(|w| year(w)),
        ) {
            return Some(format!("{y}-{month:02}"));
        }
        if let Some(y) = year(words[at]) {
            return Some(y.to_string());
        }
    }
    None
}

/// Dates in a parenthesis after a name: "since 19 December 2019", "chairperson since 16
/// July 2025; ...", "28 October 2022" (no "since"), "for the period 1 October 2025 - 31
/// March 2026" (from and to). `None` if it holds no date.
pub fn office_dates(paren: &str) -> Option<(Option<String>, Option<String>)> {
    if let Some(at) = paren.find("for the period") {
        let rest = &paren[at + "for the period".len()..];
        let (from, to) = rest.split_once(" - ").unwrap_or((rest, ""));
        let from = parse_date(from);
        return from.is_some().then(|| (from, parse_date(to)));
    }
    if let Some(at) = paren.find("since") {
        let date = parse_date(&paren[at + 5..])?;
        return Some((Some(date), None));
    }
    let starts_with_date = paren
        .split_whitespace()
        .next()
        .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()) || month_number(w).is_some());
    if starts_with_date {
        return parse_date(paren).map(|d| (Some(d), None));
    }
    None
}

/// The role a title names, lower case with underscores; monarchs' titles first for a
/// chief of state ("Sultan and Prime Minister" is a sultan there, a prime minister as
/// head of government). `None` if no known title word is in it.
pub fn role_for(title: &str, office: Office) -> Option<&'static str> {
    let t = format!(" {} ", title.to_lowercase().replace(['(', ')', ','], " "));
    let has = |w: &str| t.contains(w);
    const MONARCHS: &[(&str, &str)] = &[
        (" co-prince ", "co_prince"),
        (" crown prince ", "crown_prince"),
        (" grand duke ", "grand_duke"),
        (" captains regent ", "captain_regent"),
        (" captain regent ", "captain_regent"),
        (" emperor ", "emperor"),
        (" king ", "king"),
        (" queen ", "queen"),
        (" sultan ", "sultan"),
        (" amir ", "emir"),
        (" emir ", "emir"),
        (" pope ", "pope"),
        (" prince ", "prince"),
        (" supreme leader ", "supreme_leader"),
    ];
    const OTHERS: &[(&str, &str)] = &[
        (" deputy prime minister ", "deputy_prime_minister"),
        (" prime minister", "prime_minister"),
        (" taoiseach ", "prime_minister"),
        (" council of ministers ", "prime_minister"),
        (" cabinet of ministers ", "prime_minister"),
        (" president of the government ", "prime_minister"),
        (" vice president ", "vice_president"),
        (" vice-president ", "vice_president"),
        (" governor general ", "governor_general"),
        (" governor-general ", "governor_general"),
        (" lieutenant governor ", "lieutenant_governor"),
        (" lieutenant-governor ", "lieutenant_governor"),
        (" high commissioner ", "high_commissioner"),
        (" chief minister ", "chief_minister"),
        (" chief executive ", "chief_executive"),
        (" minister of state ", "minister_of_state"),
        (" secretary of state ", "secretary_of_state"),
        (" premier ", "premier"),
        (" chancellor ", "chancellor"),
    ];
    const LAST: &[(&str, &str)] = &[
        (" governor ", "governor"),
        (" administrator ", "administrator"),
        (" prefect ", "prefect"),
        (" commissioner ", "commissioner"),
        (" mayor ", "mayor"),
        (" president ", "president"),
        (" chairperson ", "chairperson"),
        (" chairman ", "chairperson"),
        (" chair ", "chairperson"),
        (" leader ", "leader"),
        (" bailiff ", "bailiff"),
        (" commander ", "commander"),
    ];
    let order: [&[(&str, &str)]; 3] = match office {
        Office::ChiefOfState => [MONARCHS, OTHERS, LAST],
        Office::HeadOfGovernment => [OTHERS, MONARCHS, LAST],
    };
    order
        .iter()
        .flat_map(|table| table.iter())
        .find(|(words, _)| has(words))
        .map(|(_, role)| *role)
}

/// How a monarch's title is written before the name ("King", "Grand Duke").
fn monarch_style(role: &str) -> Option<&'static str> {
    Some(match role {
        "king" => "King",
        "queen" => "Queen",
        "emperor" => "Emperor",
        "sultan" => "Sultan",
        "emir" => "Emir",
        "prince" => "Prince",
        "grand_duke" => "Grand Duke",
        "pope" => "Pope",
        _ => return None,
    })
}

/// Roles of people who stand in for someone or serve under the head: `official`.
fn is_official_role(role: &str) -> bool {
    matches!(
        role,
        "governor_general"
            | "governor"
            | "lieutenant_governor"
            | "high_commissioner"
            | "administrator"
            | "prefect"
            | "commissioner"
            | "representative"
            | "vice_president"
            | "deputy_prime_minister"
            | "bailiff"
            | "commander"
            | "crown_prince"
    )
}

/// Parse a `chief_of_state` or `head_of_government` field into people. Surnames are in
/// capitals ("President Abdelmadjid TEBBOUNE (since 12 December 2019)"); the title before
/// the given names gives the role; "represented by" introduces a representative; "X and
/// Y" share a title. `country_names` (folded) stop a backward walk through given names
/// ("Governor-General of New Zealand Cindy KIRO"). Returns the people and the number of
/// statements that named nobody.
pub fn parse_people(
    text: &str,
    office: Office,
    country_names: &HashSet<String>,
) -> (Vec<Person>, usize) {
    let text = clean(text);
    let tokens = tokenize(&text);
    let mut people: Vec<Person> = Vec::new();
    let mut skipped = 0;
    let statements: Vec<&[Tok]> = tokens.split(|t| *t == Tok::Semi).collect();
    let mut last_title: Option<String> = None;
    let mut represented_field = false;
    for statement in statements {
        let words = |range: std::ops::Range<usize>| -> Vec<&str> {
            statement[range]
                .iter()
                .filter_map(|t| match t {
                    Tok::Word(w) => Some(w.as_str()),
                    _ => None,
                })
                .collect()
        };
        if statement.is_empty() {
            continue;
        }
        // "King WACHIRALONGKON; also spelled Vajiralongkorn (since 1 December 2016)".
        let all = words(0..statement.len());
        if all.len() >= 3 && all[0] == "also" && all[1] == "spelled" {
            if let Some(person) = people.last_mut() {
                let alias: Vec<&str> = all[2..]
                    .iter()
                    .take_while(|w| w.starts_with(char::is_uppercase))
                    .copied()
                    .collect();
                if !alias.is_empty() {
                    push_unique(&mut person.aliases, [alias.join(" ")]);
                }
                for t in statement {
                    if let Tok::Paren(p) = t
                        && person.valid_from.is_none()
                        && let Some((from, to)) = office_dates(p)
                    {
                        person.valid_from = from;
                        person.valid_to = to;
                    }
                }
            }
            continue;
        }
        let mut boundary = 0usize; // where the next title starts
        let mut found = 0usize;
        let mut at = 0usize;
        while at < statement.len() {
            let Tok::Word(w) = &statement[at] else {
                at += 1;
                continue;
            };
            if !is_caps_word(w) {
                at += 1;
                continue;
            }
            // The run of surname words, with particles between capitals.
            let mut end = at + 1;
            while end < statement.len() {
                match &statement[end] {
                    Tok::Word(n) if is_caps_word(n) => end += 1,
                    Tok::Word(n)
                        if is_particle(n)
                            && matches!(statement.get(end + 1), Some(Tok::Word(m)) if is_caps_word(m)) =>
                    {
                        end += 2
                    }
                    _ => break,
                }
            }
            // An acronym inside a title: "CNSP Prime Minister", "UK High Commissioner".
            let next_is_title =
                matches!(statement.get(end), Some(Tok::Word(n)) if is_title_word(n));
            // Given names, backwards from the run.
            let mut start = at;
            let mut nicknames: Vec<String> = Vec::new();
            let mut given_count = 0;
            while start > boundary && given_count < 5 {
                match &statement[start - 1] {
                    Tok::Word(g) if g.starts_with('"') && g.ends_with('"') && g.len() > 2 => {
                        nicknames.push(g.trim_matches('"').to_string());
                        start -= 1;
                    }
                    Tok::Word(g)
                        if (is_given_word(g) || is_particle(g))
                            && !is_title_word(g)
                            && !ends_country_name(&statement[boundary..start], country_names) =>
                    {
                        start -= 1;
                        given_count += 1;
                    }
                    Tok::Paren(p)
                        if start < at + 1
                            && p.split_whitespace().count() == 1
                            && p.starts_with(char::is_uppercase)
                            && start > boundary + 1
                            && matches!(&statement[start - 2], Tok::Word(g) if is_given_word(g)) =>
                    {
                        nicknames.push(p.clone());
                        start -= 1;
                    }
                    _ => break,
                }
            }
            // Leading particles belong to the title ("and"), not the name.
            while start < at {
                match &statement[start] {
                    Tok::Word(g) if is_particle(g) && !g.contains('-') => start += 1,
                    _ => break,
                }
            }
            let run: Vec<String> = statement[at..end]
                .iter()
                .filter_map(|t| match t {
                    Tok::Word(w) => Some(w.clone()),
                    _ => None,
                })
                .collect();
            if next_is_title {
                at = end;
                continue;
            }
            // Trailing names: "KIM Jong Un", "LULA da Silva", "MARCOS, Jr.".
            let mut tail: Vec<String> = Vec::new();
            let mut spelled: Vec<String> = Vec::new();
            let mut after = end;
            loop {
                match (statement.get(after), statement.get(after + 1)) {
                    (Some(Tok::Word(n)), _)
                        if (n.starts_with(char::is_uppercase) && !is_caps_word(n))
                            || is_roman(n)
                            || is_given_word(n) =>
                    {
                        tail.push(n.clone());
                        after += 1;
                    }
                    (Some(Tok::Word(p)), Some(Tok::Word(n)))
                        if is_particle(p) && is_given_word(n) =>
                    {
                        tail.push(p.clone());
                        tail.push(n.clone());
                        after += 2;
                    }
                    (Some(Tok::Comma), Some(Tok::Word(n))) if n == "Jr." || n == "Sr." => {
                        tail.push(n.clone());
                        after += 2;
                    }
                    (Some(Tok::Paren(p)), _) if p.starts_with("also spelled ") => {
                        spelled.push(p["also spelled ".len()..].trim().to_string());
                        after += 1;
                    }
                    _ => break,
                }
            }
            // A lone short capitalised word with no names around it is an acronym ("the
            // UK and New Zealand", "Commander Andrew WILLIAMS, RN, the officer").
            if start == at && tail.is_empty() && run.len() == 1 && letters(&run[0]) <= 3 {
                at = end;
                continue;
            }
            // The next person's given names start the next title: dates come before it.
            let mut window_end = statement.len();
            for (k, t) in statement.iter().enumerate().skip(after) {
                if let Tok::Word(n) = t
                    && is_caps_word(n)
                {
                    window_end = k;
                    break;
                }
            }
            let mut dates: Option<(Option<String>, Option<String>)> = None;
            let mut date_end = after;
            for (k, t) in statement.iter().enumerate().take(window_end).skip(after) {
                if let Tok::Paren(p) = t
                    && let Some(found) = office_dates(p)
                {
                    dates = Some(found);
                    date_end = k + 1;
                    break;
                }
            }
            // The title: from the boundary to the given names.
            let title_words = words(boundary..start);
            let represented_at = title_words.iter().position(|w| *w == "represented");
            let representative = represented_at.is_some();
            let mut title: Vec<&str> = match represented_at {
                Some(k) => title_words[k + 1..]
                    .iter()
                    .copied()
                    .skip_while(|w| *w == "by")
                    .collect(),
                None => title_words.clone(),
            };
            while title.first().is_some_and(|w| *w == "and" || *w == "the") {
                title.remove(0);
            }
            let title_text = {
                let mut parts: Vec<String> = title.iter().map(|w| w.to_string()).collect();
                for t in &statement[boundary..start] {
                    if let Tok::Paren(p) = t {
                        parts.push(p.clone());
                    }
                }
                parts.join(" ")
            };
            let former = title_words.iter().any(|w| w.eq_ignore_ascii_case("former"));
            let joined_by_and = title_words == ["and"];
            let title_text = if title.is_empty() && joined_by_and {
                last_title.clone().unwrap_or_default()
            } else {
                title_text
            };
            boundary = date_end.max(after);
            at = boundary.max(end);
            if former {
                skipped += 1;
                found += 1;
                continue;
            }
            let given: Vec<String> = statement[start..at.min(end)]
                .iter()
                .take_while(|t| !matches!(t, Tok::Word(w) if is_caps_word(w)))
                .filter_map(|t| match t {
                    Tok::Word(g) if !(g.starts_with('"') && g.ends_with('"')) => Some(g.clone()),
                    _ => None,
                })
                .collect();
            let person = assemble_person(
                NameParts {
                    given: &given,
                    run: &run,
                    tail: &tail,
                    nicknames: &nicknames,
                    spelled: &spelled,
                },
                Holding {
                    title: &title_text,
                    office,
                    representative,
                    dates,
                },
            );
            if representative {
                represented_field = true;
            }
            if joined_by_and
                && let Some(previous) = people.last_mut()
                && previous.valid_from.is_none()
            {
                previous.valid_from = person.valid_from.clone();
                previous.valid_to = person.valid_to.clone();
            }
            last_title = Some(title_text);
            people.push(person);
            found += 1;
        }
        if found == 0 {
            // A name without capitals: "Ahmad al-Shara'", "Prime Minister Manuel Osa Nsue
            // Nsua" (the words after the title).
            let name_start = all
                .iter()
                .rposition(|w| !(is_given_word(w) || is_particle(w)) || is_title_word(w))
                .map_or(0, |at| at + 1);
            let names: Vec<&str> = all[name_start..].to_vec();
            let title_words = &all[..name_start];
            let name_like = (2..=5).contains(&names.len())
                && names
                    .first()
                    .is_some_and(|w| w.starts_with(char::is_uppercase))
                && title_words
                    .iter()
                    .all(|w| is_title_word(w) || is_connector(w))
                && statement.iter().all(|t| !matches!(t, Tok::Comma));
            if name_like {
                let dates = statement.iter().find_map(|t| match t {
                    Tok::Paren(p) => office_dates(p),
                    _ => None,
                });
                let given: Vec<String> = names.iter().map(|w| w.to_string()).collect();
                let (first, rest) = given.split_at(given.len() - 1);
                let title = title_words.join(" ");
                let person = assemble_person(
                    NameParts {
                        given: first,
                        run: &[],
                        tail: rest,
                        nicknames: &[],
                        spelled: &[],
                    },
                    Holding {
                        title: &title,
                        office,
                        representative: false,
                        dates,
                    },
                );
                people.push(person);
            } else {
                skipped += 1;
            }
        }
    }
    if represented_field {
        for person in people.iter_mut().filter(|p| !p.official) {
            person.represented = true;
        }
    }
    (people, skipped)
}

/// Whether the words before `end` end with a country name ("... of New Zealand").
fn ends_country_name(tokens: &[Tok], country_names: &HashSet<String>) -> bool {
    let words: Vec<&str> = tokens
        .iter()
        .filter_map(|t| match t {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    for n in 1..=4.min(words.len()) {
        let phrase = words[words.len() - n..].join(" ");
        if n == 1 {
            let preceded_by_of = words.len() >= 2 && words[words.len() - 2] == "of";
            if preceded_by_of && country_names.contains(&country_key(&phrase)) {
                return true;
            }
        } else if country_names.contains(&country_key(&phrase)) {
            return true;
        }
    }
    false
}

/// A name as a Factbook statement writes it: given names, the surname run in capitals,
/// the words after it, nicknames in quotes and other spellings.
struct NameParts<'a> {
    given: &'a [String],
    run: &'a [String],
    tail: &'a [String],
    nicknames: &'a [String],
    spelled: &'a [String],
}

/// What a statement says a person holds: the title as written, the office it belongs to,
/// whether the person represents someone, and the dates in brackets.
struct Holding<'a> {
    title: &'a str,
    office: Office,
    representative: bool,
    dates: Option<(Option<String>, Option<String>)>,
}

/// Put a person together: the name, the aliases news uses ("Cyril Ramaphosa" for
/// "Matamela Cyril Ramaphosa", "Nayib Bukele" for "Nayib Armando Bukele Ortez", "Donald
/// Trump" for "Donald J. Trump", "Ali Khamenei" for "Ali Hoseini-Khamenei"), the role.
fn assemble_person(name: NameParts, holding: Holding) -> Person {
    let NameParts {
        given,
        run,
        tail,
        nicknames,
        spelled,
    } = name;
    let Holding {
        title,
        office,
        representative,
        dates,
    } = holding;
    // "Lindsay de SAUSMAREZ", "Timothy Le COCQ": the particle belongs to the surname.
    let mut given: Vec<String> = given.to_vec();
    let mut surname = surname_case(run);
    if given.len() >= 2
        && !run.is_empty()
        && given
            .last()
            .is_some_and(|g| is_particle(&g.to_lowercase()) && !g.contains('-'))
    {
        let particle = given.pop().unwrap_or_default();
        surname = format!("{particle} {surname}");
    }
    let given = given.as_slice();
    let join = |parts: &[&str]| {
        parts
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let given_text = given.join(" ");
    let tail_text = tail.join(" ");
    let name = join(&[&given_text, &surname, &tail_text]);
    let mut aliases = Vec::new();
    let is_initial = |g: &String| g.contains('.') && letters(g) <= 2;
    let real_given: Vec<&String> = given
        .iter()
        .filter(|g| !is_initial(g) && !is_particle(g))
        .collect();
    let tail_no_suffix: Vec<&str> = tail
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "Jr." && *t != "Sr.")
        .collect();
    if given.iter().any(is_initial) {
        let without: Vec<&str> = given
            .iter()
            .filter(|g| !is_initial(g))
            .map(String::as_str)
            .collect();
        aliases.push(join(&[&without.join(" "), &surname, &tail_text]));
    }
    // Short forms need a surname of four letters or more: "Mohammed Ali" is not Mohammed
    // Irfaan ALI.
    let long_surname = letters(&surname) >= 4;
    if long_surname
        && !run.is_empty()
        && !given.is_empty()
        && (real_given.len() >= 2 || !tail_no_suffix.is_empty())
    {
        for g in real_given.iter().take(3) {
            aliases.push(format!("{g} {surname}"));
        }
        if !tail.is_empty() {
            aliases.push(join(&[&given_text, &surname]));
        }
    }
    // "Hoseini-KHAMENEI": the capitals alone are the surname news uses.
    if run.len() == 1 && run[0].contains('-') && !given.is_empty() {
        let all_caps = |p: &str| {
            letters(p) >= 2
                && p.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
        };
        let parts: Vec<&str> = run[0].split('-').collect();
        let caps: Vec<String> = parts
            .iter()
            .filter(|p| all_caps(p))
            .map(|p| surname_case(&[p.to_string()]))
            .collect();
        // "Hoseini-KHAMENEI", "OSMANI-Sadriu"; not "al-SUDANI".
        let others_are_names = parts
            .iter()
            .filter(|p| !all_caps(p))
            .all(|p| p.starts_with(char::is_uppercase));
        if caps.len() == 1 && others_are_names && letters(&caps[0]) >= 4 {
            aliases.push(format!(
                "{} {}",
                real_given.first().map_or("", |g| g.as_str()),
                caps[0]
            ));
        }
    }
    for nick in nicknames {
        aliases.push(format!("{nick} {surname}"));
    }
    for alternative in spelled {
        let alt = surname_case(std::slice::from_ref(alternative));
        aliases.push(join(&[&given_text, &alt, &tail_text]));
    }
    let default_role = if representative {
        "representative"
    } else {
        match office {
            Office::ChiefOfState => "head_of_state",
            Office::HeadOfGovernment => "head_of_government",
        }
    };
    let role = role_for(title, office).unwrap_or(default_role);
    // "King PHILIPPE", "Emperor NARUHITO": one word would match every "Philippe"; the
    // title stays with the name. "King Charles III" is an alias of "Charles III".
    let styled = monarch_style(role);
    let name = match styled {
        Some(style) if !name.contains(' ') => format!("{style} {name}"),
        _ => name,
    };
    if let Some(style) = styled
        && name.split_whitespace().last().is_some_and(is_roman)
    {
        aliases.push(format!("{style} {name}"));
    }
    let mut person = Person {
        name: name.clone(),
        role: role.to_string(),
        official: representative || is_official_role(role),
        ..Person::default()
    };
    push_unique(&mut person.aliases, aliases);
    person
        .aliases
        .retain(|a| fold_alias(a) != fold_alias(&name) && a.contains(' '));
    if let Some((from, to)) = dates {
        person.valid_from = from;
        person.valid_to = to;
    }
    person
}

/// The person rows: each country's chief of state and head of government, one row per
/// person (see the module docs for who wins when several countries list someone).
fn person_rows(
    records: &[Record],
    countries: &[Country],
    country_names: &HashSet<String>,
    counts: &mut Counts,
) -> Vec<Entity> {
    struct Candidate<'a> {
        person: Person,
        office: Office,
        country: &'a Country,
        order: usize,
    }
    let mut candidates = Vec::new();
    for country in countries.iter().filter(|c| c.government) {
        let record = &records[country.record];
        for (text, office) in [
            (&record.chief, Office::ChiefOfState),
            (&record.head, Office::HeadOfGovernment),
        ] {
            if text.is_empty() {
                continue;
            }
            let (people, skipped) = parse_people(text, office, country_names);
            counts.people_skipped += skipped;
            for person in people {
                let order = candidates.len();
                candidates.push(Candidate {
                    person,
                    office,
                    country,
                    order,
                });
            }
        }
    }
    // Sovereign before dependent, not represented before represented, then as listed
    // (countries are already most populous first).
    candidates.sort_by_key(|c| (c.country.dependency, c.person.represented, c.order));
    let mut taken: HashSet<String> = HashSet::new();
    let mut rows = Vec::new();
    for candidate in candidates {
        let person = &candidate.person;
        let keys: Vec<String> = std::iter::once(&person.name)
            .chain(&person.aliases)
            .map(|n| fold_alias(n))
            .collect();
        if keys.iter().any(|k| taken.contains(k)) {
            continue;
        }
        taken.extend(keys);
        let record = &records[candidate.country.record];
        let mut row = entity(
            format!("person/{}", slug(&person.name)),
            person.name.clone(),
            EntityType::Person,
            record.origin.clone(),
        );
        row.subtype = Some(
            if person.official {
                "official"
            } else {
                match candidate.office {
                    Office::ChiefOfState => "head_of_state",
                    Office::HeadOfGovernment => "head_of_government",
                }
            }
            .into(),
        );
        row.country = Some(candidate.country.iso3.clone());
        row.parent = Some(candidate.country.parent.clone());
        row.role = Some(person.role.clone());
        row.valid_from = person.valid_from.clone();
        row.valid_to = person.valid_to.clone();
        row.aliases = person.aliases.clone();
        row.source = source(match candidate.office {
            Office::ChiefOfState => "chief_of_state",
            Office::HeadOfGovernment => "head_of_government",
        });
        rows.push(row);
    }
    counts.people = rows.len();
    rows
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
