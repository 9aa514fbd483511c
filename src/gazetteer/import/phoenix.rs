//! The `phoenix` importer: TABARI / PETRARCH / Phoenix actor dictionaries (Open Event Data
//! Alliance, MIT) turned into gazetteer rows.
//!
//! ```sh
//! newsgraph gazetteer import --from phoenix Phoenix.MilNonState.actors.txt \
//!     Phoenix.Countries.actors.txt Phoenix.International.actors.txt \
//!     Phoenix.IssueCoding.txt --against gazetteers --out gen-phoenix.tsv
//! ```
//!
//! # Files
//!
//! Which dictionary a file is comes from its name (case-insensitive): `Countries`,
//! `International` (or `Internatnl`), `MilNonState` (or `MNSA`), `Issue`. Other Phoenix
//! files (agents, discards, verbs) name no actors and are refused, as is an actor file in
//! which no entry was found.
//!
//! # Actor file syntax (as found in the files, beyond the TABARI manual)
//!
//! - A **name line**: words joined by `_` (sometimes spaces), optionally followed on the
//!   same line by one or more codes (`ABU_NIDAL_ORGANIZATION [IMGMUSALQ]`,
//!   `ANN_VENEMAN_ [USAGOV 010120-050120] [IGOUNOKID >050501]`). It may be indented.
//! - `+ALIAS` lines, and **code lines** (`\t[IRQGOV 030801-030831]`), belong to the name
//!   line above them.
//! - A code is `[CODE]`, `[CODE YYMMDD-YYMMDD]`, `[CODE >YYMMDD]` (from that date),
//!   `[CODE <YYMMDD]` (until that date), or `[CODE YYMMDD]`, read as "from that date" (two
//!   entries use it for a start of office). Dates have 6 or 8 digits; spaces after `>`/`<`
//!   are allowed. Two-digit years follow KEDS/TABARI/PETRARCH (`dstr_to_ordate`): 00–30
//!   are 20YY, 31–99 are 19YY (the files end around 2015; `320101` is 1932). `[---]` is
//!   TABARI's "do not code": it is ignored, and an entry with only `---` is left out.
//! - `#` starts a comment anywhere on a line (as in PETRARCH). One alias has HTML entities
//!   mangled into `OACUTE#`; such `<vowel>ACUTE#`-style sequences are repaired first.
//! - **Runs**: consecutive name lines with no code of their own and no blank line between
//!   them share the codes of the next coded entry (`LEONID_BREZHNEV_`,
//!   `SECRETARY_BREZHNEV`, …, `COMMUNIST_LEADER_LEONID_BREZHNEV [codes]`). A name that
//!   contains the last word of the run's first name is one more name of that actor (an
//!   alias); one that does not (`JUND_AL_AQSA` before `ABU_ABDUL_'AZIZ_AL-QATARI`) is a
//!   separate actor with the same codes.
//!
//! # Codes
//!
//! A CAMEO code is read in 3-letter parts: a country or region (`IRQ`, `MEA`) or an
//! international type (`IGO`, `NGO`, `MNC`, `IMG`, `MED`), then role ("agent") parts and
//! sectors (`IRQGOVAGR`). The role is the first part found in [`AGENTS`]; failing that a
//! religion part ([`RELIGIONS`], not first after a country: `MUS` alone is Mauritius)
//! counts as the role "religious". The country is the first
//! part when it is an ISO 3166-1 alpha-3 code (CAMEO `TMP` and `KSV` become `TLS` and
//! `XKX`; historical codes such as `USR`, `DDR`, `YUG` give no country), or the second
//! part after `IGO`/`NGO`/`NGM`/`MNC`/`MED`.
//!
//! **The code column** holds the entry's *principal* code: the most recent of its codes,
//! preferring any code whose role is not `ELI` (CountryInfo marks the years before and
//! after an office as `ELI`, "elite"), and dated codes over undated ones (an undated code
//! is the default for the times no dated code covers). "Most recent" compares end dates
//! (open ends last), then start dates; ties go to the code listed first. `valid_from` and
//! `valid_to` are the principal code's dates, joined with those of the same code that
//! overlap or touch them (Saddam Hussein's two `IRQGOV` ranges give 1979-07-16 to
//! 2003-04-09).
//!
//! # Types
//!
//! - An entry with a code that has no role (`AFGHANISTAN_ [AFG]`, `GUAM_ [USAGUM]`,
//!   `IRAQ_ [IRQOCC …]`) is a **place** and left out: places come from GeoNames. So are the
//!   fictional test entries (country `KNT`, Kinakuta, and three villains in MilNonState).
//! - Persons and institutions are told apart by the rules in [Persons or
//!   institutions](#persons-or-institutions): institution words, person evidence (the
//!   `# CountryInfo.txt` marker of the leader lists, dated or `ELI` codes, titles,
//!   initials, `bin`/`ibn`, a surname alias, a given name seen in the CountryInfo lists,
//!   the `NAME__` spelling of the TOPS individuals list), and a default per file:
//!   Countries → person (institution if coded `MIL COP SPY LEG JUD`), International →
//!   organization, MilNonState → armed group. The given names come from the Countries
//!   file, so International and MilNonState entries are typed best when it is imported in
//!   the same run.
//! - A **person** gets `country` from the code, `parent` = `place/<iso3 lowercase>`, and
//!   `role` from the role part ([`AGENTS`]: `GOV` → `government_official`, `MIL` →
//!   `military`, `REB` → `rebel`, `OPP` → `opposition`, …); `subtype` is `official`,
//!   `militant` or `politician` by role family.
//! - An **institution** is typed by its principal role: `GOV MIL COP JUD SPY LEG` →
//!   `government` (subtype `office` for titles such as "US Secretary of Defense", then
//!   `ministry`, `legislature`, `judiciary`, `police`, `intelligence` from words, then
//!   from the code's `PTY SPY COP LEG JUD MIL` parts, then `military`, `political_party`,
//!   `agency` from words, else `government_body`); `REB INS SEP` → `armed_group`/`rebel_group`, `UAF` →
//!   `armed_group`/`militia`, `IMG` → `armed_group`/`terrorist_organization`; the rest →
//!   `organization` (`IGO` → `intergovernmental_organization`, `NGO` → `ngo`, `MNC` →
//!   `company`, `MED` → `media`, sectors → their label; an International entry with any
//!   `MNC` code is a `company`). MilNonState institutions are armed groups whatever the
//!   code (`rebel_group` unless the code says otherwise).
//! - `Phoenix.IssueCoding.txt`: the phrases coded `[NAMED_TERROR_GROUP]` become
//!   `armed_group`/`terrorist_organization` rows (code `NAMED_TERROR_GROUP`): `+` is read
//!   as `-`, `n:`/`v:` markers are dropped, `~` lines are exclusions and skipped, and a
//!   plural listed after its singular is an alias of it. When the file is given, any armed
//!   group whose name or alias is among these phrases is a `terrorist_organization` too
//!   (the list is the source's and broad: it includes the SPLA, UNITA and the Westboro
//!   Baptist Church), and an entry named like one is not a person.
//!
//! # Persons or institutions
//!
//! The first rule that applies decides:
//!
//! 1. International, with an `MNC` code: a company.
//! 2. A [`STRONG`] word in the name: an institution.
//! 3. From a CountryInfo leader list (`# CountryInfo.txt`): a person.
//! 4. A [`WEAK`] or [`GROUP_WORDS`] word, a digit, an office ([`OFFICES`] last, or
//!    followed by of/to/for), or a name listed as `NAMED_TERROR_GROUP` in the issue file
//!    (`AUM_SHINRIKYO__`): an institution.
//! 5. A single word: a person only if written `NAME__` or coded `ELI`, and longer than five
//!    letters (`HAMBALI__`, not `JKLF__`).
//! 6. Person evidence makes a person: written `NAME__`, an `ELI` or dated code, a title
//!    first ([`TITLES`]), an initial (`B.`, `N_P_`), `bin`/`ibn` inside, an alias that is
//!    its last word or two (no parenthesis in the name), or a first word that is a
//!    CountryInfo given name. But an alias with a [`STRONG`] or [`GROUP_WORDS`] word makes
//!    it an institution after all, in MilNonState and International ("Izz ad-Din
//!    al-Qassam" has the alias "... Brigades") and in Countries for entries coded
//!    `MIL COP SPY LEG JUD` ("Shin Bet": "Shin Bet Security Agency").
//! 7. Otherwise: International and MilNonState entries are institutions; Countries entries
//!    are persons unless coded `MIL COP SPY LEG JUD` (the roles of institutions there;
//!    people are mostly `GOV`).
//!
//! # Names and aliases
//!
//! `_` becomes a space, a trailing `, THE` moves to the front, a stray `)` goes, a
//! parenthesised acronym (3–4 capitals, or 5 with at most one vowel: `(ETA)`, not
//! `(CHINA)`) moves from the name to the aliases, and [`tidy_name`] gives the display form.
//! Names and aliases with at most two letters (`UN`, `U.N.`) or only digits are left out.
//! Phoenix aliases are "what else is coded the same", so some are dropped:
//! - an institution's alias that looks like a person (a CountryInfo given name or a title
//!   first, and no word shared with the name: Hamas' "Khaled Meshaal");
//! - a person's alias with a [`STRONG`] institution word ("Assad Government");
//! - an alias that is the name of a row of another type ("People's Liberation Army" on the
//!   Irish National Liberation Army: China's army has that name);
//! - an acronym that rows of several types share, on the rows whose name it does not
//!   abbreviate, if one's does ("PLA").
//!
//! Within one type, an alias that another row has as its name is left for [`merge`], which
//! keeps the first claimant (so a MilNonState group keeps "Hizballah" and the issue list's
//! "hizballah" row is left out as a duplicate).
//!
//! Ids are [`make_id`]`(type, name)`. Two rows with the same id are one actor listed
//! twice: the later one's aliases go to the first, unless both have a country and they
//! differ, in which case the later one gets `-<country>` added to its id (and [`merge`]
//! will usually leave it out as a duplicate name). Rows come armed groups first, then
//! governments and organisations, then people; within each, MilNonState, Countries,
//! International, IssueCoding, then line order.
//!
//! # Errors
//!
//! Nothing in a file's content stops the import, and nothing unreadable is dropped
//! silently: each problem is reported on stderr as `file:line:column: message` (with the
//! counts of everything left out for other reasons), and only the smallest piece is left
//! out. An entry whose name line has invalid UTF-8, a control character, `U+FFFD` or a
//! bracket in the name is left out with its aliases and codes; such an alias, or one with a
//! bracket, is left out alone; so is a code that is not a CAMEO code, a bracket without
//! its pair (the rest of that line), and an alias or code line before any name line; text
//! between codes is ignored (and reported). A
//! code whose dates are unreadable (neither 6 nor 8 digits, not a calendar date, a range
//! that ends before it starts) is kept **undated** (`[GBRGOV >201005011]` still makes David
//! Cameron a GBR official). An entry left without any code is reported and left out.
//! [`Error::Io`] is returned for an unreadable file, [`Error::Unsupported`] for a file that
//! is not one of the dictionaries or holds no entry (a structural problem: the wrong file).
//!
//! [`merge`]: super::merge

