//! The analysis of one document, as stages over its cleaned text: sentences, name
//! finding (gazetteer matcher and resolver), mention filtering (`resolve::filter`),
//! discovery of people the gazetteers do not list, relations, role resolution and
//! co-occurrence. [`Analyzer`] holds what every document needs, loaded once; the driver
//! (`pipeline`) runs it on all cores.

use crate::discover;
use crate::error::Result;
use crate::gazetteer::{EntityTable, Gazetteer};
use crate::model::{Analyzed, DateSource, DocView, Document, Mention, Relation, RelationType};
use crate::relations::{self, Rules};
use crate::resolve::Resolver;
use crate::resolve::filter::drop_unsupported_mentions;
use crate::tagger::features::Lexicon;
use crate::tagger::train::{GazetteerSpans, ListedSentences, gazetteer_labels};
use crate::tagger::{MODEL_FILE, SentenceTags, Tagger};
use crate::text;
use rustc_hash::FxHashSet as HashSet;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Words news writes in lower case, beside the tagger's model (see
/// `scripts/tagger/lowercase_words.py`).
pub const LOWERCASE_WORDS_FILE: &str = "lowercase_words.txt";

/// Set (to anything), the analysis loads no tagger model: for training a new one while an
/// older format sits in the gazetteer folder, and for measuring the analysis without it.
pub const NO_TAGGER_VARIABLE: &str = "NEWSGRAPH_NO_TAGGER";

/// Confidence factor for a relation with a party the gazetteers do not list.
const DISCOVERED_FACTOR: f64 = 0.8;

/// Everything the analysis needs, loaded once.
pub struct Analyzer {
    pub gazetteer: Gazetteer,
    pub resolver: Resolver,
    pub rules: Rules,
    /// The rules' role and title lists, as discovery reads them.
    cues: discover::Cues,
    /// The name and part-of-speech tagger: `tagger.bin` from the first gazetteer folder
    /// that has one. Without it, names come from the gazetteers and role words only.
    pub tagger: Option<Tagger>,
    /// The word lists the tagger's features and discovery read: words news writes in
    /// lower case (`lowercase_words.txt` in the first gazetteer folder that has one) and
    /// the gazetteers' given names ([`given_names`]).
    pub lexicon: Lexicon,
    /// Listed people by the folded forms of their surname
    /// ([`crate::discover::Tagged::office_holders`]).
    office_holders: rustc_hash::FxHashMap<String, Vec<usize>>,
}

impl Analyzer {
    /// Load gazetteers and relation rules from the given directories.
    pub fn load(dirs: &[PathBuf]) -> Result<Self> {
        Self::load_with_cache(dirs, None, &mut |_| {})
    }

