//! The `ofac` importer: the US Treasury OFAC sanctions list (SDN) and the UN Security
//! Council list, turned into armed groups, organisations and people
//! (`newsgraph gazetteer import --from ofac FILE...`).
//!
//! # Files
//!
//! Any mix of these, recognised by their first line, not their name:
//!
//! - **the raw SDN CSV** (`ofac_sdn_2024-05-03.csv`): no header; quoted CSV, one record a
//!   line, 12 columns (ent_num, name, type, programs, title, call sign, vessel type,
//!   tonnage, GRT, vessel flag, vessel owner, remarks), `-0-` for an empty value. Type is
//!   `individual`, `vessel`, `aircraft` or empty (an entity). Aliases are only in the
//!   remarks, as `a.k.a. 'X'; f.k.a. 'Y'`; links as `Linked To: NAME`;
//! - **OFAC extracts** (`ofac_fto_*.tsv`, `ofac_sdgt_entities_*.tsv`): TSV with the header
//!   `ent_num name programs aliases_from_remarks`, aliases `|`-separated. They hold
//!   entities only (the FTO and SDGT-tagged entities of the same list). Their alias column
//!   is cut at apostrophes ("KATA'IB HIZBALLAH FI AL-IRAQ" became "KATA"): where the raw
//!   SDN file is among the inputs, its row for the same ent_num supplies the aliases;
//! - **the UN Security Council list of entities** (`un_sc_entities_*.tsv`): TSV with the
//!   header `reference_number un_list_type name aliases listed_on`;
//! - **`pycountry_countries.tsv`** (`alpha_3`, `name`, `official_name`, `common_name`):
//!   optional; only when it is passed do people get a `country` (see below).
//!
//! Anything else is an [`Error::Unsupported`]. A date `YYYY-MM-DD` in a file's name goes
//! into the `source` column ("OFAC SDN list 2024-05-03 (US Treasury, public domain)",
//! "UN Security Council consolidated list 2018-10-29").
//!
//! # What becomes what
//!
//! Armed groups and terrorist organisations, and the people linked to them, matter most;
//! the rest of the lists is kept as sanctioned organisations and people, which OSINT
//! analysts also look for. Vessels and aircraft are skipped (counted).
//!
//! | listing | row |
//! |---|---|
//! | entity tagged `[FTO]` (State Department Foreign Terrorist Organization) | `armed_group`, subtype `terrorist_organization` |
//! | entity tagged `[SDGT]`, `[SDT]` or `[HIFPAA]`, not FTO | militant by [the keyword rule](#the-keyword-rule): `armed_group` / `terrorist_organization`; otherwise `organization` / `sanctioned_entity` |
//! | UN entity on the Al-Qaida (ISIL) or Taliban list | as the line above, but a name with no keyword counts as militant |
//! | any other entity (Russia, Iran, narcotics, DPRK... programmes; other UN lists) | `organization` / `sanctioned_entity` |
//! | individual in a terrorism programme (SDGT, SDT, FTO, HIFPAA) | `person`, role `sdgt_designee` |
//! | any other individual | `person`, role `sanctioned_person` |
//!
//! Armed groups of non-terrorism programmes (the Lord's Resistance Army and M23 under the
//! CAR and DRC programmes, Wagner under the Russia ones) are therefore organisations here:
//! the lists do not say they are terrorist organisations, and this importer does not
//! guess another subtype. Put them in a curated file if they should be armed groups.
//!
//! ## The keyword rule
//!
//! Names and aliases are read as words in capitals, without dots and apostrophes
//! (`S.A.L.` → `SAL`, `KATA'IB` → `KATAIB`). The first step that applies decides:
//!
//! 1. the name has a **strong militant** word ([`STRONG_MILITANT`]: `QAIDA`, `ISIS`,
//!    `TALIBAN`, `LASHKAR`, `JAISH`, `KATAIB`, `BRIGADES`, `BATTALION`, ...) → militant;
//! 2. the name has a **business, charity, media or state** word ([`NOT_MILITANT`]: `LTD`,
//!    `LLC`, `SAL`, `COMPANY`, `BANK`, `EXCHANGE`, `TRADING`, `FOUNDATION`, `TRUST`,
//!    `CHARITY`, `RELIEF`, `SOCIETY`, `AIRLINES`, `SHIPPING`, `TV`, `UNIVERSITY`,
//!    `MINISTRY`, ...) → not militant;
//! 3. the remarks give a company or registry number ([`REGISTRATION_MARKERS`]: "Company
//!    Number", "Registration Number", "Organization Type:", ...; no FTO group has one)
//!    → not militant;
//! 4. an alias has a strong militant word → militant;
//! 5. an alias has a business, charity, media or state word → not militant;
//! 6. the name, or else an alias, has a **weak militant** word ([`WEAK_MILITANT`]: `ARMY`,
//!    `FRONT`, `FORCES`, `JIHAD`, `MOVEMENT`, `LIBERATION`, `RESISTANCE`, `NETWORK`,
//!    `PARTY`, `ETA`, ...) → militant;
//! 7. otherwise the list's default: not militant for OFAC, militant for the UN Al-Qaida
//!    and Taliban lists (whose entities are mostly groups).
//!
//! So "Ansar Bank", "Al-Ansar Charity Association", the hawalas of the UN Taliban list
//! and the IRGC's companies are organisations; "Jama'at Nusrat al-Islam wal-Muslimin",
//! "Ulster Defence Association" and "Euzkadi Ta Askatasuna" (alias ETA) armed groups.
//! Known misses on the 2024 list: "Jihad al-Bina" (Hizballah's construction arm) is an
//! armed group; "Aum Shinrikyo", "Kahane Chai", "Babbar Khalsa International",
//! "International Sikh Youth Federation" and "Teyrebazen Azadiya Kurdistan" are
//! organisations. A curated file can correct them.
//!
//! # Names and aliases
//!
//! - Names go through [`tidy_name`] (a name in capitals with a stray lower-case letter,
//!   "ARAB IraqI COMPANY", counts as capitals); well-known acronyms inside a name keep
//!   their capitals ([`KEEP_CAPITALS`]: "ISIS-Sinai Province", "Al Manar TV", "... LLC"),
//!   dotted abbreviations too ("S.R.L."), a word after `/` is capitalised, and the Urdu
//!   connectors stay lower case ("Jaish-i-Mohammed", "Tehrik-e Taliban"). People's names
//!   `SURNAME, Given, Jr.` become `Given Surname Jr.` ("SINWAR, Yahya" → "Yahya Sinwar",
//!   "AL-ZAHAR, Mahmoud" → "Mahmoud al-Zahar").
//! - A name `A ; B` or `A / B` is the name A with the alias B. An acronym in parentheses
//!   after the words it abbreviates ("ABDALLAH AZZAM BRIGADES (AAB)") leaves the name and
//!   becomes an alias `AAB`; other parentheses stay ("GOLFRATE HOLDINGS (ANGOLA) LDA").
//! - Aliases: `a.k.a.`, `f.k.a.` (formerly known as: old names still appear in reporting)
//!   and `n.k.a.` (now known as: the current name) from the remarks; the alias columns of
//!   the extracts and the UN list. UN aliases that pack lists ("X (original script; Y;
//!   Z)") are unpacked. Left out, and counted: aliases of 1–2 letters or digits; an alias
//!   cut off by the end of the remarks (the raw CSV truncates long remarks); online
//!   handles (`@name`, `name#1234`, lower-case names with digits); generic translations
//!   "The X" ("The Base" for al-Qa'ida, "The Youth" for al-Shabaab: they would match
//!   ordinary prose); for people, one-word aliases (given names and nicknames: "Omar",
//!   "Khalid", "Crook") and aliases that several people share (kunyas such as "Abu
//!   Muhammad" would point anywhere).
//! - Dates of birth, places of birth, passports and other identifiers are never read.
//!
//! # Other columns
//!
//! - `code`: the programme tags ("FTO SDGT", "SDGT IRGC IFSR"; a tag with spaces is
//!   hyphenated, "CAATSA-RUSSIA") or the UN reference number ("QDe.004"); both, `;`-joined,
//!   when an OFAC and a UN row were merged.
//! - `valid_from`: the UN `listed_on` date (the OFAC files carry no listing date).
//! - `country` (people only): the first `nationality X` of the remarks, else the first
//!   `citizen X`, mapped to ISO 3166-1 alpha-3 through `pycountry_countries.tsv` (names,
//!   official and common names, plus OFAC's own spellings such as "Burma", "Korea, North",
//!   "Palestinian"). Without that file among the inputs, `country` stays empty. Values that
//!   do not map ("Kosovo", "possibly Palestinian") are counted and left empty.
//! - `parent` (people only): the first `Linked To:` that names an armed group of this
//!   import (`Linked To: HAMAS` → `armed_group/hamas`). [`super::merge`] clears it if that
//!   group is left out.
//! - `origin`: `file:line` of the first row of the entry; `source`: see [Files](#files).
//!
//! # Order and duplicates
//!
//! Rows come out FTO groups first, then other armed groups, organisations of terrorism
//! listings, other organisations, people of terrorism programmes, other people; in file
//! and line order within each. A row is merged into an earlier one (its names become
//! aliases, its codes and source are added) when they share an OFAC `ent_num` (the
//! extracts repeat rows of the SDN file), or a name (folded, as an id slug: "AL-AQSA
//! FOUNDATION" listed four times), or, for groups and organisations, when the name of one
//! is an alias of the other (OFAC "AL-NUSRAH FRONT" and UN "AL-NUSRAH FRONT FOR THE
//! PEOPLE OF THE LEVANT", alias "Al-Nusrah Front"), comparing names without a leading
//! "The". A name shared by two different listings merges them too, as asked of the
//! importer: on the 2024 list, Colombia's ELN and the Macedonian NLA are one "National
//! Liberation Army", two ministries one "Ministry of State Security", and people who
//! share a name ("Kim Yong Chol") one person.
//!
//! # Errors
//!
//! A file that cannot be read, is not UTF-8, or is not one of the kinds above is an
//! error, and so is a TSV header that lacks a needed column ([`Error::Parse`] with
//! `file:line:column`). A row that cannot be read (an unterminated quote, text after a
//! closing quote, not 12 fields, fewer fields than the TSV header, an ent_num that is not
//! a number, no name, an unknown SDN type) is skipped and counted, and its `file:line:column` and reason are printed
//! as a warning; nothing panics. The end-of-file byte (`^Z`) that ends the raw SDN file is
//! not a row. [`read`] prints a one-line summary of the counts to standard error;
//! [`read_with_counts`] returns them.

use super::{entity, make_id, slug, tidy_name};
use crate::error::{Error, Result};
use crate::gazetteer::{Entity, EntityType};
use crate::text::fold_alias;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Programme tags of the terrorism programmes: their entities may be armed groups and
/// their individuals are `sdgt_designee`s.
pub const TERROR_PROGRAMS: [&str; 4] = ["SDGT", "SDT", "FTO", "HIFPAA"];

/// Words that make a name militant whatever else it says (keyword rule, steps 1 and 4).
pub const STRONG_MILITANT: &[&str] = &[
    "QAIDA",
    "QAEDA",
    "ISIS",
    "ISIL",
    "DAESH",
    "TALIBAN",
    "LASHKAR",
    "LASKAR",
    "JAISH",
    "JAYSH",
    "JUND",
    "AJNAD",
    "MUJAHIDEEN",
    "MUJAHIDIN",
    "MUJAHEDIN",
    "MUJAHIDEN",
    "SHABAAB",
    "SHABAB",
    "HARAKAT",
    "HARAKAH",
    "KATAIB",
    "KATIBAT",
    "KATIBA",
    "KHATIBA",
    "ASAIB",
    "SARAYA",
    "SARAYAT",
    "LIWA",
    "HURRAS",
    "TANZIM",
    "BRIGADE",
    "BRIGADES",
    "BATTALION",
    "BATTALIONS",
    "REGIMENT",
    "MILITIA",
    "MILITIAS",
    "GUERRILLA",
    "PARAMILITARY",
    "ANSARALLAH",
];