use super::{entity, make_id, tidy_name};
use crate::error::{Error, Result};
use crate::gazetteer::{Entity, EntityType};
use crate::text::fold_alias;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Read Phoenix dictionaries into rows, most important first, with notes: the first
/// problems found and the counts.
pub fn read(files: &[PathBuf]) -> Result<super::Imported> {
    let imported = import(files)?;
    const SHOWN: usize = 100;
    let mut notes: Vec<String> = (imported.problems.iter().take(SHOWN))
        .map(|problem| format!("warning: {problem}"))
        .collect();
    if imported.problems.len() > SHOWN {
        notes.push(format!(
            "warning: … and {} more problems",
            imported.problems.len() - SHOWN
        ));
    }
    notes.push(format!("phoenix: {}", imported.counts));
    Ok(super::Imported {
        rows: imported.rows,
        notes,
    })
}

/// The rows read, the problems found, and what was left out.
#[derive(Debug, Default)]
pub struct Imported {
    pub rows: Vec<Entity>,
    /// Lines, aliases and codes that could not be read; each was left out.
    pub problems: Vec<Problem>,
    pub counts: Counts,
}

/// A line, alias or code that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub line: usize,
    /// In characters, from 1.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// What was read and what was left out, besides the problems.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Actor entries (name lines, after runs) and issue phrases read.
    pub entries: usize,
    /// Entries whose code has no role: countries, territories, regions.
    pub places: usize,
    /// Entries coded only `[---]`.
    pub not_coded: usize,
    /// Entries without any readable code.
    pub no_code: usize,
    /// Kinakuta and the three fictional villains.
    pub fictional: usize,
    /// Entries whose name has at most two letters.
    pub short_names: usize,
    /// Aliases with at most two letters, only digits, or the same as another name.
    pub aliases_skipped: usize,
    /// Aliases that name another kind of actor (see the module docs).
    pub aliases_mismatched: usize,
    /// Aliases that are the name of a row of another type, and acronyms shared across
    /// types left to the rows they abbreviate.
    pub aliases_of_others: usize,
    /// Rows joined with an earlier row of the same id.
    pub same_id_joined: usize,
    /// Rows whose id was changed because an earlier row with that id differs.
    pub same_id_renamed: usize,
    /// Rows written, per type.
    pub rows: Vec<(EntityType, usize)>,
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<String> = self
            .rows
            .iter()
            .map(|(kind, n)| format!("{kind} {n}"))
            .collect();
        write!(
            f,
            "{} entries read; rows: {}; left out: {} places, {} coded [---], {} without a code, \
             {} fictional, {} short names; {} aliases skipped, {} aliases of another kind \
             and {} naming a row of another type dropped; same id: {} joined, {} renamed",
            self.entries,
            rows.join(", "),
            self.places,
            self.not_coded,
            self.no_code,
            self.fictional,
            self.short_names,
            self.aliases_skipped,
            self.aliases_mismatched,
            self.aliases_of_others,
            self.same_id_joined,
            self.same_id_renamed
        )
    }
}

/// Which Phoenix dictionary a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Dict {
    MilNonState,
    Countries,
    International,
    Issues,
}

impl Dict {
    fn of(path: &Path) -> Result<Dict> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let dict = if name.contains("milnonstate") || name.contains("mnsa") {
            Dict::MilNonState
        } else if name.contains("countries") {
            Dict::Countries
        } else if name.contains("international") || name.contains("internatnl") {
            Dict::International
        } else if name.contains("issue") {
            Dict::Issues
        } else {
            return Err(Error::Unsupported {
                path: path.to_path_buf(),
                message: "not a Phoenix actor or issue dictionary: the file name must contain \
                          Countries, International, MilNonState or IssueCoding (agents, \
                          discards and verb files name no actors)"
                    .into(),
            });
        };
        Ok(dict)
    }
}

/// Read `files` (see the module docs).
pub fn import(files: &[PathBuf]) -> Result<Imported> {
    let mut problems = Vec::new();
    let (blocks, phrases) = read_dictionaries(files, &mut problems)?;
    let sources: Vec<String> = files
        .iter()
        .map(|p| {
            format!(
                "Phoenix dictionaries (Open Event Data Alliance, MIT), {}",
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string())
            )
        })
        .collect();
    let context = Context::new(&blocks, &phrases);
    let mut counts = Counts::default();
    let mut rows: Vec<Row> = Vec::new();
    for block in &blocks {
        counts.entries += 1;
        match build(block, &context, &files[block.file], &sources[block.file]) {
            Built::Row(row) => rows.push(*row),
            Built::Skip(reason) => count_skip(
                reason,
                block,
                &files[block.file],
                &mut counts,
                &mut problems,
            ),
        }
    }
    rows.extend(phrase_rows(&phrases, files, &sources, &mut counts));
    for row in &mut rows {
        clean_aliases(row, &context, &mut counts);
    }
    rows.sort_by_key(|r| (rank(r.entity.kind), r.dict, r.file, r.line));
    let mut rows = join_same_ids(rows, &mut counts);
    drop_names_of_other_types(&mut rows, &mut counts);
    drop_acronyms_of_other_types(&mut rows, &mut counts);
    for kind in EntityType::ALL {
        let n = rows.iter().filter(|e| e.kind == kind).count();
        if n > 0 {
            counts.rows.push((kind, n));
        }
    }
    Ok(Imported {
        rows,
        problems,
        counts,
    })
}

/// The actor entries (runs joined) and issue phrases of `files`, in order; an actor file
/// without entries or an issue file without an issue section is an error.
fn read_dictionaries(
    files: &[PathBuf],
    problems: &mut Vec<Problem>,
) -> Result<(Vec<Block>, Vec<Phrase>)> {
    let mut blocks = Vec::new();
    let mut phrases = Vec::new();
    for (index, path) in files.iter().enumerate() {
        let dict = Dict::of(path)?;
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let file = Source { index, path, dict };
        if dict == Dict::Issues {
            let found = parse_issues(&file, &bytes, problems);
            if found.is_none() {
                return Err(Error::Unsupported {
                    path: path.clone(),
                    message: "no <ISSUE CATEGORY=...> section: not a Phoenix issue file".into(),
                });
            }
            phrases.extend(found.unwrap_or_default());
        } else {
            let found = parse_actors(&file, &bytes, problems);
            if found.is_empty() {
                return Err(Error::Unsupported {
                    path: path.clone(),
                    message: "no actor entries (NAME [CODE] lines) found".into(),
                });
            }
            blocks.extend(join_runs(found));
        }
    }
    Ok((blocks, phrases))
}

/// Count an entry left out; one without a readable code is also a problem.
fn count_skip(
    reason: Skip,
    block: &Block,
    path: &Path,
    counts: &mut Counts,
    problems: &mut Vec<Problem>,
) {
    match reason {
        Skip::Place => counts.places += 1,
        Skip::NotCoded => counts.not_coded += 1,
        Skip::Fictional => counts.fictional += 1,
        Skip::ShortName => counts.short_names += 1,
        Skip::NoCode => {
            counts.no_code += 1;
            problems.push(Problem {
                path: path.to_path_buf(),
                line: block.line,
                column: 1,
                message: format!(
                    "entry {:?} has no readable code; left out",
                    block.name.replace('_', " ").trim()
                ),
            });
        }
    }
}

/// The armed-group rows of the `NAMED_TERROR_GROUP` phrases.
fn phrase_rows(
    phrases: &[Phrase],
    files: &[PathBuf],
    sources: &[String],
    counts: &mut Counts,
) -> Vec<Row> {
    let mut seen_phrases: Vec<Row> = Vec::new();
    let mut singulars: HashMap<String, usize> = HashMap::new();
    for phrase in phrases {
        counts.entries += 1;
        let Some((name, extra)) = display_name(&phrase.text) else {
            counts.short_names += 1;
            continue;
        };
        // "055 brigades" after "055 brigade": a plural is an alias of its singular.
        let folded = fold_alias(&name);
        let singular = [folded.strip_suffix('s'), folded.strip_suffix("es")]
            .into_iter()
            .flatten()
            .find_map(|base| singulars.get(base).copied());
        if let Some(at) = singular {
            seen_phrases[at].entity.aliases.push(name);
            continue;
        }
        singulars.entry(folded).or_insert(seen_phrases.len());
        let kind = EntityType::ArmedGroup;
        let mut e = entity(
            make_id(kind, &name),
            name,
            kind,
            format!("{}:{}", files[phrase.file].display(), phrase.line),
        );
        e.subtype = Some("terrorist_organization".into());
        e.code = Some("NAMED_TERROR_GROUP".into());
        e.source = Some(sources[phrase.file].clone());
        e.aliases = extra;
        seen_phrases.push(Row {
            entity: e,
            dict: Dict::Issues,
            file: phrase.file,
            line: phrase.line,
        });
    }
    seen_phrases
}

/// An alias that is the name of a row of another type is that row's: "People's
/// Liberation Army" is China's army, not the Irish National Liberation Army. (Within
/// a type, the later row is the duplicate, and merge() leaves it out.)
fn drop_names_of_other_types(rows: &mut [Entity], counts: &mut Counts) {
    let mut names: HashMap<String, Vec<EntityType>> = HashMap::new();
    for e in rows.iter() {
        names.entry(fold_alias(&e.name)).or_default().push(e.kind);
    }
    for e in rows {
        let before = e.aliases.len();
        let kind = e.kind;
        e.aliases.retain(|a| {
            names
                .get(&fold_alias(a))
                .is_none_or(|kinds| kinds.iter().all(|&k| k == kind))
        });
        counts.aliases_of_others += before - e.aliases.len();
    }
}

/// An acronym that rows of several types share stays with those it abbreviates:
/// "PLA" is the People's Liberation Army's, not the Irish National Liberation Army's.
fn drop_acronyms_of_other_types(rows: &mut [Entity], counts: &mut Counts) {
    let mut acronyms: HashMap<String, Vec<usize>> = HashMap::new();
    for (at, e) in rows.iter().enumerate() {
        for alias in e.aliases.iter().filter(|a| is_acronym(a)) {
            acronyms.entry(fold_alias(alias)).or_default().push(at);
        }
    }
    for (folded, owners) in acronyms {
        let kinds: HashSet<EntityType> = owners.iter().map(|&at| rows[at].kind).collect();
        let upper = folded.to_uppercase();
        let others: Vec<usize> = owners
            .iter()
            .copied()
            .filter(|&at| initials(&rows[at].name) != upper)
            .collect();
        if kinds.len() < 2 || others.len() == owners.len() {
            continue;
        }
        for at in others {
            let before = rows[at].aliases.len();
            rows[at].aliases.retain(|a| fold_alias(a) != folded);
            counts.aliases_of_others += before - rows[at].aliases.len();
        }
    }
}

/// The matcher's acronyms ([`crate::gazetteer::matcher::is_acronym`]) of at least two
/// letters: a one-letter alias is no one's initials.
fn is_acronym(alias: &str) -> bool {
    letters(alias) >= 2 && crate::gazetteer::matcher::is_acronym(alias)
}

/// "People's Liberation Army" → `PLA` (small words left out).
fn initials(name: &str) -> String {
    words_upper(name)
        .iter()
        .filter(|w| !PARTICLES.has(w) && !["OF", "AND", "FOR", "IN"].contains(&w.as_str()))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Armed groups first, then governments and organisations, then people.
fn rank(kind: EntityType) -> u8 {
    match kind {
        EntityType::ArmedGroup => 0,
        EntityType::Government | EntityType::Organization | EntityType::Place => 1,
        EntityType::Person => 2,
    }
}

struct Source<'a> {
    index: usize,
    path: &'a Path,
    dict: Dict,
}

