//! Military and security forces: the bodies of the `military_forces` field, and the
//! ministries and offices they are listed under.

use super::*;

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
pub(super) const HEAD_NOUNS: &[&str] = &[
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
pub(super) const CONTINUATIONS: &[&str] = &[
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
pub(super) const GENERIC: &[&str] = &[
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
pub(super) fn word_stem(word: &str) -> String {
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

pub(super) fn has_head_noun(name: &str) -> bool {
    name.split(|c: char| c.is_whitespace() || c == '/' || c == '-')
        .any(|w| {
            HEAD_NOUNS.contains(
                &w.to_lowercase()
                    .trim_matches(|c: char| !c.is_alphanumeric()),
            )
        })
}

/// Subtypes of bodies and the whole words or phrases that give them, in order: the first
/// subtype with a phrase in the name wins ("State Security Police" is `intelligence`).
pub(super) const BODY_SUBTYPES: &[(&str, &[&str])] = &[
    (
        "intelligence",
        &[
            "intelligence",
            "state security",
            "security service",
            "security services",
            "mabahith",
            "fsb",
            "committee for national security",
            "committee on national security",
        ],
    ),
    (
        "ministry",
        &[
            "ministry",
            "secretariat",
            "department of",
            "state committee",
            "committee for",
        ],
    ),
    ("executive_office", &["office of"]),
    (
        "civil_defense",
        &[
            "fire",
            "firefighting",
            "civil defense",
            "civil defence",
            "civil protection",
            "rescue",
            "sapeurs-pompiers",
        ],
    ),
    (
        "police",
        &[
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
        ],
    ),
    (
        "security_force",
        &[
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
        ],
    ),
    (
        "military",
        &[
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
        ],
    ),
];

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
    BODY_SUBTYPES
        .iter()
        .find(|(_, phrases)| has(phrases))
        .map(|(subtype, _)| *subtype)
}

/// Head nouns after which a lost separator is looked for (not "Defense": "Defense Cyber
/// Main Directorate", "Estonian Defense League" go on).
pub(super) const GLUE_HEADS: &[&str] = &[
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
pub(super) fn starts_body(word: &str, next: Option<&str>) -> bool {
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
pub(super) const MINISTRY_FIELDS: &[&str] = &[
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
pub(super) fn rescue_from_prose(piece: &str) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(subject_before_parenthesis(piece));
    out.extend(capitalised_run_after_the(piece));
    out.extend(names_after_trigger(piece));
    out
}

/// "Name (Paren) lower-case-word ...": the name, with its parenthesis unless that is an
/// acronym of other words.
fn subject_before_parenthesis(piece: &str) -> Option<String> {
    let body = piece
        .strip_prefix("the ")
        .or_else(|| piece.strip_prefix("The "))
        .unwrap_or(piece);
    if !body.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let open = body.find('(')?;
    let name = &body[..open];
    if name.split_whitespace().any(is_prose_word) {
        return None;
    }
    let close = closing_parenthesis(body, open)?;
    let after = body[close + 1..].trim_start();
    if !(after.starts_with(|c: char| c.is_lowercase()) || after.is_empty()) {
        return None;
    }
    // "... of the Tripoli-based Government of National Unity (GNU) have":
    // an acronym that does not start like the name names its last words.
    let paren = body[open + 1..close].trim();
    let first = name.trim().chars().next();
    if looks_like_acronym(paren) && first.is_some_and(|f| !paren.starts_with(f)) {
        Some(name.trim().to_string())
    } else {
        Some(body[..=close].to_string())
    }
}

/// Where the parenthesis opened at byte `open` of `text` closes.
fn closing_parenthesis(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices().skip_while(|(at, _)| *at < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// "and the Icelandic Coast Guard fall under ...": the capitalised words after a
/// leading "the", up to the first prose word, if they name a body.
fn capitalised_run_after_the(piece: &str) -> Option<String> {
    let rest = piece
        .strip_prefix("and the ")
        .or_else(|| piece.strip_prefix("the "))?;
    if !rest.starts_with(char::is_uppercase) {
        return None;
    }
    let run: Vec<&str> = rest
        .split_whitespace()
        .take_while(|w| !is_prose_word(w) && !w.starts_with('('))
        .collect();
    let name = run.join(" ");
    (run.len() >= 2 && run.len() < rest.split_whitespace().count() && has_head_noun(&name))
        .then_some(name)
}

/// The capitalised names in the list after the first of "known as", "include", "between",
/// ... that the piece has.
fn names_after_trigger(piece: &str) -> Vec<String> {
    let mut out = Vec::new();
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
            let kept = up_to_prose_word(part);
            if kept.starts_with(|c: char| c.is_uppercase()) {
                out.push(kept);
            }
        }
        break;
    }
    out
}

/// The words of `part` up to the first prose word outside parentheses.
fn up_to_prose_word(part: &str) -> String {
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
    kept.trim().to_string()
}

/// An item's name and aliases: "Angolan Armed Forces (Forcas Armadas Angolanas, FAA)",
/// "Naval Forces (or National Navy)", "Ground Forces or People's Liberation Army Army
/// (PLAA)", "Burma (People's) Police Force" (an inner parenthesis is dropped). The
/// "(includes ...)" lists come back as `includes`.
pub(super) fn parse_body_text(text: &str) -> Option<(String, Vec<String>, Vec<String>)> {
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
pub(super) fn starts_ministry(text: &str) -> bool {
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
pub(super) fn rejoin_ministry_names(
    pieces: Vec<(String, Option<char>)>,
) -> Vec<(String, Option<char>)> {
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
pub(super) struct Scope {
    parent: Option<usize>,
    prefix: Option<String>,
}

pub(super) struct ForceParser<'a> {
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
pub(super) enum Role {
    /// `lone_word`: a single word without a head noun is accepted ("Artesh").
    Header {
        lone_word: bool,
    },
    Item,
}

/// "Secretariat of Security and Civilian Protection/SEDENA" (the National Guard is under
/// both) → the name before the slash; the acronym names another body.
pub(super) fn split_slash_acronym(name: String, aliases: Vec<String>) -> (String, Vec<String>) {
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
pub(super) fn force_rows(
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