/// Words of companies, charities, media and state bodies (keyword rule, steps 2 and 5).
pub const NOT_MILITANT: &[&str] = &[
    // legal forms
    "LTD",
    "LIMITED",
    "LLC",
    "LLP",
    "INC",
    "CORP",
    "CORPORATION",
    "CO",
    "COMPANY",
    "COMPANIES",
    "SAL",
    "SARL",
    "SA",
    "SAS",
    "SRL",
    "SPRL",
    "GMBH",
    "AG",
    "BV",
    "BVBA",
    "NV",
    "PLC",
    "PJS",
    "PJSC",
    "JSC",
    "CJSC",
    "ZAO",
    "OOO",
    "OAO",
    "PTE",
    "PTY",
    "PVT",
    "FZE",
    "FZC",
    "FZCO",
    "DMCC",
    "EST",
    "LDA",
    "LTDA",
    "EIRELI",
    "WLL",
    "OPC",
    "SIRKETI",
    "STI",
    "SDN",
    "BHD",
    "OFFSHORE",
    // business
    "HOLDING",
    "HOLDINGS",
    "ENTERPRISE",
    "ENTERPRISES",
    "ESTABLISHMENT",
    "PARTNERSHIP",
    "PARTNERS",
    "ASSOCIATES",
    "BROTHERS",
    "SONS",
    "BANK",
    "BANKING",
    "EXCHANGE",
    "EXCHANGERS",
    "HAWALA",
    "SARAFI",
    "MONEY",
    "REMITTANCE",
    "REMITTANCES",
    "FINANCE",
    "FINANCIAL",
    "INVESTMENT",
    "INVESTMENTS",
    "INSURANCE",
    "CAPITAL",
    "TRADING",
    "TRADINGS",
    "TRADE",
    "TRADERS",
    "COMMERCIAL",
    "COMMERCE",
    "COMMERCIO",
    "TICARET",
    "SANAYI",
    "IMPORT",
    "EXPORT",
    "IMPEX",
    "AIR",
    "AIRLINES",
    "AIRWAYS",
    "AIRCOMPANY",
    "AVIATION",
    "AVIA",
    "SHIPPING",
    "SHIP",
    "SHIPMANAGEMENT",
    "MARITIME",
    "MARINE",
    "NAVIGATION",
    "LOGISTICS",
    "LOJISTIK",
    "TRANSPORT",
    "CARGO",
    "TRAVEL",
    "TOURISM",
    "TOURISTIC",
    "OIL",
    "PETROL",
    "PETROLEUM",
    "PETROCHEMICAL",
    "PETROCHEMICALS",
    "ENERGY",
    "ENERJI",
    "GAS",
    "FUEL",
    "ENGINEERING",
    "ENGINEERS",
    "CONSTRUCTION",
    "CONTRACTING",
    "INDUSTRIAL",
    "INDUSTRIES",
    "INDUSTRY",
    "MANUFACTURING",
    "MINES",
    "MINING",
    "ESTATE",
    "PROPERTIES",
    "PROPERTY",
    "SUPERMARKET",
    "BAKERIES",
    "SWEETS",
    "FOODS",
    "FOODSTUFFS",
    "PHARMA",
    "PHARM",
    "PHARMACEUTICAL",
    "MEDICAL",
    "JEWELRY",
    "JEWELLERS",
    "DIAMOND",
    "DIAMONDS",
    "GEMS",
    "SERVICES",
    "CONSULTING",
    "CONSULTANT",
    "CONSULTANTS",
    "TECHNOLOGY",
    "TECHNOLOGIES",
    "TECHNIK",
    "ELEKTRONIK",
    "COMMUNICATIONS",
    "GALLERY",
    "PROJECT",
    "AGENCY",
    "ACCOUNTING",
    "AUDITING",
    "TAMEER",
    // charities and associations
    "FOUNDATION",
    "FUND",
    "TRUST",
    "CHARITY",
    "CHARITABLE",
    "RELIEF",
    "SECOURS",
    "WELFARE",
    "HUMANITARIAN",
    "AID",
    "BENEVOLENCE",
    "SOCIETY",
    "COMMITTEE",
    "LAJNAT",
    "JAMYAH",
    "JAMIYAT",
    "BRANCH",
    "ORGANIZATION",
    "ORGANISATION",
    // media, education, state
    "TV",
    "RADIO",
    "MEDIA",
    "PUBLISHING",
    "NEWS",
    "UNIVERSITY",
    "INSTITUTE",
    "MADRASSA",
    "SCHOOL",
    "RESEARCH",
    "MINISTRY",
];

/// Words that make an otherwise unremarkable name militant (keyword rule, step 6).
pub const WEAK_MILITANT: &[&str] = &[
    "ARMY",
    "ARMED",
    "FRONT",
    "FORCE",
    "FORCES",
    "GUARD",
    "GUARDS",
    "CORPS",
    "DIVISION",
    "COMMAND",
    "COMMANDER",
    "JIHAD",
    "JIHADI",
    "JEHAD",
    "MOVEMENT",
    "RESISTANCE",
    "LIBERATION",
    "FIGHTING",
    "FIGHTERS",
    "COMBAT",
    "COMBATANT",
    "COMBATANTS",
    "NETWORK",
    "PARTY",
    "EMIRATE",
    "PROVINCE",
    "VOLUNTEER",
    "VOLUNTEERS",
    "DEFENDERS",
    "DEFENCE",
    "DEFENSE",
    "NUCLEI",
    "STRUGGLE",
    "REVOLUTIONARIES",
    "TIGERS",
    "IRA",
    "ETA",
    "GAMAA",
    "JAMAAT",
    "JAMAAH",
    "JAMAA",
    "JAMAATU",
    "JEMAA",
    "JEMAAH",
    "JEMMAH",
    "ANSAR",
    "ANSARU",
    "ANSARUL",
    "ISLAMIYA",
    "ISLAMIYYA",
    "ISLAMIYAH",
    "MUQAWAMA",
    "HIZB",
    "HIZBUL",
    "SALAFIA",
    "SALAFIST",
    "FATAH",
];

/// Acronyms that keep their capitals inside a tidied name.
pub const KEEP_CAPITALS: &[&str] = &[
    "ISIS", "ISIL", "IRGC", "IRA", "PKK", "FARC", "EP", "ELN", "AQAP", "AQIM", "AQI", "HTS", "TTP",
    "JMB", "TV", "LLC", "FZE", "FZC", "FZCO", "DMCC", "JSC", "PJSC", "CJSC", "PLC", "SAL", "SARL",
    "SA", "SAS", "SRL", "SPRL", "NV", "BV", "OOO", "LLP", "WLL", "UAE", "USA", "UK", "DPRK", "HK",
];

/// OFAC's spellings of country names, and the pycountry name they stand for.
const OFAC_COUNTRY_NAMES: &[(&str, &str)] = &[
    ("Russia", "Russian Federation"),
    ("Burma", "Myanmar"),
    ("Turkey", "Türkiye"),
    ("Korea, North", "Korea, Democratic People's Republic of"),
    ("Korea, South", "Korea, Republic of"),
    ("Palestinian", "Palestine, State of"),
    (
        "Congo, Democratic Republic of the",
        "Congo, The Democratic Republic of the",
    ),
    ("Congo, Republic of the", "Congo"),
    ("North Macedonia, The Republic of", "North Macedonia"),
    ("The Gambia", "Gambia"),
    ("Gambia, The", "Gambia"),
    ("Bahamas, The", "Bahamas"),
    ("Swaziland", "Eswatini"),
    ("Macau", "Macao"),
    ("Brunei", "Brunei Darussalam"),
    ("Vietnam", "Viet Nam"),
];

/// What one run read and left out.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub files: usize,
    /// Records of the raw SDN file (vessels, aircraft and malformed ones included).
    pub sdn_rows: usize,
    /// Rows of the FTO/SDGT extracts.
    pub extract_rows: usize,
    pub un_rows: usize,
    pub vessels: usize,
    pub aircraft: usize,
    /// End-of-file bytes (`^Z`) seen at the end of the raw SDN file.
    pub end_markers: usize,
    /// `file:line:column: reason` of every row skipped because it could not be read.
    pub malformed: Vec<String>,
    /// Rows merged into an earlier one (same ent_num, name, or name and alias).
    pub merged: usize,
    pub short_aliases: usize,
    pub truncated_aliases: usize,
    pub handles: usize,
    /// Generic translated aliases ("The Base", "The Youth") and one-word aliases of people
    /// ("Omar", "Crook").
    pub generic_aliases: usize,
    /// Aliases removed from people because several people have them.
    pub shared_person_aliases: usize,
    /// UN `listed_on` values that are not dates.
    pub bad_dates: usize,
    /// People given a country from their nationality.
    pub countries: usize,
    /// Nationalities that did not map to a country, with how often.
    pub unmapped_nationalities: BTreeMap<String, usize>,
    /// People given a parent from `Linked To:`.
    pub parents: usize,
}

impl Counts {
    /// A one-paragraph summary for the command line.
    pub fn summary(&self, rows: &[Entity]) -> String {
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for e in rows {
            let key = match (&e.subtype, &e.role) {
                (Some(s), _) => format!("{} {s}", e.kind),
                (None, Some(r)) => format!("{} {r}", e.kind),
                (None, None) => e.kind.to_string(),
            };
            *kinds.entry(key).or_default() += 1;
        }
        let unmapped: usize = self.unmapped_nationalities.values().sum();
        format!(
            "ofac: read {} files ({} SDN records, {} extract rows, {} UN rows); skipped {} vessels, \
             {} aircraft, {} malformed rows; merged {} rows into an earlier one; aliases left out: \
             {} of 1-2 letters, {} truncated, {} online handles, {} generic or one-word, {} shared \
             by several people; \
             {} bad dates; {} people with a country ({} whose nationality maps to none), {} \
             with a parent; rows: {}",
            self.files,
            self.sdn_rows,
            self.extract_rows,
            self.un_rows,
            self.vessels,
            self.aircraft,
            self.malformed.len(),
            self.merged,
            self.short_aliases,
            self.truncated_aliases,
            self.handles,
            self.generic_aliases,
            self.shared_person_aliases,
            self.bad_dates,
            self.countries,
            unmapped,
            self.parents,
            kinds
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Read OFAC/UN files into rows, most important first, with notes: the first skipped rows
/// and a summary.
pub fn read(files: &[PathBuf]) -> Result<super::Imported> {
    let (rows, counts) = read_with_counts(files)?;
    const SHOWN: usize = 20;
    let mut notes: Vec<String> = (counts.malformed.iter().take(SHOWN))
        .map(|line| format!("warning: skipped {line}"))
        .collect();
    if counts.malformed.len() > SHOWN {
        notes.push(format!(
            "warning: ... and {} more skipped rows",
            counts.malformed.len() - SHOWN
        ));
    }
    notes.push(counts.summary(&rows));
    Ok(super::Imported { rows, notes })
}

/// Read OFAC/UN files into rows, most important first, with what was read and left out.
pub fn read_with_counts(files: &[PathBuf]) -> Result<(Vec<Entity>, Counts)> {
    let mut counts = Counts::default();
    let mut rows = Vec::new();
    let mut countries: Option<HashMap<String, String>> = None;
    for (index, path) in files.iter().enumerate() {
        let text = read_text(path)?;
        counts.files += 1;
        let file = SourceFile {
            path,
            index,
            date: file_date(path),
        };
        match detect(path, &text)? {
            Kind::Sdn => read_sdn(&file, &text, &mut rows, &mut counts),
            Kind::Extract => read_extract(&file, &text, &mut rows, &mut counts)?,
            Kind::Un => read_un(&file, &text, &mut rows, &mut counts)?,
            Kind::Countries => countries
                .get_or_insert_with(HashMap::new)
                .extend(read_countries(path, &text)?),
        }
    }
    let rows = finish(rows, countries.as_ref(), &mut counts);
    Ok((rows, counts))
}

// ---------------------------------------------------------------------------------------
// Files

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sdn,
    Extract,
    Un,
    Countries,
}

struct SourceFile<'a> {
    path: &'a Path,
    index: usize,
    date: Option<String>,
}

impl SourceFile<'_> {
    fn origin(&self, line: usize) -> String {
        format!("{}:{line}", self.path.display())
    }