// ---------------------------------------------------------------------------------------
// Dates and codes

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `YYMMDD` (00–30 → 20YY, else 19YY) or `YYYYMMDD`, checked against the calendar.
fn parse_date(text: &str) -> std::result::Result<Date, String> {
    if !text.bytes().all(|b| b.is_ascii_digit()) || !(text.len() == 6 || text.len() == 8) {
        return Err(format!("date {text:?} is not YYMMDD or YYYYMMDD"));
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u16>().unwrap_or(0);
    let (year, rest) = if text.len() == 6 {
        let yy = number(0..2);
        (if yy <= 30 { 2000 + yy } else { 1900 + yy }, 2)
    } else {
        (number(0..4), 4)
    };
    let month = number(rest..rest + 2);
    let day = number(rest + 2..rest + 4);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("date {text:?} has no month {month}")),
    };
    if day == 0 || day > days {
        return Err(format!("date {text:?} has no day {day} in month {month}"));
    }
    Ok(Date {
        year,
        month: month as u8,
        day: day as u8,
    })
}

/// One bracketed code with its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Code {
    code: String,
    from: Option<Date>,
    to: Option<Date>,
}

impl Code {
    fn dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
}

/// The text inside `[...]`. A valid code with unreadable dates is kept undated, with
/// the reason.
fn parse_code(inner: &str) -> std::result::Result<(Code, Option<String>), String> {
    let mut tokens = inner.split_whitespace();
    let code = tokens.next().ok_or("empty brackets")?.to_string();
    let valid = code == "---"
        || (code.len() >= 3
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    if !valid {
        return Err(format!("{code:?} is not a CAMEO code"));
    }
    let dates: String = tokens.collect();
    match parse_dates(&dates) {
        Ok((from, to)) => Ok((Code { code, from, to }, None)),
        Err(why) => Ok((
            Code {
                code,
                from: None,
                to: None,
            },
            Some(why),
        )),
    }
}

/// `""`, `>D`, `<D`, `D-D` or `D` (read as from `D`).
type Range = (Option<Date>, Option<Date>);
fn parse_dates(dates: &str) -> std::result::Result<Range, String> {
    Ok(if dates.is_empty() {
        (None, None)
    } else if let Some(date) = dates.strip_prefix('>') {
        (Some(parse_date(date)?), None)
    } else if let Some(date) = dates.strip_prefix('<') {
        (None, Some(parse_date(date)?))
    } else if let Some((start, end)) = dates.split_once('-') {
        let (start, end) = (parse_date(start)?, parse_date(end)?);
        if end < start {
            return Err(format!("date range {dates:?} ends before it starts"));
        }
        (Some(start), Some(end))
    } else {
        (Some(parse_date(dates)?), None)
    })
}

/// The codes in `text`, which starts at character column `column`; problems as
/// `(column, message)`. Only white space may stand between brackets.
fn scan_codes(text: &str, column: usize) -> (Vec<Code>, Vec<(usize, String)>) {
    let mut codes = Vec::new();
    let mut problems = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        if c.is_whitespace() {
            at += 1;
        } else if c == '[' {
            let close = chars[at + 1..].iter().position(|&c| c == ']' || c == '[');
            match close {
                Some(k) if chars[at + 1 + k] == ']' => {
                    let inner: String = chars[at + 1..at + 1 + k].iter().collect();
                    match parse_code(&inner) {
                        Ok((code, None)) => codes.push(code),
                        Ok((code, Some(why))) => {
                            problems.push((
                                column + at,
                                format!("dates of [{inner}] ignored, code kept undated: {why}"),
                            ));
                            codes.push(code);
                        }
                        Err(why) => {
                            problems.push((column + at, format!("code [{inner}] left out: {why}")))
                        }
                    }
                    at += k + 2;
                }
                _ => {
                    problems.push((column + at, "'[' without a matching ']'".into()));
                    break;
                }
            }
        } else if c == ']' {
            problems.push((column + at, "']' without a matching '['".into()));
            at += 1;
        } else {
            let end = chars[at..]
                .iter()
                .position(|&c| c == '[')
                .map_or(chars.len(), |k| at + k);
            let junk: String = chars[at..end].iter().collect();
            problems.push((
                column + at,
                format!("text {:?} outside brackets ignored", junk.trim()),
            ));
            at = end;
        }
    }
    (codes, problems)
}

// ---------------------------------------------------------------------------------------
// Reading actor files

/// One actor entry as read: a name line with its aliases and codes.
#[derive(Debug, Clone)]
struct Block {
    file: usize,
    dict: Dict,
    line: usize,
    /// The name as written (`_` joins words).
    name: String,
    /// More names of the same actor, from a run (become aliases).
    more_names: Vec<String>,
    aliases: Vec<String>,
    codes: Vec<Code>,
    /// Whether any bracket was seen, even an unreadable one.
    coded: bool,
    /// The name line carries the `# CountryInfo.txt` marker of the leader lists.
    countryinfo: bool,
    /// Written `NAME__` (the individuals of the TOPS list in MilNonState).
    double_underscore: bool,
    /// The next name line follows with no blank line in between.
    followed_by_name: bool,
}

/// Repair `OACUTE#`-style HTML entities (`&oacute;` upper-cased, `;` lost) so `#` does
/// not cut the name: `COACUTE#RDOBA` → `CÓRDOBA`.
fn repair_entities(line: &str) -> String {
    const MARKS: [(&str, char); 6] = [
        ("ACUTE#", '\u{301}'),
        ("GRAVE#", '\u{300}'),
        ("TILDE#", '\u{303}'),
        ("UML#", '\u{308}'),
        ("CIRC#", '\u{302}'),
        ("CEDIL#", '\u{327}'),
    ];
    if !MARKS.iter().any(|(m, _)| line.contains(m)) {
        return line.to_string();
    }
    let mut out = line.to_string();
    for (marker, mark) in MARKS {
        for base in ['A', 'E', 'I', 'O', 'U', 'N', 'C', 'Y'] {
            let pattern = format!("{base}{marker}");
            if out.contains(&pattern) {
                let composed: String = format!("{base}{mark}").nfc().collect();
                out = out.replace(&pattern, &composed);
            }
        }
    }
    out
}

/// Why a piece of text cannot be a name or alias, if it cannot.
fn unreadable(text: &str) -> Option<&'static str> {
    if text.contains('\u{fffd}') {
        Some("contains U+FFFD (a character lost in an earlier conversion)")
    } else if text.chars().any(|c| c.is_control() && c != '\t') {
        Some("contains a control character")
    } else if text.contains('[') || text.contains(']') {
        Some("contains a bracket")
    } else {
        None
    }
}

fn parse_actors(file: &Source, bytes: &[u8], problems: &mut Vec<Problem>) -> Vec<Block> {
    let mut reader = ActorReader {
        file,
        problems,
        blocks: Vec::new(),
        state: ActorState::Start,
        blank_since_block: false,
    };
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        reader.read_line(index + 1, raw);
    }
    reader.blocks
}

/// Where [`ActorReader`] is: before the first name line, in an entry, or skipping the
/// alias and code lines of an entry left out.
#[derive(PartialEq)]
enum ActorState {
    Start,
    InBlock,
    Skipping,
}

/// An actor file being read line by line: the entries so far and the problems found.
struct ActorReader<'a> {
    file: &'a Source<'a>,
    problems: &'a mut Vec<Problem>,
    blocks: Vec<Block>,
    state: ActorState,
    blank_since_block: bool,
}

impl ActorReader<'_> {
    fn problem(&mut self, line: usize, column: usize, message: String) {
        self.problems.push(Problem {
            path: self.file.path.to_path_buf(),
            line,
            column,
            message,
        })
    }

    /// One line, numbered from 1, as bytes without the `\n`.
    fn read_line(&mut self, line_no: usize, raw: &[u8]) {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Some(text) = self.decode(line_no, raw) else {
            return;
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.blank_since_block = true;
            return;
        }
        if trimmed.starts_with('#') {
            return;
        }
        let text = repair_entities(&text);
        let body = text.split('#').next().unwrap_or("");
        let comment = &text[body.len()..];
        let indent = body.chars().take_while(|c| c.is_whitespace()).count();
        let content = body.trim_start();
        if content.trim().is_empty() {
            return; // "   # comment"
        }
        if let Some(alias) = content.strip_prefix('+') {
            self.alias_line(line_no, indent, alias);
            return;
        }
        if content.starts_with('[') {
            self.code_line(line_no, indent, content);
            return;
        }
        self.name_line(line_no, indent, content, comment);
    }

    /// The line as text; `None` for a line that is not UTF-8, reported unless it is a
    /// comment or blank (an entry's name that is not UTF-8 leaves the entry out).
    fn decode(&mut self, line_no: usize, raw: &[u8]) -> Option<String> {
        let decoded = std::str::from_utf8(raw);
        match decoded {
            Ok(text) => Some(text.to_string()),
            Err(e) => {
                let lossy = String::from_utf8_lossy(raw);
                let column = String::from_utf8_lossy(&raw[..e.valid_up_to()])
                    .chars()
                    .count()
                    + 1;
                let first = lossy.trim_start().chars().next();
                if matches!(first, Some('#') | None) {
                    return None;
                }
                let what = match first {
                    Some('+') => "alias",
                    Some('[') => "code line",
                    _ => {
                        self.state = ActorState::Skipping;
                        "entry"
                    }
                };
                self.problem(line_no, column, format!("invalid UTF-8; {what} left out"));
                None
            }
        }
    }

    /// A `+ALIAS` line; `alias` is what follows the `+`.
    fn alias_line(&mut self, line_no: usize, indent: usize, alias: &str) {
        match self.state {
            ActorState::Start => self.problem(
                line_no,
                indent + 1,
                "alias line before any name line; left out".into(),
            ),
            ActorState::Skipping => {}
            ActorState::InBlock => {
                let alias = alias.trim();
                if let Some(why) = unreadable(alias) {
                    self.problem(
                        line_no,
                        indent + 2,
                        format!("alias {alias:?} {why}; left out"),
                    );
                } else if alias.is_empty() {
                    self.problem(line_no, indent + 1, "empty alias".into());
                } else if let Some(block) = self.blocks.last_mut() {
                    block.aliases.push(alias.to_string());
                }
            }
        }
    }

    /// A line of codes in brackets under a name line.
    fn code_line(&mut self, line_no: usize, indent: usize, content: &str) {
        match self.state {
            ActorState::Start => self.problem(
                line_no,
                indent + 1,
                "code line before any name line; left out".into(),
            ),
            ActorState::Skipping => {}
            ActorState::InBlock => {
                let (codes, found) = scan_codes(content, indent + 1);
                for (column, message) in found {
                    self.problem(line_no, column, message);
                }
                if let Some(block) = self.blocks.last_mut() {
                    block.coded = true;
                    block.codes.extend(codes);
                }
            }
        }
    }

    /// A name line, which starts an entry: `NAME [CODE] ... # comment`.
    fn name_line(&mut self, line_no: usize, indent: usize, content: &str, comment: &str) {
        if self.state == ActorState::InBlock
            && !self.blank_since_block
            && let Some(previous) = self.blocks.last_mut()
        {
            previous.followed_by_name = true;
        }
        self.blank_since_block = false;
        let split = content.find('[').unwrap_or(content.len());
        let name = content[..split].trim();
        if let Some(why) = unreadable(name) {
            self.problem(
                line_no,
                indent + 1,
                format!("name {name:?} {why}; entry left out"),
            );
            self.state = ActorState::Skipping;
            return;
        }
        let name_column = indent + 1 + content[..split].chars().count();
        let (codes, found) = scan_codes(&content[split..], name_column);
        for (column, message) in found {
            self.problem(line_no, column, message);
        }
        self.blocks.push(Block {
            file: self.file.index,
            dict: self.file.dict,
            line: line_no,
            name: name.to_string(),
            more_names: Vec::new(),
            aliases: Vec::new(),
            coded: split < content.len(),
            codes,
            countryinfo: comment.to_lowercase().contains("countryinfo"),
            double_underscore: name.ends_with("__"),
            followed_by_name: false,
        });
        self.state = ActorState::InBlock;
    }
}