    /// [`Analyzer::load`], with the gazetteers served from (or saved to) a compiled copy
    /// in the folder `cache` when one is given ([`crate::gazetteer::cache`]); `warn` hears
    /// of a copy that could not be saved.
    pub fn load_with_cache(
        dirs: &[PathBuf],
        cache: Option<&Path>,
        warn: &mut dyn FnMut(&str),
    ) -> Result<Self> {
        let gazetteer = match cache {
            Some(cache) => Gazetteer::load_dirs_cached(dirs, cache, warn)?,
            None => Gazetteer::load_dirs(dirs)?,
        };
        let (resolver, rules) =
            rayon::join(|| Resolver::new(&gazetteer), || Rules::load_dirs(dirs));
        let (resolver, rules) = (resolver?, rules?);
        let cues = discover::Cues::new(rules.roles.clone(), rules.titles.clone());
        let lowercase: HashSet<String> = match dirs
            .iter()
            .map(|d| d.join(LOWERCASE_WORDS_FILE))
            .find(|p| p.is_file())
        {
            Some(path) => std::fs::read_to_string(&path)
                .map_err(|e| crate::Error::io(&path, e))?
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.trim().to_string())
                .collect(),
            None => HashSet::default(),
        };
        let lexicon = Lexicon {
            given_names: given_names(&gazetteer, &lowercase),
            lowercase,
        };
        let tagger = match dirs
            .iter()
            .map(|d| d.join(MODEL_FILE))
            .find(|p| p.is_file() && std::env::var_os(NO_TAGGER_VARIABLE).is_none())
        {
            Some(path) => Some(Tagger {
                lexicon: lexicon.clone(),
                ..Tagger::load(&path)?
            }),
            None => None,
        };
        let office_holders = office_holders(&gazetteer);
        Ok(Analyzer {
            gazetteer,
            resolver,
            rules,
            cues,
            tagger,
            office_holders,
            lexicon,
        })
    }

    /// Clean and hash a document's text; the hash decides whether it is new.
    pub fn prepare(document: Document) -> (Document, String, String) {
        let cleaned = text::clean(&document.text);
        let sha256 = Sha256::digest(cleaned.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        (document, cleaned, sha256)
    }

    /// The sentences of `text` and the names the gazetteers list in it, resolved and
    /// filtered: what the analysis knows before tagging.
    pub fn listed_names(&self, text: &str) -> (Vec<Range<usize>>, Vec<Mention>) {
        let folded = text::fold(text);
        let found = self.gazetteer.find_folded(text, &folded);
        let resolved = self.resolver.resolve_folded(text, &folded, found);
        drop(folded);
        let sentences = join_split_names(text::sentences::split(text), &resolved);
        let resolved = drop_unsupported_mentions(text, resolved, &sentences, &self.gazetteer);
        let mentions = assign_sentences(resolved, &sentences);
        (sentences, mentions)
    }

    /// [`Analyzer::listed_names`] as the tagger's trainer reads them: per sentence, the
    /// gazetteer spans with their feature code ([`gazetteer_code`]).
    pub fn listed_spans(&self, text: &str) -> ListedSentences {
        let (sentences, mentions) = self.listed_names(text);
        let mut out: ListedSentences = sentences.into_iter().map(|s| (s, Vec::new())).collect();
        for m in &mentions {
            let code = gazetteer_code(self.gazetteer.entity(m.entity).kind, m.kind);
            out[m.sentence].1.push((m.start, m.end, code));
        }
        out
    }

    /// Tag every sentence, with the gazetteer `mentions` (sorted) as features.
    fn tag(&self, tagger: &Tagger, doc: &DocView, mentions: &[Mention]) -> Vec<SentenceTags> {
        let mut spans: Vec<GazetteerSpans> = vec![Vec::new(); doc.sentences.len()];
        for m in mentions {
            let code = gazetteer_code(self.gazetteer.entity(m.entity).kind, m.kind);
            spans[m.sentence].push((m.start, m.end, code));
        }
        (0..doc.sentences.len())
            .map(|i| {
                let tokens = doc.tokens(i);
                tagger.tag(doc.text, tokens, gazetteer_labels(tokens, &spans[i]))
            })
            .collect()
    }

    /// Analyse one cleaned document.
    pub fn analyze(&self, document: Document, text: String, sha256: String) -> Analyzed {
        let (published, published_from) = match &document.published {
            Some(date) => (
                Some(date.clone()),
                Some(document.published_from.unwrap_or(DateSource::Input)),
            ),
            None => match text::dates::from_text(&document.text) {
                Some(date) => (Some(date.to_string()), Some(DateSource::Dateline)),
                None => (None, None),
            },
        };
        let (sentences, mut mentions) = self.listed_names(&text);
        let doc = DocView::new(&text, &sentences, published.as_deref());
        let first_index = self.gazetteer.entities().len();
        let found = match &self.tagger {
            Some(tagger) => {
                let tags = self.tag(tagger, &doc, &mentions);
                let names = discover::tagged::names(&doc, &tags);
                let before = std::mem::take(&mut mentions);
                let mut kept = before.clone();
                discover::tagged::veto(&names, &mut kept, &self.gazetteer);
                let vetoed: Vec<Mention> =
                    before.into_iter().filter(|m| !kept.contains(m)).collect();
                mentions = kept;
                let tagged = discover::Tagged {
                    tags: &tags,
                    names: &names,
                    vetoed: &vetoed,
                    lexicon: &self.lexicon,
                    gazetteer: &self.gazetteer,
                    cues: &self.cues,
                    office_holders: &self.office_holders,
                };
                discover::discover(&doc, &mentions, first_index, &self.cues, Some(&tagged))
            }
            None => discover::discover(&doc, &mentions, first_index, &self.cues, None),
        };
        mentions.extend(found.mentions);
        mentions.sort_by_key(|m| (m.start, m.end));
        let entities = EntityTable {
            gazetteer: &self.gazetteer,
            discovered: &found.entities,
        };
        let mut relations = relations::extract(&doc, &mentions, entities, &self.rules);
        let roles =
            (self.resolver).resolve_roles(&doc, &mentions, &relations, entities, &self.cues);
        if !roles.is_empty() {
            mentions.extend(roles);
            mentions.sort_by_key(|m| (m.start, m.end));
            relations = relations::extract(&doc, &mentions, entities, &self.rules);
        }
        drop(doc);
        for relation in &mut relations {
            let discovered = [relation.source, relation.target]
                .into_iter()
                .flatten()
                .any(|m| entities.is_discovered(mentions[m].entity));
            if discovered {
                relation.confidence =
                    (relation.confidence * DISCOVERED_FACTOR * 100.0).round() / 100.0;
            }
        }
        for (sentence, a, b) in relations::cooccur::pairs(&mentions, entities) {
            relations.push(Relation {
                sentence,
                relation: RelationType::CoOccurs,
                source: Some(a),
                target: Some(b),
                negated: false,
                hedged: false,
                rule: "co_occurs: same sentence".into(),
                confidence: 1.0,
                role: None,
                reporter: None,
            });
        }
        let origin = document.origin();
        let title = document
            .title
            .or_else(|| title_from_text(&text, &sentences));
        Analyzed {
            id: document.id,
            title,
            url: document.url,
            published,
            published_from,
            published_raw: document.published_raw,
            source: document.source,
            origin,
            encoding: document.encoding,
            text,
            sha256,
            sentences,
            mentions,
            relations,
            discovered: found.entities,
        }
    }
}