    fn ofac_source(&self) -> String {
        match &self.date {
            Some(date) => format!("OFAC SDN list {date} (US Treasury, public domain)"),
            None => "OFAC SDN list (US Treasury, public domain)".into(),
        }
    }

    fn un_source(&self) -> String {
        match &self.date {
            Some(date) => format!("UN Security Council consolidated list {date}"),
            None => "UN Security Council consolidated list".into(),
        }
    }

    fn skip(&self, counts: &mut Counts, line: usize, column: usize, reason: impl AsRef<str>) {
        counts.malformed.push(format!(
            "{}:{line}:{column}: {}",
            self.path.display(),
            reason.as_ref()
        ));
    }
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let before = &bytes[..at];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            Err(Error::parse(path, line, column, "invalid UTF-8"))
        }
    }
}

/// The lines of a file with their 1-based numbers, without `\r`.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
}

/// The first `YYYY-MM-DD` in the file name.
fn file_date(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let chars: Vec<char> = name.chars().collect();
    chars.windows(10).find_map(|w| {
        let text: String = w.iter().collect();
        iso_date(&text).then_some(text)
    })
}

/// `YYYY-MM-DD` with a month 01–12 and a day 01–31.
fn iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return false;
    }
    let month: u32 = text[5..7].parse().unwrap_or(0);
    let day: u32 = text[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn detect(path: &Path, text: &str) -> Result<Kind> {
    let first = lines(text)
        .map(|(_, l)| l)
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let columns: Vec<&str> = first.split('\t').map(str::trim).collect();
    let has = |name: &str| columns.contains(&name);
    if has("ent_num") && has("name") && has("programs") {
        return Ok(Kind::Extract);
    }
    if has("reference_number") && has("un_list_type") && has("name") {
        return Ok(Kind::Un);
    }
    if has("alpha_3") && has("name") {
        return Ok(Kind::Countries);
    }
    let lead = first.split(',').next().unwrap_or("");
    if first.contains(",\"") && !lead.is_empty() && lead.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Kind::Sdn);
    }
    Err(Error::Unsupported {
        path: path.to_path_buf(),
        message: "not a file the ofac importer knows; expected the raw OFAC SDN CSV (no header, \
                  first field the ent_num), an OFAC extract TSV (header ent_num, name, programs, \
                  aliases_from_remarks), the UN Security Council list TSV (header \
                  reference_number, un_list_type, name, aliases, listed_on) or \
                  pycountry_countries.tsv (header with alpha_3 and name)"
            .into(),
    })
}

/// The positions of `wanted` columns in a TSV header; a missing required column is an error.
fn header_positions(
    path: &Path,
    line: usize,
    header: &str,
    required: &[&str],
    optional: &[&str],
) -> Result<Vec<Option<usize>>> {
    let columns: Vec<&str> = header.split('\t').map(str::trim).collect();
    let mut out = Vec::new();
    for name in required {
        let at = columns.iter().position(|c| c == name).ok_or_else(|| {
            Error::parse(
                path,
                line,
                1,
                format!(
                    "header has no `{name}` column (found: {})",
                    columns.join(", ")
                ),
            )
        })?;
        out.push(Some(at));
    }
    for name in optional {
        out.push(columns.iter().position(|c| c == name));
    }
    Ok(out)
}

/// TSV fields with their 1-based character columns.
fn tsv_fields(line: &str) -> Vec<(usize, &str)> {
    let mut column = 1;
    line.split('\t')
        .map(|value| {
            let field = (column, value);
            column += value.chars().count() + 1;
            field
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Rows

/// One row before ordering and merging.
struct Row {
    entity: Entity,
    /// Output group: 0 FTO groups, 1 other armed groups, 2 organisations of terrorism
    /// listings, 3 other organisations, 4 people of terrorism programmes, 5 other people.
    rank: u8,
    /// (file index, line): order within a rank.
    order: (usize, usize),
    ent_num: Option<u64>,
    /// The source's spellings of the name, for `Linked To:`.
    raw_names: Vec<String>,
    linked_to: Vec<String>,
    nationality: Option<String>,
    /// From an OFAC extract, whose alias column is cut at apostrophes: the raw SDN row of
    /// the same ent_num, where there is one, has the right aliases.
    from_extract: bool,
    /// The aliases an extract gave this row.
    extract_aliases: Vec<String>,
}

/// How a list classes an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    Fto,
    /// A terrorism programme (SDGT...) or the UN Al-Qaida/Taliban list; `default_militant`
    /// says what a name without keywords is.
    Terror {
        default_militant: bool,
    },
    Other,
}

fn listing_of(programs: &[String]) -> Listing {
    if programs.iter().any(|p| p == "FTO") {
        Listing::Fto
    } else if programs
        .iter()
        .any(|p| TERROR_PROGRAMS.contains(&p.as_str()))
    {
        Listing::Terror {
            default_militant: false,
        }
    } else {
        Listing::Other
    }
}

fn is_terror_person(programs: &[String]) -> bool {
    programs
        .iter()
        .any(|p| TERROR_PROGRAMS.contains(&p.as_str()))
}

/// Programme tags from `FTO] [SDGT` (raw CSV) or `[FTO] [SDGT]` (extracts).
fn parse_programs(text: &str) -> Vec<String> {
    text.split("] [")
        .map(|p| p.trim().trim_matches(|c| c == '[' || c == ']').trim())
        .filter(|p| !p.is_empty())
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join("-"))
        .map(|p| p.replace("---", "-"))
        .collect()
}

/// Build an entity row (group or organisation) from a source name and raw aliases.
struct EntityInput<'a> {
    raw_name: &'a str,
    raw_aliases: Vec<String>,
    listing: Listing,
    code: String,
    source: String,
    origin: String,
    order: (usize, usize),
    ent_num: Option<u64>,
    valid_from: Option<String>,
    from_extract: bool,
    /// The remarks give a company or registry number ([`REGISTRATION_MARKERS`]).
    registered: bool,
}

fn entity_row(input: EntityInput, counts: &mut Counts) -> Option<Row> {
    let (name, mut aliases) = entity_names(input.raw_name);
    if name.is_empty() {
        return None;
    }
    for raw in &input.raw_aliases {
        let mut expanded = Vec::new();
        expand_alias(raw, &mut expanded);
        for (alias, acronym) in expanded {
            aliases.push(if acronym { alias } else { tidy_entity(&alias) });
        }
    }
    let aliases = filter_aliases(&name, aliases, false, counts);
    let (kind, subtype, rank) = match input.listing {
        Listing::Fto => (EntityType::ArmedGroup, "terrorist_organization", 0),
        Listing::Terror { default_militant } => {
            if classify(&name, &aliases, input.registered).unwrap_or(default_militant) {
                (EntityType::ArmedGroup, "terrorist_organization", 1)
            } else {
                (EntityType::Organization, "sanctioned_entity", 2)
            }
        }
        Listing::Other => (EntityType::Organization, "sanctioned_entity", 3),
    };
    // A state body listed under a sanctions programme (Syria's ministries, North Korea's
    // General Bureau) is a government body, not a sanctioned company.
    let (kind, subtype) = match state_body(&name) {
        Some(body) if kind == EntityType::Organization => (EntityType::Government, body),
        _ => (kind, subtype),
    };
    let mut e = entity(make_id(kind, &name), name, kind, input.origin);
    e.subtype = Some(subtype.into());
    e.aliases = aliases;
    e.code = Some(input.code).filter(|c| !c.is_empty());
    e.source = Some(input.source);
    e.valid_from = input.valid_from;
    Some(Row {
        rank,
        order: input.order,
        ent_num: input.ent_num,
        raw_names: vec![input.raw_name.to_string()],
        linked_to: Vec::new(),
        nationality: None,
        from_extract: input.from_extract,
        extract_aliases: if input.from_extract {
            e.aliases.clone()
        } else {
            Vec::new()
        },
        entity: e,
    })
}

// ---------------------------------------------------------------------------------------
// The raw SDN CSV

const SDN_COLUMNS: usize = 12;

fn read_sdn(file: &SourceFile, text: &str, rows: &mut Vec<Row>, counts: &mut Counts) {
    for (line_no, line) in lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        if line.trim() == "\u{1a}" {
            counts.end_markers += 1;
            continue;
        }
        counts.sdn_rows += 1;
        let fields = match split_csv(line) {
            Ok(fields) => fields,
            Err((column, reason)) => {
                file.skip(counts, line_no, column, reason);
                continue;
            }
        };
        if fields.len() != SDN_COLUMNS {
            let column = fields
                .get(SDN_COLUMNS)
                .map_or(line.chars().count() + 1, |f| f.0);
            file.skip(
                counts,
                line_no,
                column,
                format!(
                    "{} fields, expected {SDN_COLUMNS} (ent_num, name, type, programs, title, \
                     call sign, vessel type, tonnage, GRT, vessel flag, vessel owner, remarks)",
                    fields.len()
                ),
            );
            continue;
        }
        let value = |i: usize| -> &str {
            let v = fields[i].1.trim();
            if v == "-0-" { "" } else { v }
        };
        let Ok(ent_num) = value(0).parse::<u64>() else {
            file.skip(
                counts,
                line_no,
                fields[0].0,
                format!("ent_num {:?} is not a number", value(0)),
            );
            continue;
        };
        let raw_name = value(1);
        if !raw_name.chars().any(char::is_alphanumeric) {
            file.skip(counts, line_no, fields[1].0, "no name");
            continue;
        }
        let programs = parse_programs(value(3));
        let remarks = parse_remarks(value(11));
        let registered = REGISTRATION_MARKERS.iter().any(|m| value(11).contains(m));
        counts.truncated_aliases += remarks.truncated;
        let code = programs.join(" ");
        match value(2).to_lowercase().as_str() {
            "vessel" => counts.vessels += 1,
            "aircraft" => counts.aircraft += 1,
            "individual" => {
                let at = SdnLine {
                    file,
                    line_no,
                    ent_num,
                };
                if let Some(row) = person_row(at, raw_name, &programs, remarks, counts) {
                    rows.push(row);
                }
            }
            "" => {
                let input = EntityInput {
                    raw_name,
                    raw_aliases: remarks.aliases,
                    listing: listing_of(&programs),
                    code,
                    source: file.ofac_source(),
                    origin: file.origin(line_no),
                    order: (file.index, line_no),
                    ent_num: Some(ent_num),
                    valid_from: None,
                    from_extract: false,
                    registered,
                };
                if let Some(row) = entity_row(input, counts) {
                    rows.push(row);
                }
            }
            other => file.skip(
                counts,
                line_no,
                fields[2].0,
                format!("unknown type {other:?}; expected individual, vessel, aircraft or -0-"),
            ),
        }
    }
}

/// Where an SDN row was read: its file, line and entry number.
struct SdnLine<'a, 'f> {
    file: &'a SourceFile<'f>,
    line_no: usize,
    ent_num: u64,
}

fn person_row(
    at: SdnLine,
    raw_name: &str,
    programs: &[String],
    remarks: Remarks,
    counts: &mut Counts,
) -> Option<Row> {
    let SdnLine {
        file,
        line_no,
        ent_num,
    } = at;
    let name = tidy_person(raw_name);
    if name.is_empty() {
        return None;
    }
    let aliases = remarks.aliases.iter().map(|a| tidy_person(a)).collect();
    let aliases = filter_aliases(&name, aliases, true, counts);
    let terror = is_terror_person(programs);
    let mut e = entity(
        make_id(EntityType::Person, &name),
        name,
        EntityType::Person,
        file.origin(line_no),
    );
    e.role = Some(
        if terror {
            "sdgt_designee"
        } else {
            "sanctioned_person"
        }
        .into(),
    );
    e.aliases = aliases;
    e.code = Some(programs.join(" ")).filter(|c| !c.is_empty());
    e.source = Some(file.ofac_source());
    Some(Row {
        entity: e,
        rank: if terror { 4 } else { 5 },
        order: (file.index, line_no),
        ent_num: Some(ent_num),
        raw_names: vec![raw_name.to_string()],
        linked_to: remarks.linked_to,
        nationality: remarks.nationality,
        from_extract: false,
        extract_aliases: Vec::new(),
    })
}