/// Last word of a name, for telling whether run members name the same actor.
fn words_upper(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect()
}

/// Give runs of uncoded name lines the codes of the coded entry that ends them (see the
/// module docs).
fn join_runs(blocks: Vec<Block>) -> Vec<Block> {
    let joins_next =
        |b: &Block| !b.coded && b.followed_by_name && !b.name.chars().any(char::is_lowercase);
    let mut out = Vec::with_capacity(blocks.len());
    let mut blocks = blocks.into_iter().peekable();
    while let Some(first) = blocks.next() {
        let mut run = vec![first];
        while joins_next(run.last().expect("run is never empty")) {
            match blocks.next() {
                Some(next) => run.push(next),
                None => break,
            }
        }
        if run.len() == 1 {
            out.extend(run);
            continue;
        }
        let codes = run.last().map(|b| b.codes.clone()).unwrap_or_default();
        let coded = run.last().is_some_and(|b| b.coded);
        let mut groups: Vec<Block> = Vec::new();
        for block in run {
            let same = groups.last().is_some_and(|g| {
                let last = words_upper(&g.name).pop();
                last.is_some_and(|w| words_upper(&block.name).contains(&w))
            });
            match groups.last_mut() {
                Some(group) if same => {
                    group.more_names.push(block.name);
                    group.more_names.extend(block.more_names);
                    group.aliases.extend(block.aliases);
                    group.countryinfo |= block.countryinfo;
                }
                _ => groups.push(block),
            }
        }
        for mut group in groups {
            group.codes = codes.clone();
            group.coded = coded;
            out.push(group);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Reading the issue file

/// A `NAMED_TERROR_GROUP` phrase.
#[derive(Debug, Clone)]
struct Phrase {
    file: usize,
    line: usize,
    /// Upper case, `+` as `-`, `n:`/`v:` markers removed.
    text: String,
}

/// The `NAMED_TERROR_GROUP` phrases, or `None` if the file has no `<ISSUE` section.
fn parse_issues(file: &Source, bytes: &[u8], problems: &mut Vec<Problem>) -> Option<Vec<Phrase>> {
    let mut phrases = Vec::new();
    let mut sections = 0;
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(text) = std::str::from_utf8(raw) else {
            if String::from_utf8_lossy(raw).contains("NAMED_TERROR_GROUP") {
                problems.push(Problem {
                    path: file.path.to_path_buf(),
                    line: line_no,
                    column: 1,
                    message: "invalid UTF-8; phrase left out".into(),
                });
            }
            continue;
        };
        let body = text.split('#').next().unwrap_or("").trim();
        if body.starts_with("<ISSUE") {
            sections += 1;
        }
        if body.starts_with('<') || body.starts_with('~') || !body.contains('[') {
            continue;
        }
        let open = body.find('[').unwrap_or(0);
        let Some(close) = body[open..].find(']').map(|k| open + k) else {
            if body.contains("NAMED_TERROR_GROUP") {
                problems.push(Problem {
                    path: file.path.to_path_buf(),
                    line: line_no,
                    column: text[..text.find('[').unwrap_or(0)].chars().count() + 1,
                    message: "'[' without a matching ']'; phrase left out".into(),
                });
            }
            continue;
        };
        if body[open + 1..close].trim() != "NAMED_TERROR_GROUP" {
            continue;
        }
        let phrase = body[..open].trim();
        if let Some(why) = unreadable(phrase).filter(|_| !phrase.is_empty()) {
            problems.push(Problem {
                path: file.path.to_path_buf(),
                line: line_no,
                column: 1,
                message: format!("phrase {phrase:?} {why}; left out"),
            });
            continue;
        }
        // NFKC for the "ﬁ" ligature; "¬í" is a mis-encoded apostrophe.
        let phrase: String = phrase.replace("¬í", "'").nfkc().collect();
        let words: Vec<String> = phrase
            .split_whitespace()
            .map(|w| {
                w.strip_prefix("n:")
                    .or_else(|| w.strip_prefix("v:"))
                    .unwrap_or(w)
                    .replace('+', "-")
                    .to_uppercase()
            })
            .collect();
        if words.is_empty() {
            continue;
        }
        phrases.push(Phrase {
            file: file.index,
            line: line_no,
            text: words.join(" "),
        });
    }
    (sections > 0).then_some(phrases)
}

// ---------------------------------------------------------------------------------------
// Names

fn letters(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphabetic()).count()
}

/// The display form of a dictionary name, and the acronyms taken out of it; `None` when
/// it has at most two letters (or only digits).
fn display_name(raw: &str) -> Option<(String, Vec<String>)> {
    let spaced = raw.replace('_', " ");
    let mut text = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut acronyms = Vec::new();
    // "(ETA)" → alias; "(GREECE)" stays, it tells two groups apart.
    while let Some(open) = text.find('(') {
        let Some(close) = text[open..].find(')').map(|k| open + k) else {
            break;
        };
        let inner = &text[open + 1..close];
        let n = letters(inner);
        // "(CHINA)" in "E-HOUSE_(CHINA)_HOLDINGS" is not one: five letters need to be
        // mostly consonants.
        let vowels = inner.chars().filter(|c| "AEIOU".contains(*c)).count();
        let acronym = (n == 3 || n == 4 || (n == 5 && vowels <= 1))
            && inner
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        if !acronym {
            break;
        }
        acronyms.push(inner.to_string());
        text = format!("{} {}", &text[..open], &text[close + 1..])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    let text = text.trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace());
    // A stray parenthesis ("HAMMARSKJOLD)").
    let text = if text.contains('(') {
        text
    } else {
        text.trim_end_matches(')').trim_end()
    };
    let text = if text.contains(')') {
        text
    } else {
        text.trim_start_matches('(').trim_start()
    };
    let text = match text
        .strip_suffix(", THE")
        .or_else(|| text.strip_suffix(",THE"))
    {
        Some(rest) => format!("THE {}", rest.trim()),
        None => text.to_string(),
    };
    if letters(&text) <= 2 {
        return None;
    }
    Some((tidy_name(&text), acronyms))
}

// ---------------------------------------------------------------------------------------
// CAMEO codes

/// What a CAMEO role part means for a person and for an institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agent {
    pub code: &'static str,
    /// The `role` of a person with this role code.
    pub role: &'static str,
    pub family: Family,
    /// The `subtype` of an institution with this role code.
    pub subtype: &'static str,
}

/// Which type an institution with a role code gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Government,
    Armed,
    Organization,
}

const fn agent(
    code: &'static str,
    role: &'static str,
    family: Family,
    subtype: &'static str,
) -> Agent {
    Agent {
        code,
        role,
        family,
        subtype,
    }
}

/// CAMEO role ("agent") and sector codes found in the dictionaries.
#[rustfmt::skip]
pub const AGENTS: &[Agent] = &[
    agent("GOV", "government_official", Family::Government,   "government_body"),
    agent("MIL", "military",            Family::Government,   "military"),
    agent("COP", "police",              Family::Government,   "police"),
    agent("JUD", "judiciary",           Family::Government,   "judiciary"),
    agent("SPY", "intelligence",        Family::Government,   "intelligence"),
    agent("LEG", "legislator",          Family::Government,   "legislature"),
    agent("REB", "rebel",               Family::Armed,        "rebel_group"),
    agent("INS", "insurgent",           Family::Armed,        "rebel_group"),
    agent("SEP", "separatist",          Family::Armed,        "rebel_group"),
    agent("UAF", "militia_member",      Family::Armed,        "militia"),
    agent("IMG", "militant",            Family::Armed,        "terrorist_organization"),
    agent("OPP", "opposition",          Family::Organization, "political_opposition"),
    agent("PTY", "party_member",        Family::Organization, "political_party"),
    agent("ELI", "elite",               Family::Organization, "elite"),
    agent("IGO", "igo_official",        Family::Organization, "intergovernmental_organization"),
    agent("NGO", "ngo_member",          Family::Organization, "ngo"),
    agent("NGM", "activist",            Family::Organization, "ngo"),
    agent("MNC", "business",            Family::Organization, "company"),
    agent("MED", "media",               Family::Organization, "media"),
    agent("BUS", "business",            Family::Organization, "business"),
    agent("AGR", "agriculture",         Family::Organization, "agriculture"),
    agent("EDU", "education",           Family::Organization, "education"),
    agent("HLH", "health",              Family::Organization, "health"),
    agent("DEV", "development",         Family::Organization, "development"),
    agent("ENV", "environment",         Family::Organization, "environment"),
    agent("HRI", "human_rights",        Family::Organization, "human_rights"),
    agent("LAB", "labor",               Family::Organization, "labor"),
    agent("REF", "refugee",             Family::Organization, "refugee"),
    agent("REL", "religious",           Family::Organization, "religious"),
    agent("CVL", "civilian",            Family::Organization, "civil_society"),
    agent("CRM", "criminal",            Family::Organization, "criminal"),
];

/// A word list, words separated by white space.
#[derive(Debug)]
pub struct Words {
    text: &'static str,
    set: OnceLock<HashSet<&'static str>>,
}

impl Words {
    pub const fn new(text: &'static str) -> Self {
        Words {
            text,
            set: OnceLock::new(),
        }
    }

    pub fn has(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.text.split_whitespace().collect())
            .contains(word)
    }
}

/// CAMEO religion codes; as a role they mean "religious". `MUS` first is Mauritius.
pub static RELIGIONS: Words = Words::new(
    "MUS MOS ALE DRZ SHI SNI SUF CHR CPT CTH ORT PRO JEW HAS BUD HIN SIK JAN CON TAO ZRO BAH",
);

const RELIGIOUS: Agent = agent("REL", "religious", Family::Organization, "religious");

/// Parts that open a code without a country.
static INTERNATIONAL: Words = Words::new("IGO NGO NGM MNC MED IMG ELI");

/// ISO 3166-1 alpha-3 (Debian iso-codes via pycountry, `places/pycountry_countries.tsv`),
/// plus `XKX` (Kosovo, as GeoNames writes it).
const ISO3: &str = "ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL \
    BEN BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE \
    CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA \
    ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB \
    GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR \
    ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX \
    LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI \
    MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL \
    PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM \
    SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN \
    TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE \
    XKX";

/// The ISO 3166-1 alpha-3 code for a CAMEO country part, if it is a current country.
fn iso3(part: &str) -> Option<&'static str> {
    let part = match part {
        "TMP" => "TLS",
        "KSV" => "XKX",
        other => other,
    };
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| ISO3.split_whitespace().collect())
        .get(part)
        .copied()
}

/// A code read into its parts.
#[derive(Debug, Clone)]
struct Cameo<'a> {
    code: &'a Code,
    parts: Vec<&'a str>,
    agent: Option<Agent>,
    country: Option<&'static str>,
}