/// Listed people by the folded forms of their surname ("assad", "al assad":
/// [`crate::resolve::surname_forms`]), dated or not: discovery takes the one in office.
fn office_holders(gazetteer: &Gazetteer) -> rustc_hash::FxHashMap<String, Vec<usize>> {
    let mut holders: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
    for (index, entity) in gazetteer.entities().iter().enumerate() {
        if entity.kind != crate::gazetteer::EntityType::Person {
            continue;
        }
        for form in crate::resolve::surname_forms(&entity.name) {
            holders.entry(form).or_default().push(index);
        }
    }
    holders
}

/// Given names: the first word of every listed person's name of two words or more, when
/// it is a capitalised word of letters that news does not write in lower case.
fn given_names(gazetteer: &Gazetteer, lowercase: &HashSet<String>) -> HashSet<String> {
    let mut names = HashSet::default();
    for entity in gazetteer.entities() {
        if entity.kind != crate::gazetteer::EntityType::Person {
            continue;
        }
        let mut words = entity.name.split_whitespace();
        let (Some(first), Some(_)) = (words.next(), words.next()) else {
            continue;
        };
        let letters = first.chars().all(char::is_alphabetic) && first.chars().count() >= 2;
        let folded = first.to_lowercase();
        if letters
            && first.chars().next().is_some_and(char::is_uppercase)
            && !lowercase.contains(&folded)
        {
            names.insert(folded);
        }
    }
    names
}

/// The gazetteer feature code of a mention (1 to 6): its entity type, or 6 for a
/// demonym ("Iraqi"), which names a people rather than the entity.
pub fn gazetteer_code(
    kind: crate::gazetteer::EntityType,
    matched: crate::gazetteer::MatchKind,
) -> u8 {
    use crate::gazetteer::{EntityType, MatchKind};
    if matched == MatchKind::Demonym {
        return 6;
    }
    match kind {
        EntityType::Person => 1,
        EntityType::ArmedGroup => 2,
        EntityType::Government => 3,
        EntityType::Organization => 4,
        EntityType::Place => 5,
    }
}

