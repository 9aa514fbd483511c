//! Loading and compiling the relation rules file (`gazetteers/relations.toml`, documented
//! in `docs/relations.md`). Every error names the file, line and column of the offending
//! entry.

use super::pattern::{Context, Elem, Pattern, Repeat, Slot, TypeFilter, WordSet};
use super::prefilter::Prefilter;
use crate::error::{Error, Result};
use crate::model::RelationType;
use crate::text::tokens::tokenize;
use serde::Deserialize;
use std::collections::BTreeMap;

use std::path::{Path, PathBuf};
use toml::Spanned;

/// Default size of a `~` gap, in tokens.
const DEFAULT_GAP: usize = 4;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    sets: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    relation: Vec<RelationBlock>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationBlock {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    #[serde(default = "yes")]
    negatable: bool,
    #[serde(default)]
    verbs: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    nouns: BTreeMap<String, Vec<String>>,
    patterns: Vec<Spanned<String>>,
}

fn yes() -> bool {
    true
}

/// One compiled rule: a pattern that forms one relation type.
#[derive(Debug, Clone)]
pub struct Rule {
    pub relation: RelationType,
    /// The pattern as written, kept for the `rule` column.
    pub source: String,
    pub negatable: bool,
    pub pattern: Pattern,
}

/// A word list compiled to token sequences, longest first.
#[derive(Debug, Clone, Default)]
pub struct Phrases(pub Vec<Vec<String>>);

impl Phrases {
    fn new(entries: impl IntoIterator<Item = impl AsRef<str>>) -> Self {
        let mut phrases: Vec<Vec<String>> = entries
            .into_iter()
            .map(|e| phrase_tokens(e.as_ref()))
            .filter(|p| !p.is_empty())
            .collect();
        phrases.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        phrases.dedup();
        Phrases(phrases)
    }
}

/// All compiled rules plus the cue lists the extractor uses.
#[derive(Debug, Clone)]
pub struct Rules {
    pub rules: Vec<Rule>,
    pub negation: Phrases,
    pub hedge: Phrases,
    /// Speech verbs that follow their speaker: "Miller said".
    pub speech: Phrases,
    /// Speech words that precede their speaker: "said Miller", "according to Miller".
    pub speech_before_speaker: Phrases,
    /// Role words and titles (`sets.role`, `sets.title`), which discovery also reads.
    pub roles: Phrases,
    pub titles: Phrases,
    pub context: Context,
    pub files: Vec<PathBuf>,
    /// Which of `rules` a sentence may match.
    pub prefilter: Prefilter,
}

pub(super) fn phrase_tokens(text: &str) -> Vec<String> {
    tokenize(text, 0, text.len())
        .into_iter()
        .map(|t| t.norm.into_owned())
        .collect()
}

/// Inflections of a verb entry: "attack" or "strike struck struck".
struct Verb {
    all: Vec<String>,
    third: String,
    past: String,
    past_participle: String,
    ing: String,
}

fn inflect(entry: &str) -> Option<Verb> {
    let words: Vec<&str> = entry.split_whitespace().collect();
    let lemma = words.first()?.to_lowercase();
    let (past, participle, ing) = match words.as_slice() {
        [_] => {
            let past = regular_past(&lemma);
            (past.clone(), past, None)
        }
        [_, past, participle] => (past.to_lowercase(), participle.to_lowercase(), None),
        [_, past, participle, ing] => (
            past.to_lowercase(),
            participle.to_lowercase(),
            Some(ing.to_lowercase()),
        ),
        _ => return None,
    };
    let third = if lemma.ends_with(['s', 'x', 'z', 'o'])
        || lemma.ends_with("sh")
        || lemma.ends_with("ch")
    {
        format!("{lemma}es")
    } else if let Some(stem) = consonant_y(&lemma) {
        format!("{stem}ies")
    } else {
        format!("{lemma}s")
    };
    // A doubled final consonant in the past ("kidnapped") doubles in -ing too, and so
    // does that of a one-syllable verb ending consonant-vowel-consonant ("hitting").
    let last = lemma.chars().last()?;
    let ing = ing.unwrap_or_else(|| {
        if past == format!("{lemma}{last}ed") || doubles_final_consonant(&lemma) {
            format!("{lemma}{last}ing")
        } else if lemma.ends_with('e') && !lemma.ends_with("ee") && lemma.len() > 2 {
            format!("{}ing", &lemma[..lemma.len() - 1])
        } else {
            format!("{lemma}ing")
        }
    });
    let mut all = vec![
        lemma,
        third.clone(),
        past.clone(),
        participle.clone(),
        ing.clone(),
    ];
    all.sort();
    all.dedup();
    Some(Verb {
        all,
        third,
        past,
        past_participle: participle,
        ing,
    })
}