impl<'a> Cameo<'a> {
    fn read(code: &'a Code) -> Cameo<'a> {
        let text = code.code.as_str();
        let parts: Vec<&str> = (0..text.len())
            .step_by(3)
            .map(|at| &text[at..(at + 3).min(text.len())])
            .collect();
        let find = |p: &str| AGENTS.iter().find(|a| a.code == p).copied();
        let skip = usize::from(parts.first().is_some_and(|p| iso3(p).is_some()));
        let agent = parts.iter().find_map(|p| find(p)).or_else(|| {
            parts[skip..]
                .iter()
                .any(|p| RELIGIONS.has(p))
                .then_some(RELIGIOUS)
        });
        let first = parts.first().copied().unwrap_or("");
        let country = if ["IGO", "NGO", "NGM", "MNC", "MED"].contains(&first) {
            parts
                .get(1)
                .filter(|p| !RELIGIONS.has(p))
                .and_then(|p| iso3(p))
        } else if INTERNATIONAL.has(first) {
            None
        } else {
            iso3(first)
        };
        Cameo {
            code,
            parts,
            agent,
            country,
        }
    }

    fn has(&self, part: &str) -> bool {
        self.parts.contains(&part)
    }

    fn is_eli(&self) -> bool {
        self.agent.is_some_and(|a| a.code == "ELI")
    }
}

/// The principal code (see the module docs) and its joined date range.
fn principal<'a>(codes: &'a [Cameo<'a>]) -> Option<(&'a Cameo<'a>, Option<Date>, Option<Date>)> {
    let preferred: Vec<&Cameo> = if codes.iter().any(|c| !c.is_eli()) {
        codes.iter().filter(|c| !c.is_eli()).collect()
    } else {
        codes.iter().collect()
    };
    let key = |c: &Cameo| {
        let end = c.code.to.map_or((1u8, Date::default()), |d| (0, d));
        let start = c.code.from.unwrap_or_default();
        (c.code.dated(), end, start)
    };
    let mut best: Option<&Cameo> = None;
    for c in preferred {
        if best.is_none_or(|b| key(c) > key(b)) {
            best = Some(c);
        }
    }
    let best = best?;
    let (mut from, mut to) = (best.code.from, best.code.to);
    if best.code.dated() {
        // Join ranges of the same code that overlap or touch this one.
        loop {
            let mut grown = false;
            for other in codes.iter().filter(|c| c.code.code == best.code.code) {
                let (f, t) = (other.code.from, other.code.to);
                let overlaps = f.is_none_or(|f| to.is_none_or(|to| f <= to))
                    && t.is_none_or(|t| from.is_none_or(|from| t >= from));
                if !overlaps || !other.code.dated() {
                    continue;
                }
                let new_from = match (from, f) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    _ => None,
                };
                let new_to = match (to, t) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                if (new_from, new_to) != (from, to) {
                    (from, to) = (new_from, new_to);
                    grown = true;
                }
            }
            if !grown {
                break;
            }
        }
    }
    Some((best, from, to))
}

// ---------------------------------------------------------------------------------------
// Persons or institutions

/// Words that only institutions have: checked even for the CountryInfo leader lists.
pub static STRONG: Words = Words::new(
    "MINISTRY MINISTRIES DEPARTMENT SECRETARIAT DIRECTORATE AGENCY BUREAU COMMISSION \
    AUTHORITY ADMINISTRATION GOVERNMENT REGIME CABINET PRESIDENCY PARLIAMENT CONGRESS SENATE \
    ASSEMBLY LEGISLATURE TRIBUNAL JUDICIARY POLICE GENDARMERIE INTELLIGENCE ARMY NAVY \
    MILITARY FORCES CORPS PARTY COUNCIL COMMITTEE UNION FRONT MOVEMENT ORGANIZATION \
    ORGANISATION ASSOCIATION FOUNDATION INSTITUTE UNIVERSITY CENTER CENTRE GROUP ALLIANCE \
    COALITION LEAGUE FEDERATION SOCIETY NETWORK BRIGADE BRIGADES BATTALION BATTALIONS \
    MILITIA MILITIAS COMMANDOS FACTION COMPANY CORPORATION INC LTD LLC PLC HOLDINGS \
    FELLOWSHIP BROADCASTER BROADCASTING TELEVISION EMBASSY DELEGATION CONSORTIUM COMMAND",
);

/// Words that suggest an institution, except in the CountryInfo leader lists (where
/// "Del", "Of", "Court" are parts of people's names). [`GROUP_WORDS`] count too.
pub static WEAK: Words = Words::new(
    "OF FOR THE AND WITH TO AGAINST WITHOUT ISLAMIC NATIONAL DEMOCRATIC REVOLUTIONARY POPULAR \
    PEOPLES PEOPLE'S SOCIALIST COMMUNIST FEDERAL CENTRAL ROYAL SUPREME INTERNATIONAL UNITED \
    REPUBLIC REPUBLICAN RIGHTS HUMAN WORLD GLOBAL ACTION AID RELIEF WATCH CLUB FORUM PROJECT \
    PROGRAM PROGRAMME INITIATIVE CAMPAIGN PEACE SOLIDARITY WORLDWIDE COMMUNITY HOUSE PALACE \
    KREMLIN COURT BANK FUND TRUST PRESS NEWS TIMES POST JOURNAL HERALD TRIBUNE GAZETTE RADIO \
    SERVICE SERVICES OFFICE MISSION TEAM TASK SECURITY DECLARATION TANK BOARD MONITOR",
);

/// Words of armed groups' names (several are also given names, so they are weak); an
/// alias with one makes a MilNonState or International entry a group.
pub static GROUP_WORDS: Words = Words::new(
    "LIBERATION RESISTANCE JIHAD MUJAHIDEEN MUJAHIDIN MUJAHEDIN MUJAHIDEN MUJAHEDEEN FIGHTERS \
    MARTYRS GUARD GUARDS SQUAD CELL CELLS UNIT UNITS LEGION TROOPS FORCE RIFLES GUERRILLA \
    GUERRILLAS GUERILLA GUERILLAS JABHAT JABHA HARAKAT HARAKA HARKAT JAISH JAYSH JUND SARAYA \
    SARAYAT KATAIB KATA'IB LIWA ANSAR HIZB HIZBUL HEZBOLLAH HIZBALLAH TANZIM ASAIB ASA'IB \
    FAYLAQ MAJLIS JAMAAT JAMA'AT JAMAAH JAMIAT TEHRIK TEHREEK LASHKAR LASKAR SIPAH JEMAAH \
    KUMPULAN QAIDA QAEDA QA'IDA QAIDAH QAI'DAH SAYYAF TALIBAN AHRAR GHURABA SHAM FRENTE \
    EJERCITO MOVIMIENTO PARTIDO ORGANIZACION GRUPO FUERZAS COMANDO ASOCIACION FUNDACION \
    CENTRO INSTITUTO CONSEJO",
);

/// Titles of offices: a name ending in one ("American Vice President", "UN Secretary
/// General") or with one followed by of/to/for is an office, not a person.
pub static OFFICES: Words = Words::new(
    "PRESIDENT SECRETARY MINISTER AMBASSADOR DIRECTOR REPRESENTATIVE ATTORNEY CHANCELLOR \
    ENVOY COMMISSIONER SPEAKER GOVERNOR CHAIRMAN PREMIER SPOKESMAN RAPPORTEUR COORDINATOR",
);

/// Titles that, as the first of several words, mark a person.
pub static TITLES: Words = Words::new(
    "SHEIKH SHAIKH SHEIK LORD BARON SIR DR MR MRS GENERAL COLONEL COMMANDER EMIR AMIR MULLAH \
    MAULANA AYATOLLAH HOJATOLISLAM IMAM KING QUEEN PRINCE PRINCESS SULTAN JONKHEER SADHVI \
    ACHARYA SWAMI CARDINAL POPE ARCHBISHOP BISHOP PRESIDENT PREMIER",
);

/// Name particles: not given names.
pub static PARTICLES: Words =
    Words::new("AL EL BIN IBN BINT ABU UMM DE DI DA DEL VAN VON DER LE LA DU DOS THE");

/// Fictional actors in the dictionaries (test entries).
const FICTIONAL_NAMES: &[&str] = &["ernst stavro blofeld", "ras al ghul", "hong kil dong"];
static FICTIONAL_COUNTRIES: Words = Words::new("KNT");

/// Facts used to tell persons from institutions.
struct Context {
    /// First words of the CountryInfo leader names (given names), seen at least twice.
    given_names: HashSet<String>,
    /// Folded `NAMED_TERROR_GROUP` phrases.
    terror_groups: HashSet<String>,
}

impl Context {
    fn new(blocks: &[Block], phrases: &[Phrase]) -> Context {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for block in blocks.iter().filter(|b| b.countryinfo) {
            if let Some(first) = words_upper(&block.name).into_iter().next() {
                *counts.entry(first).or_default() += 1;
            }
        }
        let given_names = counts
            .into_iter()
            .filter(|(w, n)| {
                *n >= 2
                    && letters(w) >= 3
                    && !PARTICLES.has(w)
                    && !STRONG.has(w)
                    && !WEAK.has(w)
                    && !GROUP_WORDS.has(w)
            })
            .map(|(w, _)| w)
            .collect();
        let terror_groups = phrases
            .iter()
            .filter_map(|p| display_name(&p.text))
            .map(|(name, _)| fold_alias(&name))
            .collect();
        Context {
            given_names,
            terror_groups,
        }
    }
}

/// Whether an entry is a person (see "Persons or institutions" in the module docs).
struct Evidence {
    person: bool,
}

fn is_office(words: &[String]) -> bool {
    let office = |w: &String| OFFICES.has(w);
    let n = words.len();
    if n >= 2
        && (words.last().is_some_and(office)
            || (words[n - 1] == "GENERAL" && office(&words[n - 2])))
    {
        return true;
    }
    words
        .windows(2)
        .take(4)
        .any(|pair| office(&pair[0]) && ["OF", "TO", "FOR"].contains(&pair[1].as_str()))
}

/// `B.` or `P` in `B._LYNN_PASCOE`, `N_P_RIJAL`; not `Y` ("Paz y Justicia") or `U.N.`.
fn is_initial(token: &str) -> bool {
    let bare = token.strip_suffix('.').unwrap_or(token);
    bare.len() == 1
        && bare
            .bytes()
            .all(|b| b.is_ascii_uppercase() && !b"AEIOUY".contains(&b))
}

