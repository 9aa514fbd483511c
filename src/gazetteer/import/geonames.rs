//! The `geonames` importer: countries, cities and ISO 3166-2 subdivisions as `place` rows.
//!
//! `newsgraph gazetteer import --from geonames FILE...` takes any mix of these files, each
//! recognised by its first line (column names; for JSON lines, the keys of the first record),
//! never by its file name. Columns may come in any order; other columns are ignored.
//!
//! | file | required columns | gives |
//! |---|---|---|
//! | GeoNames countryInfo (`geonames_countries.tsv`) | `geonameid iso iso3 name` (`population` used for order) | one row per country |
//! | pycountry ISO 3166-1 (`pycountry_countries.tsv`) | `alpha_2 alpha_3 name` (`official_name common_name`) | country aliases |
//! | countryinfo JSON lines (`countryinfo_countries.jsonl`) | keys `name ISO` (`altSpellings demonym`) | country aliases and demonyms |
//! | GeoNames cities (`geonames_cities15000.tsv`) | `geonameid name countrycode population alternatenames` (`admin1code`) | one row per city |
//! | pycountry ISO 3166-2 (`pycountry_subdivisions.tsv`) | `code country_code name type` (`parent_code`) | one row per subdivision |
//!
//! Rows come back most important first, because [`super::merge`] keeps the first claimant
//! of a name: countries, then cities by population (largest first), then subdivisions.
//!
//! # Countries
//!
//! - Id `place/<iso3 lower case>`, subtype `country`, `country` = the alpha-3 code, name as
//!   GeoNames writes it. Without a GeoNames countryInfo file, the rows come from the
//!   pycountry countries file instead (name: `common_name`, else `name`).
//! - Order: by population, largest first; when a pycountry countries file is given, the
//!   GeoNames countries it does not list (Serbia and Montenegro, Netherlands Antilles,
//!   Kosovo) come after the ISO 3166-1 ones, so "Serbian" goes to Serbia.
//! - Aliases: the pycountry `name`, `official_name` and `common_name`; the countryinfo
//!   `name` and `altSpellings`. Inverted forms are turned round ("Iran, Islamic Republic of"
//!   → "Islamic Republic of Iran", "Virgin Islands, British" → "British Virgin Islands");
//!   lists ("Bonaire, Sint Eustatius and Saba") and appositions ("Taiwan, Province of China")
//!   are kept as written. "The Bahamas" also gives "Bahamas", "Holy See (Vatican City
//!   State)" also "Holy See", and a leading lower-case "the" is dropped.
//! - Only Latin-script spellings with at least one capital are kept. The record's own ISO
//!   codes ("IQ", "IRQ") are left out, except `US` and `USA`; other short capitals ("UK",
//!   "UAE", "DRC") are kept and, like every alias of up to 5 capitals, match only in
//!   capitals. An alias that is another country's name, or one of the country's demonyms
//!   ("Thai"), or a common English word ([`COMMON_WORDS`]: Iceland's "Island") is left
//!   out.
//! - Demonyms: countryinfo `demonym`, split at `,` and `/` ("Antiguan,Barbudan") and at
//!   " and " between two single words ("Kittian and Nevisian"), plus a regular English plural
//!   where the word ends like Iraqi, American, Icelander, Cypriot, Filipino, Greek, Czech,
//!   Slovene or Monegasque (Iraqi → Iraqis); Lebanese, British, Swiss stay as they are.
//!   A demonym that is the country's own name ("Djibouti") is left out.
//! - countryinfo lists some codes twice. A second record for a code is used only if its
//!   name or one of its spellings is already a name of that country (the "Burma" record
//!   names Myanmar); otherwise it is a part of the country and left out (the "Wales" record
//!   carries the code GBR). Records without an alpha-3 code (Scotland), and records for a
//!   code no country row has, are left out.
//!
//! # Cities
//!
//! - Id `place/<iso3>/<slug of the name>`; if another city of the country has that slug
//!   already (or the name has no letters), `-<geonameid>` is added. Subtype `city`,
//!   `country` = alpha-3, `parent` = the country id, `code` = `geonames:<geonameid>`,
//!   `source` = "GeoNames cities15000 (CC BY 4.0), population N" (the population kept in
//!   text, as the gazetteer has no population column).
//! - The ISO alpha-2 `countrycode` is mapped to alpha-3 with the GeoNames countries file,
//!   then the pycountry countries file. Cities need one of them: without either, reading
//!   fails with an error saying so. Cities whose code neither file knows are left out.
//! - Aliases: the `alternatenames` written in Latin script only (Latin letters with their
//!   diacritics, spaces, hyphens, apostrophes, periods) with at least 3 letters; left out
//!   are all-lower-case ones (transliteration noise: "bghdad"), all-capital ones (airport
//!   codes: "BGW"), those with digits or other signs, descriptions starting with "The"
//!   (a US town's "The Bank", Flying Fish Cove's "The Settlement"), and common English
//!   words ([`COMMON_WORDS`]).
//! - Names: see [Who gets a name](#who-gets-a-name). A qualified city is "Name, Country"
//!   (the country row's name), else "Name, Subdivision, Country" where GeoNames'
//!   `admin1code` is letters and names an ISO 3166-2 subdivision of the input (`US-IL`:
//!   "Springfield, Illinois, United States"); the bare name stays as an alias, which
//!   [`super::merge`] then drops as claimed. When every form is taken (two towns of one
//!   name in one country, where `admin1code` is a number), the row keeps the last form and
//!   `merge` leaves it out as a duplicate.
//!
//! # Subdivisions
//!
//! - Id `place/iso-<code lower case>` (`place/iso-iq-bg`), subtype = the ISO type in lower
//!   case, with `_` for spaces and signs (`governorate`, `autonomous_region`; the type
//!   "Country" of England, Scotland and Wales becomes `country`), `country` = alpha-3,
//!   `parent` = the parent subdivision's id when `parent_code` is set and that
//!   subdivision is in the input, else the country id; `code` = the ISO code.
//! - The ISO name is cleaned: `[…]` notes become aliases without their codes ("Wales
//!   [Cymru GB-CYM]" → Wales, alias Cymru), `(…)` notes are dropped ("Ilocos (Region I)"),
//!   and inverted names are turned round, the head kept as an alias ("London, City of" →
//!   "City of London", alias London; "Madrid, Comunidad de" → "Comunidad de Madrid").
//! - Names: see [Who gets a name](#who-gets-a-name). A qualified subdivision adds the
//!   ISO type, title-cased: "Baghdād Governorate", "Niger State", "Georgia State" (the
//!   country Georgia came first), "New York State"; if the name already contains the type
//!   word ("Addu City") or that form is taken too, ", Country" is added instead or as well
//!   ("La Paz Department, Honduras"). The bare name is then an alias.
//! - Subdivisions that are ISO 3166-1 countries of the input too are left out (the country
//!   row stands for them): those named like another country (its name or an alias) whose
//!   type is "Country", "Overseas …" or "Outlying area" (NL-AW Aruba, US-GU Guam, FR-971
//!   Guadeloupe), and those typed "Overseas …" or "Outlying area" whose code ends in another
//!   country's alpha-2 code (FR-NC Nouvelle-Calédonie).
//! - Order: by the rank of their country (as above), first-level subdivisions before those
//!   with a parent, then file order. Subdivisions need a countries file like cities do;
//!   those of a country code no countries file knows are left out.
//!
//! # Who gets a name
//!
//! Every name, alias and demonym, folded as the matcher folds it, belongs to one row. No
//! city or subdivision has a bare name that is a common English word or has fewer than 3
//! letters, not even as an alias ([`COMMON_WORDS`]: "Police, Poland", "Bo, Sierra Leone",
//! "Central Region"). Otherwise:
//!
//! 1. Countries first, in their order: names, aliases and demonyms.
//! 2. A first-level subdivision (no `parent_code`) keeps its bare name against cities
//!    unless a city with at least 200,000 people, and at least the subdivision's share of
//!    its country's population (country population / number of first-level subdivisions),
//!    has that name as its own name, or as an alias when the city is in the same country. So the US state gets "Florida" (the towns of that name in
//!    Cuba, Uruguay and Colombia are small, and "Florida" is only an alias of
//!    Floridablanca) and "Wyoming" (Wyoming, Michigan is small), while Baghdad, Washington
//!    and New York City keep their names ("Baghdād Governorate", "Washington State", "New
//!    York State"). The first such subdivision in row order decides for a name.
//! 3. Cities, largest first, take the first form of their name that no earlier row has
//!    and no subdivision kept; an alias that another city or subdivision has as its name
//!    is left out ("New Delhi" is a GeoNames spelling of Delhi, "Stavropol" of Tolyatti).
//! 4. Subdivisions, in their order, take the first form of their name that no country,
//!    city (name or alias) or earlier subdivision has.
//!
//! Aliases that two rows share otherwise stay on both; [`super::merge`] keeps them for the
//! first row. Row order itself is not changed by these rules.
//!
//! # Errors
//!
//! A file whose first line matches no format is a `Parse` error at line 1, column 1 that
//! lists the expected headers. A row with more or fewer fields than the header, a
//! population or geonameid that is not a whole number, a malformed ISO code, a line that is
//! not a JSON object, or invalid UTF-8 are `Parse` errors with file, line and column
//! (counted in characters from 1). No input makes the importer panic.

use super::{entity, slug};
use crate::error::{Error, Result};
use crate::gazetteer::matcher::is_acronym;
use crate::gazetteer::{Entity, EntityType};
use crate::text::fold_alias;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

const GEONAMES_LICENCE: &str = "CC BY 4.0";
const PYCOUNTRY: &str = "pycountry/iso-codes (LGPL-2.1)";
const COUNTRYINFO: &str = "countryinfo (MIT)";

/// Cities with fewer people than this need place context to match (see
/// [`crate::gazetteer::Entity::needs_context`]).
pub const CONTEXT_FREE_POPULATION: u64 = 100_000;