fn consonant_y(lemma: &str) -> Option<&str> {
    let stem = lemma.strip_suffix('y')?;
    (!stem.ends_with(['a', 'e', 'i', 'o', 'u'])).then_some(stem)
}

/// One vowel group, ending consonant-vowel-consonant (not w, x, y): "hit", "stop", "ban".
fn doubles_final_consonant(lemma: &str) -> bool {
    let vowel = |c: char| "aeiou".contains(c);
    let chars: Vec<char> = lemma.chars().collect();
    let vowel_groups = chars
        .iter()
        .enumerate()
        .filter(|&(k, &c)| vowel(c) && (k == 0 || !vowel(chars[k - 1])))
        .count();
    match chars.as_slice() {
        [.., a, b, c] => {
            vowel_groups == 1 && !vowel(*a) && vowel(*b) && !vowel(*c) && !"wxy".contains(*c)
        }
        _ => false,
    }
}

fn regular_past(lemma: &str) -> String {
    if doubles_final_consonant(lemma) {
        let last = lemma.chars().last().unwrap_or_default();
        format!("{lemma}{last}ed")
    } else if lemma.ends_with('e') {
        format!("{lemma}d")
    } else if let Some(stem) = consonant_y(lemma) {
        format!("{stem}ied")
    } else {
        format!("{lemma}ed")
    }
}

fn plural(noun: &str) -> String {
    let (head, last) = match noun.rsplit_once(' ') {
        Some((head, last)) => (format!("{head} "), last),
        None => (String::new(), noun),
    };
    let plural = if last.ends_with(['s', 'x', 'z']) || last.ends_with("sh") || last.ends_with("ch")
    {
        format!("{last}es")
    } else if let Some(stem) = consonant_y(last) {
        format!("{stem}ies")
    } else {
        format!("{last}s")
    };
    format!("{head}{plural}")
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let (line, column) = line_column(&String::from_utf8_lossy(valid), usize::MAX);
        Error::parse(
            path,
            line,
            column,
            "invalid UTF-8 (rules files must be UTF-8)",
        )
    })
}

/// Line and column (1-based, in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

impl Rules {
    /// Load one rules file.
    pub fn load(path: &Path) -> Result<Self> {
        Self::parse_files(&[(path.to_path_buf(), read_text(path)?)])
    }