fn classify(block: &Block, codes: &[Cameo], context: &Context) -> Evidence {
    let words = words_upper(&block.name);
    let has = |list: &Words| words.iter().any(|w| list.has(w));
    let institution = Evidence { person: false };
    if block.dict == Dict::International && codes.iter().any(|c| c.has("MNC")) {
        return institution;
    }
    if has(&STRONG) {
        return institution;
    }
    if block.countryinfo {
        return Evidence { person: true };
    }
    // Named as a group in the issue file ("AUM_SHINRIKYO__").
    let listed = display_name(&block.name)
        .is_some_and(|(name, _)| context.terror_groups.contains(&fold_alias(&name)));
    if listed
        || has(&WEAK)
        || has(&GROUP_WORDS)
        || words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
        || is_office(&words)
    {
        return institution;
    }
    let eli = codes.iter().any(Cameo::is_eli);
    if words.len() <= 1 {
        // "JKLF__", "ALEPH__" are acronyms or group names, "HAMBALI__" a person.
        return Evidence {
            person: (block.double_underscore || eli) && letters(&block.name) > 5,
        };
    }
    let alias_words: Vec<Vec<String>> = block.aliases.iter().map(|a| words_upper(a)).collect();
    let surname_alias = !block.name.contains('(')
        && alias_words.iter().any(|a| {
            let n = words.len();
            (a.len() == 1 && a[0] == words[n - 1] && letters(&a[0]) >= 4)
                || (a.len() == 2 && n >= 3 && a[..] == words[n - 2..])
        });
    let first_given = words
        .iter()
        .find(|w| !TITLES.has(w))
        .is_some_and(|w| context.given_names.contains(w));
    let evidence = block.double_underscore
        || eli
        || codes.iter().any(|c| c.code.dated())
        || (TITLES.has(&words[0]) && words.len() >= 2)
        || block
            .name
            .split(|c: char| c == '_' || c.is_whitespace())
            .any(is_initial)
        || words[1..words.len() - 1]
            .iter()
            .any(|w| matches!(w.as_str(), "BIN" | "IBN" | "BINT"))
        || surname_alias
        || first_given;
    // Countries: institutions are coded with these roles; people mostly `GOV`.
    let institutional = codes
        .iter()
        .any(|c| ["MIL", "COP", "SPY", "LEG", "JUD"].iter().any(|p| c.has(p)));
    let group_alias = (block.dict != Dict::Countries || institutional)
        && alias_words
            .iter()
            .any(|a| a.iter().any(|w| STRONG.has(w) || GROUP_WORDS.has(w)));
    if evidence && !group_alias {
        return Evidence { person: true };
    }
    if evidence || block.dict != Dict::Countries || institutional {
        return institution;
    }
    Evidence { person: true }
}

// ---------------------------------------------------------------------------------------
// Building rows

struct Row {
    entity: Entity,
    dict: Dict,
    file: usize,
    line: usize,
}

enum Skip {
    Place,
    NotCoded,
    NoCode,
    Fictional,
    ShortName,
}

enum Built {
    Row(Box<Row>),
    Skip(Skip),
}

/// The subtype of a government institution (see the module docs).
fn government_subtype(words: &[String], codes: &Cameo) -> &'static str {
    let has = |list: &str| {
        words
            .iter()
            .any(|w| list.split_whitespace().any(|l| l == w))
    };
    if is_office(words) {
        return "office";
    }
    if has("MINISTRY MINISTRIES DEPARTMENT SECRETARIAT") {
        return "ministry";
    }
    if has(
        "PARLIAMENT CONGRESS SENATE ASSEMBLY LEGISLATURE DUMA KNESSET MAJLIS BUNDESTAG \
         BUNDESRAT VOLKSKAMMER SABHA",
    ) {
        return "legislature";
    }
    if has("COURT TRIBUNAL JUDICIARY") {
        return "judiciary";
    }
    if has("POLICE GENDARMERIE") {
        return "police";
    }
    if has("INTELLIGENCE") {
        return "intelligence";
    }
    for (part, subtype) in [
        ("PTY", "political_party"),
        ("SPY", "intelligence"),
        ("COP", "police"),
        ("LEG", "legislature"),
        ("JUD", "judiciary"),
        ("MIL", "military"),
    ] {
        if codes.has(part) {
            return subtype;
        }
    }
    if has("ARMY NAVY FORCES FORCE MILITARY GUARD GUARDS CORPS RIFLES") {
        return "military";
    }
    if has("PARTY") {
        return "political_party";
    }
    if has("AGENCY COMMISSION BUREAU ADMINISTRATION AUTHORITY OFFICE SERVICE DIRECTORATE") {
        return "agency";
    }
    "government_body"
}

fn build(block: &Block, context: &Context, path: &Path, source: &str) -> Built {
    let real: Vec<&Code> = block.codes.iter().filter(|c| c.code != "---").collect();
    if real.is_empty() {
        return Built::Skip(if block.codes.is_empty() {
            Skip::NoCode
        } else {
            Skip::NotCoded
        });
    }
    let codes: Vec<Cameo> = real.into_iter().map(Cameo::read).collect();
    let plain = fold_alias(&block.name.replace('_', " ").replace('\'', ""));
    if codes.iter().any(|c| FICTIONAL_COUNTRIES.has(c.parts[0]))
        || FICTIONAL_NAMES.contains(&plain.as_str())
    {
        return Built::Skip(Skip::Fictional);
    }
    // A code without a role is a country, territory or region.
    let international = |c: &Cameo| INTERNATIONAL.has(c.parts[0]);
    if block.dict == Dict::Countries && codes.iter().any(|c| c.agent.is_none() && !international(c))
    {
        return Built::Skip(Skip::Place);
    }
    let Some((main, from, to)) = principal(&codes) else {
        return Built::Skip(Skip::NoCode);
    };
    let Some((name, acronyms)) = display_name(&block.name) else {
        return Built::Skip(Skip::ShortName);
    };
    let evidence = classify(block, &codes, context);
    let (kind, subtype, role) = kind_subtype_role(block, &codes, main, evidence.person);
    let mut e = entity(
        make_id(kind, &name),
        name,
        kind,
        format!("{}:{}", path.display(), block.line),
    );
    e.subtype = subtype;
    e.role = role;
    e.country = main.country.map(String::from);
    if kind == EntityType::Person {
        e.parent = e
            .country
            .as_ref()
            .map(|c| format!("place/{}", c.to_lowercase()));
    }
    e.valid_from = from.map(|d| d.to_string());
    e.valid_to = to.map(|d| d.to_string());
    e.code = Some(main.code.code.clone());
    e.source = Some(source.to_string());
    e.aliases = acronyms;
    for raw in block.more_names.iter().chain(&block.aliases) {
        match display_name(raw) {
            Some((alias, more)) => {
                e.aliases.push(alias);
                e.aliases.extend(more);
            }
            None => e.aliases.push(String::new()), // counted as skipped below
        }
    }
    let listed = |name: &String| context.terror_groups.contains(&fold_alias(name));
    if kind == EntityType::ArmedGroup && (listed(&e.name) || e.aliases.iter().any(listed)) {
        e.subtype = Some("terrorist_organization".into());
    }
    Built::Row(Box::new(Row {
        entity: e,
        dict: block.dict,
        file: block.file,
        line: block.line,
    }))
}

/// The type of an entry's row, its subtype and, for a person, the role, from the
/// dictionary, the principal code `main` and whether the entry is a `person`.
fn kind_subtype_role(
    block: &Block,
    codes: &[Cameo],
    main: &Cameo,
    person: bool,
) -> (EntityType, Option<String>, Option<String>) {
    let words = words_upper(&block.name);
    let first = main.parts[0];
    if person {
        let agent = main.agent;
        let subtype = agent.map(|a| match (a.family, a.code) {
            (Family::Government, _) | (_, "IGO") => "official",
            (Family::Armed, _) => "militant",
            (_, "OPP" | "PTY") => "politician",
            _ => "",
        });
        (
            EntityType::Person,
            subtype.filter(|s| !s.is_empty()).map(String::from),
            Some(agent.map_or("member", |a| a.role).to_string()),
        )
    } else if block.dict == Dict::International && codes.iter().any(|c| c.has("MNC")) {
        (EntityType::Organization, Some("company".to_string()), None)
    } else if block.dict == Dict::MilNonState {
        let subtype = match main.agent {
            Some(a) if a.family == Family::Armed => a.subtype,
            _ => "rebel_group",
        };
        (EntityType::ArmedGroup, Some(subtype.to_string()), None)
    } else {
        match main.agent {
            Some(a) if a.family == Family::Government => (
                EntityType::Government,
                Some(government_subtype(&words, main).to_string()),
                None,
            ),
            Some(a) if a.family == Family::Armed => {
                (EntityType::ArmedGroup, Some(a.subtype.to_string()), None)
            }
            agent => {
                let subtype = if is_office(&words) {
                    "office"
                } else {
                    match first {
                        "IGO" => "intergovernmental_organization",
                        "NGO" | "NGM" => "ngo",
                        "MNC" => "company",
                        "MED" => "media",
                        _ => agent.map_or("", |a| a.subtype),
                    }
                };
                let subtype = if subtype == "elite" { "" } else { subtype };
                (
                    EntityType::Organization,
                    (!subtype.is_empty()).then(|| subtype.to_string()),
                    None,
                )
            }
        }
    }
}

/// Drop aliases that are too short, repeated, or name another kind of actor.
fn clean_aliases(row: &mut Row, context: &Context, counts: &mut Counts) {
    let e = &mut row.entity;
    let name_words = words_upper(&e.name);
    let mut seen: HashSet<String> = HashSet::from([fold_alias(&e.name)]);
    let person = e.kind == EntityType::Person;
    let mut kept = Vec::with_capacity(e.aliases.len());
    for alias in std::mem::take(&mut e.aliases) {
        let folded = fold_alias(&alias);
        if letters(&alias) <= 2 || !seen.insert(folded) {
            counts.aliases_skipped += 1;
            continue;
        }
        let words = words_upper(&alias);
        let mismatched = if person {
            words.iter().any(|w| STRONG.has(w))
        } else {
            let looks_person = words.len() >= 2
                && words.len() <= 5
                && !words.iter().any(|w| {
                    [&STRONG, &WEAK, &GROUP_WORDS]
                        .iter()
                        .any(|list| list.has(w))
                })
                && (context.given_names.contains(&words[0]) || TITLES.has(&words[0]));
            let shares = words
                .iter()
                .any(|w| letters(w) >= 4 && name_words.contains(w));
            looks_person && !shares
        };
        if mismatched {
            counts.aliases_mismatched += 1;
            continue;
        }
        kept.push(alias);
    }
    e.aliases = kept;
}