/// Join sentences that a mention straddles: the splitter cut inside a name.
fn join_split_names(
    mut sentences: Vec<Range<usize>>,
    mentions: &[crate::gazetteer::RawMention],
) -> Vec<Range<usize>> {
    for m in mentions {
        let first = sentences.partition_point(|s| s.end <= m.start);
        let last = sentences.partition_point(|s| s.end < m.end);
        if first < last && last < sentences.len() {
            sentences[first].end = sentences[last].end;
            sentences.drain(first + 1..=last);
        }
    }
    sentences
}

/// Give each mention the index of the sentence that contains it. Every mention starts
/// on a non-space character, so it lies in a sentence once split names are joined.
fn assign_sentences(
    mentions: Vec<crate::gazetteer::RawMention>,
    sentences: &[Range<usize>],
) -> Vec<Mention> {
    mentions
        .into_iter()
        .map(|m| Mention {
            start: m.start,
            end: m.end,
            entity: m.entity,
            kind: m.kind,
            sentence: sentences.partition_point(|s| s.end <= m.start),
        })
        .collect()
}

/// A plain-text article's title: its first paragraph, when that is one short line
/// without a full stop that reads as a headline ([`reads_as_headline`]).
fn title_from_text(text: &str, sentences: &[Range<usize>]) -> Option<String> {
    let first = sentences.first()?;
    let line = &text[first.clone()];
    let paragraph_ends = text[first.end..].starts_with('\n') || first.end == text.len();
    (paragraph_ends && !line.ends_with('.') && reads_as_headline(line)).then(|| line.to_string())
}