    /// Load every `relations*.toml` in the given gazetteer directories as one rule set.
    pub fn load_dirs(dirs: &[PathBuf]) -> Result<Self> {
        let mut sources = Vec::new();
        for dir in dirs {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| Error::io(dir, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "toml")
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with("relations"))
                })
                .collect();
            files.sort();
            for file in files {
                let text = read_text(&file)?;
                sources.push((file, text));
            }
        }
        if sources.is_empty() {
            return Err(Error::Config(format!(
                "no relation rules (relations*.toml) in {}",
                dirs.iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Self::parse_files(&sources)
    }

    /// Compile rules from TOML text; `path` is used in error messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        Self::parse_files(&[(path.to_path_buf(), text.to_string())])
    }

    /// Compile several rules files as one: their `[sets]` are merged first (a set named
    /// in two files gets the entries of both), so every file's patterns can use every set;
    /// rules keep file order.
    pub fn parse_files(sources: &[(PathBuf, String)]) -> Result<Self> {
        let mut files = Vec::new();
        for (path, text) in sources {
            let file: RulesFile = toml::from_str(text).map_err(|e| {
                let (line, column) = line_column(text, e.span().map_or(0, |s| s.start));
                Error::parse(path, line, column, e.message().trim().to_string())
            })?;
            files.push(file);
        }
        let mut sets: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for file in &files {
            for (name, entries) in &file.sets {
                sets.entry(name.clone())
                    .or_default()
                    .extend(entries.iter().cloned());
            }
        }
        let set = |name: &str| Phrases::new(sets.get(name).into_iter().flatten());
        let mut rules = Vec::new();
        for ((path, text), file) in sources.iter().zip(&files) {
            let at = |offset: usize, message: String| {
                let (line, column) = line_column(text, offset);
                Error::parse(path, line, column, message)
            };
            rules.extend(compile_blocks(file, &sets, at)?);
        }
        Ok(Rules {
            prefilter: Prefilter::new(rules.iter().map(|r| &r.pattern)),
            rules,
            negation: set("negation"),
            hedge: set("hedge"),
            speech: set("speech"),
            speech_before_speaker: set("speech_before_speaker"),
            roles: set("role"),
            titles: set("title"),
            context: Context {
                prepositions: words(&set("prepositions")),
                determiners: words(&set("determiners")),
                actor_gap_stops: words(&set("actor_gap_stops")),
                passive_auxiliaries: words(&set("passive_auxiliaries")),
                subject_gap_stops: words(&set("subject_gap_stops")),
                parenthetical_openers: words(&set("parenthetical_openers")),
                coordinators: words(&set("coordinators")),
            },
            files: sources.iter().map(|(path, _)| path.clone()).collect(),
        })
    }
}

/// Compile the `[[relation]]` blocks of one file; `at` turns a byte offset in the file
/// into an error with line and column.
fn compile_blocks(
    file: &RulesFile,
    sets: &BTreeMap<String, Vec<String>>,
    at: impl Fn(usize, String) -> Error,
) -> Result<Vec<Rule>> {
    let mut rules = Vec::new();
    for block in &file.relation {
        let relation = RelationType::typed(block.kind.get_ref()).ok_or_else(|| {
            at(
                block.kind.span().start,
                format!(
                    "unknown relation type {:?}; expected one of: {}",
                    block.kind.get_ref(),
                    RelationType::typed_names()
                ),
            )
        })?;
        let mut local: BTreeMap<String, Vocabulary> = BTreeMap::new();
        for (name, entries) in &block.verbs {
            let mut all = Vec::new();
            let mut third = Vec::new();
            let mut past = Vec::new();
            let mut pp = Vec::new();
            let mut ing = Vec::new();
            for entry in entries {
                let verb = inflect(entry.get_ref()).ok_or_else(|| {
                    at(
                        entry.span().start,
                        format!(
                            "verb {:?} must be \"lemma\", \"lemma past participle\" or \"lemma past participle ing\"",
                            entry.get_ref()
                        ),
                    )
                })?;
                all.extend(verb.all);
                third.push(verb.third);
                past.push(verb.past);
                pp.push(verb.past_participle);
                ing.push(verb.ing);
            }
            let participles = Phrases::new(&pp).0;
            local.insert(
                name.clone(),
                Vocabulary::verb(Phrases::new(all), participles),
            );
            local.insert(
                format!("{name}.pp"),
                Vocabulary::verb(Phrases::new(pp), Vec::new()),
            );
            local.insert(
                format!("{name}.ing"),
                Vocabulary::verb(Phrases::new(ing), Vec::new()),
            );
            local.insert(
                format!("{name}.s"),
                Vocabulary::verb(Phrases::new(third), Vec::new()),
            );
            let past_participles = Phrases::new(&past).0;
            local.insert(
                format!("{name}.past"),
                Vocabulary::verb(Phrases::new(past), past_participles),
            );
        }
        for (name, entries) in &block.nouns {
            let forms = entries
                .iter()
                .flat_map(|n| [n.to_lowercase(), plural(&n.to_lowercase())]);
            local.insert(name.clone(), Vocabulary::words(Phrases::new(forms)));
        }
        for pattern in &block.patterns {
            let base = pattern.span().start + 1; // after the opening quote
            let compiled = compile(pattern.get_ref(), |name| {
                local.get(name).cloned().or_else(|| {
                    sets.contains_key(name).then(|| {
                        let entries = &sets[name];
                        // Set nouns also match their plurals ("attacks on").
                        let phrases = if name.ends_with("_noun") {
                            Phrases::new(
                                entries
                                    .iter()
                                    .flat_map(|n| [n.to_lowercase(), plural(&n.to_lowercase())]),
                            )
                        } else {
                            Phrases::new(entries)
                        };
                        Vocabulary::words(phrases)
                    })
                })
            })
            .map_err(|(offset, message)| at(base + offset, message))?;
            rules.push(Rule {
                relation,
                source: pattern.get_ref().clone(),
                negatable: block.negatable,
                pattern: compiled,
            });
        }
    }
    Ok(rules)
}

/// What a `<name>` in a pattern stands for.
#[derive(Clone)]
struct Vocabulary {
    phrases: Phrases,
    verb: bool,
    participles: Vec<Vec<String>>,
}

impl Vocabulary {
    fn verb(phrases: Phrases, participles: Vec<Vec<String>>) -> Self {
        Vocabulary {
            phrases,
            verb: true,
            participles,
        }
    }

    fn words(phrases: Phrases) -> Self {
        Vocabulary {
            phrases,
            verb: false,
            participles: Vec::new(),
        }
    }
}

fn words(phrases: &Phrases) -> WordSet {
    phrases.0.iter().flatten().cloned().collect()
}

/// Compile one pattern; errors carry the byte offset of the element within the pattern.
fn compile(
    text: &str,
    lookup: impl Fn(&str) -> Option<Vocabulary>,
) -> Result<Pattern, (usize, String)> {
    let mut elems = Vec::new();
    let mut offset = 0;
    for word in text.split(' ') {
        let here = offset;
        offset += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        let elem = if let Some(inner) = word.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            let (name, filter) = inner.split_once(':').unwrap_or((inner, ""));
            let slot = match name {
                "src" => Slot::Source,
                "tgt" => Slot::Target,
                other => {
                    return Err((
                        here,
                        format!("unknown slot {{{other}}}; use {{src}} or {{tgt}}"),
                    ));
                }
            };
            let filter = TypeFilter::parse(filter).map_err(|m| (here, m))?;
            Elem::Slot { slot, filter }
        } else if let Some(rest) = word.strip_prefix('<') {
            let (name, repeat) = if let Some(name) = rest.strip_suffix(">?") {
                (name, Repeat::Optional)
            } else if let Some(name) = rest.strip_suffix(">*") {
                (name, Repeat::Any)
            } else if let Some(name) = rest.strip_suffix('>') {
                (name, Repeat::One)
            } else {
                return Err((here, format!("{word:?} has no closing '>'")));
            };
            let vocabulary = lookup(name).ok_or_else(|| {
                (
                    here,
                    format!("<{name}> is not a verb or noun list of this block nor a [sets] entry"),
                )
            })?;
            if vocabulary.phrases.0.is_empty() {
                return Err((here, format!("<{name}> is empty")));
            }
            Elem::Words {
                phrases: vocabulary.phrases,
                repeat,
                role: name == "role",
                verb: vocabulary.verb,
                participles: vocabulary.participles,
            }
        } else if let Some(size) = word.strip_prefix('~') {
            let size = if size.is_empty() {
                DEFAULT_GAP
            } else {
                size.parse()
                    .map_err(|_| (here, format!("gap {word:?} must be ~ or ~N")))?
            };
            Elem::Gap(size)
        } else {
            let (body, repeat) = match word.strip_suffix('?') {
                Some(body) if !body.is_empty() => (body, Repeat::Optional),
                _ => (word, Repeat::One),
            };
            let alternatives: Vec<&str> =
                match body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
                    Some(inner) => inner.split('|').collect(),
                    None => vec![body],
                };
            if alternatives.iter().any(|a| a.is_empty()) {
                return Err((here, format!("{word:?} has an empty alternative")));
            }
            Elem::Words {
                phrases: Phrases::new(alternatives),
                repeat,
                role: false,
                verb: false,
                participles: Vec::new(),
            }
        };
        elems.push(elem);
    }
    if elems.is_empty() {
        return Err((0, "empty pattern".into()));
    }
    if !elems.iter().any(|e| matches!(e, Elem::Slot { .. })) {
        return Err((0, "a pattern needs {src} or {tgt}".into()));
    }
    Ok(Pattern::new(elems))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Rules, String> {
        Rules::parse(Path::new("relations.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn verbs_inflect_regularly_and_irregularly() {
        let attack = inflect("attack").unwrap();
        assert_eq!(attack.all, ["attack", "attacked", "attacking", "attacks"]);
        let strike = inflect("strike struck struck").unwrap();
        assert_eq!(strike.all, ["strike", "strikes", "striking", "struck"]);
        assert_eq!(
            inflect("kidnap kidnapped kidnapped").unwrap().ing,
            "kidnapping"
        );
        assert_eq!(inflect("ally allied allied").unwrap().all[1], "allies");
        assert_eq!(inflect("denounce").unwrap().past_participle, "denounced");
        assert_eq!(inflect("hit hit hit").unwrap().ing, "hitting");
        assert_eq!(inflect("stop").unwrap().past, "stopped");
        assert_eq!(inflect("shoot shot shot").unwrap().ing, "shooting");
        assert_eq!(inflect("visit").unwrap().ing, "visiting");
        assert_eq!(inflect("shell").unwrap().past, "shelled");
        let overrun = inflect("overrun overran overrun overrunning").unwrap();
        assert_eq!(overrun.ing, "overrunning");
        assert_eq!(plural("air strike"), "air strikes");
        assert_eq!(plural("ambush"), "ambushes");
    }

    #[test]
    fn errors_point_at_the_entry() {
        let cases = [
            (
                "[[relation]]\ntype = \"hugged\"\npatterns = [\"{src} hugged {tgt}\"]\n",
                "relations.toml:2:8: unknown relation type \"hugged\"; expected one of: attacked, threatened, condemned, accused, designated, called_on, supports, met_with, member_of, located_in",
            ),
            (
                "[[relation]]\ntype = \"attacked\"\npatterns = [\"{src} <hit> {tgt}\"]\n",
                "relations.toml:3:20: <hit> is not a verb or noun list of this block nor a [sets] entry",
            ),
            (
                "[[relation]]\ntype = \"attacked\"\npatterns = [\"{who} hit {tgt}\"]\n",
                "relations.toml:3:14: unknown slot {who}; use {src} or {tgt}",
            ),
            (
                "[[relation]]\ntype = \"attacked\"\nverbs.hit = [\"hit hit\"]\npatterns = [\"{src} <hit> {tgt}\"]\n",
                "relations.toml:3:14: verb \"hit hit\" must be \"lemma\", \"lemma past participle\" or \"lemma past participle ing\"",
            ),
            (
                "[[relation]]\ntype = \"attacked\"\npatterns = [\"{src:warlord} hit {tgt}\"]\n",
                "relations.toml:3:14: unknown entity type \"warlord\" in slot filter",
            ),
            (
                "[[relation]]\ntype = \"attacked\"\npatterns = [\"hit hard\"]\n",
                "relations.toml:3:14: a pattern needs {src} or {tgt}",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).unwrap_err(), expected, "for {text:?}");
        }
        assert!(
            parse("[[relation]\n")
                .unwrap_err()
                .starts_with("relations.toml:1:")
        );
    }

    #[test]
    fn sets_are_shared_between_files() {
        let first = "[sets]\nbe = [\"was\"]\n".to_string();
        let second =
            "[[relation]]\ntype = \"attacked\"\npatterns = [\"{tgt} <be> struck\"]\n".to_string();
        let rules = Rules::parse_files(&[
            (PathBuf::from("relations.toml"), first),
            (PathBuf::from("relations-extra.toml"), second.clone()),
        ])
        .unwrap();
        assert_eq!(rules.rules.len(), 1);
        let alone = Rules::parse(Path::new("relations-extra.toml"), &second).unwrap_err();
        assert!(
            alone
                .to_string()
                .starts_with("relations-extra.toml:3:20: <be> is not")
        );
    }

    #[test]
    fn the_bundled_rules_compile() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml");
        let rules = Rules::load(&path).unwrap();
        for relation in RelationType::TYPED {
            assert!(
                rules.rules.iter().any(|r| r.relation == relation),
                "no rule forms {relation}"
            );
        }
    }
}