/// One row per id (see the module docs).
fn join_same_ids(rows: Vec<Row>, counts: &mut Counts) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::with_capacity(rows.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let mut e = row.entity;
        if let Some(&at) = index.get(&e.id) {
            let first = &mut out[at];
            let differ = matches!((&first.country, &e.country), (Some(a), Some(b)) if a != b);
            if !differ {
                let mut seen: HashSet<String> = std::iter::once(&first.name)
                    .chain(&first.aliases)
                    .map(|a| fold_alias(a))
                    .collect();
                for alias in std::iter::once(e.name).chain(e.aliases) {
                    if seen.insert(fold_alias(&alias)) {
                        first.aliases.push(alias);
                    }
                }
                counts.same_id_joined += 1;
                continue;
            }
            let base = format!(
                "{}-{}",
                e.id,
                e.country.as_deref().unwrap_or("").to_lowercase()
            );
            let mut id = base.clone();
            let mut n = 2;
            while index.contains_key(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            e.id = id;
            counts.same_id_renamed += 1;
        }
        index.insert(e.id.clone(), out.len());
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;
    use crate::gazetteer::import::{merge, write_tsv};
    use std::io::Write as _;

    /// Write `text` as a dictionary file named `name` in a temporary folder.
    fn fixture(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        path
    }

    fn run(name: &str, text: &str) -> Imported {
        let dir = tempfile::tempdir().unwrap();
        let path = fixture(&dir, name, text);
        import(&[path]).unwrap()
    }

    fn row<'a>(imported: &'a Imported, id: &str) -> &'a Entity {
        imported
            .rows
            .iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| {
                panic!(
                    "no row {id}; rows: {:?}",
                    imported.rows.iter().map(|e| &e.id).collect::<Vec<_>>()
                )
            })
    }

    #[test]
    fn dates_follow_the_tabari_century_rule() {
        assert_eq!(parse_date("300101").unwrap().to_string(), "2030-01-01");
        assert_eq!(parse_date("310101").unwrap().to_string(), "1931-01-01");
        assert_eq!(parse_date("20120229").unwrap().to_string(), "2012-02-29");
        assert!(parse_date("20110229").is_err());
        assert!(parse_date("9008223").is_err());
        assert!(parse_date("1920030320").is_err());
        assert!(parse_date("001301").is_err());
    }

    #[test]
    fn codes_with_every_kind_of_date() {
        let code = |text: &str| parse_code(text).map(|(c, why)| (why.is_none()).then_some(c));
        let c = code("IRQGOV 030801-030831").unwrap().unwrap();
        assert_eq!(
            (c.from.unwrap().to_string(), c.to.unwrap().to_string()),
            ("2003-08-01".into(), "2003-08-31".into())
        );
        let c = code("EGYGOV > 140608").unwrap().unwrap();
        assert_eq!(
            (c.from.unwrap().to_string(), c.to),
            ("2014-06-08".into(), None)
        );
        let c = code("USRARM <900823").unwrap().unwrap();
        assert_eq!(
            (c.from, c.to.unwrap().to_string()),
            (None, "1990-08-23".into())
        );
        let c = code("MNEGOV 20121204").unwrap().unwrap();
        assert_eq!(c.from.unwrap().to_string(), "2012-12-04");
        // A bad date leaves the code undated.
        let (c, why) = parse_code("EGYGOV 20121207-20120802").unwrap();
        assert_eq!((c.code.as_str(), c.dated()), ("EGYGOV", false));
        assert!(why.unwrap().contains("ends before it starts"));
        assert!(parse_code("irqgov").is_err());
        assert!(parse_code("").is_err());
        assert_eq!(code("---").unwrap().unwrap().code, "---");
    }

    #[test]
    fn scanning_reports_columns() {
        let (codes, problems) = scan_codes("[A1B] [KORGOVBUS 2004017-20061201] [a]", 10);
        assert_eq!(codes.len(), 2);
        assert!(!codes[1].dated());
        assert_eq!(
            problems[1],
            (45, "code [a] left out: \"a\" is not a CAMEO code".into())
        );
        assert_eq!(problems[0].0, 16);
        assert!(problems[0].1.contains("2004017"), "{}", problems[0].1);
        let (codes, problems) = scan_codes("[IRQGOV", 1);
        assert!(codes.is_empty());
        assert_eq!(problems, [(1, "'[' without a matching ']'".to_string())]);
    }

    const COUNTRIES: &str = "\
# comment line
IRAQ_  [IRQ]
+IRAQI_
+BAGHDAD_
IBRAHIM_AL_JAAFARI_  # CountryInfo.txt
+IBRAHIM_AL-JAAFARI
+AL-JAAFARI
\t[IRQELI 650101-030801]
\t[IRQGOV 030801-030831]
\t[IRQGOV 050503-060520]
\t[IRQELI]
SADDAM_HUSSEIN_  # CountryInfo.txt
\t[IRQELI 550101-790716]
\t[IRQGOV 790716-030409]
\t[IRQGOV 940529-030409]
\t[IRQELI 030409-061230]
HAIDAR_AL_ABADI
\t[IRQGOV >20140908]
LEONID_BREZHNEV_  # CountryInfo.txt
SECRETARY_BREZHNEV
COMMUNIST_LEADER_LEONID_BREZHNEV
\t[RUSELI 19240101-641014]
\t[RUSGOV 641014-821110]
MUHAJIRIN_WA-ANSAR_ALLIANCE
JUND_AL_AQSA
ABU_ABDUL_AZIZ_AL-QATARI
\t[SYRREBMUS]
DEPARTMENT_OF_STATE
+US_STATE_DEPARTMENT
\t[USAGOV]
FEDERAL_BUREAU_OF_INVESTIGATION_
+FBI_
\t[USACOP]
US_SECRETARY_OF_DEFENSE_
\t[USAGOVMIL]
ISRAEL_DEFENCE_FORCES
+IDF
\t[ISRMIL]
BASHAR_AL-ASSAD
+ASSAD_GOVERNMENT_
+ASSAD
\t[SYRGOV]
AHMED_DARWISH_ [---] # the soccer player
KINAKUTA_  [KNT]
ORBON_NOMA_  # CountryInfo.txt
\t[KNTGOV 851025-880820]
UNCODED_DEPARTMENT_

