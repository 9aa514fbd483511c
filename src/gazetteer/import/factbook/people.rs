//! People: heads of state and government and other office holders, from the
//! `chief_of_state`, `head_of_government` and similar fields.

use super::*;

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
pub(super) enum Tok {
    Word(String),
    Paren(String),
    Comma,
    Semi,
}

/// Words, parentheses (one token each), commas and semicolons.
pub(super) fn tokenize(text: &str) -> Vec<Tok> {
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
pub(super) const PARTICLES: &[&str] = &[
    "al", "el", "ad", "ash", "as", "an", "bin", "ibn", "bint", "ibni", "ul", "e", "i", "y", "de",
    "del", "della", "di", "da", "das", "do", "dos", "du", "la", "le", "van", "von", "der", "den",
    "ter", "zu", "wa", "o", "ould",
];

pub(super) fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// Title words that end a person's given names when read backwards.
pub(super) const TITLE_WORDS: &[&str] = &[
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

pub(super) fn is_title_word(word: &str) -> bool {
    TITLE_WORDS.contains(&word.to_lowercase().trim_end_matches(',').trim())
}

/// A surname as the Factbook writes it: capitals ("TEBBOUNE", "al-SUDANI",
/// "OSMANI-Sadriu", "LA'AULIALEMALIETOA").
pub(super) fn is_caps_word(word: &str) -> bool {
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
pub(super) fn is_given_word(word: &str) -> bool {
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

pub(super) fn is_roman(word: &str) -> bool {
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

pub(super) fn month_number(word: &str) -> Option<usize> {
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches('.');
    if lower.len() < 3 {
        return None;
    }
    (crate::text::dates::MONTH_NAMES.iter())
        .position(|m| *m == lower || (lower.len() >= 3 && lower.len() <= 4 && m.starts_with(lower)))
        .map(|m| m + 1)
}

pub(super) fn year(word: &str) -> Option<u32> {
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
pub(super) fn monarch_style(role: &str) -> Option<&'static str> {
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
pub(super) fn is_official_role(role: &str) -> bool {
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
    let mut field = FieldPeople::default();
    let statements: Vec<&[Tok]> = tokens.split(|t| *t == Tok::Semi).collect();
    for statement in statements {
        if statement.is_empty() {
            continue;
        }
        // "King WACHIRALONGKON; also spelled Vajiralongkorn (since 1 December 2016)".
        let all = statement_words(statement);
        if all.len() >= 3 && all[0] == "also" && all[1] == "spelled" {
            if let Some(person) = field.people.last_mut() {
                add_other_spelling(person, &all[2..], statement);
            }
            continue;
        }
        let found = parse_capitalised_names(statement, office, country_names, &mut field);
        if found == 0 {
            match person_without_capitals(statement, &all, office) {
                Some(person) => field.people.push(person),
                None => field.skipped += 1,
            }
        }
    }
    if field.represented_field {
        for person in field.people.iter_mut().filter(|p| !p.official) {
            person.represented = true;
        }
    }
    (field.people, field.skipped)
}

/// What [`parse_people`] has gathered from the statements of one field so far; later
/// statements refer back to it ("and" reuses the last title, "also spelled" adds to the
/// last person).
#[derive(Default)]
struct FieldPeople {
    people: Vec<Person>,
    skipped: usize,
    last_title: Option<String>,
    represented_field: bool,
}

impl FieldPeople {
    /// Add `person`, named under `title`; a person joined to the previous one by "and"
    /// lends the previous one its dates when that has none.
    fn record(&mut self, person: Person, title: Title) {
        if title.representative {
            self.represented_field = true;
        }
        if title.joined_by_and
            && let Some(previous) = self.people.last_mut()
            && previous.valid_from.is_none()
        {
            previous.valid_from = person.valid_from.clone();
            previous.valid_to = person.valid_to.clone();
        }
        self.last_title = Some(title.text);
        self.people.push(person);
    }
}

/// The words of `tokens`, leaving out parentheses and punctuation.
fn statement_words(tokens: &[Tok]) -> Vec<&str> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect()
}

/// An "also spelled" statement: the capitalised words after it are another spelling of
/// `person`, and its brackets may date the office when the name's statement did not.
fn add_other_spelling(person: &mut Person, spelling: &[&str], statement: &[Tok]) {
    let alias: Vec<&str> = spelling
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

/// The people of one statement whose surnames are in capitals, added to `field`. Returns
/// how many names were found, counting former office holders, who are skipped.
fn parse_capitalised_names(
    statement: &[Tok],
    office: Office,
    country_names: &HashSet<String>,
    field: &mut FieldPeople,
) -> usize {
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
        let end = surname_run_end(statement, at);
        // An acronym inside a title: "CNSP Prime Minister", "UK High Commissioner".
        let next_is_title = matches!(statement.get(end), Some(Tok::Word(n)) if is_title_word(n));
        let (start, nicknames) = given_names_start(statement, boundary, at, country_names);
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
        let trailing = trailing_names(statement, end);
        let after = trailing.after;
        // A lone short capitalised word with no names around it is an acronym ("the
        // UK and New Zealand", "Commander Andrew WILLIAMS, RN, the officer").
        if start == at && trailing.tail.is_empty() && run.len() == 1 && letters(&run[0]) <= 3 {
            at = end;
            continue;
        }
        let (dates, date_end) = dates_before_next_name(statement, after);
        let title = read_title(&statement[boundary..start], field.last_title.as_ref());
        boundary = date_end.max(after);
        at = boundary.max(end);
        if title.former {
            field.skipped += 1;
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
                tail: &trailing.tail,
                nicknames: &nicknames,
                spelled: &trailing.spelled,
            },
            Holding {
                title: &title.text,
                office,
                representative: title.representative,
                dates,
            },
        );
        field.record(person, title);
        found += 1;
    }
    found
}

/// Where the run of surname words starting at `at` ends, with particles between capitals.
fn surname_run_end(statement: &[Tok], at: usize) -> usize {
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
    end
}

/// Where the given names before the surname run at `at` start, walking back no further
/// than `boundary`, and the nicknames met on the way.
fn given_names_start(
    statement: &[Tok],
    boundary: usize,
    at: usize,
    country_names: &HashSet<String>,
) -> (usize, Vec<String>) {
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
    (start, nicknames)
}

/// The names after a surname run, and where they end.
struct TrailingNames {
    tail: Vec<String>,
    /// Other spellings of the surname, from "(also spelled ...)".
    spelled: Vec<String>,
    after: usize,
}

/// Trailing names from `end`: "KIM Jong Un", "LULA da Silva", "MARCOS, Jr.".
fn trailing_names(statement: &[Tok], end: usize) -> TrailingNames {
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
            (Some(Tok::Word(p)), Some(Tok::Word(n))) if is_particle(p) && is_given_word(n) => {
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
    TrailingNames {
        tail,
        spelled,
        after,
    }
}

/// When an office was taken up and left, as [`office_dates`] reads them.
type OfficeDates = (Option<String>, Option<String>);

/// The office dates in the first bracket from `after` that has them, and where that
/// bracket ends (`after` when there is none). The next person's given names start the
/// next title: dates come before it.
fn dates_before_next_name(statement: &[Tok], after: usize) -> (Option<OfficeDates>, usize) {
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
    (dates, date_end)
}

/// The title a person is named under, as [`read_title`] reads it.
struct Title {
    text: String,
    /// "represented by" comes before the name.
    representative: bool,
    former: bool,
    /// The title is only "and": the person shares the previous person's title.
    joined_by_and: bool,
}

/// The title in `tokens` (from the boundary to the given names); a bare "and" takes
/// `last_title`.
fn read_title(tokens: &[Tok], last_title: Option<&String>) -> Title {
    let title_words = statement_words(tokens);
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
        for t in tokens {
            if let Tok::Paren(p) = t {
                parts.push(p.clone());
            }
        }
        parts.join(" ")
    };
    let former = title_words.iter().any(|w| w.eq_ignore_ascii_case("former"));
    let joined_by_and = title_words == ["and"];
    let title_text = if title.is_empty() && joined_by_and {
        last_title.cloned().unwrap_or_default()
    } else {
        title_text
    };
    Title {
        text: title_text,
        representative,
        former,
        joined_by_and,
    }
}

/// A statement with no surname in capitals: "Ahmad al-Shara'", "Prime Minister Manuel Osa
/// Nsue Nsua" (the words after the title). `None` when its words do not look like a title
/// and a name.
fn person_without_capitals(statement: &[Tok], all: &[&str], office: Office) -> Option<Person> {
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
    if !name_like {
        return None;
    }
    let dates = statement.iter().find_map(|t| match t {
        Tok::Paren(p) => office_dates(p),
        _ => None,
    });
    let given: Vec<String> = names.iter().map(|w| w.to_string()).collect();
    let (first, rest) = given.split_at(given.len() - 1);
    let title = title_words.join(" ");
    Some(assemble_person(
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
    ))
}

/// Whether the words before `end` end with a country name ("... of New Zealand").
pub(super) fn ends_country_name(tokens: &[Tok], country_names: &HashSet<String>) -> bool {
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
pub(super) struct NameParts<'a> {
    given: &'a [String],
    run: &'a [String],
    tail: &'a [String],
    nicknames: &'a [String],
    spelled: &'a [String],
}

/// What a statement says a person holds: the title as written, the office it belongs to,
/// whether the person represents someone, and the dates in brackets.
pub(super) struct Holding<'a> {
    title: &'a str,
    office: Office,
    representative: bool,
    dates: Option<(Option<String>, Option<String>)>,
}

/// Put a person together: the name, the aliases news uses ("Cyril Ramaphosa" for
/// "Matamela Cyril Ramaphosa", "Nayib Bukele" for "Nayib Armando Bukele Ortez", "Donald
/// Trump" for "Donald J. Trump", "Ali Khamenei" for "Ali Hoseini-Khamenei"), the role.
pub(super) fn assemble_person(name: NameParts, holding: Holding) -> Person {
    let Holding {
        title,
        office,
        representative,
        dates,
    } = holding;
    let (name, mut aliases) = name_and_aliases(name);
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

/// The full name from its parts, and the shorter and other forms of it that news uses
/// (before the aliases that fold like the name are dropped).
fn name_and_aliases(parts: NameParts) -> (String, Vec<String>) {
    let NameParts {
        given,
        run,
        tail,
        nicknames,
        spelled,
    } = parts;
    let (given, surname) = given_and_surname(given, run);
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
    if run.len() == 1 && run[0].contains('-') && !given.is_empty() {
        aliases.extend(capitals_of_hyphenated(&run[0], &real_given));
    }
    for nick in nicknames {
        aliases.push(format!("{nick} {surname}"));
    }
    for alternative in spelled {
        let alt = surname_case(std::slice::from_ref(alternative));
        aliases.push(join(&[&given_text, &alt, &tail_text]));
    }
    (name, aliases)
}

/// The given names and the surname in its case. "Lindsay de SAUSMAREZ", "Timothy Le
/// COCQ": the particle belongs to the surname.
fn given_and_surname(given: &[String], run: &[String]) -> (Vec<String>, String) {
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
    (given, surname)
}

/// "Hoseini-KHAMENEI": the capitals alone are the surname news uses, after the first
/// real given name.
fn capitals_of_hyphenated(surname: &str, real_given: &[&String]) -> Option<String> {
    let all_caps = |p: &str| {
        letters(p) >= 2
            && p.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
    };
    let parts: Vec<&str> = surname.split('-').collect();
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
        Some(format!(
            "{} {}",
            real_given.first().map_or("", |g| g.as_str()),
            caps[0]
        ))
    } else {
        None
    }
}

/// The person rows: each country's chief of state and head of government, one row per
/// person (see the module docs for who wins when several countries list someone).
pub(super) fn person_rows(
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
