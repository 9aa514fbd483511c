//! Terrorist groups: the `terrorist_groups` field of each country, merged across countries.

use super::*;

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
pub(super) fn prose_group_name(item: &str) -> Option<String> {
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
pub(super) fn paren_aliases(content: &str) -> Vec<String> {
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
pub(super) fn is_connector_prefixed(text: &str) -> bool {
    ["al-", "el-", "ash-", "an-", "ad-", "as-"]
        .iter()
        .any(|p| text.starts_with(p))
}

/// A merged group and the countries that list it.
#[derive(Debug, Clone)]
pub(super) struct Group {
    item: GroupItem,
    keys: HashSet<String>,
    countries: Vec<String>,
    origin: String,
    first_seen: usize,
}

/// The armed-group rows: parse each country's list, merge the same group listed by
/// several countries (same folded name, or a shared acronym), name branches' parents.
pub(super) fn group_rows(
    records: &[Record],
    countries: &[Country],
    names: &CountryNames,
    counts: &mut Counts,
) -> Vec<Entity> {
    let mut groups = merged_groups(records, countries, counts);
    use_common_names(&mut groups);
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
    let by_key = ids_by_key(&groups, &ids);
    let mut rows = Vec::new();
    for (group, id) in groups.iter().zip(&ids) {
        rows.push(group_row(group, id, &by_key, names));
    }
    counts.groups = rows.len();
    rows
}

/// Each country's groups, in the order first listed, with the items that share a folded
/// name or alias merged into one group.
fn merged_groups(records: &[Record], countries: &[Country], counts: &mut Counts) -> Vec<Group> {
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
    groups
}

/// The names news uses ([`COMMON_GROUP_NAMES`]), for the groups and their branches.
fn use_common_names(groups: &mut [Group]) {
    for group in groups {
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
}

/// A group's key (folded name or alias) -> its id, to find branches' parents.
fn ids_by_key<'a>(groups: &[Group], ids: &'a [String]) -> HashMap<String, &'a str> {
    let mut by_key: HashMap<String, &str> = HashMap::new();
    for (group, id) in groups.iter().zip(ids) {
        by_key.entry(fold_alias(&group.item.name)).or_insert(id);
        for alias in &group.item.aliases {
            if alias.split_whitespace().count() >= 2 {
                by_key.entry(fold_alias(alias)).or_insert(id);
            }
        }
    }
    by_key
}

/// The row of one merged group.
fn group_row(
    group: &Group,
    id: &str,
    by_key: &HashMap<String, &str>,
    names: &CountryNames,
) -> Entity {
    let mut row = entity(
        id.to_string(),
        group.item.name.clone(),
        EntityType::ArmedGroup,
        group.origin.clone(),
    );
    row.subtype = Some("terrorist_organization".into());
    if group.countries.len() == 1 {
        row.country = Some(group.countries[0].clone());
    }
    row.parent = group_parent(&group.item, by_key, id);
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
    row
}

/// Merge `other` into `group`: its name and aliases become aliases, its countries join.
pub(super) fn absorb(group: &mut Group, other: Group) {
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
pub(super) fn group_parent(
    item: &GroupItem,
    by_key: &HashMap<String, &str>,
    own: &str,
) -> Option<String> {
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
pub(super) fn keep_acronym(alias: &str, names: &CountryNames) -> bool {
    if !looks_like_acronym(alias) {
        return true;
    }
    let bare: String = alias.chars().filter(|c| c.is_alphanumeric()).collect();
    letters(alias) >= 3
        && !names.codes.contains(&bare.to_uppercase())
        && !ACRONYM_STOPLIST.contains(&bare.to_uppercase().as_str())
}