/// Split one CSV record: fields with their 1-based character columns. Quoted fields may
/// hold commas and doubled quotes; an error is (column, reason).
fn split_csv(line: &str) -> std::result::Result<Vec<(usize, String)>, (usize, &'static str)> {
    let chars: Vec<char> = line.chars().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let start = i + 1;
        let mut field = String::new();
        // Spaces before an opening quote are allowed.
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        if j < chars.len() && chars[j] == '"' {
            let open = j;
            i = j + 1;
            loop {
                match chars.get(i) {
                    None => return Err((open + 1, "unterminated quoted field")),
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        field.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        field.push(c);
                        i += 1;
                    }
                }
            }
            while chars.get(i) == Some(&' ') {
                i += 1;
            }
            if i < chars.len() && chars[i] != ',' {
                return Err((i + 1, "text after a closing quote"));
            }
        } else {
            while i < chars.len() && chars[i] != ',' {
                if chars[i] == '"' {
                    return Err((i + 1, "quote inside an unquoted field"));
                }
                field.push(chars[i]);
                i += 1;
            }
        }
        fields.push((start, field));
        if i >= chars.len() {
            return Ok(fields);
        }
        i += 1; // the comma
    }
}

/// What the remarks column says that the gazetteer uses.
#[derive(Debug, Default)]
struct Remarks {
    /// a.k.a., f.k.a. and n.k.a. names, as written.
    aliases: Vec<String>,
    /// Aliases cut off by the end of the remarks.
    truncated: usize,
    linked_to: Vec<String>,
    nationality: Option<String>,
}

fn parse_remarks(text: &str) -> Remarks {
    let mut remarks = Remarks::default();
    // Aliases: `a.k.a. 'NAME'` up to a quote followed by `;`, or by `.` or nothing at the end.
    let mut from = 0;
    while let Some(found) = ["a.k.a. '", "f.k.a. '", "n.k.a. '"]
        .iter()
        .filter_map(|m| text[from..].find(m).map(|at| (from + at, m.len())))
        .min()
    {
        let (at, len) = found;
        let start = at + len;
        from = start;
        let boundary = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c == ' ' || c == ';');
        if !boundary {
            continue;
        }
        let rest = &text[start..];
        let end = rest.char_indices().find_map(|(k, c)| {
            if c != '\'' {
                return None;
            }
            let after = rest[k + 1..].trim_end();
            (after.is_empty() || after == "." || after.starts_with(';')).then_some(k)
        });
        match end {
            Some(k) => {
                let alias = rest[..k].trim();
                let alias = if alias.len() > 1 && alias.starts_with('\'') && alias.ends_with('\'') {
                    &alias[1..alias.len() - 1]
                } else {
                    alias
                };
                if !alias.is_empty() {
                    remarks.aliases.push(alias.to_string());
                }
                from = start + k + 1;
            }
            None => {
                remarks.truncated += 1;
                break;
            }
        }
    }
    let body = text.trim().strip_suffix('.').unwrap_or(text.trim());
    let mut nationality = None;
    let mut citizen = None;
    for part in body.split("; ").map(str::trim) {
        if let Some(target) = part.strip_prefix("Linked To: ") {
            remarks.linked_to.push(target.trim().to_string());
        } else if let Some(value) = part.strip_prefix("nationality ") {
            nationality.get_or_insert_with(|| first_clause(value));
        } else if let Some(value) = part.strip_prefix("citizen ") {
            citizen.get_or_insert_with(|| first_clause(value));
        }
    }
    remarks.nationality = nationality.or(citizen);
    remarks
}

/// A remark value up to a `;` without a space ("Palestinian;arrested 23 Apr 2002").
fn first_clause(value: &str) -> String {
    value.split(';').next().unwrap_or("").trim().to_string()
}

// ---------------------------------------------------------------------------------------
// The FTO / SDGT extracts