/// Whether a line reads as a headline rather than a file header: one line of 2 to 30
/// words, opening with a capital, a digit or a quote, mostly words of letters, and no
/// machine token such as `wikievents:test:x_1`, `unit_id=7` or an address.
fn reads_as_headline(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let machine = |w: &str| {
        let inner = w.trim_matches(|c: char| !c.is_alphanumeric());
        inner.contains([':', '_', '=', '/', '\\', '@', '|']) || w.contains("://")
    };
    let wordy = |w: &str| {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 1 && letters * 2 >= w.chars().count()
    };
    let opens = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'".contains(c));
    !line.contains('\n')
        && (2..=30).contains(&words.len())
        && opens
        && !words.iter().any(|w| machine(w))
        && words.iter().filter(|w| wordy(w)).count() * 3 >= words.len() * 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::MatchKind;

    /// Analyse `text` published on `date` with a small gazetteer: Iraq, Israel and two
    /// Iraqi prime ministers of different years. Returns (surface, entity id) of the
    /// `role` mentions.
    fn role_mentions(text: &str, date: Option<&str>) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("g.tsv"),
            "id\tname\ttype\tsubtype\tcountry\trole\tvalid_from\tvalid_to\tdemonyms\n\
             place/irq\tIraq\tplace\tcountry\tIRQ\t\t\t\tIraqi\n\
             place/isr\tIsrael\tplace\tcountry\tISR\t\t\t\tIsraeli\n\
             person/kadhimi\tMustafa al-Kadhimi\tperson\t\tIRQ\tprime_minister\t2020-05-07\t2022-10-27\t\n\
             person/sudani\tMohammed Shia al-Sudani\tperson\t\tIRQ\tprime_minister\t2022-10-27\t\t\n",
        )
        .unwrap();
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml"),
            dir.path().join("relations.toml"),
        )
        .unwrap();
        let analyzer = Analyzer::load(&[dir.path().to_path_buf()]).unwrap();
        let document = Document {
            published: date.map(String::from),
            ..Document::new("d", text, "test")
        };
        let (document, text, sha) = Analyzer::prepare(document);
        let analyzed = analyzer.analyze(document, text, sha);
        analyzed
            .mentions
            .iter()
            .filter(|m| m.kind == MatchKind::Role)
            .map(|m| {
                (
                    analyzed.text[m.start..m.end].to_string(),
                    analyzer.gazetteer.entity(m.entity).id.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn a_role_alone_resolves_to_its_holder_in_the_document_or_on_the_date() {
        let named =
            "Iraqi Prime Minister Mustafa al-Kadhimi spoke. Later the prime minister left Israel.";
        assert_eq!(
            role_mentions(named, None),
            [(
                "the prime minister".to_string(),
                "person/kadhimi".to_string()
            )]
        );
        let unnamed = "Protests spread in Iraq. The prime minister resigned.";
        assert_eq!(
            role_mentions(unnamed, Some("2021-03-01")),
            [(
                "The prime minister".to_string(),
                "person/kadhimi".to_string()
            )]
        );
        assert_eq!(
            role_mentions(unnamed, Some("2024-01-15")),
            [(
                "The prime minister".to_string(),
                "person/sudani".to_string()
            )]
        );
        // No date, two countries, or "the prime minister of ...": no guess.
        assert_eq!(role_mentions(unnamed, None), []);
        assert_eq!(
            role_mentions(
                "Iraq and Israel argued. The prime minister left.",
                Some("2024-01-15")
            ),
            []
        );
        assert_eq!(
            role_mentions(
                "In Iraq, the prime minister of the region left.",
                Some("2024-01-15")
            ),
            []
        );
    }

    #[test]
    fn common_word_places_need_a_capital_and_place_context_at_sentence_start() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("places.tsv"),
            "id\tname\ttype\tsubtype\nplace/reading\tReading\tplace\tcity\nplace/gbr\tEngland\tplace\tcountry\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("common_words.txt"), "# test\nreading\n").unwrap();
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml"),
            dir.path().join("relations.toml"),
        )
        .unwrap();
        let analyzer = Analyzer::load(&[dir.path().to_path_buf()]).unwrap();
        let text =
            "Reading is fun. Police in Reading said so. “Reading, England, is wet.” Stop reading.";
        let document = Document::new("d", text, "t");
        let (document, cleaned, sha) = Analyzer::prepare(document);
        let analyzed = analyzer.analyze(document, cleaned, sha);
        let found: Vec<usize> = analyzed
            .mentions
            .iter()
            .filter(|m| analyzer.gazetteer.entity(m.entity).id == "place/reading")
            .map(|m| m.start)
            .collect();
        assert_eq!(
            found,
            [
                text.find("in Reading").unwrap() + 3,
                text.find("Reading, England").unwrap()
            ]
        );
    }

    #[test]
    fn small_places_named_like_people_need_place_context() {
        let gazetteer = Gazetteer::from_tsv(
            std::path::Path::new("t.tsv"),
            "id\tname\ttype\tcontext\nplace/svk/martin\tMartin\tplace\trequired\nplace/svk\tSlovakia\tplace\t\n",
        )
        .unwrap();
        let text =
            "Martin said so. Police in Martin agreed. Martin, Slovakia, is small. Ask Martin.";
        let found = gazetteer.find(text);
        let sentences = text::sentences::split(text);
        let kept: Vec<&str> = drop_unsupported_mentions(text, found, &sentences, &gazetteer)
            .iter()
            .map(|m| &text[m.start..m.end])
            .collect();
        assert_eq!(kept, ["Martin", "Martin", "Slovakia"]);
        let starts: Vec<usize> =
            drop_unsupported_mentions(text, gazetteer.find(text), &sentences, &gazetteer)
                .iter()
                .map(|m| m.start)
                .collect();
        assert_eq!(starts[0], text.find("in Martin").unwrap() + 3);
    }

    #[test]
    fn places_inside_organisation_names_and_after_titles_are_dropped() {
        let gazetteer = Gazetteer::from_tsv(
            std::path::Path::new("t.tsv"),
            "id\tname\ttype\tdemonyms\nplace/usa/texas\tTexas\tplace\t\nplace/gbr\tBritain\tplace\tBritish\nplace/col/kennedy\tKennedy\tplace\t\n",
        )
        .unwrap();
        let text = "Texas Air Corp and the British Broadcasting Corporation met in Texas. Mr Kennedy and British officials flew to Kennedy. Mr. Kennedy left.";
        let sentences = text::sentences::split(text);
        let kept: Vec<usize> =
            drop_unsupported_mentions(text, gazetteer.find(text), &sentences, &gazetteer)
                .iter()
                .map(|m| m.start)
                .collect();
        assert_eq!(
            kept,
            [
                text.find("in Texas").unwrap() + 3,
                text.find("British officials").unwrap(),
                text.find("to Kennedy").unwrap() + 3
            ]
        );
    }

    #[test]
    fn places_in_longer_names_are_dropped_and_modified_places_kept() {
        let gazetteer = Gazetteer::from_tsv(
            std::path::Path::new("t.tsv"),
            "id\tname\ttype\tdemonyms\tcontext\nplace/usa/davenport\tDavenport\tplace\t\t\nplace/gbr/bristol\tBristol\tplace\t\t\nplace/can/lindsay\tLindsay\tplace\t\trequired\nplace/usa/myers\tMyers\tplace\t\trequired\nplace/fra\tFrance\tplace\tFrench\t\nplace/deu\tGermany\tplace\t\t\nplace/usa/montgomery\tMontgomery\tplace\t\t\n",
        )
        .unwrap();
        let text = "Lindsay Davenport won. Bristol-Myers fell. The Bank of France acted. \
                    Sales in West Germany rose. Montgomery Ward and Co gained. Prices in France rose.";
        let sentences = text::sentences::split(text);
        let kept: Vec<&str> =
            drop_unsupported_mentions(text, gazetteer.find(text), &sentences, &gazetteer)
                .iter()
                .map(|m| &text[m.start..m.end])
                .collect();
        assert_eq!(kept, ["Germany", "France"]);
    }

    #[test]
    fn sentences_split_inside_a_name_are_joined() {
        let sentences = vec![0..10, 11..20, 21..30];
        let mention = crate::gazetteer::RawMention {
            start: 5,
            end: 15,
            entity: 0,
            kind: MatchKind::Name,
            common_word: false,
        };
        assert_eq!(join_split_names(sentences, &[mention]), [0..20, 21..30]);
    }

    /// Regression: every place mention scanned its whole line for the line's ends, so a
    /// document of one long line with 100,000 names took quadratic time. The scan now
    /// stops within a window, at a whole word.
    #[test]
    fn title_is_a_short_first_line_without_full_stop() {
        let text = "Militia vows attacks\n\nThe commander said so.";
        let sentences = text::sentences::split(text);
        assert_eq!(
            title_from_text(text, &sentences).as_deref(),
            Some("Militia vows attacks")
        );
        let text = "The commander said so. More text.";
        let sentences = text::sentences::split(text);
        assert_eq!(title_from_text(text, &sentences), None);
    }

    #[test]
    fn issue_15_file_headers_are_not_titles() {
        for (line, headline) in [
            ("Roadside IED kills Russian major general in Syria", true),
            ("Boston Marathon Bomber Apologizes to Survivors", true),
            ("“We will fight”: militia vows attacks", true),
            ("2023 in review: the war in Sudan", true),
            (
                "wikievents:test:wiki_mass_car_bombings_7_news_2 unknown",
                false,
            ),
            ("wikievents:dev:road_ied_8", false),
            ("fakes:unit_id=1918150027 (outlet=asharqalawsat)", false),
            ("muc4:TST4-MUC4-0005", false),
            ("https://example.com/news/1 2023-12-08", false),
            ("4/18/17", false),
            ("2015-06-24 12:00", false),
            ("unknown", false),
            ("lower case line of text", false),
            ("Two\nlines", false),
        ] {
            assert_eq!(reads_as_headline(line), headline, "{line:?}");
        }
        let text = "wikievents:test:suicide_ied_100\nunknown\nBomber kills six\n\nA suicide bomber blew himself up.";
        let sentences = text::sentences::split(text);
        assert_eq!(title_from_text(text, &sentences), None);
    }
}