GUAM_  [USAGUM]
";

    #[test]
    fn countries_persons_institutions_and_places() {
        let imported = run("Phoenix.Countries.actors.txt", COUNTRIES);
        let jaafari = row(&imported, "person/ibrahim-al-jaafari");
        assert_eq!(jaafari.name, "Ibrahim al Jaafari");
        assert_eq!(jaafari.country.as_deref(), Some("IRQ"));
        assert_eq!(jaafari.parent.as_deref(), Some("place/irq"));
        assert_eq!(jaafari.role.as_deref(), Some("government_official"));
        assert_eq!(jaafari.code.as_deref(), Some("IRQGOV"));
        assert_eq!(jaafari.valid_from.as_deref(), Some("2005-05-03"));
        assert_eq!(jaafari.valid_to.as_deref(), Some("2006-05-20"));
        // "Ibrahim al-Jaafari" folds like the name: one alias left.
        assert_eq!(jaafari.aliases, ["al-Jaafari"]);
        assert!(jaafari.origin.ends_with("Phoenix.Countries.actors.txt:5"));
        assert_eq!(
            jaafari.source.as_deref(),
            Some(
                "Phoenix dictionaries (Open Event Data Alliance, MIT), Phoenix.Countries.actors.txt"
            )
        );

        // Overlapping ranges of the principal code are joined.
        let saddam = row(&imported, "person/saddam-hussein");
        assert_eq!(saddam.valid_from.as_deref(), Some("1979-07-16"));
        assert_eq!(saddam.valid_to.as_deref(), Some("2003-04-09"));
        let abadi = row(&imported, "person/haidar-al-abadi");
        assert_eq!(
            (abadi.valid_from.as_deref(), abadi.valid_to.as_deref()),
            (Some("2014-09-08"), None)
        );

        // A run of name lines sharing one code set: one person, or separate actors.
        let brezhnev = row(&imported, "person/leonid-brezhnev");
        assert_eq!(
            brezhnev.aliases,
            ["Secretary Brezhnev", "Communist Leader Leonid Brezhnev"]
        );
        assert_eq!(brezhnev.code.as_deref(), Some("RUSGOV"));
        let alliance = row(&imported, "armed_group/muhajirin-wa-ansar-alliance");
        assert_eq!(alliance.subtype.as_deref(), Some("rebel_group"));
        assert_eq!(alliance.country.as_deref(), Some("SYR"));
        row(&imported, "armed_group/jund-al-aqsa");
        let qatari = row(&imported, "person/abu-abdul-aziz-al-qatari");
        assert_eq!(qatari.role.as_deref(), Some("rebel"));

        let state = row(&imported, "government/department-of-state");
        assert_eq!(state.subtype.as_deref(), Some("ministry"));
        assert_eq!(state.parent, None);
        let fbi = row(&imported, "government/federal-bureau-of-investigation");
        assert_eq!(fbi.subtype.as_deref(), Some("police"));
        assert_eq!(fbi.aliases, ["FBI"]);
        let secdef = row(&imported, "government/us-secretary-of-defense");
        assert_eq!(secdef.subtype.as_deref(), Some("office"));
        let idf = row(&imported, "government/israel-defence-forces");
        assert_eq!(idf.subtype.as_deref(), Some("military"));

        // A person's alias that names an institution is dropped.
        let assad = row(&imported, "person/bashar-al-assad");
        assert_eq!(assad.aliases, ["Assad"]);
        assert_eq!(imported.counts.aliases_mismatched, 1);

        // Countries and territories, [---], Kinakuta and uncoded entries are left out.
        assert!(!imported.rows.iter().any(|e| e.name.contains("Iraq")));
        assert!(!imported.rows.iter().any(|e| e.name.contains("Guam")));
        assert_eq!(imported.counts.places, 2);
        assert_eq!(imported.counts.not_coded, 1);
        assert_eq!(imported.counts.fictional, 2);
        assert_eq!(imported.counts.no_code, 1);
        assert_eq!(imported.problems.len(), 1);
        assert_eq!(imported.problems[0].line, 47);
        assert!(
            imported.problems[0].message.contains("Uncoded Department")
                || imported.problems[0].message.contains("UNCODED DEPARTMENT"),
            "{}",
            imported.problems[0]
        );

        // Armed groups first, then governments, then people.
        let kinds: Vec<u8> = imported.rows.iter().map(|e| rank(e.kind)).collect();
        assert!(kinds.windows(2).all(|w| w[0] <= w[1]), "{kinds:?}");
    }

    #[test]
    fn malformed_lines_are_reported_and_skipped() {
        let text = "\
+ORPHAN_ALIAS
\t[ORPHAN]
GOOD_GROUP_ [IRQREB]
+FAEROYENE]_
+COTE_D\u{fffd}IVOIRE_
+UN
+380
\t[IRQOCC 1920030320-20060520]
\t[IRQREB >20030101
ANOTHER_GROUP_ [TURREB] [KORGOVBUS 2004017-20061201] junk
BAD\u{1a}NAME_ [IRQREB]
+ALIAS_OF_BAD_NAME_
LAST_GROUP_ [GRCREB]
";
        let imported = run("Phoenix.MilNonState.actors.txt", text);
        let ids: Vec<&str> = imported.rows.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "armed_group/good-group",
                "armed_group/another-group",
                "armed_group/last-group"
            ]
        );
        let good = row(&imported, "armed_group/good-group");
        assert!(good.aliases.is_empty(), "{:?}", good.aliases);
        assert_eq!(good.country.as_deref(), Some("IRQ"));
        let found: Vec<(usize, usize)> = imported
            .problems
            .iter()
            .map(|p| (p.line, p.column))
            .collect();
        assert_eq!(
            found,
            [
                (1, 1),
                (2, 2),
                (4, 2),
                (5, 2),
                (8, 2),
                (9, 2),
                (10, 25),
                (10, 54),
                (11, 1)
            ],
            "{:#?}",
            imported.problems
        );
        assert!(imported.problems[4].message.contains("1920030320"));
        assert_eq!(imported.counts.aliases_skipped, 2);
    }

    #[test]
    fn comments_entities_acronyms_and_people_in_milnonstate() {
        let text = "\
HAMAS_  #  kkl 21 Mar 13
+ISLAMIC_RESISTANCE_MOVEMENT
+KHALED_MESHAAL
\t[PSEREBHMS] # Distinguish between Hamas PTY and REB?
SHEIKH_AHMED_YASSIN
+AHMED_YASSIN
\t[PSEREBHMS 19870101-20040322]

IZZ_AD-DIN_AL_QASSAM
+IZZ_AD-DIN_AL_QASSAM_BRIGADES
\t[PSEREBHMS]
BASQUE_FATHERLAND_AND_FREEDOM_(ETA)_ [ESPREB] #  kkl 21 Mar 13
SELF-DEFENSE_GROUPS_OF_CORDOBA [COLREB]
+PEASANT_SELF-DEFENSE_GROUP_OF_COACUTE#RDOBA_ # rdoba
ORDER,_THE_ [USAREB]
HAMBALI__ [IMGSEAMUSJMA]
LASKAR_E_TAIBA__ [IMGSASMUS]
RA'S_AL_GHUL_ [IMGSAU] # MleH 18 Aug 2009#
";
        let dir = tempfile::tempdir().unwrap();
        let actors = fixture(&dir, "Phoenix.MilNonState.actors.txt", text);
        let issues = fixture(
            &dir,
            "Phoenix.IssueCoding.txt",
            "<ISSUE CATEGORY=\"TERROR\" TYPE=\"ALL\">\nhamas [NAMED_TERROR_GROUP]\n\
             055 brigade [NAMED_TERROR_GROUP]\n055 brigades [NAMED_TERROR_GROUP]\n\
             al+qa\u{2018}ida in the lands [NAMED_TERROR_GROUP]\nn:terrorist [TERROR]\n\
             ~~free arab radio committee\n</ISSUE>\n",
        );
        // Given names come from the CountryInfo leader lists.
        let leaders = fixture(
            &dir,
            "Phoenix.Countries.actors.txt",
            "KHALED_ONE_  # CountryInfo.txt\n\t[EGYGOV]\n\
             KHALED_TWO_  # CountryInfo.txt\n\t[JORGOV]\n",
        );
        let imported = import(&[actors, leaders, issues]).unwrap();
        let hamas = row(&imported, "armed_group/hamas");
        assert_eq!(hamas.aliases, ["Islamic Resistance Movement"]);
        assert_eq!(hamas.subtype.as_deref(), Some("terrorist_organization"));
        assert_eq!(hamas.country.as_deref(), Some("PSE"));
        let yassin = row(&imported, "person/sheikh-ahmed-yassin");
        assert_eq!(yassin.role.as_deref(), Some("rebel"));
        assert_eq!(yassin.valid_to.as_deref(), Some("2004-03-22"));
        row(&imported, "armed_group/izz-ad-din-al-qassam");
        let eta = row(&imported, "armed_group/basque-fatherland-and-freedom");
        assert_eq!(eta.aliases, ["ETA"]);
        let cordoba = row(&imported, "armed_group/self-defense-groups-of-cordoba");
        assert_eq!(cordoba.aliases, ["Peasant Self-Defense Group of Córdoba"]);
        row(&imported, "armed_group/the-order");
        let hambali = row(&imported, "person/hambali");
        assert_eq!(hambali.role.as_deref(), Some("militant"));
        assert_eq!(hambali.country, None);
        row(&imported, "armed_group/laskar-e-taiba");
        assert!(!imported.rows.iter().any(|e| e.name.contains("Ghul")));
        let brigade = row(&imported, "armed_group/055-brigade");
        assert_eq!(brigade.aliases, ["055 Brigades"]);
        assert_eq!(brigade.code.as_deref(), Some("NAMED_TERROR_GROUP"));
        row(&imported, "armed_group/al-qaida-in-the-lands");
        // "hamas" from the issue file is the same id as the MilNonState row: joined.
        assert_eq!(imported.counts.same_id_joined, 1);
        assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    }

    #[test]
    fn international_organisations_and_officials() {
        let text = "\
THE_UNITED_NATIONS_ [IGOUNO]
UN_ [IGOUNO]
KOFI_ANNAN_\t
+KOFI_ATTA_ANNAN_
\t[IGOUNO 970101-061231] 
\t[ELI]# IGOrulers.txt
AMNESTY_INTERNATIONAL_\t[NGOHRIAMN]# NGO_Actors
DOW_CHEMICAL_COMPANY_\t[MNCUSA]\t# Major Chemicals
RANDGOLD_RESOURCES_\t[MNCGBR]
ABN_AMRO_\t[NLDGOVBUS >081004] [MNCNLD]
REUTERS [MED]
XINHUA [MED]
XINHUA [MED]
+XINHUA_NEWS_AGENCY
UN_SECRETARY_GENERAL
+UNSG
\t[IGOUNO]
";
        let imported = run("Phoenix.International.actors.txt", text);
        let un = row(&imported, "organization/the-united-nations");
        assert_eq!(
            un.subtype.as_deref(),
            Some("intergovernmental_organization")
        );
        assert_eq!(imported.counts.short_names, 1);
        let annan = row(&imported, "person/kofi-annan");
        assert_eq!(annan.role.as_deref(), Some("igo_official"));
        assert_eq!(annan.valid_from.as_deref(), Some("1997-01-01"));
        assert_eq!(annan.country, None);
        assert_eq!(
            row(&imported, "organization/amnesty-international")
                .subtype
                .as_deref(),
            Some("ngo")
        );
        let dow = row(&imported, "organization/dow-chemical-company");
        assert_eq!(
            (dow.subtype.as_deref(), dow.country.as_deref()),
            (Some("company"), Some("USA"))
        );
        row(&imported, "organization/randgold-resources");
        row(&imported, "organization/abn-amro");
        assert_eq!(
            row(&imported, "organization/reuters").subtype.as_deref(),
            Some("media")
        );
        let xinhua = row(&imported, "organization/xinhua");
        assert_eq!(xinhua.aliases, ["Xinhua News Agency"]);
        assert_eq!(imported.counts.same_id_joined, 1);
        let sg = row(&imported, "organization/un-secretary-general");
        assert_eq!(sg.subtype.as_deref(), Some("office"));
    }

    #[test]
    fn aliases_yield_to_names_and_acronyms_to_what_they_abbreviate() {
        let dir = tempfile::tempdir().unwrap();
        let groups = fixture(
            &dir,
            "Phoenix.MilNonState.actors.txt",
            "IRISH_NATIONAL_LIBERATION_ARMY_ [GBRREB]\n+INLA\n+PEOPLES_LIBERATION_ARMY_\n+PLA\n",
        );
        let armies = fixture(
            &dir,
            "Phoenix.Countries.actors.txt",
            "PEOPLES_LIBERATION_ARMY [CHNMIL]\n+PLA\n",
        );
        let imported = import(&[groups, armies]).unwrap();
        let inla = row(&imported, "armed_group/irish-national-liberation-army");
        assert_eq!(inla.aliases, ["INLA"]);
        let pla = row(&imported, "government/peoples-liberation-army");
        assert_eq!(pla.aliases, ["PLA"]);
        assert_eq!(imported.counts.aliases_of_others, 2);
    }

    #[test]
    fn same_id_with_other_country_is_renamed() {
        let text = "\
MOHAMMED_ALI_  # CountryInfo.txt
\t[EGYGOV 050101-060101]
MOHAMMED_ALI_  # CountryInfo.txt
\t[PAKGOV 070101-080101]
MOHAMMED_ALI_  # CountryInfo.txt
+MOHAMMED_ALI_KHAN
\t[EGYGOVBUS 090101-100101]
";
        let imported = run("Phoenix.Countries.actors.txt", text);
        let ids: Vec<&str> = imported.rows.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["person/mohammed-ali", "person/mohammed-ali-pak"]);
        assert_eq!(imported.rows[0].aliases, ["Mohammed Ali Khan"]);
        assert_eq!(imported.counts.same_id_renamed, 1);
    }

    #[test]
    fn unknown_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let agents = fixture(&dir, "Phoenix.agents.txt", "PRESIDENT [~GOV]\n");
        assert!(matches!(import(&[agents]), Err(Error::Unsupported { .. })));
        let empty = fixture(&dir, "Phoenix.Countries.actors.txt", "# nothing\n\n");
        assert!(matches!(import(&[empty]), Err(Error::Unsupported { .. })));
        let missing = dir.path().join("Phoenix.MilNonState.actors.txt");
        assert!(matches!(import(&[missing]), Err(Error::Io { .. })));
    }

    #[test]
    fn invalid_utf8_skips_the_entry_and_its_lines() {
        let mut bytes = b"GOOD_ONE_ [IRQREB]\nBAD_\xff_NAME_ [IRQREB]\n+BAD_ALIAS\n".to_vec();
        bytes.extend_from_slice(b"NEXT_GROUP_ [IRQREB]\n+NEXT_ALIAS_\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Phoenix.MilNonState.actors.txt");
        std::fs::write(&path, bytes).unwrap();
        let imported = import(&[path]).unwrap();
        assert_eq!(imported.rows.len(), 2);
        assert!(imported.rows[0].aliases.is_empty());
        assert_eq!(imported.rows[1].aliases, ["Next Alias"]);
        assert_eq!(
            (imported.problems[0].line, imported.problems[0].column),
            (2, 5)
        );
    }

    /// The dictionaries in `../shared/sources/phoenix`, if present.
    fn real_files() -> Option<Vec<PathBuf>> {
        let dir = crate::test_support::shared("sources/phoenix")?;
        let files: Vec<PathBuf> = [
            "Phoenix.MilNonState.actors.txt",
            "Phoenix.Countries.actors.txt",
            "Phoenix.International.actors.txt",
            "Phoenix.IssueCoding.txt",
        ]
        .iter()
        .map(|f| dir.join(f))
        .collect();
        files.iter().all(|f| f.is_file()).then_some(files)
    }

    #[test]
    fn real_dictionaries() {
        let Some(files) = real_files() else {
            eprintln!("skipped: ../shared/sources/phoenix not found");
            return;
        };
        let started = std::time::Instant::now();
        let imported = import(&files).unwrap();
        println!("{} ({:.2?})", imported.counts, started.elapsed());
        for problem in &imported.problems {
            println!("{problem}");
        }
        let get = |id: &str| row(&imported, id);
        let hamas = get("armed_group/hamas");
        assert_eq!(hamas.subtype.as_deref(), Some("terrorist_organization"));
        let hezbollah = get("armed_group/hezbollah");
        assert!(hezbollah.aliases.iter().any(|a| a == "Hizballah"));
        assert_eq!(hezbollah.country.as_deref(), Some("LBN"));
        let jaafari = get("person/ibrahim-al-jaafari");
        assert_eq!(jaafari.country.as_deref(), Some("IRQ"));
        assert_eq!(jaafari.valid_from.as_deref(), Some("2005-05-03"));
        assert_eq!(jaafari.valid_to.as_deref(), Some("2006-05-20"));
        let allawi = get("person/iyad-allawi");
        assert_eq!(allawi.valid_from.as_deref(), Some("2004-06-01"));
        assert_eq!(allawi.role.as_deref(), Some("government_official"));
        assert_eq!(
            get("person/kofi-annan").role.as_deref(),
            Some("igo_official")
        );
        assert_eq!(
            get("government/federal-bureau-of-investigation")
                .subtype
                .as_deref(),
            Some("police")
        );
        assert!(imported.counts.places > 200, "{}", imported.counts);
        let count = |kind| imported.rows.iter().filter(|e| e.kind == kind).count();
        assert!(count(EntityType::Person) > 15_000);
        assert!(count(EntityType::ArmedGroup) > 1_000);
        assert!(count(EntityType::Organization) > 6_000);
        assert!(count(EntityType::Government) > 50);
        assert!(imported.problems.len() < 40, "{}", imported.problems.len());

        let started = std::time::Instant::now();
        let merged = merge(imported.rows, &[]);
        println!(
            "merged: {} rows, {} duplicates, {} aliases dropped, {} parents cleared",
            merged.entities.len(),
            merged.duplicates,
            merged.aliases_dropped,
            merged.parents_cleared
        );
        let mut out = Vec::new();
        write_tsv(&merged.entities, &["test".into()], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        println!("merged and written in {:.2?}", started.elapsed());
        let started = std::time::Instant::now();
        let loaded = Gazetteer::from_tsv(Path::new("gen-phoenix.tsv"), &text).unwrap();
        println!("loaded in {:.2?}", started.elapsed());
        assert_eq!(loaded.entities().len(), merged.entities.len());
    }
}