fn read_extract(
    file: &SourceFile,
    text: &str,
    rows: &mut Vec<Row>,
    counts: &mut Counts,
) -> Result<()> {
    let mut positions = None;
    for (line_no, line) in lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let Some(at) = &positions else {
            positions = Some(header_positions(
                file.path,
                line_no,
                line,
                &["ent_num", "name", "programs"],
                &["aliases_from_remarks"],
            )?);
            continue;
        };
        counts.extract_rows += 1;
        let fields = tsv_fields(line);
        let get = |k: usize| at[k].and_then(|i| fields.get(i)).map(|f| f.1.trim());
        let (Some(num), Some(raw_name), Some(programs)) = (get(0), get(1), get(2)) else {
            let column = line.chars().count() + 1;
            file.skip(
                counts,
                line_no,
                column,
                format!("{} fields, fewer than the header", fields.len()),
            );
            continue;
        };
        let Ok(ent_num) = num.parse::<u64>() else {
            let column = fields[at[0].unwrap_or(0)].0;
            file.skip(
                counts,
                line_no,
                column,
                format!("ent_num {num:?} is not a number"),
            );
            continue;
        };
        if !raw_name.chars().any(char::is_alphanumeric) {
            let column = fields[at[1].unwrap_or(0)].0;
            file.skip(counts, line_no, column, "no name");
            continue;
        }
        let programs = parse_programs(programs);
        let raw_aliases = get(3)
            .map(|a| {
                a.split('|')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let input = EntityInput {
            raw_name,
            raw_aliases,
            listing: listing_of(&programs),
            code: programs.join(" "),
            source: file.ofac_source(),
            origin: file.origin(line_no),
            order: (file.index, line_no),
            ent_num: Some(ent_num),
            valid_from: None,
            from_extract: true,
            registered: false,
        };
        if let Some(row) = entity_row(input, counts) {
            rows.push(row);
        }
    }
    if positions.is_none() {
        return Err(Error::parse(file.path, 1, 1, "no header row"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The UN list

/// Whether a UN list type is a terrorism list: the ISIL (Da'esh) & Al-Qaida or Taliban list.
fn un_terror_list(list_type: &str) -> bool {
    let t = list_type.to_lowercase();
    t.contains("qaida") || t.contains("isil") || t.contains("daesh") || t.contains("taliban")
}

fn read_un(file: &SourceFile, text: &str, rows: &mut Vec<Row>, counts: &mut Counts) -> Result<()> {
    let mut positions = None;
    for (line_no, line) in lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let Some(at) = &positions else {
            positions = Some(header_positions(
                file.path,
                line_no,
                line,
                &["reference_number", "un_list_type", "name"],
                &["aliases", "listed_on"],
            )?);
            continue;
        };
        counts.un_rows += 1;
        let fields = tsv_fields(line);
        let get = |k: usize| at[k].and_then(|i| fields.get(i)).map(|f| f.1.trim());
        let (Some(reference), Some(list_type), Some(raw_name)) = (get(0), get(1), get(2)) else {
            let column = line.chars().count() + 1;
            file.skip(
                counts,
                line_no,
                column,
                format!("{} fields, fewer than the header", fields.len()),
            );
            continue;
        };
        if !raw_name.chars().any(char::is_alphanumeric) {
            let column = fields[at[2].unwrap_or(0)].0;
            file.skip(counts, line_no, column, "no name");
            continue;
        }
        let raw_aliases = get(3)
            .map(|a| {
                a.split(" | ")
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        // "2015-03-27-04:00": the date is the first ten characters.
        let valid_from = get(4).filter(|d| !d.is_empty()).and_then(|d| {
            let date = d.get(..10).filter(|d| iso_date(d)).map(String::from);
            if date.is_none() {
                counts.bad_dates += 1;
            }
            date
        });
        let listing = if un_terror_list(list_type) {
            Listing::Terror {
                default_militant: true,
            }
        } else {
            Listing::Other
        };
        let input = EntityInput {
            raw_name,
            raw_aliases,
            listing,
            code: reference.to_string(),
            source: file.un_source(),
            origin: file.origin(line_no),
            order: (file.index, line_no),
            ent_num: None,
            valid_from,
            from_extract: false,
            registered: false,
        };
        if let Some(row) = entity_row(input, counts) {
            rows.push(row);
        }
    }
    if positions.is_none() {
        return Err(Error::parse(file.path, 1, 1, "no header row"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Countries

/// Folded country name → ISO alpha-3, from pycountry's `name`, `official_name` and
/// `common_name`, the part before the comma of names such as "Iran, Islamic Republic of"
/// where that part is not ambiguous, and [`OFAC_COUNTRY_NAMES`].
fn read_countries(path: &Path, text: &str) -> Result<HashMap<String, String>> {
    let mut map: HashMap<String, String> = HashMap::new();
    let mut short: HashMap<String, Option<String>> = HashMap::new();
    let mut positions = None;
    for (line_no, line) in lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let Some(at) = &positions else {
            positions = Some(header_positions(
                path,
                line_no,
                line,
                &["alpha_3", "name"],
                &["official_name", "common_name"],
            )?);
            continue;
        };
        let fields = tsv_fields(line);
        let get = |k: usize| {
            at[k]
                .and_then(|i| fields.get(i))
                .map(|f| f.1.trim())
                .filter(|v| !v.is_empty())
        };
        let Some(code) = get(0) else { continue };
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            let column = fields[at[0].unwrap_or(0)].0;
            return Err(Error::parse(
                path,
                line_no,
                column,
                format!("alpha_3 {code:?} is not three capital letters"),
            ));
        }
        for name in [get(1), get(2), get(3)].into_iter().flatten() {
            map.entry(fold_alias(name))
                .or_insert_with(|| code.to_string());
            if let Some((head, _)) = name.split_once(',') {
                let entry = short.entry(fold_alias(head)).or_insert(Some(code.into()));
                if entry.as_deref() != Some(code) {
                    *entry = None; // "Korea, ...": two countries
                }
            }
        }
    }
    for (head, code) in short {
        if let Some(code) = code {
            map.entry(head).or_insert(code);
        }
    }
    for (ofac, name) in OFAC_COUNTRY_NAMES {
        if let Some(code) = map.get(&fold_alias(name)).cloned() {
            map.entry(fold_alias(ofac)).or_insert(code);
        }
    }
    Ok(map)
}

// ---------------------------------------------------------------------------------------
// Ordering, merging, links

fn finish(
    mut rows: Vec<Row>,
    countries: Option<&HashMap<String, String>>,
    counts: &mut Counts,
) -> Vec<Entity> {
    // Within a rank, rows of the raw SDN file before those of the extracts (whose aliases
    // may be cut), then file and line order.
    rows.sort_by_key(|r| (r.rank, r.from_extract, r.order));

    // Merge duplicates into the first row.
    let mut kept: Vec<Row> = Vec::with_capacity(rows.len());
    let mut by_ent_num: HashMap<u64, usize> = HashMap::new();
    // (person?, slug) of names → row; of non-person aliases → row.
    let mut by_name: HashMap<(bool, String), usize> = HashMap::new();
    let mut by_alias: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let person = row.entity.kind == EntityType::Person;
        let name_key = (person, key_slug(&row.entity.name));
        let ent_num = row.ent_num;
        let same_listing = row.ent_num.and_then(|n| by_ent_num.get(&n).copied());
        if let Some(at) = same_listing {
            // The same OFAC listing from an extract and the raw SDN file: the SDN row's
            // aliases are right, the extract's may be cut at an apostrophe.
            counts.merged += 1;
            let kept_row = &mut kept[at];
            match (kept_row.from_extract, row.from_extract) {
                (false, true) => {} // the SDN row is already in
                (true, false) => {
                    // Rare (the sort puts SDN rows first unless the two rank apart): drop
                    // the extract's aliases, take the SDN row's.
                    let cut: HashSet<String> = row_extract_aliases(kept_row);
                    kept_row
                        .entity
                        .aliases
                        .retain(|a| !cut.contains(&fold_alias(a)));
                    kept_row.entity.origin = row.entity.origin.clone();
                    kept_row.from_extract = false;
                    merge_into(kept_row, &row);
                }
                _ => merge_into(kept_row, &row),
            }
            continue;
        }
        let target = by_name.get(&name_key).copied().or_else(|| {
            if person {
                return None;
            }
            by_alias.get(&name_key.1).copied().or_else(|| {
                row.entity
                    .aliases
                    .iter()
                    .find_map(|a| by_name.get(&(false, key_slug(a))).copied())
            })
        });
        let at = match target {
            Some(at) => {
                counts.merged += 1;
                merge_into(&mut kept[at], &row);
                at
            }
            None => {
                kept.push(row);
                kept.len() - 1
            }
        };
        if let Some(n) = ent_num {
            by_ent_num.entry(n).or_insert(at);
        }
        by_name.entry(name_key).or_insert(at);
        if !person {
            for alias in &kept[at].entity.aliases {
                by_alias.entry(key_slug(alias)).or_insert(at);
            }
        }
    }

    drop_shared_person_aliases(&mut kept, counts);
    link_parents(&mut kept, counts);
    if let Some(map) = countries {
        for row in &mut kept {
            let Some(nationality) = &row.nationality else {
                continue;
            };
            match map.get(&fold_alias(nationality)) {
                Some(code) => {
                    row.entity.country = Some(code.clone());
                    counts.countries += 1;
                }
                None => {
                    *counts
                        .unmapped_nationalities
                        .entry(nationality.clone())
                        .or_default() += 1
                }
            }
        }
    }
    kept.into_iter().map(|r| r.entity).collect()
}

/// The slug that says two names are the same: [`slug`] without a leading "the"
/// ("The Islamic International Brigade" = "Islamic International Brigade").
fn key_slug(name: &str) -> String {
    let s = slug(name);
    match s.strip_prefix("the-") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

/// The folded aliases a row took from an extract.
fn row_extract_aliases(row: &Row) -> HashSet<String> {
    row.extract_aliases.iter().map(|a| fold_alias(a)).collect()
}

/// Add `other`'s names, codes and sources to `row`.
fn merge_into(row: &mut Row, other: &Row) {
    let mut own: HashSet<String> = std::iter::once(&row.entity.name)
        .chain(&row.entity.aliases)
        .map(|a| fold_alias(a))
        .collect();
    for alias in std::iter::once(&other.entity.name).chain(&other.entity.aliases) {
        if own.insert(fold_alias(alias)) {
            row.entity.aliases.push(alias.clone());
        }
    }
    let e = &mut row.entity;
    e.code = match (e.code.take(), &other.entity.code) {
        (Some(a), Some(b)) if a == *b || a.split("; ").any(|part| part == b) => Some(a),
        (Some(a), Some(b)) => {
            let tags = |s: &str| !s.contains('.') && !s.contains(';');
            if tags(&a) && tags(b) {
                // Two OFAC tag lists: their union.
                let mut all: Vec<&str> = a.split(' ').collect();
                for t in b.split(' ') {
                    if !all.contains(&t) {
                        all.push(t);
                    }
                }
                Some(all.join(" "))
            } else {
                Some(format!("{a}; {b}"))
            }
        }
        (a, b) => a.or_else(|| b.clone()),
    };
    e.source = match (e.source.take(), &other.entity.source) {
        (Some(a), Some(b)) if a.split("; ").any(|part| part == b) => Some(a),
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or_else(|| b.clone()),
    };
    if e.valid_from.is_none() {
        e.valid_from = other.entity.valid_from.clone();
    }
    if e.country.is_none() {
        e.country = other.entity.country.clone();
    }
    row.raw_names.extend(other.raw_names.iter().cloned());
    row.linked_to.extend(other.linked_to.iter().cloned());
    if row.nationality.is_none() {
        row.nationality = other.nationality.clone();
    }
}

/// Remove from people the aliases that another person also has as a name or alias.
fn drop_shared_person_aliases(rows: &mut [Row], counts: &mut Counts) {
    let mut owners: HashMap<String, usize> = HashMap::new();
    for row in rows.iter().filter(|r| r.entity.kind == EntityType::Person) {
        let own: HashSet<String> = std::iter::once(&row.entity.name)
            .chain(&row.entity.aliases)
            .map(|a| fold_alias(a))
            .collect();
        for folded in own {
            *owners.entry(folded).or_default() += 1;
        }
    }
    for row in rows
        .iter_mut()
        .filter(|r| r.entity.kind == EntityType::Person)
    {
        let before = row.entity.aliases.len();
        row.entity
            .aliases
            .retain(|a| owners.get(&fold_alias(a)).is_none_or(|&n| n < 2));
        counts.shared_person_aliases += before - row.entity.aliases.len();
    }
}

/// Set a person's parent to the first armed group of this import named in `Linked To:`.
fn link_parents(rows: &mut [Row], counts: &mut Counts) {
    let mut groups: HashMap<String, String> = HashMap::new();
    for row in rows
        .iter()
        .filter(|r| r.entity.kind == EntityType::ArmedGroup)
    {
        for name in row
            .raw_names
            .iter()
            .chain(std::iter::once(&row.entity.name))
            .chain(&row.entity.aliases)
        {
            groups
                .entry(fold_alias(name))
                .or_insert_with(|| row.entity.id.clone());
        }
    }
    for row in rows
        .iter_mut()
        .filter(|r| r.entity.kind == EntityType::Person)
    {
        if let Some(id) = row
            .linked_to
            .iter()
            .find_map(|target| groups.get(&fold_alias(target)))
        {
            row.entity.parent = Some(id.clone());
            counts.parents += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Names

/// Capitals, without dots and apostrophes, split into words.
fn keywords(name: &str) -> Vec<String> {
    name.chars()
        .filter(|c| !matches!(c, '.' | '\'' | '\u{2019}' | '\u{2018}' | '`'))
        .collect::<String>()
        .to_uppercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// What the words of one name say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    StrongMilitant,
    NotMilitant,
    WeakMilitant,
    Nothing,
}

fn evidence(name: &str) -> Evidence {
    let words = keywords(name);
    let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let phrase = |a: &str, b: &str| words.windows(2).any(|w| w[0] == a && w[1] == b);
    if any(STRONG_MILITANT) || phrase("ISLAMIC", "STATE") || phrase("BOKO", "HARAM") {
        Evidence::StrongMilitant
    } else if any(NOT_MILITANT) {
        Evidence::NotMilitant
    } else if any(WEAK_MILITANT) {
        Evidence::WeakMilitant
    } else {
        Evidence::Nothing
    }
}

/// Remarks that give a company or registry number: a registered business or charity.
pub const REGISTRATION_MARKERS: &[&str] = &[
    "Company Number",
    "Company Registration",
    "Registration Number",
    "Registration ID",
    "Organization Type:",
    "Organization Established Date",
    "Tax ID",
    "V.A.T. Number",
    "D-U-N-S Number",
    "Business Registration",
    "Commercial Registry",
    "Trade License",
    "Chamber of Commerce",
    "Legal Entity Number",
];

/// The keyword rule (module docs): militant or not, or `None` for the list's default.
/// `registered`: the remarks give a registration number.
fn classify(name: &str, aliases: &[String], registered: bool) -> Option<bool> {
    let name = evidence(name);
    let aliases: Vec<Evidence> = aliases.iter().map(|a| evidence(a)).collect();
    let any = |e: Evidence| aliases.contains(&e);
    match name {
        Evidence::StrongMilitant => Some(true),
        Evidence::NotMilitant => Some(false),
        _ if registered => Some(false),
        _ if any(Evidence::StrongMilitant) => Some(true),
        _ if any(Evidence::NotMilitant) => Some(false),
        Evidence::WeakMilitant => Some(true),
        Evidence::Nothing if any(Evidence::WeakMilitant) => Some(true),
        Evidence::Nothing => None,
    }
}

/// Words of a company or state-owned enterprise: a name with one is not a state body.
const COMPANY_WORDS: &[&str] = &[
    "LTD",
    "LIMITED",
    "LLC",
    "INC",
    "CORP",
    "CORPORATION",
    "CO",
    "COMPANY",
    "JSC",
    "PJSC",
    "CJSC",
    "OAO",
    "OOO",
    "ZAO",
    "AO",
    "JOINT",
    "STOCK",
    "ENTERPRISE",
    "ENTERPRISES",
    "FACTORY",
    "PLANT",
    "HOLDING",
    "HOLDINGS",
    "ESTABLISHMENT",
    "INSTITUTE",
    "INSTITUTION",
    "UNIVERSITY",
    "CENTER",
    "CENTRE",
    "BANK",
    "TRADING",
    "INDUSTRIES",
    "GROUP",
    "SAL",
    "FZE",
];

/// Phrases that make a name a state body, with the subtype they give, checked in order.
const STATE_BODY_PHRASES: &[(&[&str], &str)] = &[
    (&["MINISTRY"], "ministry"),
    (&["MINISTERE"], "ministry"),
    (&["MINISTERIO"], "ministry"),
    (&["INTELLIGENCE"], "intelligence"),
    (&["STATE", "SECURITY"], "intelligence"),
    (&["SECURITY", "SERVICE"], "intelligence"),
    (&["SECURITY", "DIRECTORATE"], "intelligence"),
    (&["RECONNAISSANCE"], "intelligence"),
    (&["POLICE"], "police"),
    (&["ARMED", "FORCES"], "military"),
    (&["AIR", "FORCE"], "military"),
    (&["AEROSPACE", "FORCE"], "military"),
    (&["NAVY"], "military"),
    (&["GENERAL", "STAFF"], "military"),
    (&["REPUBLICAN", "GUARD"], "military"),
    (&["GUARD", "CORPS"], "military"),
];

/// Heads of other state bodies ("General Directorate of Syrian Ports", "State Affairs
/// Commission"), which also need a word in [`STATE_MARKERS`].
const STATE_AGENCY_HEADS: &[&str] = &[
    "DIRECTORATE",
    "BUREAU",
    "AGENCY",
    "COMMISSION",
    "AUTHORITY",
    "COUNCIL",
    "COMMITTEE",
];
const STATE_MARKERS: &[&str] = &[
    "STATE",
    "NATIONAL",
    "FEDERAL",
    "GENERAL",
    "SUPREME",
    "CENTRAL",
    "MILITARY",
    "GOVERNMENT",
];

/// The subtype of a state body, or `None` when the name is not one (see the module docs).
fn state_body(name: &str) -> Option<&'static str> {
    let words = keywords(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    if COMPANY_WORDS.iter().any(|w| has(w)) {
        return None;
    }
    let phrase = |p: &[&str]| words.windows(p.len()).any(|w| w == p);
    if let Some((_, subtype)) = STATE_BODY_PHRASES.iter().find(|(p, _)| phrase(p)) {
        return Some(subtype);
    }
    let agency = STATE_AGENCY_HEADS.iter().any(|w| has(w))
        && STATE_MARKERS.iter().any(|w| has(w))
        && !NOT_MILITANT.iter().any(|w| has(w));
    agency.then_some("agency")
}

/// Whether most letters are capitals ("ARAB IraqI COMPANY" counts as capitals).
fn mostly_capitals(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let lower = text.chars().filter(|c| c.is_lowercase()).count();
    letters > 0 && lower * 5 <= letters
}

/// Display form of an entity name or alias.
fn tidy_entity(raw: &str) -> String {
    let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if !mostly_capitals(&raw) {
        return raw;
    }
    let upper = raw.to_uppercase();
    // A single token made of short capital parts ("ADF/NALU", "BIF-USA") is an acronym.
    if !upper.contains(' ') {
        let parts: Vec<&str> = upper.split(['/', '-']).filter(|p| !p.is_empty()).collect();
        let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
        let particle = parts
            .first()
            .is_some_and(|p| ["AL", "EL", "ABU", "BIN", "IBN", "UL"].contains(p));
        if parts.len() > 1 && !particle && parts.iter().all(|p| letters(p) <= 4) {
            return upper;
        }
    }
    polish(&tidy_name(&upper))
}

/// Touches after [`tidy_name`]: [`KEEP_CAPITALS`] acronyms in capitals ("ISIS-Sinai",
/// "al-Manar TV"), a capital after `/` ("Party/Front"), and the Urdu connectors `-e-` and
/// `-i-` in lower case ("Tehrik-e Taliban", "Jaish-i-Mohammed").
fn polish(name: &str) -> String {
    let name = keep_capitals(name);
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    for (at, &c) in chars.iter().enumerate() {
        let before = at.checked_sub(1).map(|k| chars[k]);
        let after = chars.get(at + 1).copied();
        if before == Some('/') && c.is_lowercase() {
            out.extend(c.to_uppercase());
        } else if matches!(c, 'E' | 'I')
            && at > 0
            && !before.is_some_and(char::is_alphanumeric)
            && !after.is_some_and(char::is_alphanumeric)
            && (before == Some('-') || after == Some('-'))
        {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Put back the capitals of [`KEEP_CAPITALS`] acronyms and of dotted abbreviations
/// ("C.a." → "C.A.", "S.r.l." → "S.R.L.") in a tidied name; "Gmbh" → "GmbH".
fn keep_capitals(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for token in name.split_inclusive(' ') {
        let (word, space) = match token.strip_suffix(' ') {
            Some(word) => (word, " "),
            None => (token, ""),
        };
        let letters: Vec<char> = word.chars().filter(|c| *c != '.').collect();
        let dotted = word.contains('.')
            && letters.iter().all(|c| c.is_alphabetic())
            && word
                .split('.')
                .all(|part| part.chars().count() <= 1 && !word.starts_with('.'));
        if dotted {
            out.push_str(&word.to_uppercase());
        } else {
            out.push_str(&keep_capital_words(word));
        }
        out.push_str(space);
    }
    out
}

fn keep_capital_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let upper = word.to_uppercase();
        if upper == "GMBH" {
            out.push_str("GmbH");
        } else if KEEP_CAPITALS.contains(&upper.as_str()) {
            out.push_str(&upper);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Tidy words that follow others: particles ("AL", "BIN") lower case, no acronym rule.
fn tidy_inner(raw: &str) -> String {
    let tidied = tidy_name(&format!("X {raw}"));
    match tidied.strip_prefix("X ") {
        Some(rest) => rest.to_string(),
        None => tidied,
    }
}

/// Display form of a person's name: `SURNAME, Given, Jr.` → `Given Surname Jr.`.
fn tidy_person(raw: &str) -> String {
    let parts: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let words = match parts.as_slice() {
        [] => Vec::new(),
        [one] => vec![capitalise_first(&tidy_inner(one))],
        [surname, given, rest @ ..] => {
            let mut words = vec![capitalise_first(&tidy_inner(given)), tidy_inner(surname)];
            words.extend(rest.iter().map(|r| tidy_inner(r)));
            words
        }
    };
    words
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Upper-case the first letter unless the name starts with a lower-case particle followed
/// by a hyphen ("al-Qa'qa" stays).
fn capitalise_first(text: &str) -> String {
    let first_word = text.split([' ', '-']).next().unwrap_or("");
    if text[first_word.len()..].starts_with('-') {
        return text.to_string();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}

/// The name and the aliases hidden in an entity's source name: `A ; B`, `A / B`, and
/// acronyms in parentheses.
fn entity_names(raw: &str) -> (String, Vec<String>) {
    let mut parts: Vec<String> = Vec::new();
    for part in raw.split(';') {
        for piece in part.split(" / ") {
            let piece = piece.trim();
            if !piece.is_empty() {
                parts.push(piece.to_string());
            }
        }
    }
    let mut name = String::new();
    let mut aliases = Vec::new();
    for (at, part) in parts.iter().enumerate() {
        let (rest, acronyms) = take_acronyms(part);
        let tidied = tidy_entity(&rest);
        if at == 0 {
            name = tidied;
        } else {
            aliases.push(tidied);
        }
        aliases.extend(acronyms);
    }
    (name, aliases)
}

/// Whether `candidate` abbreviates `words`: 2 to 8 letters, the first a capital and the
/// initial of one of the words, the others found in order in the words from there
/// ("AAB" of "ABDALLAH AZZAM BRIGADES", "HQN" of "HAQQANI NETWORK", "GSPC" of "Le Groupe
/// Salafiste pour La Prédication et le Combat"; not "ANGOLA" of "GOLFRATE HOLDINGS").
fn abbreviates(candidate: &str, words: &str) -> bool {
    if !candidate
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | '&'))
        || !candidate.chars().next().is_some_and(char::is_uppercase)
    {
        return false;
    }
    let letters: Vec<char> = candidate
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect();
    if !(2..=8).contains(&letters.len()) {
        return false;
    }
    let words: Vec<Vec<char>> = words
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphabetic())
                .flat_map(char::to_uppercase)
                .collect::<Vec<char>>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    (0..words.len()).any(|start| {
        if words[start][0] != letters[0] {
            return false;
        }
        let mut rest = words[start..].iter().flatten().skip(1);
        letters[1..].iter().all(|l| rest.any(|c| c == l))
    })
}

/// Top-level `(...)` groups: (start byte, end byte after `)`). Unbalanced parentheses
/// are ignored.
fn paren_groups(text: &str) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    start = at;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    groups.push((start, at + 1));
                }
            }
            _ => {}
        }
    }
    groups
}

/// Take out acronyms in parentheses that stand after the words they abbreviate and before
/// a space or the end ("BUTEMBO AIRLINES (BAL)" → "BUTEMBO AIRLINES", ["BAL"]).
fn take_acronyms(text: &str) -> (String, Vec<String>) {
    let mut rest = text.to_string();
    let mut acronyms = Vec::new();
    for (start, end) in paren_groups(text).into_iter().rev() {
        let inner = text[start + 1..end - 1].trim();
        let followed = text[end..].chars().next().is_none_or(char::is_whitespace);
        let preceded = text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        if followed && preceded && abbreviates(inner, &text[..start]) {
            rest.replace_range(start..end, "");
            acronyms.push(inner.to_string());
        }
    }
    acronyms.reverse();
    (
        rest.split_whitespace().collect::<Vec<_>>().join(" "),
        acronyms,
    )
}

/// Split a source alias into the names it holds: `"The Base"` → `The Base`; `X (AB)` →
/// `X`, `AB`; `ARABIC (Translit; Other)` → `ARABIC`, `Translit`, `Other`; `(original
/// script)` and `- sub-unit name` notes dropped; unbalanced parentheses removed.
fn expand_alias(raw: &str, out: &mut Vec<(String, bool)>) {
    let mut text = raw.trim();
    if text.len() > 1 && text.starts_with('"') && text.ends_with('"') {
        text = &text[1..text.len() - 1];
    }
    let groups = paren_groups(text);
    let mut outside = String::new();
    let mut last = 0;
    let mut inner_names: Vec<(String, bool)> = Vec::new();
    let latin_outside = {
        let mut s = String::new();
        let mut prev = 0;
        for &(a, b) in &groups {
            s.push_str(&text[prev..a]);
            prev = b;
        }
        s.push_str(&text[prev..]);
        s.chars().any(|c| c.is_ascii_alphabetic())
    };
    for &(start, end) in &groups {
        let inner = text[start + 1..end - 1].trim();
        let note = inner.eq_ignore_ascii_case("original script");
        let list = split_top_level(inner, ';');
        let followed = text[end..].chars().next().is_none_or(char::is_whitespace);
        if note {
            outside.push_str(&text[last..start]);
        } else if list.len() > 1 || !latin_outside {
            outside.push_str(&text[last..start]);
            for item in list {
                expand_alias(item, &mut inner_names);
            }
        } else if followed && abbreviates(inner, &text[..start]) {
            outside.push_str(&text[last..start]);
            inner_names.push((inner.to_string(), true));
        } else {
            outside.push_str(&text[last..end]);
        }
        last = end;
    }
    outside.push_str(&text[last..]);
    let mut name = outside.split_whitespace().collect::<Vec<_>>().join(" ");
    if !balanced(&name) {
        name = name
            .chars()
            .filter(|&c| c != '(' && c != ')')
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    for suffix in [" - sub-unit name", "- sub-unit name"] {
        if let Some(stripped) = name.strip_suffix(suffix) {
            name = stripped.trim().to_string();
        }
    }
    if !name.is_empty() {
        out.push((name, false));
    }
    out.extend(inner_names);
}

fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// Split on `separator` outside parentheses.
fn split_top_level(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if c == separator && depth == 0 => {
                parts.push(text[start..at].trim());
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Whether an alias is an online handle or address rather than a name.
fn is_handle(alias: &str) -> bool {
    alias.contains('@')
        || alias.contains('#')
        || alias.contains("http")
        || alias.contains("www.")
        || (!alias.chars().any(char::is_uppercase) && alias.chars().any(|c| c.is_ascii_digit()))
}

/// Words that name a kind of institution, not one institution.
const INSTITUTION_WORDS: &[&str] = &[
    "national",
    "nacional",
    "bank",
    "banco",
    "banque",
    "bancorp",
    "central",
    "commercial",
    "company",
    "corporation",
    "corp",
    "co",
    "inc",
    "ltd",
    "limited",
    "llc",
    "sa",
    "group",
    "holding",
    "holdings",
    "trading",
    "international",
    "general",
    "industries",
    "services",
    "the",
    "of",
    "and",
    "de",
    "del",
];

/// Whether an alias is too generic to match: "The X" (a translated common noun: "The
/// Base", "The Youth"); only words that name a kind of institution ("National Bank",
/// "Bancorp", "Banco Nacional": every country has one); or, for a person, one word (a
/// given name or nickname: "Omar", "Crook").
fn is_generic(alias: &str, person: bool) -> bool {
    let words: Vec<&str> = alias.split_whitespace().collect();
    let institution = words.iter().all(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        INSTITUTION_WORDS.contains(&w.as_str())
    });
    (words.len() == 2 && words[0].eq_ignore_ascii_case("the"))
        || (person && words.len() == 1)
        || institution
}

/// Drop aliases that are too short, handles, generic, the name itself or repeats (counted).
fn filter_aliases(
    name: &str,
    aliases: Vec<String>,
    person: bool,
    counts: &mut Counts,
) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::from([fold_alias(name)]);
    let mut out = Vec::new();
    for alias in aliases {
        let alias = alias.split_whitespace().collect::<Vec<_>>().join(" ");
        if alias.chars().filter(|c| c.is_alphanumeric()).count() <= 2 {
            counts.short_aliases += 1;
        } else if is_handle(&alias) {
            counts.handles += 1;
        } else if is_generic(&alias, person) {
            counts.generic_aliases += 1;
        } else if seen.insert(fold_alias(&alias)) {
            out.push(alias);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn state_bodies_are_government_and_state_companies_are_not() {
        for (name, expected) in [
            ("Ministry of Petroleum", Some("ministry")),
            ("Syrian Air Force Intelligence", Some("intelligence")),
            ("Minsk Special Purpose Police Unit", Some("police")),
            ("Armed Forces General Staff", Some("military")),
            ("General Directorate of Syrian Ports", Some("agency")),
            ("State Affairs Commission", Some("agency")),
            ("Joint Stock Company Murom Special Design Bureau", None),
            ("Rana Intelligence Computing Company", None),
            ("Ministry of Defense Logistics Export Company", None),
            ("Trans Gulf Agency LLC", None),
            ("Hilal Travel Agency", None),
            ("Albanian National Army", None),
        ] {
            assert_eq!(state_body(name), expected, "{name}");
        }
    }

    use super::*;
    use crate::gazetteer::Gazetteer;
    use crate::gazetteer::import::{merge, write_tsv};
    use std::io::Write;

    /// Write fixtures into a temporary folder; returns the folder (keep it alive) and paths.
    fn fixtures(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let paths = files
            .iter()
            .map(|(name, bytes)| {
                let path = dir.path().join(name);
                std::fs::File::create(&path)
                    .unwrap()
                    .write_all(bytes)
                    .unwrap();
                path
            })
            .collect();
        (dir, paths)
    }

    fn find<'a>(rows: &'a [Entity], name: &str) -> &'a Entity {
        rows.iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no row named {name:?}"))
    }

    const SDN: &str = concat!(
        "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        "4695,\"HAMAS\",-0- ,\"FTO] [SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        "4697,\"HIZBALLAH\",-0- ,\"FTO] [SDGT] [SYRIA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Additional Sanctions Information - Subject to Secondary Sanctions Pursuant to the Hizballah Financial Sanctions Regulations; a.k.a. 'LH'; a.k.a. 'FOREIGN RELATIONS DEPARTMENT'; a.k.a. 'FRD'; a.k.a. 'EXTERNAL SECURITY ORGANIZATION'.\"\r\n",
        "11462,\"KATA'IB HIZBALLAH\",-0- ,\"FTO] [SDGT] [IRAQ3\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"www.aleseb.com; a.k.a. 'KATA'IB HIZBALLAH FI AL-IRAQ'; a.k.a. 'ISLAMIC RESISTANCE IN IRAQ'; f.k.a. 'KATIBAT ABU FATHEL AL A'ABAS'.\"\r\n",
        "7916,\"COMITE' DE BIENFAISANCE ET DE SECOURS AUX PALESTINIENS\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Website h-terre.org; a.k.a. 'CBSP'; Linked To: HAMAS.\"\r\n",
        "8859,\"MOVEMENT FOR ISLAMIC REFORM IN ARABIA\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"UK Company Number 03834450 (United Kingdom); a.k.a. 'MIRA'.\"\r\n",
        "46348,\"KATA'IB SAYYID AL-SHUHADA\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'KSS'; a.k.a. 'MASTERS OF THE MARTYRS BRIGADE'; a.k.a. 'ONE'; a.k.a. 'TWO CUT OF\"\r\n",
        "20001,\"ANSAR BANK\",-0- ,\"IRAN] [SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        "9647,\"ZAHHAR, Mahmoud Khaled\",\"individual\",\"SDGT] [NS-PLC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1945; POB Gaza Strip; nationality Palestinian; Gender Male; a.k.a. 'ZAHAR, Mahmoud'; a.k.a. 'AL-ZAHAR, Mahmoud'; a.k.a. 'ABU KHALID'; a.k.a. 'KHALID'; Linked To: HAMAS.\"\r\n",
        "30001,\"IVANOV, Ivan Ivanovich\",\"individual\",\"RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 01 Jan 1970; nationality Russia; a.k.a. 'IVANOV, Vanya'; a.k.a. '@vanya_1970'.\"\r\n",
        "31001,\"SEA STAR\",\"vessel\",\"IRAN\",-0- ,\"9HA1234\",\"Crude Oil Tanker\",-0- ,-0- ,\"Malta\",-0- ,-0- \r\n",
        "32001,\"EP-ABC\",\"aircraft\",\"IRAN\",-0- ,-0- ,\"Airbus A300\",-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        "33001,\"BROKEN, Row\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"unterminated\r\n",
        "34001,\"TOO FEW\",-0- \r\n",
        "x35,\"NOT A NUMBER\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        "10053,\"JIHAD AL-BINA\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        "\u{1a}",
    );

    #[test]
    fn raw_sdn_rows_become_groups_organisations_and_people() {
        let (_dir, files) = fixtures(&[("ofac_sdn_2024-05-03.csv", SDN.as_bytes())]);
        let (rows, counts) = read_with_counts(&files).unwrap();
        let names: Vec<&str> = rows.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Hamas",
                "Hizballah",
                "Kata'ib Hizballah",
                "Kata'ib Sayyid al-Shuhada",
                "Jihad al-Bina",
                "Comite' de Bienfaisance Et de Secours Aux Palestiniens",
                "Movement for Islamic Reform in Arabia",
                "Ansar Bank",
                "Aerocaribbean Airlines",
                "Mahmoud Khaled Zahhar",
                "Ivan Ivanovich Ivanov",
            ]
        );

        let hamas = find(&rows, "Hamas");
        assert_eq!(hamas.id, "armed_group/hamas");
        assert_eq!(hamas.kind, EntityType::ArmedGroup);
        assert_eq!(hamas.subtype.as_deref(), Some("terrorist_organization"));
        assert_eq!(hamas.code.as_deref(), Some("FTO SDGT"));
        assert_eq!(
            hamas.source.as_deref(),
            Some("OFAC SDN list 2024-05-03 (US Treasury, public domain)")
        );
        assert!(hamas.origin.ends_with("ofac_sdn_2024-05-03.csv:2"));

        // Several a.k.a. in one remark; "LH" has only two letters.
        let hizballah = find(&rows, "Hizballah");
        assert_eq!(
            hizballah.aliases,
            [
                "Foreign Relations Department",
                "FRD",
                "External Security Organization"
            ]
        );
        assert_eq!(hizballah.code.as_deref(), Some("FTO SDGT SYRIA"));
        // Apostrophes inside aliases; f.k.a. counts.
        assert_eq!(
            find(&rows, "Kata'ib Hizballah").aliases,
            [
                "Kata'ib Hizballah fi al-Iraq",
                "Islamic Resistance in Iraq",
                "Katibat Abu Fathel al A'abas"
            ]
        );
        // SDGT only: the keyword rule. The last alias is cut off by the end of the remarks.
        let kss = find(&rows, "Kata'ib Sayyid al-Shuhada");
        assert_eq!(kss.kind, EntityType::ArmedGroup);
        assert_eq!(
            kss.aliases,
            ["KSS", "Masters of the Martyrs Brigade", "ONE"]
        );
        assert_eq!(find(&rows, "Jihad al-Bina").kind, EntityType::ArmedGroup);
        for name in [
            "Comite' de Bienfaisance Et de Secours Aux Palestiniens",
            "Movement for Islamic Reform in Arabia", // a UK company number
            "Ansar Bank",
            "Aerocaribbean Airlines",
        ] {
            let e = find(&rows, name);
            assert_eq!(e.kind, EntityType::Organization, "{name}");
            assert_eq!(e.subtype.as_deref(), Some("sanctioned_entity"), "{name}");
        }

        let zahhar = find(&rows, "Mahmoud Khaled Zahhar");
        assert_eq!(zahhar.id, "person/mahmoud-khaled-zahhar");
        assert_eq!(zahhar.role.as_deref(), Some("sdgt_designee"));
        assert_eq!(
            zahhar.aliases,
            ["Mahmoud Zahar", "Mahmoud al-Zahar", "Abu Khalid"]
        );
        assert_eq!(zahhar.parent.as_deref(), Some("armed_group/hamas"));
        assert_eq!(zahhar.country, None, "no pycountry file given");
        assert_eq!(zahhar.code.as_deref(), Some("SDGT NS-PLC"));
        assert_eq!(zahhar.valid_from, None);
        let ivanov = find(&rows, "Ivan Ivanovich Ivanov");
        assert_eq!(ivanov.role.as_deref(), Some("sanctioned_person"));
        assert_eq!(ivanov.aliases, ["Vanya Ivanov"]);

        assert_eq!((counts.vessels, counts.aircraft), (1, 1));
        assert_eq!(counts.end_markers, 1);
        assert_eq!(counts.truncated_aliases, 1);
        assert_eq!((counts.short_aliases, counts.handles), (1, 1));
        assert_eq!(counts.generic_aliases, 1); // "Khalid"
        assert_eq!(counts.parents, 1);
        let skipped: Vec<&str> = counts
            .malformed
            .iter()
            .map(|m| m.rsplit_once(".csv:").unwrap().1)
            .collect();
        assert_eq!(
            skipped,
            [
                "13:76: unterminated quoted field",
                "14:21: 3 fields, expected 12 (ent_num, name, type, programs, title, call sign, \
                 vessel type, tonnage, GRT, vessel flag, vessel owner, remarks)",
                "15:1: ent_num \"x35\" is not a number",
            ]
        );
        assert_eq!(counts.sdn_rows, 16);
    }

    const EXTRACT: &str = "ent_num\tname\tprograms\taliases_from_remarks\n\
        4696\tHARAKAT UL-MUJAHIDEEN\t[FTO] [SDGT]\tHUA | HUM\n\
        4690\tARMED ISLAMIC GROUP\t[SDGT]\tGIA\n\
        11462\tKATA'IB HIZBALLAH\t[FTO] [SDGT] [IRAQ3]\tKATA | ISLAMIC RESISTANCE IN IRAQ\n\
        5000\tAL RASHID TRUST\t[SDGT]\t\n\
        bad\tX\t[SDGT]\t\n";

    #[test]
    fn extracts_are_read_and_give_way_to_the_raw_sdn_rows() {
        let (_dir, files) = fixtures(&[("ofac_fto_2024-05-03.tsv", EXTRACT.as_bytes())]);
        let (rows, counts) = read_with_counts(&files).unwrap();
        let names: Vec<&str> = rows.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Harakat ul-Mujahideen",
                "Kata'ib Hizballah",
                "Armed Islamic Group",
                "Al Rashid Trust"
            ]
        );
        assert_eq!(find(&rows, "Harakat ul-Mujahideen").aliases, ["HUA", "HUM"]);
        assert_eq!(
            find(&rows, "Armed Islamic Group").subtype.as_deref(),
            Some("terrorist_organization")
        );
        assert_eq!(
            find(&rows, "Al Rashid Trust").kind,
            EntityType::Organization
        );
        assert_eq!(counts.extract_rows, 5);
        assert!(counts.malformed[0].ends_with(":6:1: ent_num \"bad\" is not a number"));

        // With the SDN file, in either order, the extract's cut alias "KATA" goes.
        let (_dir, files) = fixtures(&[
            ("ofac_fto_2024-05-03.tsv", EXTRACT.as_bytes()),
            ("ofac_sdn_2024-05-03.csv", SDN.as_bytes()),
        ]);
        let (rows, counts) = read_with_counts(&files).unwrap();
        let kh = find(&rows, "Kata'ib Hizballah");
        assert!(!kh.aliases.iter().any(|a| a == "KATA"), "{:?}", kh.aliases);
        assert!(kh.origin.contains("ofac_sdn"));
        assert_eq!(
            rows.iter()
                .filter(|e| e.name == "Kata'ib Hizballah")
                .count(),
            1
        );
        assert_eq!(counts.merged, 1);
    }

    const UN: &str = "reference_number\tun_list_type\tname\taliases\tlisted_on\n\
        QDe.004\tAl-Qaida\tAL-QAIDA\t\"The Base\" | Al Qaeda | Islamic Salvation Foundation\t2001-10-06\n\
        QDe.144\tAl-Qaida\tABDALLAH AZZAM BRIGADES (AAB)\tAbdullah Azzam Brigades | Ziyad al-Jarrah Battalions of the Abdallah Azzam Brigades\t2014-09-23\n\
        QDe.137\tAl-Qaida\tAL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT\tHay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script); Hay’et Tahrir al-Sham; Assembly for the Liberation of Syria)\t2014-05-14\n\
        TAe.010\tTaliban\tHAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE\tHaji Khairullah Money Exchange\t2012-06-29\n\
        TAe.014\tTaliban\tHAJI BASIR AND ZARJMIL COMPANY HAWALA\t\t2015-03-27-04:00\n\
        KPe.053\tDPRK\tPROPAGANDA AND AGITATION DEPARTMENT (PAD)\t\t2017-09-11\n\
        CDe.003\tDRC\tCOMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)\tCAGL\t2007-03-29\n\
        QDe.141\tAl-Qaida\tAL MOURABITOUN\tLes Sentinelles\tlong ago\n";

    #[test]
    fn un_entities_are_read_with_listing_dates() {
        let (_dir, files) = fixtures(&[("un_sc_entities_2018-10-29.tsv", UN.as_bytes())]);
        let (rows, counts) = read_with_counts(&files).unwrap();
        let qaida = find(&rows, "al-Qaida");
        assert_eq!(qaida.kind, EntityType::ArmedGroup);
        assert_eq!(qaida.subtype.as_deref(), Some("terrorist_organization"));
        assert_eq!(qaida.valid_from.as_deref(), Some("2001-10-06"));
        assert_eq!(qaida.code.as_deref(), Some("QDe.004"));
        assert_eq!(
            qaida.source.as_deref(),
            Some("UN Security Council consolidated list 2018-10-29")
        );
        assert_eq!(qaida.aliases, ["Al Qaeda", "Islamic Salvation Foundation"]);
        let aab = find(&rows, "Abdallah Azzam Brigades");
        assert_eq!(aab.aliases[0], "AAB");
        assert_eq!(
            find(&rows, "al-Nusrah Front for the People of the Levant").aliases,
            [
                "Hay’at Tahrir al-Sham",
                "HTS",
                "هيئة تحرير الشام",
                "Hay’et Tahrir al-Sham",
                "Assembly for the Liberation of Syria"
            ]
        );
        let mourabitoun = find(&rows, "Al Mourabitoun");
        assert_eq!(mourabitoun.kind, EntityType::ArmedGroup); // the list's default
        assert_eq!(mourabitoun.valid_from, None);
        assert_eq!(counts.bad_dates, 1);
        // Money exchanges on the Taliban list are organisations.
        let exchange = find(&rows, "Haji Khairullah Haji Sattar Money Exchange");
        assert_eq!(exchange.kind, EntityType::Organization);
        let hawala = find(&rows, "Haji Basir and Zarjmil Company Hawala");
        assert_eq!(hawala.valid_from.as_deref(), Some("2015-03-27"));
        let pad = find(&rows, "Propaganda and Agitation Department");
        assert_eq!(pad.kind, EntityType::Organization);
        assert_eq!(pad.aliases, ["PAD"]);
        assert_eq!(
            find(&rows, "Compagnie Aerienne Des Grands Lacs").aliases,
            ["CAGL", "Great Lakes Business Company", "GLBC"]
        );
        let kinds: Vec<EntityType> = rows.iter().map(|e| e.kind).collect();
        assert!(kinds.is_sorted(), "armed groups before organisations");
    }

    const COUNTRIES: &str = "alpha_2\talpha_3\tnumeric\tname\tofficial_name\tcommon_name\n\
        PS\tPSE\t275\tPalestine, State of\tthe State of Palestine\t\n\
        RU\tRUS\t643\tRussian Federation\t\t\n\
        IR\tIRN\t364\tIran, Islamic Republic of\tIslamic Republic of Iran\tIran\n\
        KR\tKOR\t410\tKorea, Republic of\t\tSouth Korea\n\
        KP\tPRK\t408\tKorea, Democratic People's Republic of\tDemocratic People's Republic of Korea\tNorth Korea\n";

    #[test]
    fn nationalities_map_to_iso_codes_only_with_the_country_file() {
        let (_dir, files) = fixtures(&[
            ("sdn.csv", SDN.as_bytes()),
            ("pycountry_countries.tsv", COUNTRIES.as_bytes()),
        ]);
        let (rows, counts) = read_with_counts(&files).unwrap();
        assert_eq!(
            find(&rows, "Mahmoud Khaled Zahhar").country.as_deref(),
            Some("PSE")
        );
        assert_eq!(
            find(&rows, "Ivan Ivanovich Ivanov").country.as_deref(),
            Some("RUS")
        );
        assert_eq!(counts.countries, 2);
        // No date in the file name: none in the source.
        assert_eq!(
            find(&rows, "Hamas").source.as_deref(),
            Some("OFAC SDN list (US Treasury, public domain)")
        );

        let map = read_countries(Path::new("c.tsv"), COUNTRIES).unwrap();
        assert_eq!(map.get("korea, north").map(String::as_str), Some("PRK"));
        assert_eq!(map.get("iran").map(String::as_str), Some("IRN"));
        assert_eq!(map.get("korea"), None, "two countries start with Korea");
    }

    #[test]
    fn unknown_and_broken_files_are_errors() {
        let (_dir, files) = fixtures(&[("notes.txt", b"hello\tworld\n")]);
        let err = read_with_counts(&files).unwrap_err().to_string();
        assert!(err.contains("not a file the ofac importer knows"), "{err}");
        let (_dir, files) = fixtures(&[("sdn.csv", b"1,\"A\",-0- \n2,\"B\xff\",-0- \n")]);
        let err = read_with_counts(&files).unwrap_err().to_string();
        assert!(err.ends_with("sdn.csv:2:5: invalid UTF-8"), "{err}");
        let missing = PathBuf::from("/nonexistent/ofac.csv");
        assert!(matches!(
            read_with_counts(&[missing]),
            Err(Error::Io { .. })
        ));
    }

    #[test]
    fn names_are_tidied_for_display() {
        assert_eq!(tidy_person("AL-ZAWAHIRI, Ayman"), "Ayman al-Zawahiri");
        assert_eq!(
            tidy_person("AL ZAWAHIRI, Dr. Ayman"),
            "Dr. Ayman al Zawahiri"
        );
        assert_eq!(
            tidy_person("DELOS REYES, Feliciano Semborio, Jr."),
            "Feliciano Semborio Delos Reyes Jr."
        );
        assert_eq!(tidy_person("AL-JLEILATI, MOHAMMAD"), "Mohammad al-Jleilati");
        assert_eq!(tidy_person("ALI, Hassan"), "Hassan Ali");
        assert_eq!(tidy_person("ABU-'UMAR"), "Abu-'Umar");
        assert_eq!(tidy_entity("ISIS-SINAI PROVINCE"), "ISIS-Sinai Province");
        assert_eq!(tidy_entity("AL MANAR TV"), "Al Manar TV");
        assert_eq!(tidy_entity("JAISH-I-MOHAMMED"), "Jaish-i-Mohammed");
        assert_eq!(
            tidy_entity("TEHRIK-E TALIBAN PAKISTAN"),
            "Tehrik-e Taliban Pakistan"
        );
        assert_eq!(
            tidy_entity("REVOLUTIONARY PEOPLE'S LIBERATION PARTY/FRONT"),
            "Revolutionary People's Liberation Party/Front"
        );
        assert_eq!(tidy_entity("ARAB IraqI COMPANY"), "Arab Iraqi Company");
        assert_eq!(
            tidy_entity("NIMR INTERNATIONAL S.R.L."),
            "Nimr International S.R.L."
        );
        assert_eq!(tidy_entity("ADF/NALU"), "ADF/NALU");
        assert_eq!(tidy_entity("Ansar al-Sharia"), "Ansar al-Sharia");
        assert_eq!(
            take_acronyms("HAQQANI NETWORK (HQN)"),
            ("HAQQANI NETWORK".to_string(), vec!["HQN".to_string()])
        );
        assert_eq!(
            take_acronyms("GOLFRATE HOLDINGS (ANGOLA) LDA").1,
            Vec::<String>::new()
        );
        assert_eq!(
            take_acronyms("UGANDA COMMERCIAL IMPEX (UCI) LTD"),
            (
                "UGANDA COMMERCIAL IMPEX LTD".to_string(),
                vec!["UCI".to_string()]
            )
        );
        assert_eq!(
            take_acronyms("ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE").1,
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_keyword_rule() {
        let none: &[String] = &[];
        assert_eq!(classify("ANSAR BANK", none, false), Some(false));
        assert_eq!(
            classify("AL-ANSAR CHARITY ASSOCIATION", none, false),
            Some(false)
        );
        assert_eq!(classify("ISIL-YEMEN", none, false), Some(true));
        assert_eq!(
            classify("ULSTER DEFENCE ASSOCIATION", none, false),
            Some(true)
        );
        assert_eq!(classify("HARAKAT AL-NUJABA", none, true), Some(true));
        assert_eq!(
            classify("MOVEMENT FOR ISLAMIC REFORM", none, true),
            Some(false)
        );
        assert_eq!(classify("AUM SHINRIKYO", none, false), None);
        let aliases = ["Association for Education, Culture and Building Society".to_string()];
        assert_eq!(classify("AL FURQAN", &aliases, false), Some(false));
        let aliases = ["ETA".to_string()];
        assert_eq!(
            classify("EUZKADI TA ASKATASUNA", &aliases, false),
            Some(true)
        );
    }

    #[test]
    fn csv_records_split_with_columns() {
        assert_eq!(
            split_csv("1,\"A, \"\"B\"\"\",-0- ,\"x\" ").unwrap(),
            [
                (1, "1".to_string()),
                (3, "A, \"B\"".to_string()),
                (14, "-0- ".to_string()),
                (19, "x".to_string())
            ]
        );
        assert_eq!(
            split_csv("1,\"a\"b").unwrap_err(),
            (6, "text after a closing quote")
        );
        assert_eq!(
            split_csv("1,a\"b").unwrap_err(),
            (4, "quote inside an unquoted field")
        );
    }

    /// The shared source files, when they are there (they are beside the repository).
    fn shared(dir: &str, name: &str) -> Option<PathBuf> {
        let path = crate::test_support::shared("sources")?.join(dir).join(name);
        path.is_file().then_some(path)
    }

    #[test]
    fn real_sanctions_files() {
        let names = [
            "ofac_sdn_2024-05-03.csv",
            "ofac_fto_2024-05-03.tsv",
            "ofac_sdgt_entities_2024-05-03.tsv",
            "un_sc_entities_2018-10-29.tsv",
        ];
        let Some(mut files) = names
            .iter()
            .map(|n| shared("sanctions", n))
            .collect::<Option<Vec<_>>>()
        else {
            eprintln!("skipped: ../shared/sources/sanctions is not there");
            return;
        };
        files.extend(shared("places", "pycountry_countries.tsv"));
        let (rows, counts) = read_with_counts(&files).unwrap();
        println!("{}", counts.summary(&rows));
        println!(
            "unmapped nationalities: {:?}",
            counts.unmapped_nationalities
        );
        for line in counts.malformed.iter().take(5) {
            println!("skipped {line}");
        }

        let hamas = find(&rows, "Hamas");
        assert_eq!(hamas.kind, EntityType::ArmedGroup);
        assert_eq!(hamas.subtype.as_deref(), Some("terrorist_organization"));
        assert_eq!(rows[0].kind, EntityType::ArmedGroup);
        let hizballah = find(&rows, "Hizballah");
        assert_eq!(hizballah.kind, EntityType::ArmedGroup);
        assert!(
            hizballah
                .aliases
                .contains(&"Foreign Relations Department".to_string()),
            "{:?}",
            hizballah.aliases
        );
        let kh = find(&rows, "Kata'ib Hizballah");
        assert_eq!(kh.subtype.as_deref(), Some("terrorist_organization"));
        assert!(
            kh.aliases
                .contains(&"Kata'ib Hizballah fi al-Iraq".to_string())
        );
        assert_eq!(counts.malformed.len(), 0);
        let people = rows.iter().filter(|e| e.kind == EntityType::Person).count();
        let groups = rows
            .iter()
            .filter(|e| e.kind == EntityType::ArmedGroup)
            .count();
        assert!(
            people > 6000 && groups > 100,
            "{people} people, {groups} groups"
        );
        assert!(counts.vessels > 0 && counts.aircraft > 0);

        let merged = merge(rows, &[]);
        let mut out = Vec::new();
        write_tsv(&merged.entities, &["test".into()], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let loaded = Gazetteer::from_tsv(Path::new("gen-sanctions.tsv"), &text).unwrap();
        assert_eq!(loaded.entities().len(), merged.entities.len());
        println!(
            "merge: {} entries, {} duplicates, {} aliases dropped",
            merged.entities.len(),
            merged.duplicates,
            merged.aliases_dropped
        );
    }

    #[test]
    fn issue_17_aliases_naming_a_kind_of_institution_are_generic() {
        for alias in [
            "National Bank",
            "Bancorp",
            "Banco Nacional",
            "The Central Bank",
        ] {
            assert!(is_generic(alias, false), "{alias}");
        }
        for alias in [
            "Banco Delta Asia",
            "Bank Melli",
            "Hamas",
            "National Iranian Oil Company",
        ] {
            assert!(!is_generic(alias, false), "{alias}");
        }
    }
}