/// Common English words that are also the name or a spelling of a place in these sources
/// (a town called Police in Poland, Best in the Netherlands, Hit in Iraq; Iceland's
/// "Island", Caen's "Can"), chosen by hand among those that news text uses in lower case.
/// The matcher finds names in any case, so "police said" would be a mention of Poland's
/// Police. None of these is used as an alias, and a city or subdivision named like one (or
/// with fewer than 3 letters, like To in Burkina Faso) always gets a qualified name
/// ("Police, Poland", "Nice, France", "Central Region"). Country names are kept as they
/// are. Sorted, for binary search.
#[rustfmt::skip]
pub const COMMON_WORDS: &[&str] = &[
    "acre", "agro", "aim", "airport", "aka", "alliance", "along", "alot", "alter", "ami",
    "anew", "angle", "ann", "anthem", "area", "ate", "bad", "bag", "ban", "banco", "bank",
    "banning", "bar", "barium", "barking", "barn", "barrage", "barrow", "basic", "bat", "bath",
    "battleground", "bay", "bear", "begun", "bend", "best", "bid", "big", "billings", "bloom",
    "bode", "bolder", "bone", "boom", "boon", "bore", "born", "borne", "bourse", "bow", "brake",
    "bury", "bust", "but", "buy", "can", "canal", "care", "cars", "cat", "center", "central",
    "centre", "chagrin", "chair", "champion", "clay", "clot", "coast", "coca", "cocoa", "coin",
    "colon", "com", "coma", "come", "confederation", "consolation", "crossroads", "crystal",
    "dam", "date", "dawn", "deal", "der", "derby", "des", "dig", "dinar", "dire", "diva",
    "downtown", "drama", "drug", "dual", "due", "earnest", "east", "eastern", "empire",
    "enterprise", "era", "erode", "est", "ever", "evergreen", "far", "fate", "federal", "fleet",
    "flushing", "fore", "forest", "forge", "freedom", "from", "furnace", "gap", "garrison",
    "gay", "gel", "goes", "gold", "golden", "grants", "grass", "green", "groves", "gulf",
    "hall", "hang", "hire", "hit", "holiday", "hook", "hub", "human", "humble", "hurricane",
    "independence", "island", "jam", "keen", "kilo", "lag", "lakes", "lend", "lens", "lessen",
    "liberal", "liberty", "lien", "lion", "lira", "lively", "log", "logos", "lone", "loop",
    "lot", "luck", "male", "man", "manage", "manning", "marathon", "march", "maritime",
    "market", "marks", "media", "midway", "mile", "mine", "mission", "mobile", "monster",
    "more", "most", "much", "name", "never", "nice", "noisy", "nor", "normal", "north",
    "northern", "off", "officer", "okay", "one", "opera", "opportunity", "oral", "orange",
    "outer", "pace", "pan", "panda", "pandas", "paramount", "pare", "parole", "peer", "pen",
    "pet", "pets", "pin", "plain", "plantation", "plateau", "plum", "plunge", "police", "pool",
    "pop", "port", "possession", "pre", "proclamation", "prosper", "punch", "put", "ram",
    "rand", "rapid", "ray", "reading", "republic", "reservoir", "rest", "retreat", "reunion",
    "rich", "riding", "rise", "risen", "rivers", "roles", "rot", "rugby", "rung", "rust", "rye",
    "saga", "sake", "sale", "salt", "same", "savage", "save", "say", "sedan", "seen", "semi",
    "set", "shaping", "she", "shields", "shot", "shut", "side", "sin", "since", "sing",
    "slaughter", "soda", "sole", "solo", "son", "soul", "sour", "south", "southern", "spike",
    "split", "spoken", "spring", "sterling", "stoke", "store", "sue", "sulphur", "summit",
    "sunset", "superior", "surprise", "swallow", "taka", "tale", "tall", "tank", "tape", "tell",
    "tender", "than", "time", "tire", "tone", "tongue", "torn", "tour", "tours", "trap",
    "trojan", "troy", "tsunami", "tune", "tunes", "turn", "union", "unity", "university",
    "upland", "van", "vans", "veto", "victor", "von", "waits", "wave", "wedding", "west",
    "western", "wheeling", "worms", "worth", "yen", "young",
];

/// Read GeoNames, pycountry and countryinfo files into rows, most important first (see the
/// module docs for the formats and rules).
pub fn read(files: &[PathBuf]) -> Result<super::Imported> {
    let mut input = Input::default();
    for file in files {
        let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
        input.add_file(file, &bytes)?;
    }
    Ok(super::Imported {
        rows: input.build()?,
        notes: Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------
// Reading the files

/// Everything read from the input files, before the rows are built.
#[derive(Default)]
struct Input {
    countries: Vec<GnCountry>,
    iso_countries: Vec<IsoCountry>,
    countryinfo: Vec<CountryInfo>,
    cities: Vec<City>,
    subdivisions: Vec<Subdivision>,
    /// The first cities file, for error messages when no country file is given.
    cities_file: Option<PathBuf>,
    subdivisions_file: Option<PathBuf>,
}

struct GnCountry {
    geonameid: String,
    iso2: String,
    iso3: String,
    name: String,
    population: u64,
    origin: String,
}

struct IsoCountry {
    alpha2: String,
    alpha3: String,
    names: Vec<String>,
    /// `common_name`, else `name`: the name of a row built from this file alone.
    display: String,
    origin: String,
}

struct CountryInfo {
    alpha3: String,
    name: String,
    spellings: Vec<String>,
    demonym: Option<String>,
}

struct City {
    geonameid: String,
    name: String,
    country: String,
    admin1: String,
    population: u64,
    alternates: String,
    origin: String,
    /// "GeoNames cities15000 (CC BY 4.0)".
    source: String,
}

struct Subdivision {
    code: String,
    country: String,
    name: String,
    kind: String,
    parent: String,
    origin: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Countries,
    Cities,
    IsoCountries,
    Subdivisions,
}

impl Kind {
    const ALL: [Kind; 4] = [
        Kind::Countries,
        Kind::Cities,
        Kind::IsoCountries,
        Kind::Subdivisions,
    ];

    fn required(self) -> &'static [&'static str] {
        match self {
            Kind::Countries => &["geonameid", "iso", "iso3", "name"],
            Kind::Cities => &[
                "geonameid",
                "name",
                "countrycode",
                "population",
                "alternatenames",
            ],
            Kind::IsoCountries => &["alpha_2", "alpha_3", "name"],
            Kind::Subdivisions => &["code", "country_code", "name", "type"],
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Countries => "GeoNames countryInfo (geonameid, iso, iso3, name, ...)",
            Kind::Cities => {
                "GeoNames cities (geonameid, name, countrycode, admin1code, population, ..., alternatenames)"
            }
            Kind::IsoCountries => {
                "pycountry ISO 3166-1 countries (alpha_2, alpha_3, numeric, name, official_name, common_name)"
            }
            Kind::Subdivisions => {
                "pycountry ISO 3166-2 subdivisions (code, country_code, name, type, parent_code)"
            }
        }
    }
}

fn expected_formats() -> String {
    let mut kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.describe()).collect();
    kinds.push("countryinfo JSON lines (one object a line with \"name\", \"ISO\", \"altSpellings\", \"demonym\")");
    kinds.join("; ")
}

/// One line of a file: its number (from 1) and text without `\r`.
struct Line<'a> {
    number: usize,
    text: &'a str,
}

/// The lines of a file that are not blank.
fn lines<'a>(path: &Path, bytes: &'a [u8]) -> Result<Vec<Line<'a>>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |at| at + 1);
        // The bytes before the error on this line are valid UTF-8.
        let column = std::str::from_utf8(&bytes[start..e.valid_up_to()])
            .map_or(1, |s| s.chars().count() + 1);
        Error::parse(
            path,
            line,
            column,
            "invalid UTF-8 (the input must be UTF-8)",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(text
        .split('\n')
        .enumerate()
        .map(|(at, line)| Line {
            number: at + 1,
            text: line.strip_suffix('\r').unwrap_or(line),
        })
        .filter(|line| !line.text.trim().is_empty())
        .collect())
}

/// A TSV header: column names and where each required column is.
struct Header {
    width: usize,
    columns: Vec<String>,
}

impl Header {
    fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// A data row split at tabs, with the character column of every field.
struct Row<'a> {
    path: &'a Path,
    line: usize,
    fields: Vec<(&'a str, usize)>,
}

impl<'a> Row<'a> {
    fn split(path: &'a Path, line: &Line<'a>, header: &Header) -> Result<Row<'a>> {
        let mut column = 1;
        let fields: Vec<(&str, usize)> = line
            .text
            .split('\t')
            .map(|value| {
                let field = (value, column);
                column += value.chars().count() + 1;
                field
            })
            .collect();
        if fields.len() != header.width {
            let at = if fields.len() > header.width {
                fields[header.width].1
            } else {
                column - 1 // just after the last field
            };
            return Err(Error::parse(
                path,
                line.number,
                at,
                format!(
                    "{} fields but the header names {} columns",
                    fields.len(),
                    header.width
                ),
            ));
        }
        Ok(Row {
            path,
            line: line.number,
            fields,
        })
    }

    /// The trimmed value of column `index` (empty when there is no such column).
    fn get(&self, index: Option<usize>) -> &'a str {
        index.map_or("", |at| self.fields[at].0.trim())
    }

    fn column(&self, index: Option<usize>) -> usize {
        index.map_or(1, |at| self.fields[at].1)
    }

    fn error(&self, index: Option<usize>, message: String) -> Error {
        Error::parse(self.path, self.line, self.column(index), message)
    }

    fn origin(&self) -> String {
        format!("{}:{}", self.path.display(), self.line)
    }

    /// A whole number (population, geonameid).
    fn number(&self, index: Option<usize>, what: &str) -> Result<u64> {
        let value = self.get(index);
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error(index, format!("{what} {value:?} is not a whole number")));
        }
        value
            .parse()
            .map_err(|_| self.error(index, format!("{what} {value:?} is too large")))
    }

    /// An upper-case ISO code of exactly `len` letters.
    fn code(&self, index: Option<usize>, what: &str, len: usize) -> Result<&'a str> {
        let value = self.get(index);
        if value.len() != len || !value.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(self.error(
                index,
                format!("{what} {value:?} is not {len} capital letters A-Z"),
            ));
        }
        Ok(value)
    }
}

impl Input {
    fn add_file(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        let lines = lines(path, bytes)?;
        let unrecognised = |what: &str| {
            Error::parse(
                path,
                1,
                1,
                format!(
                    "{what} is not a header this importer knows; expected one of: {}",
                    expected_formats()
                ),
            )
        };
        let Some(first) = lines.first() else {
            return Err(unrecognised("an empty file"));
        };
        if first.number != 1 {
            return Err(unrecognised("a blank first line"));
        }
        if first.text.trim_start().starts_with('{') {
            return self.add_countryinfo(path, &lines, unrecognised);
        }
        let columns: Vec<String> = first
            .text
            .split('\t')
            .map(|c| c.trim().to_lowercase())
            .collect();
        let header = Header {
            width: columns.len(),
            columns,
        };
        let kind = Kind::ALL
            .into_iter()
            .find(|kind| kind.required().iter().all(|c| header.index(c).is_some()))
            .ok_or_else(|| unrecognised("the first line"))?;
        let rows = lines[1..]
            .iter()
            .map(|line| Row::split(path, line, &header));
        match kind {
            Kind::Countries => self.add_countries(&header, rows),
            Kind::IsoCountries => self.add_iso_countries(&header, rows),
            Kind::Cities => self.add_cities(path, &header, rows),
            Kind::Subdivisions => self.add_subdivisions(path, &header, rows),
        }
    }

    /// The rows of a GeoNames countryInfo file.
    fn add_countries<'a>(
        &mut self,
        header: &Header,
        rows: impl Iterator<Item = Result<Row<'a>>>,
    ) -> Result<()> {
        let [id, iso2, iso3, name, population] =
            ["geonameid", "iso", "iso3", "name", "population"].map(|c| header.index(c));
        for row in rows {
            let row = row?;
            row.number(id, "geonameid")?;
            self.countries.push(GnCountry {
                geonameid: row.get(id).to_string(),
                iso2: row.code(iso2, "iso", 2)?.to_string(),
                iso3: row.code(iso3, "iso3", 3)?.to_string(),
                name: required_name(&row, name)?,
                population: if population.is_some() {
                    row.number(population, "population")?
                } else {
                    0
                },
                origin: row.origin(),
            });
        }
        Ok(())
    }

    /// The rows of a pycountry ISO 3166-1 file.
    fn add_iso_countries<'a>(
        &mut self,
        header: &Header,
        rows: impl Iterator<Item = Result<Row<'a>>>,
    ) -> Result<()> {
        let [a2, a3, name, official, common] =
            ["alpha_2", "alpha_3", "name", "official_name", "common_name"].map(|c| header.index(c));
        for row in rows {
            let row = row?;
            let name_value = required_name(&row, name)?;
            let common = tidy(row.get(common));
            let mut names = vec![name_value.clone(), tidy(row.get(official))];
            names.push(common.clone());
            names.retain(|n| !n.is_empty());
            self.iso_countries.push(IsoCountry {
                alpha2: row.code(a2, "alpha_2", 2)?.to_string(),
                alpha3: row.code(a3, "alpha_3", 3)?.to_string(),
                display: if common.is_empty() {
                    uninvert(&name_value).unwrap_or(name_value)
                } else {
                    common
                },
                names,
                origin: row.origin(),
            });
        }
        Ok(())
    }

    /// The rows of a GeoNames cities file.
    fn add_cities<'a>(
        &mut self,
        path: &Path,
        header: &Header,
        rows: impl Iterator<Item = Result<Row<'a>>>,
    ) -> Result<()> {
        self.cities_file.get_or_insert_with(|| path.to_path_buf());
        let source = format!("GeoNames {} ({GEONAMES_LICENCE})", cities_label(path));
        let [id, name, cc, admin1, population, alternates] = [
            "geonameid",
            "name",
            "countrycode",
            "admin1code",
            "population",
            "alternatenames",
        ]
        .map(|c| header.index(c));
        for row in rows {
            let row = row?;
            row.number(id, "geonameid")?;
            self.cities.push(City {
                geonameid: row.get(id).to_string(),
                name: required_name(&row, name)?,
                country: row.code(cc, "countrycode", 2)?.to_string(),
                admin1: row.get(admin1).to_string(),
                population: row.number(population, "population")?,
                alternates: row.get(alternates).to_string(),
                origin: row.origin(),
                source: source.clone(),
            });
        }
        Ok(())
    }

    /// The rows of a pycountry ISO 3166-2 subdivisions file.
    fn add_subdivisions<'a>(
        &mut self,
        path: &Path,
        header: &Header,
        rows: impl Iterator<Item = Result<Row<'a>>>,
    ) -> Result<()> {
        self.subdivisions_file
            .get_or_insert_with(|| path.to_path_buf());
        let [code, cc, name, kind, parent] =
            ["code", "country_code", "name", "type", "parent_code"].map(|c| header.index(c));
        for row in rows {
            let row = row?;
            let country = row.code(cc, "country_code", 2)?.to_string();
            let code_value = subdivision_code(&row, code, &country)?;
            let parent_value = row.get(parent);
            if !parent_value.is_empty() {
                subdivision_code(&row, parent, &country)?;
            }
            self.subdivisions.push(Subdivision {
                code: code_value,
                country,
                name: required_name(&row, name)?,
                kind: tidy(row.get(kind)),
                parent: parent_value.to_string(),
                origin: row.origin(),
            });
        }
        Ok(())
    }

    fn add_countryinfo(
        &mut self,
        path: &Path,
        lines: &[Line],
        unrecognised: impl Fn(&str) -> Error,
    ) -> Result<()> {
        for (at, line) in lines.iter().enumerate() {
            let value: serde_json::Value = serde_json::from_str(line.text).map_err(|e| {
                if at == 0 {
                    return unrecognised("the first line");
                }
                // serde_json counts columns in bytes; report characters, and leave out its
                // own "at line 1 column N", which counts within this line only.
                let byte = e.column().saturating_sub(1).min(line.text.len());
                let column = line
                    .text
                    .char_indices()
                    .take_while(|(i, _)| *i < byte)
                    .count()
                    + 1;
                let what = e.to_string();
                let what = what
                    .rsplit_once(" at line ")
                    .map_or(what.as_str(), |(w, _)| w);
                Error::parse(
                    path,
                    line.number,
                    column,
                    format!("not a JSON object: {what}"),
                )
            })?;
            let Some(object) = value.as_object() else {
                return Err(if at == 0 {
                    unrecognised("the first line")
                } else {
                    Error::parse(path, line.number, 1, "not a JSON object")
                });
            };
            if at == 0 && !(object.contains_key("name") && object.contains_key("ISO")) {
                return Err(unrecognised("the first line"));
            }
            let text = |v: Option<&serde_json::Value>| {
                v.and_then(|v| v.as_str()).map(tidy).unwrap_or_default()
            };
            let alpha3 = text(object.get("ISO").and_then(|iso| iso.get("alpha3")));
            let spellings = object
                .get("altSpellings")
                .and_then(|v| v.as_array())
                .map(|list| {
                    list.iter()
                        .filter_map(|v| v.as_str())
                        .map(tidy)
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let demonym = text(object.get("demonym"));
            self.countryinfo.push(CountryInfo {
                alpha3,
                name: text(object.get("name")),
                spellings,
                demonym: (!demonym.is_empty()).then_some(demonym),
            });
        }
        Ok(())
    }
}

fn required_name(row: &Row, index: Option<usize>) -> Result<String> {
    let name = tidy(row.get(index));
    if !name.chars().any(char::is_alphanumeric) {
        return Err(row.error(index, format!("name {name:?} has no letters or digits")));
    }
    Ok(name)
}

/// An ISO 3166-2 code such as `IQ-BG`: the country's alpha-2 code, `-`, 1 to 3 letters or
/// digits.
fn subdivision_code(row: &Row, index: Option<usize>, country: &str) -> Result<String> {
    let value = row.get(index);
    let ok = value.split_once('-').is_some_and(|(cc, rest)| {
        cc == country
            && (1..=3).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    });
    if !ok {
        return Err(row.error(
            index,
            format!("{value:?} is not an ISO 3166-2 code of {country} (like {country}-AB)"),
        ));
    }
    Ok(value.to_string())
}

/// "cities15000" from `geonames_cities15000.tsv`.
fn cities_label(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem.strip_prefix("geonames_").unwrap_or(&stem);
    if stem.is_empty() {
        "cities".into()
    } else {
        stem.to_string()
    }
}

/// One space for any run of white space or control characters; no outer spaces.
fn tidy(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------
// Name rules

/// Words that join the items of a list ("Bonaire, Sint Eustatius and Saba").
const CONJUNCTIONS: &[&str] = &["and", "y", "et", "e", "i", "und", "&"];
/// Words that end an inverted name ("Iran, Islamic Republic of").
const PREPOSITIONS: &[&str] = &["of", "de", "del", "din", "du", "da", "des", "di"];

/// "Iran, Islamic Republic of" → "Islamic Republic of Iran"; `None` for names that are not
/// inverted: no comma, several commas, a list ("Bonaire, Sint Eustatius and Saba"), or an
/// apposition of capitalised words ("Taiwan, Province of China", "Holy See, Vatican City
/// State").
fn uninvert(name: &str) -> Option<String> {
    let (head, tail) = name.split_once(", ")?;
    if tail.contains(',') || head.trim().is_empty() {
        return None;
    }
    let words: Vec<&str> = tail.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if words.is_empty() || lower.iter().any(|w| CONJUNCTIONS.contains(&w.as_str())) {
        return None;
    }
    let n = lower.len();
    let ends_with_preposition = PREPOSITIONS.contains(&lower[n - 1].as_str())
        || (n >= 2 && lower[n - 1] == "the" && PREPOSITIONS.contains(&lower[n - 2].as_str()));
    let single = n == 1;
    let has_lower_word = words
        .iter()
        .any(|w| w.chars().next().is_some_and(char::is_lowercase));
    if ends_with_preposition
        || single
        || (has_lower_word && !lower.iter().any(|w| PREPOSITIONS.contains(&w.as_str())))
    {
        Some(format!("{tail} {head}"))
    } else {
        None
    }
}

/// The name without `(…)` parts ("Falkland Islands (Malvinas)" → "Falkland Islands").
fn without_parentheses(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    tidy(&out)
}

/// Apostrophes the folding treats as such (see `crate::text::fold`).
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BB}' | '`' | '\u{00B4}'
    )
}

/// A letter of the Latin script, with or without diacritics (not the IPA block).
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c as u32,
            0x41..=0x5A | 0x61..=0x7A | 0xAA | 0xBA | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F
            | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F)
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F)
}

/// Letter statistics of a spelling, or `None` if it has a character other than Latin
/// letters, combining marks, spaces, hyphens, apostrophes, periods and `extra`.
struct Letters {
    count: usize,
    upper: bool,
    lower: bool,
}

fn latin_letters(text: &str, extra: &[char]) -> Option<Letters> {
    let mut letters = Letters {
        count: 0,
        upper: false,
        lower: false,
    };
    for c in text.chars() {
        if is_latin_letter(c) {
            letters.count += 1;
            letters.upper |= c.is_uppercase();
            letters.lower |= c.is_lowercase();
        } else if !(c == ' '
            || c == '-'
            || c == '.'
            || is_apostrophe(c)
            || is_combining(c)
            || extra.contains(&c))
        {
            return None;
        }
    }
    Some(letters)
}

/// A GeoNames alternate name worth keeping as a city alias (see the module docs).
fn city_alternate(name: &str) -> bool {
    let description = name
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("the "));
    !description && latin_letters(name, &[]).is_some_and(|l| l.count >= 3 && l.upper && l.lower)
}

/// A folded name that would match ordinary words: in [`COMMON_WORDS`], or fewer than 3
/// letters.
fn is_common_word(folded: &str) -> bool {
    folded.chars().filter(|c| c.is_alphabetic()).count() < 3
        || COMMON_WORDS.binary_search(&folded).is_ok()
}

/// A city or subdivision row with its folded name, bare name and aliases.
struct Place {
    e: Entity,
    own: String,
    bare: String,
    /// The folded form of each alias, in order.
    folded: Vec<String>,
}

impl Place {
    /// Add `alias` unless it folds like the name or an alias already there.
    fn push_alias(&mut self, alias: String, folded: String) {
        if folded.chars().any(char::is_alphanumeric)
            && folded != self.own
            && !self.folded.contains(&folded)
        {
            self.e.aliases.push(alias);
            self.folded.push(folded);
        }
    }
}

/// Folded names already used by earlier rows.
#[derive(Default)]
struct Claims(HashSet<String>);

impl Claims {
    fn has(&self, folded: &str) -> bool {
        self.0.contains(folded)
    }

    fn add(&mut self, e: &Entity) {
        for alias in std::iter::once(&e.name)
            .chain(&e.aliases)
            .chain(&e.demonyms)
        {
            self.0.insert(fold_alias(alias));
        }
    }

    fn add_name(&mut self, folded: String) {
        self.0.insert(folded);
    }
}

/// Add `alias` unless it folds like the name or an alias already there.
fn push_alias(list: &mut Vec<String>, seen: &mut HashSet<String>, alias: String) -> bool {
    let folded = fold_alias(&alias);
    if !folded.chars().any(char::is_alphanumeric) || !seen.insert(folded) {
        return false;
    }
    list.push(alias);
    true
}

/// "Iraqi" → "Iraqis" where English makes a regular plural of the word.
fn demonym_plural(singular: &str) -> Option<String> {
    let last = singular.rsplit(' ').next()?.to_lowercase();
    const ENDINGS: &[&str] = &[
        "an", "i", "er", "ot", "ino", "eek", "ak", "ik", "ek", "ech", "ene", "que", "ien", "in",
    ];
    let regular = ENDINGS.iter().any(|e| last.ends_with(e)) && !last.ends_with("men");
    regular.then(|| format!("{singular}s"))
}

/// "Antiguan,Barbudan" → ["Antiguan", "Barbudan"]; "Kittian and Nevisian" → both words.
fn split_demonyms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split([',', '/']) {
        let part = tidy(part);
        if let Some((a, b)) = part.split_once(" and ")
            && !a.contains(' ')
            && !b.contains(' ')
        {
            out.push(a.to_string());
            out.push(b.to_string());
        } else if !part.is_empty() {
            out.push(part);
        }
    }
    out
}

/// "Autonomous city in north africa" → "Autonomous City in North Africa", the part before
/// any `(` or `,`: the word added to a subdivision's name.
fn type_title(kind: &str) -> String {
    let base = kind.split(['(', ',']).next().unwrap_or("").trim();
    base.split_whitespace()
        .enumerate()
        .map(|(at, word)| {
            let lower = word.to_lowercase();
            if at > 0 && ["of", "in", "and", "the", "with", "under"].contains(&lower.as_str()) {
                lower
            } else {
                let mut chars = lower.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// "Autonomous region" → `autonomous_region`.
fn subtype_of(kind: &str) -> String {
    let mut out = String::new();
    for c in kind.to_lowercase().chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// An ISO 3166-2 name cleaned: the name, the un-inverted head ("London" of "London, City
/// of") and the `[…]` notes as aliases.
fn clean_subdivision_name(raw: &str) -> (String, Vec<String>) {
    let mut aliases = Vec::new();
    let mut base = String::new();
    let mut rest = raw;
    while let Some(open) = rest.find('[') {
        base.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let (note, next) = match after.find(']') {
            Some(close) => (&after[..close], &after[close + 1..]),
            None => (after, ""),
        };
        let note: Vec<&str> = note
            .split_whitespace()
            .filter(|w| !is_iso_code(w))
            .collect();
        if !note.is_empty() {
            aliases.push(note.join(" "));
        }
        rest = next;
    }
    base.push_str(rest);
    let base = without_parentheses(&base);
    match uninvert(&base) {
        Some(turned) => {
            let head = base.split(", ").next().unwrap_or("").to_string();
            aliases.insert(0, head);
            (turned, aliases)
        }
        None => (base, aliases),
    }
}

/// `GB-YNM`, `SE-01`: a code inside an ISO name note.
fn is_iso_code(word: &str) -> bool {
    word.split_once('-').is_some_and(|(cc, rest)| {
        cc.len() == 2
            && cc.bytes().all(|b| b.is_ascii_uppercase())
            && !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

// ---------------------------------------------------------------------------------------
// Building the rows

/// What the countries file(s) say about one country code, for cities and subdivisions.
struct CountryRef {
    id: String,
    iso3: String,
    name: String,
    /// From GeoNames countryInfo; 0 when not known.
    population: u64,
}

/// A city before it is named: aliases with their folded forms.
struct CityDraft<'a> {
    city: &'a City,
    country: &'a CountryRef,
    folded: String,
    aliases: Vec<(String, String)>,
}

/// A subdivision before it is named: the cleaned name, folded, and aliases.
struct SubdivisionDraft<'a> {
    s: &'a Subdivision,
    country: &'a CountryRef,
    name: String,
    folded: String,
    aliases: Vec<String>,
}

/// A country row before its aliases and demonyms are chosen.
struct CountryDraft {
    e: Entity,
    iso3: String,
    population: u64,
    iso2: String,
    order: usize,
    pycountry: bool,
    countryinfo: bool,
}

/// What the ISO and countryinfo files offer each country draft, by its position.
struct CountrySpellings {
    /// Spellings, each with whether it comes from pycountry.
    candidates: Vec<Vec<(String, bool)>>,
    demonyms: Vec<Vec<String>>,
}

/// The forms of a country's name that may become aliases, each with whether it came from
/// pycountry: the name without "The", and each candidate spelling turned the right way
/// round, without "the", "The" or parentheses.
fn country_name_forms(name: &str, candidates: &[(String, bool)]) -> Vec<(String, bool)> {
    let mut forms: Vec<(String, bool)> = Vec::new();
    if let Some(bare) = name.strip_prefix("The ") {
        forms.push((bare.to_string(), false));
    }
    for (spelling, from_pycountry) in candidates {
        let turned = uninvert(spelling).unwrap_or_else(|| spelling.clone());
        let turned = match turned.strip_prefix("the ") {
            Some(rest) => rest.to_string(),
            None => turned,
        };
        let mut variants = vec![turned.clone()];
        if let Some(bare) = turned.strip_prefix("The ") {
            variants.push(bare.to_string());
        }
        if turned.contains('(') {
            variants.push(without_parentheses(&turned));
        }
        for v in variants {
            forms.push((v, *from_pycountry));
        }
    }
    forms
}

/// Cities smaller than this never take the bare name of a first-level subdivision (see
/// "Who gets a name" in the module docs: Florida, Cuba and the US state).
const SMALL_CITY_BELOW: u64 = 200_000;

impl Input {
    fn build(self) -> Result<Vec<Entity>> {
        let mut claims = Claims::default();
        let (mut rows, rank) = self.countries(&mut claims);
        // alpha-2 → country, from GeoNames first, then pycountry.
        let mut by_iso2: HashMap<String, CountryRef> = HashMap::new();
        let names: HashMap<&str, &str> = rows
            .iter()
            .filter_map(|e| Some((e.country.as_deref()?, e.name.as_str())))
            .collect();
        let populations: HashMap<&str, u64> = self
            .countries
            .iter()
            .map(|c| (c.iso3.as_str(), c.population))
            .collect();
        let pairs = self
            .countries
            .iter()
            .map(|c| (&c.iso2, &c.iso3))
            .chain(self.iso_countries.iter().map(|c| (&c.alpha2, &c.alpha3)));
        for (iso2, iso3) in pairs {
            by_iso2.entry(iso2.clone()).or_insert_with(|| CountryRef {
                id: format!("place/{}", iso3.to_lowercase()),
                iso3: iso3.clone(),
                name: names
                    .get(iso3.as_str())
                    .map_or(iso3.clone(), |n| n.to_string()),
                population: populations.get(iso3.as_str()).copied().unwrap_or(0),
            });
        }
        let no_countries = self.countries.is_empty() && self.iso_countries.is_empty();
        for (file, what) in [
            (&self.cities_file, "cities"),
            (&self.subdivisions_file, "subdivisions"),
        ] {
            if let (Some(file), true) = (file, no_countries) {
                return Err(Error::Config(format!(
                    "{}: {what} give their country as an ISO alpha-2 code; pass \
                     geonames_countries.tsv or pycountry_countries.tsv too, to map it to the \
                     alpha-3 code of the country column",
                    file.display()
                )));
            }
        }
        let cities = self.city_drafts(&by_iso2);
        let subdivisions = self.subdivision_drafts(&by_iso2, &rows, &rank);
        let reserved = reserved_names(&cities, &subdivisions, &claims);
        let subdivision_names: HashMap<&str, &str> = subdivisions
            .iter()
            .map(|d| (d.s.code.as_str(), d.name.as_str()))
            .collect();
        let mut places = name_cities(cities, &subdivision_names, &reserved, &mut claims);
        // Cities come before subdivisions with their aliases too: "Arbil" is the city's.
        for place in &places {
            claims.0.extend(place.folded.iter().cloned());
        }
        places.extend(name_subdivisions(subdivisions, &reserved, &mut claims));
        // A place's own name beats another place's alias: "New Delhi" is a spelling of
        // Delhi in GeoNames, but also the name of a city; Tolyatti was "Stavropol". A
        // qualified place's bare name stays ([`super::merge`] leaves it to its owner).
        let names: HashSet<String> = places.iter().map(|p| p.own.clone()).collect();
        for mut place in places {
            let aliases = std::mem::take(&mut place.e.aliases);
            place.e.aliases = aliases
                .into_iter()
                .zip(&place.folded)
                .filter(|(_, folded)| **folded == place.bare || !names.contains(*folded))
                .map(|(alias, _)| alias)
                .collect();
            rows.push(place.e);
        }
        Ok(rows)
    }

    /// Country rows in priority order, and each alpha-3 code's rank in it. Their names,
    /// aliases and demonyms are claimed.
    fn countries(&self, claims: &mut Claims) -> (Vec<Entity>, HashMap<String, usize>) {
        let mut drafts = self.country_drafts();
        let iso_listed: HashSet<&str> = self
            .iso_countries
            .iter()
            .map(|c| c.alpha3.as_str())
            .collect();
        drafts.sort_by(|a, b| {
            let unlisted =
                |d: &CountryDraft| !iso_listed.is_empty() && !iso_listed.contains(d.iso3.as_str());
            unlisted(a)
                .cmp(&unlisted(b))
                .then(b.population.cmp(&a.population))
                .then(a.order.cmp(&b.order))
        });
        let index: HashMap<String, usize> = drafts
            .iter()
            .enumerate()
            .map(|(at, d)| (d.iso3.clone(), at))
            .collect();
        let country_names: HashMap<String, usize> = drafts
            .iter()
            .enumerate()
            .map(|(at, d)| (fold_alias(&d.e.name), at))
            .collect();
        let spellings = self.country_spellings(&mut drafts, &index);
        for (at, draft) in drafts.iter_mut().enumerate() {
            self.finish_country(
                draft,
                at,
                &spellings.candidates[at],
                &spellings.demonyms[at],
                &country_names,
            );
        }
        let rank = drafts
            .iter()
            .enumerate()
            .map(|(at, d)| (d.iso3.clone(), at))
            .collect();
        let rows: Vec<Entity> = drafts.into_iter().map(|d| d.e).collect();
        for e in &rows {
            claims.add(e);
        }
        (rows, rank)
    }

    /// One draft per country code, in file order: from GeoNames countryInfo when given,
    /// else from pycountry.
    fn country_drafts(&self) -> Vec<CountryDraft> {
        let mut drafts: Vec<CountryDraft> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        if !self.countries.is_empty() {
            for c in &self.countries {
                if index.contains_key(&c.iso3) {
                    continue;
                }
                let mut e = entity(
                    format!("place/{}", c.iso3.to_lowercase()),
                    c.name.clone(),
                    EntityType::Place,
                    c.origin.clone(),
                );
                e.code = Some(format!("geonames:{}", c.geonameid));
                index.insert(c.iso3.clone(), drafts.len());
                drafts.push(CountryDraft {
                    e,
                    iso3: c.iso3.clone(),
                    population: c.population,
                    iso2: c.iso2.clone(),
                    order: drafts.len(),
                    pycountry: false,
                    countryinfo: false,
                });
            }
        } else {
            for c in &self.iso_countries {
                if index.contains_key(&c.alpha3) {
                    continue;
                }
                let e = entity(
                    format!("place/{}", c.alpha3.to_lowercase()),
                    c.display.clone(),
                    EntityType::Place,
                    c.origin.clone(),
                );
                index.insert(c.alpha3.clone(), drafts.len());
                drafts.push(CountryDraft {
                    e,
                    iso3: c.alpha3.clone(),
                    population: 0,
                    iso2: c.alpha2.clone(),
                    order: drafts.len(),
                    pycountry: true,
                    countryinfo: false,
                });
            }
        }
        drafts
    }

    /// Candidate names and demonyms of the drafts (`index`: alpha-3 → position). Marks
    /// the drafts countryinfo speaks for.
    fn country_spellings(
        &self,
        drafts: &mut [CountryDraft],
        index: &HashMap<String, usize>,
    ) -> CountrySpellings {
        let mut candidates: Vec<Vec<(String, bool)>> = vec![Vec::new(); drafts.len()];
        let mut demonyms: Vec<Vec<String>> = vec![Vec::new(); drafts.len()];
        for c in &self.iso_countries {
            if let Some(&at) = index.get(&c.alpha3) {
                for name in &c.names {
                    candidates[at].push((name.clone(), true));
                }
            }
        }
        let mut seen_records: HashSet<&str> = HashSet::new();
        for record in &self.countryinfo {
            let Some(&at) = index.get(&record.alpha3) else {
                continue;
            };
            let spellings = std::iter::once(&record.name).chain(&record.spellings);
            if !seen_records.insert(record.alpha3.as_str()) {
                // A second record: only if it names this very country.
                let known: HashSet<String> = std::iter::once(&drafts[at].e.name)
                    .chain(candidates[at].iter().map(|(s, _)| s))
                    .map(|s| fold_alias(s))
                    .collect();
                if !spellings.clone().any(|s| known.contains(&fold_alias(s))) {
                    continue;
                }
            }
            drafts[at].countryinfo = true;
            for spelling in spellings {
                if !is_own_code(spelling, &drafts[at].iso2, &record.alpha3) {
                    candidates[at].push((spelling.clone(), false));
                }
            }
            if let Some(demonym) = &record.demonym {
                demonyms[at].extend(split_demonyms(demonym));
            }
        }
        CountrySpellings {
            candidates,
            demonyms,
        }
    }

    /// Give the draft at position `at` its aliases, demonyms, subtype, country and
    /// source. `country_names`: each country's folded name → its position, so that no
    /// country takes another's name as an alias.
    fn finish_country(
        &self,
        draft: &mut CountryDraft,
        at: usize,
        candidates: &[(String, bool)],
        demonyms: &[String],
        country_names: &HashMap<String, usize>,
    ) {
        let e = &mut draft.e;
        let mut seen: HashSet<String> = HashSet::from([fold_alias(&e.name)]);
        let mut singulars = Vec::new();
        for d in demonyms {
            if latin_letters(d, &[]).is_some_and(|l| l.count >= 3 && l.upper)
                && !seen.contains(&fold_alias(d))
            {
                singulars.push(d.clone());
            }
        }
        let demonym_folds: HashSet<String> = singulars.iter().map(|d| fold_alias(d)).collect();
        for (form, from_pycountry) in country_name_forms(&e.name, candidates) {
            let folded = fold_alias(&form);
            let usable = latin_letters(&form, &[',', '(', ')'])
                .is_some_and(|l| l.count >= 2 && l.upper && (l.lower || l.count <= 5));
            let elsewhere = country_names.get(&folded).is_some_and(|&other| other != at);
            if usable
                && !elsewhere
                && !demonym_folds.contains(&folded)
                && (is_acronym(&form) || !is_common_word(&folded))
                && push_alias(&mut e.aliases, &mut seen, form)
                && from_pycountry
            {
                draft.pycountry = true;
            }
        }
        for singular in singulars {
            let plural = demonym_plural(&singular);
            if push_alias(&mut e.demonyms, &mut seen, singular)
                && let Some(plural) = plural
            {
                push_alias(&mut e.demonyms, &mut seen, plural);
            }
        }
        e.subtype = Some("country".into());
        e.country = Some(draft.iso3.clone());
        let mut source = if self.countries.is_empty() {
            format!("ISO 3166-1 via {PYCOUNTRY}")
        } else {
            format!("GeoNames countryInfo ({GEONAMES_LICENCE})")
        };
        if draft.pycountry && !self.countries.is_empty() {
            source.push_str(&format!("; ISO 3166-1 names via {PYCOUNTRY}"));
        }
        if draft.countryinfo {
            source.push_str(&format!("; spellings and demonyms: {COUNTRYINFO}"));
        }
        e.source = Some(source);
    }

    /// Cities with a known country, largest first, each geonameid once, with the aliases
    /// worth keeping (see the module docs).
    fn city_drafts<'a>(&'a self, countries: &'a HashMap<String, CountryRef>) -> Vec<CityDraft<'a>> {
        let mut order: Vec<&City> = self.cities.iter().collect();
        order.sort_by_key(|c| std::cmp::Reverse(c.population));
        let mut geonameids: HashSet<&str> = HashSet::new();
        let mut drafts = Vec::with_capacity(order.len());
        for city in order {
            let Some(country) = countries.get(&city.country) else {
                continue;
            };
            if !geonameids.insert(&city.geonameid) {
                continue;
            }
            let folded = fold_alias(&city.name);
            let mut seen: HashSet<String> = HashSet::from([folded.clone()]);
            let mut aliases = Vec::new();
            for alternate in city.alternates.split('|') {
                let alternate = tidy(alternate);
                if !city_alternate(&alternate) {
                    continue;
                }
                let alias_folded = fold_alias(&alternate);
                if !is_common_word(&alias_folded) && seen.insert(alias_folded.clone()) {
                    aliases.push((alternate, alias_folded));
                }
            }
            drafts.push(CityDraft {
                city,
                country,
                folded,
                aliases,
            });
        }
        drafts
    }

    /// Subdivisions with a known country, cleaned, in the order their rows come: by the
    /// rank of their country, top level first, then file order. Those that are ISO 3166-1
    /// countries themselves are left out.
    fn subdivision_drafts<'a>(
        &'a self,
        countries: &'a HashMap<String, CountryRef>,
        country_rows: &[Entity],
        rank: &HashMap<String, usize>,
    ) -> Vec<SubdivisionDraft<'a>> {
        // Country names and aliases → alpha-2, for subdivisions that are countries too.
        let iso2_of: HashMap<&str, &str> = self
            .countries
            .iter()
            .map(|c| (c.iso3.as_str(), c.iso2.as_str()))
            .chain(
                self.iso_countries
                    .iter()
                    .map(|c| (c.alpha3.as_str(), c.alpha2.as_str())),
            )
            .collect();
        let mut country_of_name: HashMap<String, &str> = HashMap::new();
        let mut codes: HashSet<&str> = HashSet::new();
        for e in country_rows {
            let Some(&iso2) = e.country.as_deref().and_then(|c| iso2_of.get(c)) else {
                continue;
            };
            codes.insert(iso2);
            for name in std::iter::once(&e.name).chain(&e.aliases) {
                country_of_name.entry(fold_alias(name)).or_insert(iso2);
            }
        }
        // Named like another country and typed as a country, overseas or outlying (NL-AW
        // Aruba, FR-971 Guadeloupe), or typed so and coded like it (FR-NC).
        let is_country_too = |s: &Subdivision, folded: &str| -> bool {
            let kind = s.kind.to_lowercase();
            let overseas = kind.starts_with("overseas") || kind.starts_with("outlying");
            let suffix = s.code.split_once('-').map_or("", |(_, rest)| rest);
            let named = country_of_name
                .get(folded)
                .is_some_and(|&iso2| iso2 != s.country && (overseas || kind == "country"));
            named || (overseas && suffix != s.country && codes.contains(suffix))
        };
        let mut drafts = Vec::new();
        let mut seen_codes: HashSet<&str> = HashSet::new();
        for s in &self.subdivisions {
            let Some(country) = countries.get(&s.country) else {
                continue;
            };
            let (name, aliases) = clean_subdivision_name(&s.name);
            let folded = fold_alias(&name);
            if !folded.chars().any(char::is_alphanumeric)
                || is_country_too(s, &folded)
                || !seen_codes.insert(&s.code)
            {
                continue;
            }
            drafts.push(SubdivisionDraft {
                s,
                country,
                name,
                folded,
                aliases,
            });
        }
        drafts.sort_by_key(|d| {
            (
                rank.get(&d.country.iso3).copied().unwrap_or(usize::MAX),
                !d.s.parent.is_empty(),
            )
        });
        drafts
    }
}

/// Bare names that first-level subdivisions keep against cities (folded name →
/// subdivision code): "Florida" is the US state's, not the Cuban town's. A subdivision
/// reserves its name unless a city with at least [`SMALL_CITY_BELOW`] people (and at
/// least the subdivision's share of its country's population) has it as its name, or as
/// an alias if the city is in the same country. Names a country has, and common words,
/// are never reserved.
fn reserved_names<'a>(
    cities: &[CityDraft],
    subdivisions: &[SubdivisionDraft<'a>],
    claims: &Claims,
) -> HashMap<String, &'a str> {
    let mut first_level: HashMap<&str, u64> = HashMap::new();
    for d in subdivisions.iter().filter(|d| d.s.parent.is_empty()) {
        *first_level.entry(d.country.iso3.as_str()).or_default() += 1;
    }
    // Every city that has a name: (country, population, as its own name?).
    let mut claimants: HashMap<&str, Vec<(&str, u64, bool)>> = HashMap::new();
    for d in cities {
        let (country, population) = (d.country.iso3.as_str(), d.city.population);
        claimants
            .entry(d.folded.as_str())
            .or_default()
            .push((country, population, true));
        for (_, folded) in &d.aliases {
            claimants
                .entry(folded.as_str())
                .or_default()
                .push((country, population, false));
        }
    }
    let mut reserved = HashMap::new();
    // The first first-level subdivision with a name decides for it.
    let mut decided: HashSet<&str> = HashSet::new();
    for d in subdivisions.iter().filter(|d| d.s.parent.is_empty()) {
        let Some(owners) = claimants.get(d.folded.as_str()) else {
            continue;
        };
        if !decided.insert(d.folded.as_str()) || claims.has(&d.folded) || is_common_word(&d.folded)
        {
            continue;
        }
        let iso3 = d.country.iso3.as_str();
        let share = d.country.population / first_level[iso3].max(1);
        let limit = SMALL_CITY_BELOW.min(share);
        let blocked = owners.iter().any(|&(country, population, own_name)| {
            population >= limit && (own_name || country == iso3)
        });
        if !blocked {
            reserved.insert(d.folded.clone(), d.s.code.as_str());
        }
    }
    reserved
}

/// City rows, largest first, each with its folded bare name. Each takes the first of its
/// name forms that no earlier row claims and no subdivision has reserved, and claims it.
fn name_cities(
    drafts: Vec<CityDraft>,
    subdivision_names: &HashMap<&str, &str>,
    reserved: &HashMap<String, &str>,
    claims: &mut Claims,
) -> Vec<Place> {
    let mut ids: HashSet<String> = HashSet::new();
    let mut rows = Vec::with_capacity(drafts.len());
    for d in drafts {
        let (city, country) = (d.city, d.country);
        let free = |folded: &str| !is_common_word(folded) && !reserved.contains_key(folded);
        let mut forms = Vec::new();
        if free(&d.folded) {
            forms.push(city.name.clone());
        }
        forms.push(format!("{}, {}", city.name, country.name));
        if !city.admin1.is_empty() && city.admin1.bytes().all(|b| b.is_ascii_uppercase()) {
            let code = format!("{}-{}", city.country, city.admin1);
            if let Some(region) = subdivision_names.get(code.as_str()) {
                forms.push(format!("{}, {region}, {}", city.name, country.name));
            }
        }
        let name = forms
            .iter()
            .find(|f| !claims.has(&fold_alias(f)))
            .unwrap_or(&forms[forms.len() - 1])
            .clone();

        let base = slug(&city.name);
        let mut id = format!("{}/{base}", country.id);
        if base.is_empty() || ids.contains(&id) {
            id = if base.is_empty() {
                format!("{}/{}", country.id, city.geonameid)
            } else {
                format!("{}/{base}-{}", country.id, city.geonameid)
            };
        }
        ids.insert(id.clone());

        let own = fold_alias(&name);
        let mut e = entity(id, name, EntityType::Place, city.origin.clone());
        e.aliases.reserve(d.aliases.len() + 1);
        let mut place = Place {
            e,
            own,
            bare: d.folded.clone(),
            folded: Vec::with_capacity(d.aliases.len() + 1),
        };
        if free(&d.folded) {
            place.push_alias(city.name.clone(), d.folded);
        }
        for (alias, folded) in d.aliases {
            if !reserved.contains_key(&folded) {
                place.push_alias(alias, folded);
            }
        }
        let e = &mut place.e;
        e.subtype = Some("city".into());
        e.country = Some(country.iso3.clone());
        e.parent = Some(country.id.clone());
        e.code = Some(format!("geonames:{}", city.geonameid));
        e.source = Some(format!("{}, population {}", city.source, city.population));
        // Small towns are often named like people ("Martin", "George", "David"): they
        // count only with place context.
        e.needs_context = city.population < CONTEXT_FREE_POPULATION;
        claims.add_name(place.own.clone());
        rows.push(place);
    }
    rows
}

/// Subdivision rows in draft order with their folded bare names, named like cities are
/// (see the module docs).
fn name_subdivisions(
    drafts: Vec<SubdivisionDraft>,
    reserved: &HashMap<String, &str>,
    claims: &mut Claims,
) -> Vec<Place> {
    let codes: HashSet<&str> = drafts.iter().map(|d| d.s.code.as_str()).collect();
    let mut rows = Vec::with_capacity(drafts.len());
    for d in &drafts {
        let (s, country, name) = (d.s, d.country, &d.name);
        let title = type_title(&s.kind);
        let type_word = title.rsplit(' ').next().map(fold_alias).unwrap_or_default();
        let has_type_word = type_word.is_empty() || d.folded.split(' ').any(|w| w == type_word);
        let mut forms = Vec::new();
        if !is_common_word(&d.folded) {
            forms.push(name.clone());
        }
        if !has_type_word {
            forms.push(format!("{name} {title}"));
        }
        forms.push(format!("{name}, {}", country.name));
        if !has_type_word {
            forms.push(format!("{name} {title}, {}", country.name));
        }
        let free = |form: &String| {
            let folded = fold_alias(form);
            !claims.has(&folded) && reserved.get(&folded).is_none_or(|code| *code == s.code)
        };
        let chosen = forms
            .iter()
            .find(|f| free(f))
            .unwrap_or(&forms[forms.len() - 1])
            .clone();

        let own = fold_alias(&chosen);
        let mut place = Place {
            e: entity(
                format!("place/iso-{}", s.code.to_lowercase()),
                chosen,
                EntityType::Place,
                s.origin.clone(),
            ),
            own,
            bare: d.folded.clone(),
            folded: Vec::new(),
        };
        for alias in std::iter::once(name).chain(&d.aliases) {
            let folded = fold_alias(alias);
            let lower_only = latin_letters(alias, &[',', '/']).is_some_and(|l| l.lower && !l.upper);
            let elsewhere = reserved.get(&folded).is_some_and(|code| *code != s.code);
            if !is_common_word(&folded) && !lower_only && !elsewhere {
                place.push_alias(alias.clone(), folded);
            }
        }
        let e = &mut place.e;
        e.subtype = Some(subtype_of(&s.kind)).filter(|t| !t.is_empty());
        e.country = Some(country.iso3.clone());
        e.parent = Some(
            if !s.parent.is_empty() && codes.contains(s.parent.as_str()) {
                format!("place/iso-{}", s.parent.to_lowercase())
            } else {
                country.id.clone()
            },
        );
        e.code = Some(s.code.clone());
        e.source = Some(format!("ISO 3166-2 via {PYCOUNTRY}"));
        claims.add_name(place.own.clone());
        rows.push(place);
    }
    rows
}

/// The record's own ISO code ("IQ", "IRQ"), which is not a name, except US and USA.
fn is_own_code(spelling: &str, iso2: &str, iso3: &str) -> bool {
    (spelling == iso2 || spelling == iso3) && !["US", "USA"].contains(&spelling)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;
    use crate::gazetteer::import::{merge, write_tsv};

    const COUNTRIES: &str = "geonameid\tiso\tiso3\tname\tcapital\tpopulation\n\
        99237\tIQ\tIRQ\tIraq\tBaghdad\t38000000\n\
        6252001\tUS\tUSA\tUnited States\tWashington\t327000000\n\
        3562981\tCU\tCUB\tCuba\tHavana\t11000000\n\
        130758\tIR\tIRN\tIran\tTehran\t81000000\n\
        3576396\tAW\tABW\tAruba\tOranjestad\t105000\n\
        2750405\tNL\tNLD\tThe Netherlands\tAmsterdam\t17000000\n\
        2635167\tGB\tGBR\tUnited Kingdom\tLondon\t66000000\n\
        1327865\tMM\tMMR\tMyanmar\tNay Pyi Taw\t54000000\n\
        798544\tPL\tPOL\tPoland\tWarsaw\t37000000\n\
        8505033\tCS\tSCG\tSerbia and Montenegro\tBelgrade\t10829175\n\
        6290252\tRS\tSRB\tSerbia\tBelgrade\t6982084\n";

    const ISO_COUNTRIES: &str = "alpha_2\talpha_3\tnumeric\tname\tofficial_name\tcommon_name\n\
        IQ\tIRQ\t368\tIraq\tRepublic of Iraq\t\n\
        US\tUSA\t840\tUnited States\tUnited States of America\t\n\
        CU\tCUB\t192\tCuba\tRepublic of Cuba\t\n\
        IR\tIRN\t364\tIran, Islamic Republic of\tIslamic Republic of Iran\tIran\n\
        AW\tABW\t533\tAruba\t\t\n\
        NL\tNLD\t528\tNetherlands\tKingdom of the Netherlands\t\n\
        GB\tGBR\t826\tUnited Kingdom\tUnited Kingdom of Great Britain and Northern Ireland\t\n\
        MM\tMMR\t104\tMyanmar\tRepublic of Myanmar\t\n\
        PL\tPOL\t616\tPoland\tRepublic of Poland\t\n\
        RS\tSRB\t688\tSerbia\tRepublic of Serbia\t\n";

    const COUNTRYINFO: &str = concat!(
        r#"{"name": "Iraq", "ISO": {"alpha2": "IQ", "alpha3": "IRQ"}, "altSpellings": ["IQ", "Republic of Iraq", "Jumhūriyyat al-‘Irāq", "IRQ", "العراق"], "demonym": "Iraqi"}"#,
        "\n",
        r#"{"name": "United States", "ISO": {"alpha2": "US", "alpha3": "USA"}, "altSpellings": ["US", "USA", "United States of America"], "demonym": "American"}"#,
        "\n",
        r#"{"name": "United Kingdom", "ISO": {"alpha2": "GB", "alpha3": "GBR"}, "altSpellings": ["GB", "UK", "Great Britain", "GBR"], "demonym": "British"}"#,
        "\n",
        r#"{"name": "Wales", "ISO": {"alpha2": "GB", "alpha3": "GBR"}, "altSpellings": null, "demonym": "Welsh"}"#,
        "\n",
        r#"{"name": "Myanmar", "ISO": {"alpha2": "MM", "alpha3": "MMR"}, "altSpellings": ["MM", "MMR"], "demonym": "Burmese"}"#,
        "\n",
        r#"{"name": "Burma", "ISO": {"alpha2": "MM", "alpha3": "MMR"}, "altSpellings": ["Myanmar", "Republic of the Union of Myanmar"], "demonym": "Burmese"}"#,
        "\n",
        r#"{"name": "Scotland", "ISO": {"alpha2": "", "alpha3": ""}, "altSpellings": [], "demonym": "Scottish"}"#,
        "\n",
        r#"{"name": "Serbia and Montenegro", "ISO": {"alpha2": "CS", "alpha3": "SCG"}, "altSpellings": ["Yugoslavia"], "demonym": "Serbian/Montenegrin"}"#,
        "\n",
        r#"{"name": "Serbia", "ISO": {"alpha2": "RS", "alpha3": "SRB"}, "altSpellings": ["Srbija"], "demonym": "Serbian"}"#,
        "\n",
        r#"{"name": "Thailand", "ISO": {"alpha2": "TH", "alpha3": "THA"}, "altSpellings": ["Thai"], "demonym": "Thai"}"#,
        "\n",
    );

    const CITIES: &str = "geonameid\tname\tcountrycode\tadmin1code\tpopulation\tlatitude\tlongitude\ttimezone\talternatenames\n\
        99532\tBasrah\tIQ\t02\t1326564\t30.5\t47.8\tAsia/Baghdad\tAl Basrah|BSR|Basra|basra|Başrah|البصرة|Basra1|Ba\n\
        98182\tBaghdad\tIQ\t07\t7216000\t33.3\t44.4\tAsia/Baghdad\tBGW|Bagdad|bghdad|Baghdād|بغداد|The City of Peace|Bağdat|ab€x\n\
        4250542\tSpringfield\tUS\tIL\t116250\t39.8\t-89.6\tAmerica/Chicago\t\n\
        4409896\tSpringfield\tUS\tMO\t169176\t37.2\t-93.3\tAmerica/Chicago\t\n\
        4951788\tSpringfield\tUS\tMA\t155032\t42.1\t-72.6\tAmerica/New_York\t\n\
        3557758\tFlorida\tCU\t06\t63007\t21.5\t-78.2\tAmerica/Havana\t\n\
        3088848\tPolice\tPL\t78\t33394\t53.5\t14.6\tEurope/Warsaw\tPolitz\n\
        2988507\tParis\tZZ\t11\t2138551\t48.9\t2.3\tEurope/Paris\t\n";

    const SUBDIVISIONS: &str = "code\tcountry_code\tname\ttype\tparent_code\n\
        IQ-BG\tIQ\tBaghdād\tGovernorate\t\n\
        IQ-KR\tIQ\tIqlīm Kūrdistān\tRegion\t\n\
        IQ-AR\tIQ\tArbīl\tGovernorate\tIQ-KR\n\
        IQ-DA\tIQ\tDahūk\tGovernorate\tIQ-XX\n\
        US-IL\tUS\tIllinois\tState\t\n\
        US-FL\tUS\tFlorida\tState\t\n\
        US-GU\tUS\tGuam\tOutlying area\t\n\
        NL-AW\tNL\tAruba\tCountry\t\n\
        GB-LND\tGB\tLondon, City of\tCity corporation\tGB-ENG\n\
        GB-ENG\tGB\tEngland\tCountry\t\n\
        GB-WLS\tGB\tWales [Cymru GB-CYM]\tCountry\t\n\
        CN-XJ\tCN\tXinjiang Uygur Zizhiqu\tAutonomous region\t\n";

    /// Read inline files (name, text) as `read` reads files.
    fn import(files: &[(&str, &str)]) -> Result<Vec<Entity>> {
        let mut input = Input::default();
        for (name, text) in files {
            input.add_file(Path::new(name), text.as_bytes())?;
        }
        input.build()
    }

    fn all() -> Vec<Entity> {
        import(&[
            ("countries.tsv", COUNTRIES),
            ("countryinfo.jsonl", COUNTRYINFO),
            ("iso.tsv", ISO_COUNTRIES),
            ("cities.tsv", CITIES),
            ("subdivisions.tsv", SUBDIVISIONS),
        ])
        .unwrap()
    }

    fn get<'a>(rows: &'a [Entity], id: &str) -> &'a Entity {
        rows.iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("no row {id}"))
    }

    fn parse_error(result: Result<Vec<Entity>>) -> (String, usize, usize, String) {
        match result {
            Err(Error::Parse {
                path,
                line,
                column,
                message,
            }) => (path.display().to_string(), line, column, message),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn countries_get_names_aliases_and_demonyms() {
        let rows = all();
        let iraq = get(&rows, "place/irq");
        assert_eq!(iraq.name, "Iraq");
        assert_eq!(iraq.kind, EntityType::Place);
        assert_eq!(iraq.subtype.as_deref(), Some("country"));
        assert_eq!(iraq.country.as_deref(), Some("IRQ"));
        assert_eq!(iraq.aliases, ["Republic of Iraq", "Jumhūriyyat al-‘Irāq"]);
        assert_eq!(iraq.demonyms, ["Iraqi", "Iraqis"]);
        assert_eq!(iraq.code.as_deref(), Some("geonames:99237"));
        assert_eq!(iraq.origin, "countries.tsv:2");
        assert_eq!(
            iraq.source.as_deref(),
            Some(
                "GeoNames countryInfo (CC BY 4.0); ISO 3166-1 names via pycountry/iso-codes \
                 (LGPL-2.1); spellings and demonyms: countryinfo (MIT)"
            )
        );
        // Own codes are left out except US/USA; other short capitals stay.
        let usa = get(&rows, "place/usa");
        assert_eq!(usa.aliases, ["United States of America", "US", "USA"]);
        assert_eq!(usa.demonyms, ["American", "Americans"]);
        let gbr = get(&rows, "place/gbr");
        assert_eq!(
            gbr.aliases,
            [
                "United Kingdom of Great Britain and Northern Ireland",
                "UK",
                "Great Britain"
            ]
        );
        assert_eq!(
            gbr.demonyms,
            ["British"],
            "not Welsh: that record is a part"
        );
        // Inverted ISO names are turned round; "The" names also give the bare form.
        let iran = get(&rows, "place/irn");
        assert_eq!(iran.aliases, ["Islamic Republic of Iran"]);
        assert_eq!(
            get(&rows, "place/nld").aliases,
            ["Netherlands", "Kingdom of the Netherlands"]
        );
        // A second countryinfo record is used when it names the same country.
        let myanmar = get(&rows, "place/mmr");
        assert!(myanmar.aliases.contains(&"Burma".to_string()));
        assert_eq!(myanmar.demonyms, ["Burmese"]);
    }

    #[test]
    fn countries_not_in_iso_3166_come_last() {
        let rows = all();
        let at = |id: &str| rows.iter().position(|e| e.id == id).unwrap();
        // By population, except that Serbia and Montenegro is not in ISO 3166-1 any more.
        assert!(at("place/usa") < at("place/irn") && at("place/irn") < at("place/irq"));
        assert!(at("place/srb") < at("place/scg"));
        let merged = merge(rows, &[]);
        let serbia = merged
            .entities
            .iter()
            .find(|e| e.id == "place/srb")
            .unwrap();
        assert_eq!(serbia.demonyms, ["Serbian", "Serbians"]);
        let scg = merged
            .entities
            .iter()
            .find(|e| e.id == "place/scg")
            .unwrap();
        assert_eq!(scg.aliases, ["Yugoslavia"]);
        assert_eq!(scg.demonyms, ["Montenegrin", "Montenegrins"]);
    }

    #[test]
    fn demonyms_split_and_pluralise() {
        assert_eq!(
            split_demonyms("Antiguan,Barbudan"),
            ["Antiguan", "Barbudan"]
        );
        assert_eq!(
            split_demonyms("Kittian and Nevisian"),
            ["Kittian", "Nevisian"]
        );
        assert_eq!(
            split_demonyms("Heard and McDonald Islander"),
            ["Heard and McDonald Islander"]
        );
        for (singular, plural) in [
            ("Iraqi", Some("Iraqis")),
            ("American", Some("Americans")),
            ("New Zealander", Some("New Zealanders")),
            ("Cypriot", Some("Cypriots")),
            ("Filipino", Some("Filipinos")),
            ("Czech", Some("Czechs")),
            ("Greek", Some("Greeks")),
            ("Lebanese", None),
            ("British", None),
            ("Swiss", None),
            ("Turkmen", None),
            ("French", None),
        ] {
            assert_eq!(demonym_plural(singular).as_deref(), plural, "{singular}");
        }
    }

    #[test]
    fn common_words_are_sorted_folded_and_short_names_count() {
        assert!(COMMON_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(COMMON_WORDS.iter().all(|w| fold_alias(w) == *w));
        assert!(is_common_word("police") && is_common_word("bo") && is_common_word("of"));
        assert!(!is_common_word("baghdad") && !is_common_word("van gogh"));
        assert!(is_acronym("UK") && is_acronym("U.S.") && !is_acronym("Iraq"));
    }

    #[test]
    fn inverted_names_are_turned_round() {
        for (inverted, turned) in [
            (
                "Iran, Islamic Republic of",
                Some("Islamic Republic of Iran"),
            ),
            (
                "Congo, The Democratic Republic of the",
                Some("The Democratic Republic of the Congo"),
            ),
            ("Virgin Islands, British", Some("British Virgin Islands")),
            ("London, City of", Some("City of London")),
            ("Durham, County", Some("County Durham")),
            ("Praha, Hlavní město", Some("Hlavní město Praha")),
            ("Bonaire, Sint Eustatius and Saba", None),
            ("Taiwan, Province of China", None),
            ("Holy See, Vatican City State", None),
            ("Iraq", None),
        ] {
            assert_eq!(uninvert(inverted).as_deref(), turned, "{inverted}");
        }
    }

    #[test]
    fn cities_keep_latin_alternates_and_population() {
        let rows = all();
        let baghdad = get(&rows, "place/irq/baghdad");
        assert_eq!(baghdad.name, "Baghdad");
        assert_eq!(baghdad.subtype.as_deref(), Some("city"));
        assert_eq!(baghdad.country.as_deref(), Some("IRQ"));
        assert_eq!(baghdad.parent.as_deref(), Some("place/irq"));
        assert_eq!(baghdad.code.as_deref(), Some("geonames:98182"));
        assert_eq!(baghdad.origin, "cities.tsv:3");
        assert_eq!(
            baghdad.source.as_deref(),
            Some("GeoNames cities (CC BY 4.0), population 7216000")
        );
        // Not: BGW (capitals), bghdad (lower case), Baghdād (same as the name), Arabic,
        // a description starting with "The", a sign.
        assert_eq!(baghdad.aliases, ["Bagdad", "Bağdat"]);
        // Not: BSR, basra, Basra1 (digit), Ba (too short).
        let basrah = get(&rows, "place/irq/basrah");
        assert_eq!(basrah.aliases, ["Al Basrah", "Basra"]);
        // Cities of a code no country file knows are left out.
        assert!(!rows.iter().any(|e| e.name.starts_with("Paris")));
    }

    #[test]
    fn cities_of_the_same_name_are_qualified() {
        let rows = all();
        // The largest keeps the bare name; then "Name, Country"; then the ISO subdivision.
        let name = |id: &str| get(&rows, id).name.clone();
        assert_eq!(name("place/usa/springfield"), "Springfield");
        assert_eq!(
            name("place/usa/springfield-4951788"),
            "Springfield, United States"
        );
        assert_eq!(
            name("place/usa/springfield-4250542"),
            "Springfield, Illinois, United States"
        );
        assert_eq!(
            get(&rows, "place/usa/springfield-4250542").aliases,
            ["Springfield"]
        );
        // A city named like a common word never has that name or alias.
        let police = get(&rows, "place/pol/police");
        assert_eq!(police.name, "Police, Poland");
        assert_eq!(police.aliases, ["Politz"]);
        // A first-level subdivision keeps its name against a small foreign city.
        assert_eq!(name("place/cub/florida"), "Florida, Cuba");
        assert_eq!(name("place/iso-us-fl"), "Florida");
        assert!(get(&rows, "place/cub/florida").aliases.is_empty());
    }

    #[test]
    fn rows_come_countries_then_cities_by_population_then_subdivisions() {
        let rows = all();
        let kinds: Vec<&str> = rows
            .iter()
            .map(|e| e.subtype.as_deref().unwrap_or(""))
            .collect();
        let first_city = kinds.iter().position(|k| *k == "city").unwrap();
        let last_city = kinds.iter().rposition(|k| *k == "city").unwrap();
        assert!(kinds[..first_city].iter().all(|k| *k == "country"));
        assert!(
            rows[last_city + 1..]
                .iter()
                .all(|e| e.id.starts_with("place/iso-"))
        );
        let populations: Vec<u64> = rows[first_city..=last_city]
            .iter()
            .map(|e| {
                let source = e.source.as_deref().unwrap();
                source.rsplit(' ').next().unwrap().parse().unwrap()
            })
            .collect();
        assert!(populations.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(rows[first_city].id, "place/irq/baghdad");
    }

    #[test]
    fn subdivisions_are_named_typed_and_parented() {
        let rows = all();
        let baghdad = get(&rows, "place/iso-iq-bg");
        assert_eq!(baghdad.name, "Baghdād Governorate");
        assert_eq!(baghdad.aliases, ["Baghdād"]);
        assert_eq!(baghdad.subtype.as_deref(), Some("governorate"));
        assert_eq!(baghdad.country.as_deref(), Some("IRQ"));
        assert_eq!(baghdad.parent.as_deref(), Some("place/irq"));
        assert_eq!(baghdad.code.as_deref(), Some("IQ-BG"));
        assert_eq!(
            baghdad.source.as_deref(),
            Some("ISO 3166-2 via pycountry/iso-codes (LGPL-2.1)")
        );
        // A name no earlier row has stays bare.
        assert_eq!(get(&rows, "place/iso-us-il").name, "Illinois");
        assert_eq!(get(&rows, "place/iso-iq-ar").name, "Arbīl");
        // Parents: the parent subdivision, or the country when the parent is missing.
        assert_eq!(
            get(&rows, "place/iso-iq-ar").parent.as_deref(),
            Some("place/iso-iq-kr")
        );
        assert_eq!(
            get(&rows, "place/iso-iq-da").parent.as_deref(),
            Some("place/irq")
        );
        // Inverted names, notes in brackets, subtypes.
        let london = get(&rows, "place/iso-gb-lnd");
        assert_eq!(london.name, "City of London");
        assert_eq!(london.aliases, ["London"]);
        assert_eq!(london.subtype.as_deref(), Some("city_corporation"));
        assert_eq!(london.parent.as_deref(), Some("place/iso-gb-eng"));
        let wales = get(&rows, "place/iso-gb-wls");
        assert_eq!(
            (wales.name.as_str(), wales.aliases.as_slice()),
            ("Wales", &["Cymru".to_string()][..])
        );
        // Territories that are ISO 3166-1 countries of the input too are left out (Aruba;
        // not Guam, which the countries here lack); so are subdivisions of countries no
        // file knows.
        assert!(!rows.iter().any(|e| e.id == "place/iso-nl-aw"));
        assert_eq!(get(&rows, "place/iso-us-gu").name, "Guam");
        assert!(!rows.iter().any(|e| e.id == "place/iso-cn-xj"));
    }

    #[test]
    fn subdivision_types_become_subtypes_and_titles() {
        assert_eq!(subtype_of("Autonomous region"), "autonomous_region");
        assert_eq!(
            subtype_of("Islands, groups of islands"),
            "islands_groups_of_islands"
        );
        assert_eq!(
            type_title("Autonomous city in north africa"),
            "Autonomous City in North Africa"
        );
        assert_eq!(type_title("Chain (of islands)"), "Chain");
        let (name, aliases) = clean_subdivision_name("Isle of Anglesey [Sir Ynys Môn GB-YNM]");
        assert_eq!(
            (name.as_str(), aliases),
            ("Isle of Anglesey", vec!["Sir Ynys Môn".to_string()])
        );
        let (name, aliases) = clean_subdivision_name("Stockholms län [SE-01]");
        assert_eq!((name.as_str(), aliases.len()), ("Stockholms län", 0));
        assert_eq!(clean_subdivision_name("Ilocos (Region I)").0, "Ilocos");
    }

    #[test]
    fn pycountry_alone_gives_country_rows() {
        let rows = import(&[("iso.tsv", ISO_COUNTRIES), ("cities.tsv", CITIES)]).unwrap();
        let iran = get(&rows, "place/irn");
        assert_eq!(iran.name, "Iran");
        assert_eq!(iran.aliases, ["Islamic Republic of Iran"]);
        assert_eq!(
            iran.source.as_deref(),
            Some("ISO 3166-1 via pycountry/iso-codes (LGPL-2.1)")
        );
        assert_eq!(
            get(&rows, "place/irq/baghdad").country.as_deref(),
            Some("IRQ")
        );
    }

    #[test]
    fn cities_need_a_country_file() {
        let err = import(&[("cities.tsv", CITIES)]).unwrap_err().to_string();
        assert!(
            err.starts_with("cities.tsv: cities give their country as an ISO alpha-2 code"),
            "{err}"
        );
    }

    #[test]
    fn unknown_headers_are_errors_at_line_1() {
        for text in [
            "id\tname\ttype\nx\ty\tz\n",
            "",
            "\n\ngeonameid\tiso\n",
            "[1, 2]\n",
            "{\"id\": 1}\n",
        ] {
            let (path, line, column, message) = parse_error(import(&[("odd.tsv", text)]));
            assert_eq!((path.as_str(), line, column), ("odd.tsv", 1, 1), "{text:?}");
            assert!(
                message.contains(
                    "expected one of: GeoNames countryInfo (geonameid, iso, iso3, name, ...)"
                ),
                "{message}"
            );
            assert!(message.contains("countryinfo JSON lines"), "{message}");
        }
    }

    #[test]
    fn malformed_rows_are_errors_with_line_and_column() {
        let cities = |row: &str| {
            format!(
                "geonameid\tname\tcountrycode\tpopulation\talternatenames\n1\tA\tIQ\t5\t\n{row}\n"
            )
        };
        let cases = [
            (cities("2\tB\tIQ\t5"), 3, 9, "4 fields but the header names 5 columns"),
            (cities("2\tB\tIQ\t5\t\tx"), 3, 11, "6 fields but the header names 5 columns"),
            (cities("2\tB\tIQ\tmany\t"), 3, 8, "population \"many\" is not a whole number"),
            (cities("2\tB\tIQ\t99999999999999999999999\t"), 3, 8, "population \"99999999999999999999999\" is too large"),
            (cities("x2\tB\tIQ\t5\t"), 3, 1, "geonameid \"x2\" is not a whole number"),
            (cities("2\tB\tIRQ\t5\t"), 3, 5, "countrycode \"IRQ\" is not 2 capital letters A-Z"),
            (cities("2\t-\tIQ\t5\t"), 3, 3, "name \"-\" has no letters or digits"),
            (
                "code\tcountry_code\tname\ttype\tparent_code\nIQ-BG\tIQ\tBaghdad\tGovernorate\tIR-01\n".to_string(),
                2, 30, "\"IR-01\" is not an ISO 3166-2 code of IQ (like IQ-AB)",
            ),
            (
                "geonameid\tiso\tiso3\tname\n1\tIQ\tiq\tIraq\n".to_string(),
                2, 6, "iso3 \"iq\" is not 3 capital letters A-Z",
            ),
            (
                format!("{}\n{{\"name\": \"Iraq\", \"ISO\": [\n", COUNTRYINFO.lines().next().unwrap()),
                2, 25, "not a JSON object: EOF while parsing a list",
            ),
            (
                format!("{}\n\n42\n", COUNTRYINFO.lines().next().unwrap()),
                3, 1, "not a JSON object",
            ),
        ];
        for (text, line, column, message) in cases {
            let got = parse_error(import(&[("f.tsv", &text)]));
            assert_eq!(
                got,
                ("f.tsv".to_string(), line, column, message.to_string()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn invalid_utf8_is_an_error_with_position() {
        let mut input = Input::default();
        let bytes = b"geonameid\tiso\tiso3\tname\n1\tIQ\tIRQ\tIr\xffaq\n";
        let got = parse_error(
            input
                .add_file(Path::new("c.tsv"), bytes)
                .map(|()| Vec::new()),
        );
        assert_eq!(
            got,
            (
                "c.tsv".to_string(),
                2,
                12,
                "invalid UTF-8 (the input must be UTF-8)".to_string()
            )
        );
    }

    #[test]
    fn bom_crlf_and_blank_lines_are_accepted() {
        let text = "\u{feff}geonameid\tiso\tiso3\tname\r\n99237\tIQ\tIRQ\tIraq\r\n\r\n";
        let rows = import(&[("c.tsv", text)]).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].id, "place/irq");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_rows_never_panic(
            kind in 0usize..5,
            rows in proptest::collection::vec("[\\PC\t|{}\",:\\[\\]]{0,60}", 0..6),
        ) {
            let headers = [
                "geonameid\tiso\tiso3\tname\tpopulation",
                "geonameid\tname\tcountrycode\tadmin1code\tpopulation\talternatenames",
                "alpha_2\talpha_3\tname\tofficial_name\tcommon_name",
                "code\tcountry_code\tname\ttype\tparent_code",
                r#"{"name": "Iraq", "ISO": {"alpha3": "IRQ"}, "altSpellings": ["Irak"], "demonym": "Iraqi"}"#,
            ];
            let text = format!("{}\n{}\n", headers[kind], rows.join("\n"));
            let mut input = Input::default();
            let _ = input.add_file(Path::new("countries.tsv"), COUNTRIES.as_bytes());
            if input.add_file(Path::new("p.tsv"), text.as_bytes()).is_ok() {
                let _ = input.build();
            }
        }
    }

    /// The shared sources, read whole: counts, the Iraqi cities, and a clean reload.
    #[test]
    fn real_sources_import_and_load_back() {
        let Some(dir) = crate::test_support::shared("sources/places") else {
            return;
        };
        let files: Vec<PathBuf> = [
            "geonames_countries.tsv",
            "countryinfo_countries.jsonl",
            "pycountry_countries.tsv",
            "geonames_cities15000.tsv",
            "pycountry_subdivisions.tsv",
        ]
        .iter()
        .map(|f| dir.join(f))
        .collect();
        let rows = read(&files).unwrap().rows;
        let merged = merge(rows, &[]);
        assert!(merged.entities.len() >= 30_000, "{}", merged.entities.len());
        let countries = merged
            .entities
            .iter()
            .filter(|e| e.subtype.as_deref() == Some("country") && !e.id.starts_with("place/iso-"))
            .count();
        assert!(countries >= 250, "{countries}");
        let iraq = merged.entities.iter().find(|e| e.name == "Iraq").unwrap();
        assert!(iraq.demonyms.contains(&"Iraqi".to_string()));

        let mut tsv = Vec::new();
        write_tsv(&merged.entities, &["test".into()], &mut tsv).unwrap();
        let text = String::from_utf8(tsv).unwrap();
        let gazetteer = Gazetteer::from_tsv(Path::new("places.tsv"), &text).unwrap();
        for city in ["Baghdad", "Mosul", "Basra", "Erbil"] {
            let hits = gazetteer.find(&format!("Fighting in {city} on Monday."));
            assert_eq!(hits.len(), 1, "{city}");
            let e = gazetteer.entity(hits[0].entity);
            assert_eq!(e.country.as_deref(), Some("IRQ"), "{city}: {}", e.id);
            assert_eq!(e.subtype.as_deref(), Some("city"), "{city}: {}", e.id);
        }
        let hits = gazetteer.find("Iraqi forces");
        assert_eq!(gazetteer.entity(hits[0].entity).id, "place/irq");
    }
}
