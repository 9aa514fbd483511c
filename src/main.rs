//! The `newsgraph` command line. All work happens in the library.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use newsgraph::pipeline::{BuildConfig, Summary, build};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The analysis allocates many small strings and vectors per sentence; mimalloc serves them
// faster than the system allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where the reading commands look for the database unless given --db.
const DEFAULT_DB: &str = "output/newsgraph.sqlite";

#[derive(Parser)]
#[command(
    name = "newsgraph",
    version,
    about = "Turn news articles into a knowledge graph of who did what to whom",
    long_about = "Turn news articles into a knowledge graph of who did what to whom.\n\n\
        Gazetteers find the actors, rules find relations (attacked, threatened, condemned, \
        accused, designated, called_on, supports, met_with, member_of, located_in) with their \
        evidence sentence, and everything lands in SQLite plus graph files for Gephi."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import public lists into gazetteer TSV, or check a gazetteer folder.
    Gazetteer {
        #[command(subcommand)]
        command: GazetteerCommand,
    },
    /// Train the name and part-of-speech tagger on silver-labelled articles, or score a
    /// model against them (docs/model.md). For maintainers: the bundled model is
    /// gazetteers/tagger.bin.
    Tagger {
        #[command(subcommand)]
        command: TaggerCommand,
    },
    /// Print a reproducible random sample of stored mentions with their context (TSV), to
    /// review how well the gazetteers match.
    SampleMentions {
        /// The database to sample from.
        #[arg(long, value_name = "FILE", default_value = DEFAULT_DB)]
        db: PathBuf,
        /// How many mentions.
        #[arg(short = 'n', long, default_value_t = 200)]
        count: usize,
        /// Seed of the sample: the same seed and database give the same sample.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print the capitalised names a built database mentions most often that no gazetteer
    /// matched, as candidate gazetteer rows (TSV with counts and an example sentence).
    Suggest {
        /// The database built by `newsgraph build`.
        #[arg(long, value_name = "FILE", default_value = DEFAULT_DB)]
        db: PathBuf,
        /// How many candidates.
        #[arg(short = 'n', long, default_value_t = 100)]
        count: usize,
        /// Leave out names seen fewer times.
        #[arg(long, default_value_t = 3)]
        min_count: usize,
        /// Gazetteer directory: names it knows are not suggested; its relations*.toml gives
        /// the role words and titles. Default: the bundled gazetteers.
        #[arg(long = "gazetteers", value_name = "DIR")]
        gazetteers: Vec<PathBuf>,
    },
    /// Answer common questions from a built database without SQL: the relations of an actor
    /// (--entity), of a type (--relation), in a period (--since, --until), or between two
    /// actors (--between), with their evidence sentences.
    ///
    /// Names resolve as an analyst writes them: an entity id, a name, alias or demonym, a
    /// text the articles used for the entity ("Sudani"), compared ignoring case, accents,
    /// apostrophes and hyphens; failing those, the last words of a person's name; failing
    /// those, the one entity with the name's words in a name or alias (several are listed,
    /// to pick one by id or full name). A name nothing matches gets the closest names ("did
    /// you mean"). How each name resolved is printed on standard error. co_occurs relations
    /// are left out unless --relation co_occurs asks for them (standard error says when an
    /// actor has only those); negated ones unless --include-negated. The table shows
    /// control characters from the articles escaped (\u{1b}); CSV and JSON keep them. The
    /// database is only read: a read-only folder will do. Anything more: SQL on the
    /// database, see docs/sql.md.
    Query(QueryArgs),
    /// Score the relations of a database made by `build` against gold relations (JSONL, see
    /// docs/eval.md): precision, recall and F1 per relation type and in total.
    ///
    /// A prediction is a non-negated rule relation (not co_occurs) of a gold document. It
    /// matches a gold relation of the same document and type when source and target match
    /// by name: the folded gold text equals, contains or is contained in (as whole words)
    /// the entity's name, an alias or demonym, or one of its mention texts in the document.
    Eval {
        /// Gold relations, one JSON document a line.
        #[arg(long, value_name = "FILE")]
        gold: PathBuf,
        /// The database to score.
        #[arg(long, value_name = "FILE", default_value = DEFAULT_DB)]
        db: PathBuf,
        /// Score only these relation types (comma-separated or repeated). Default: every
        /// type the gold has.
        #[arg(long, value_name = "TYPE", value_delimiter = ',')]
        relations: Vec<String>,
        /// Also list every miss and false hit with its sentence.
        #[arg(long)]
        show_errors: bool,
    },
    /// Write the graph of an existing database in one format, optionally filtered: e.g.
    /// attacks in 2023 with weight at least 2:
    /// `newsgraph export --format gexf --out attacks.gexf --relation attacked --since 2023 --until 2023 --min-weight 2`.
    Export(ExportArgs),
    /// Benchmark baseline: run only the gazetteer matcher over the inputs and print the
    /// throughput (used by scripts/bench.sh).
    #[command(hide = true)]
    BenchMatch {
        inputs: Vec<PathBuf>,
        #[arg(long = "gazetteers", value_name = "DIR")]
        gazetteers: Vec<PathBuf>,
        #[arg(long, value_name = "N", default_value_t = 0)]
        jobs: usize,
    },
    /// Read articles, extract actors and relations, write the database and graph files.
    ///
    /// Inputs are files or directories (recursed). .txt/.text/.md files are one document
    /// each (id = file name without extension); so are .html/.htm pages (the article text
    /// is extracted; title, canonical URL, site name and date come from the page's
    /// metadata); .jsonl/.ndjson files hold one JSON object a line with `id` and `text`
    /// (and optional `title`, `url`, `published` or `date`, `source`); a .gz suffix is
    /// decompressed; `-` reads JSONL from standard input. With no input, the bundled
    /// examples/ folder is read. A document without a date takes its dateline's.
    ///
    /// Running again on the same --out adds only documents whose cleaned text is new
    /// (SHA-256); a document whose id is stored with a different text is replaced. The
    /// graph files are rewritten from the whole database every time.
    Build(BuildArgs),
}

// The help text is on the variant: a doc comment here would replace it.
#[derive(Args)]
struct QueryArgs {
    /// The database built by `newsgraph build`.
    #[arg(long, value_name = "FILE", default_value = DEFAULT_DB)]
    db: PathBuf,
    /// Relations with this actor as source or target.
    #[arg(long, value_name = "NAME", conflicts_with = "between")]
    entity: Option<String>,
    /// Only relations of this type (attacked, member_of, co_occurs ...).
    #[arg(long, value_name = "TYPE")]
    relation: Option<String>,
    /// Published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD); undated
    /// relations are left out.
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Published on or before this date (YYYY-MM and YYYY include the whole month or
    /// year); undated relations are left out.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Relations between two actors, in either direction.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    between: Option<Vec<String>>,
    /// Also list relations the text negates ("did not claim responsibility").
    #[arg(long)]
    include_negated: bool,
    /// At most N relations (oldest first).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Output: an aligned table (evidence cut), CSV or JSON (every field).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

// The help text is on the variant: a doc comment here would replace it.
#[derive(Args)]
struct ExportArgs {
    /// graphml, gexf, json, or csv (nodes.csv and edges.csv in the --out folder).
    #[arg(long, value_name = "FORMAT")]
    format: String,
    /// The file to write (a folder for csv).
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// The database built by `newsgraph build`.
    #[arg(long, value_name = "FILE", default_value = DEFAULT_DB)]
    db: PathBuf,
    /// Keep only these relation types (repeat or comma-separate; co_occurs included).
    #[arg(long = "relation", value_name = "TYPE", value_delimiter = ',')]
    relations: Vec<String>,
    /// Keep only edges whose two actors have one of these types.
    #[arg(long = "entity-type", value_name = "TYPE", value_delimiter = ',')]
    entity_types: Vec<String>,
    /// Leave out edges seen fewer times.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_weight: i64,
    /// Count only relations published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Count only relations published on or before this date (same precision rules).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Leave out co-occurrence edges.
    #[arg(long)]
    no_co_occurs: bool,
    /// Leave out discovered entities (names no gazetteer lists, found by the tagger or a
    /// role word) mentioned fewer times in the whole database; 0 keeps them all.
    #[arg(long, value_name = "N", default_value_t = newsgraph::graph::DEFAULT_MIN_DISCOVERED_MENTIONS)]
    min_discovered_mentions: i64,
}

// The help text is on the variant: a doc comment here would replace it.
#[derive(Args)]
struct BuildArgs {
    /// Article files or directories; `-` for JSONL on standard input.
    inputs: Vec<PathBuf>,
    /// Gazetteer directory (*.tsv entries plus relations*.toml rules); repeat to use
    /// several. Default: the bundled gazetteers/ ($NEWSGRAPH_DATA/gazetteers, then
    /// ../share/newsgraph/gazetteers beside the executable, then the source tree, then ./gazetteers).
    #[arg(long = "gazetteers", value_name = "DIR")]
    gazetteers: Vec<PathBuf>,
    /// Output directory for newsgraph.sqlite, graph.graphml and graph.json.
    #[arg(long, value_name = "DIR", default_value = "output")]
    out: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Print nothing but errors.
    #[arg(long)]
    quiet: bool,
    /// Load the gazetteers from their files without keeping or reading a compiled copy
    /// in the user's cache folder ($XDG_CACHE_HOME/newsgraph or ~/.cache/newsgraph on
    /// Linux, ~/Library/Caches/newsgraph on macOS; one copy per set of gazetteer files
    /// and executable, the 4 most recently used kept).
    #[arg(long)]
    no_gazetteer_cache: bool,
    /// Leave out of the graph files and the report discovered entities (names no
    /// gazetteer lists) mentioned fewer times in the whole database; the database keeps
    /// them all. 0 keeps them all in the graph too.
    #[arg(long, value_name = "N", default_value_t = newsgraph::graph::DEFAULT_MIN_DISCOVERED_MENTIONS)]
    min_discovered_mentions: i64,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Table,
    Csv,
    Json,
}

#[derive(Subcommand)]
enum GazetteerCommand {
    /// Convert a source list into gazetteer TSV.
    ///
    /// Formats: phoenix (TABARI/PETRARCH/Phoenix actor and agent dictionaries), geonames
    /// (GeoNames countryInfo and cities TSV, pycountry ISO 3166-2 subdivisions TSV), ofac
    /// (OFAC SDN CSV and its FTO/SDGT extracts, UN Security Council list TSV), factbook (CIA
    /// World Factbook JSONL). With --against, entries whose id or name the gazetteers in DIR
    /// already have (same type) are left out, and so are aliases they already claim, so the
    /// output loads cleanly next to them.
    Import {
        /// Source format: phoenix, geonames, ofac or factbook.
        #[arg(long = "from", value_name = "FORMAT")]
        from: String,
        /// Source files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The TSV file to write.
        #[arg(long, value_name = "FILE.tsv")]
        out: PathBuf,
        /// Gazetteer folders the output must not clash with (repeatable).
        #[arg(long = "against", value_name = "DIR")]
        against: Vec<PathBuf>,
    },
    /// Load gazetteer folders as `build` would, report errors, counts per type and subtype,
    /// aliases shared across types, and load time and memory.
    Check {
        /// Gazetteer folders (default: the bundled gazetteers/).
        dirs: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum TaggerCommand {
    /// Train a model from silver JSONL (scripts/tagger/silver.py writes it) and write it.
    Train {
        /// Silver articles to learn from (repeatable; a file given twice weighs twice:
        /// scripts/tagger/train.sh gives the BBC's prose more weight than the 1987 wire's
        /// company news).
        #[arg(long, value_name = "FILE", required = true)]
        silver: Vec<PathBuf>,
        /// Held-out silver articles to score the new model on.
        #[arg(long, value_name = "FILE")]
        heldout: Option<PathBuf>,
        /// The model file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Passes over the training data.
        #[arg(long, default_value_t = 8)]
        epochs: usize,
        /// log2 of the rows of the part-of-speech weight table (2^bits × 17 × 4 bytes).
        #[arg(long, default_value_t = 17)]
        pos_bits: u32,
        /// log2 of the rows of the name weight table (2^bits × 13 × 4 bytes).
        #[arg(long, default_value_t = 18)]
        name_bits: u32,
        /// Gazetteer folder whose matches are features (default: the bundled gazetteers/).
        #[arg(long = "gazetteers", value_name = "DIR")]
        gazetteers: Vec<PathBuf>,
    },
    /// Print how the bundled analysis reads a text: each token with its part-of-speech tag,
    /// the gazetteer's and the tagger's name labels, then the names found.
    Show {
        /// The text (one or more sentences).
        text: String,
    },
    /// Score a model against silver articles: part-of-speech accuracy, and name precision,
    /// recall and F1 per type on exact spans.
    Score {
        /// Silver articles.
        #[arg(long, value_name = "FILE")]
        silver: PathBuf,
        /// The model (default: the bundled gazetteers/tagger.bin).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// Gazetteer folder whose matches are features (default: the bundled gazetteers/).
        #[arg(long = "gazetteers", value_name = "DIR")]
        gazetteers: Vec<PathBuf>,
    },
}

fn gazetteer_dirs(dirs: Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    Ok(if dirs.is_empty() {
        vec![newsgraph::bundled::find("gazetteers")?]
    } else {
        dirs
    })
}

fn tagger_examples(
    silver: &Path,
    analyzer: &newsgraph::analyze::Analyzer,
) -> Result<Vec<newsgraph::tagger::train::Example>> {
    let articles = newsgraph::tagger::train::read_silver(silver)?;
    let listed = |text: &str| analyzer.listed_spans(text);
    let examples = newsgraph::tagger::train::all_examples(&articles, &listed, &analyzer.lexicon);
    eprintln!(
        "{}: {} articles, {} sentences",
        silver.display(),
        articles.len(),
        examples.len()
    );
    Ok(examples)
}

fn print_tagger_scores(scores: &newsgraph::tagger::train::Scores) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "part-of-speech accuracy: {:.4} of {} tokens",
        scores.pos_correct as f64 / scores.tokens.max(1) as f64,
        scores.tokens
    )?;
    writeln!(
        out,
        "{:<8} {:>7} {:>7} {:>7} {:>9} {:>8}",
        "names", "P", "R", "F1", "predicted", "silver"
    )?;
    let mut all = (0, 0, 0);
    let mut kinds: Vec<_> = scores.names.iter().collect();
    kinds.sort();
    for (kind, &(tp, predicted, silver)) in kinds.into_iter().chain([(&"all", &(0, 0, 0))]) {
        let (tp, predicted, silver) = if *kind == "all" {
            all
        } else {
            (tp, predicted, silver)
        };
        all = (all.0 + tp, all.1 + predicted, all.2 + silver);
        let p = tp as f64 / predicted.max(1) as f64;
        let r = tp as f64 / silver.max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        writeln!(
            out,
            "{kind:<8} {p:>7.3} {r:>7.3} {f:>7.3} {predicted:>9} {silver:>8}"
        )?;
    }
    Ok(())
}

fn tagger_show(text: String) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let analyzer = newsgraph::analyze::Analyzer::load(&gazetteer_dirs(Vec::new())?)?;
    let Some(tagger) = &analyzer.tagger else {
        anyhow::bail!(
            "the bundled gazetteers have no {}",
            newsgraph::tagger::MODEL_FILE
        );
    };
    for (range, spans) in analyzer.listed_spans(&text) {
        let tokens = newsgraph::text::tokens::tokenize(&text, range.start, range.end);
        let gazetteer = newsgraph::tagger::train::gazetteer_labels(&tokens, &spans);
        let tags = tagger.tag(&text, &tokens, gazetteer.clone());
        for (i, token) in tokens.iter().enumerate() {
            writeln!(
                out,
                "{}\t{}\t{}\t{}",
                &text[token.start..token.end],
                tags.pos_tag(i),
                gazetteer[i],
                tags.names[i]
            )?;
        }
        for name in tags.names(&tokens) {
            writeln!(out, "name: {:?} {}", name.kind, &text[name.start..name.end])?;
        }
    }
    let (document, text, sha) = newsgraph::analyze::Analyzer::prepare(
        newsgraph::model::Document::new("show", text, "<argument>"),
    );
    let analyzed = analyzer.analyze(document, text, sha);
    for m in &analyzed.mentions {
        let entity = if m.entity < analyzer.gazetteer.entities().len() {
            analyzer.gazetteer.entity(m.entity)
        } else {
            &analyzed.discovered[m.entity - analyzer.gazetteer.entities().len()]
        };
        writeln!(
            out,
            "mention: {} -> {} ({})",
            &analyzed.text[m.start..m.end],
            entity.id,
            m.kind.as_str()
        )?;
    }
    Ok(())
}

fn tagger(command: TaggerCommand) -> Result<()> {
    use newsgraph::tagger::{Tagger, train};
    match command {
        TaggerCommand::Train {
            silver,
            heldout,
            out,
            epochs,
            pos_bits,
            name_bits,
            gazetteers,
        } => {
            let analyzer = newsgraph::analyze::Analyzer::load(&gazetteer_dirs(gazetteers)?)?;
            let mut examples = Vec::new();
            for silver in &silver {
                examples.extend(tagger_examples(silver, &analyzer)?);
            }
            let settings = train::Settings {
                epochs,
                pos_bits,
                name_bits,
            };
            let tagger = train::train(
                &examples,
                &analyzer.lexicon,
                settings,
                &mut |model, epoch, errors, tokens| {
                    eprintln!(
                        "{model} epoch {epoch}: {errors} errors in {tokens} tokens ({:.2}%)",
                        100.0 * errors as f64 / tokens.max(1) as f64
                    )
                },
            );
            std::fs::write(&out, tagger.to_bytes())
                .with_context(|| format!("writing {}", out.display()))?;
            eprintln!("wrote {}", out.display());
            if let Some(heldout) = heldout {
                let examples = tagger_examples(&heldout, &analyzer)?;
                print_tagger_scores(&train::score(&tagger, &examples))?;
            }
            Ok(())
        }
        TaggerCommand::Show { text } => tagger_show(text),
        TaggerCommand::Score {
            silver,
            model,
            gazetteers,
        } => {
            let dirs = gazetteer_dirs(gazetteers)?;
            let model = model.unwrap_or_else(|| dirs[0].join(newsgraph::tagger::MODEL_FILE));
            let tagger = Tagger::load(&model)?;
            let analyzer = newsgraph::analyze::Analyzer::load(&dirs)?;
            let examples = tagger_examples(&silver, &analyzer)?;
            print_tagger_scores(&train::score(&tagger, &examples))?;
            Ok(())
        }
    }
}

/// The build's progress line on standard error, when that is a terminal.
static PROGRESS: std::sync::OnceLock<indicatif::ProgressBar> = std::sync::OnceLock::new();

fn progress_line() -> &'static indicatif::ProgressBar {
    PROGRESS.get_or_init(|| {
        if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {elapsed} {human_pos} documents, {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    })
}

fn show_progress(progress: &newsgraph::pipeline::Progress) {
    let bar = progress_line();
    if progress.done {
        bar.finish_and_clear();
        return;
    }
    let seconds = progress.elapsed.as_secs_f64().max(1e-3);
    bar.set_position(progress.documents);
    bar.set_message(format!(
        "{:.0} documents/s, {:.1} MB/s",
        progress.documents as f64 / seconds,
        progress.bytes as f64 / 1e6 / seconds
    ));
}

fn warn_loud(message: &str) {
    use std::io::Write;
    // Above the progress line, which is drawn again after it. A closed stderr
    // (`newsgraph build 2>&1 | head`) must not stop the build.
    let write = || {
        let _ = writeln!(std::io::stderr().lock(), "warning: {message}");
    };
    match PROGRESS.get() {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

fn warn_quiet(_: &str) {}

fn print_summary(summary: &Summary) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let t = &summary.totals;
    writeln!(
        out,
        "read {} document(s): {} new, {} replaced, {} unchanged{}; {} rejected{}",
        summary.read,
        summary.added,
        summary.replaced,
        summary.unchanged,
        if summary.duplicates > 0 {
            format!(", {} duplicate(s) of stored articles", summary.duplicates)
        } else {
            String::new()
        },
        summary.rejected + summary.broken_files.len() as u64,
        if summary.skipped_files > 0 {
            format!("; {} non-article file(s) skipped", summary.skipped_files)
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "database: {} documents, {} sentences, {} mentions, {} entities",
        t.documents, t.sentences, t.mentions, t.entities
    )?;
    let relations: Vec<String> = t
        .relations
        .iter()
        .map(|(r, n)| format!("{r} {n}"))
        .collect();
    writeln!(
        out,
        "relations: {}{}",
        if relations.is_empty() {
            "none".to_string()
        } else {
            relations.join(", ")
        },
        if t.negated > 0 {
            format!(" (+{} negated, kept out of the graph)", t.negated)
        } else {
            String::new()
        }
    )?;
    for output in &summary.outputs {
        writeln!(out, "wrote {}", output.display())?;
    }
    writeln!(out, "time: {:.2}s", summary.elapsed.as_secs_f64())
}

fn gazetteer_import(from: &str, files: &[PathBuf], out: &Path, against: &[PathBuf]) -> Result<()> {
    use newsgraph::gazetteer::{Gazetteer, import};
    let format: import::Format = from.parse()?;
    let import::Imported { rows, notes } = import::read(format, files)?;
    for note in notes {
        eprintln!("{note}");
    }
    let read = rows.len();
    // The output file may sit in an --against folder from an earlier run: leave it out.
    let mut existing_files = Vec::new();
    for dir in against {
        for file in newsgraph::gazetteer::tsv_files(dir)? {
            if file.file_name() != out.file_name() || file.parent() != out.parent() {
                existing_files.push(file);
            }
        }
    }
    let existing = if existing_files.is_empty() {
        None
    } else {
        Some(Gazetteer::load_files(
            &existing_files,
            std::collections::HashSet::new(),
        )?)
    };
    let merged = import::merge(rows, &existing.iter().collect::<Vec<_>>());
    let mut comment = vec![
        format!(
            "Generated by: newsgraph gazetteer import --from {from} {}",
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ),
        "Do not edit by hand: regenerate with scripts/build_gazetteers.sh; see gazetteers/SOURCES.md".into(),
    ];
    if !against.is_empty() {
        comment.push(format!(
            "Entries and aliases already in {} are left out.",
            against
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    newsgraph::export::write_atomically(out, |w| import::write_tsv(&merged.entities, &comment, w))?;
    println!(
        "{}: {} entries from {read} rows ({} duplicates and {} one-word person names left out, {} aliases claimed elsewhere, {} missing parents cleared)",
        out.display(),
        merged.entities.len(),
        merged.duplicates,
        merged.one_word_people,
        merged.aliases_dropped,
        merged.parents_cleared
    );
    Ok(())
}

fn gazetteer_check(dirs: Vec<PathBuf>) -> Result<()> {
    use newsgraph::gazetteer::{Gazetteer, import};
    let dirs = or_bundled(dirs, "gazetteers")?;
    let started = std::time::Instant::now();
    let gazetteer = Gazetteer::load_dirs(&dirs)?;
    let elapsed = started.elapsed();
    let rules = newsgraph::relations::Rules::load_dirs(&dirs)?;
    let report = import::report(&gazetteer);
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} files, {} entries, {} aliases; {} relation rules",
        gazetteer.files().len(),
        gazetteer.entities().len(),
        report.aliases,
        rules.rules.len()
    )?;
    for (kind, n) in &report.by_type {
        writeln!(out, "{kind}: {n}")?;
        for ((k, subtype), m) in &report.by_subtype {
            if k == kind {
                writeln!(out, "  {subtype}: {m}")?;
            }
        }
    }
    writeln!(
        out,
        "aliases shared by entries of different types (the first loaded wins): {}",
        report.cross_type.len()
    )?;
    for (alias, ids) in report.cross_type.iter().take(20) {
        writeln!(out, "  {alias:?}: {}", ids.join(", "))?;
    }
    writeln!(
        out,
        "loaded and built the matcher in {:.2}s{}",
        elapsed.as_secs_f64(),
        peak_memory()
            .map(|kb| format!("; peak memory {} MB", kb / 1024))
            .unwrap_or_default()
    )?;
    Ok(())
}

/// Peak resident memory of this process in kB (Linux), for `gazetteer check`.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn sample_mentions(db: &Path, count: usize, seed: u64) -> Result<()> {
    let store = newsgraph::store::Store::open_read_only(db)?;
    let sample = store.sample_mentions(count, seed)?;
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    writeln!(
        out,
        "doc_id\tentity_id\ttype\tkind\tsurface\tcontext\tverdict"
    )?;
    for m in sample {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t",
            m.doc_id, m.entity_id, m.entity_type, m.kind, m.surface, m.context
        )?;
    }
    Ok(())
}

fn suggest(db: &Path, count: usize, min_count: usize, gazetteers: Vec<PathBuf>) -> Result<()> {
    let gazetteers = or_bundled(gazetteers, "gazetteers")?;
    let rules = newsgraph::relations::Rules::load_dirs(&gazetteers)?;
    let gazetteer = newsgraph::gazetteer::Gazetteer::load_dirs(&gazetteers)?;
    let cues = newsgraph::discover::Cues::new(rules.roles, rules.titles);
    let store = newsgraph::store::Store::open_read_only(db)?;
    let found = newsgraph::suggest::candidates(&store, &gazetteer, &cues, min_count, count)?;
    newsgraph::suggest::write_tsv(
        &found,
        &db.display().to_string(),
        &mut std::io::stdout().lock(),
    )?;
    Ok(())
}

fn eval(gold: &Path, db: &Path, relations: Vec<String>, show_errors: bool) -> Result<()> {
    use newsgraph::eval;
    let documents = eval::read_gold(gold)?;
    let store = newsgraph::store::Store::open_read_only(db)?;
    let options = eval::Options {
        relations: (!relations.is_empty()).then_some(relations),
    };
    let report = eval::evaluate(&store, &documents, &options)?;
    let mut out = std::io::stdout().lock();
    report.write(&mut out, show_errors)?;
    Ok(())
}

fn export(format: &str, out: &Path, db: &Path, filter: newsgraph::graph::Filter) -> Result<()> {
    let format = newsgraph::export::Format::parse(format).with_context(|| {
        format!("unknown format {format:?}; expected graphml, gexf, json or csv")
    })?;
    let store = newsgraph::store::Store::open_read_only(db)?;
    let graph = newsgraph::graph::from_store_filtered(&store, &filter)?;
    for path in newsgraph::export::write_format(&graph, format, out)? {
        println!(
            "wrote {} ({} nodes, {} edges)",
            path.display(),
            graph.node_count(),
            graph.edge_count()
        );
    }
    Ok(())
}

/// `text` as one shell word: as it is when plain, else in single quotes.
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn query(db: &Path, filters: &newsgraph::query::Filters, format: OutputFormat) -> Result<()> {
    use newsgraph::query::{self, printable};
    let store = newsgraph::store::Store::open_read_only(db)?;
    let answer = query::run(&store, filters)?;
    for resolved in &answer.resolved {
        let entities: Vec<String> = resolved
            .entities
            .iter()
            .map(|(id, name)| format!("{} ({})", printable(name), printable(id)))
            .collect();
        let how = match resolved.how {
            "word" => "no entity's full name; the one entity with these words in a name",
            how => how,
        };
        eprintln!("{:?} ({how}): {}", resolved.name, entities.join(", "));
    }
    let period = if filters.since.is_some() || filters.until.is_some() {
        " in this period"
    } else {
        ""
    };
    let named = || {
        let mut names = Vec::new();
        if let Some(entity) = &filters.entity {
            names.push(format!("{entity:?}"));
        }
        if let Some((a, b)) = &filters.between {
            names.push(format!("{a:?} and {b:?}"));
        }
        names.join(", ")
    };
    if answer.co_occurs == Some(0) {
        eprintln!(
            "{}: no relation{period}, not even a co-occurrence (named in one sentence with \
             another actor)",
            named()
        );
    }
    if let Some(n) = answer.co_occurs.filter(|&n| n > 0) {
        // The same question with --relation co_occurs, ready to paste.
        let mut command = vec!["newsgraph query".to_string()];
        if let Some(entity) = &filters.entity {
            command.push(format!("--entity {}", shell_word(entity)));
        }
        if let Some((a, b)) = &filters.between {
            command.push(format!("--between {} {}", shell_word(a), shell_word(b)));
        }
        command.push("--relation co_occurs".into());
        for (option, value) in [("--since", &filters.since), ("--until", &filters.until)] {
            if let Some(value) = value {
                command.push(format!("{option} {}", shell_word(value)));
            }
        }
        if db != Path::new(DEFAULT_DB) {
            command.push(format!("--db {}", shell_word(&db.display().to_string())));
        }
        eprintln!(
            "{}: no typed relation (attacked, member_of ...){period} but {n} co-occurrence{} \
             (named in one sentence with another actor); list {} with: {}",
            named(),
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" },
            command.join(" ")
        );
    }
    let format = match format {
        OutputFormat::Table => query::Format::Table,
        OutputFormat::Csv => query::Format::Csv,
        OutputFormat::Json => query::Format::Json,
    };
    query::write(&answer.rows, format, &mut std::io::stdout().lock())?;
    Ok(())
}

impl QueryArgs {
    fn filters(&self) -> newsgraph::query::Filters {
        newsgraph::query::Filters {
            entity: self.entity.clone(),
            relation: self.relation.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            between: (self.between.as_ref()).map(|pair| (pair[0].clone(), pair[1].clone())),
            include_negated: self.include_negated,
            limit: self.limit,
        }
    }
}

impl ExportArgs {
    fn filter(&self) -> newsgraph::graph::Filter {
        newsgraph::graph::Filter {
            relations: self.relations.clone(),
            entity_types: self.entity_types.clone(),
            min_weight: self.min_weight,
            since: self.since.clone(),
            until: self.until.clone(),
            without_co_occurs: self.no_co_occurs,
            min_discovered_mentions: self.min_discovered_mentions,
        }
    }
}

/// `paths`, or when none is given the bundled folder `name` (see src/bundled.rs).
fn or_bundled(paths: Vec<PathBuf>, name: &str) -> Result<Vec<PathBuf>> {
    Ok(if paths.is_empty() {
        vec![newsgraph::bundled::find(name)?]
    } else {
        paths
    })
}

fn bench_match(inputs: &[PathBuf], gazetteers: Vec<PathBuf>, jobs: usize) -> Result<()> {
    let gazetteers = or_bundled(gazetteers, "gazetteers")?;
    let m = newsgraph::pipeline::match_only(inputs, &gazetteers, jobs)?;
    let secs = m.elapsed.as_secs_f64();
    println!(
        "match-only: {} documents, {:.1} MB, {} mentions in {:.2}s: {:.1} MB/s",
        m.documents,
        m.bytes as f64 / 1e6,
        m.mentions,
        secs,
        m.bytes as f64 / 1e6 / secs.max(1e-9)
    );
    Ok(())
}

fn build_command(args: BuildArgs) -> Result<()> {
    let BuildArgs {
        inputs,
        gazetteers,
        out,
        jobs,
        quiet,
        no_gazetteer_cache,
        min_discovered_mentions,
    } = args;
    let config = BuildConfig {
        inputs: or_bundled(inputs, "examples")?,
        gazetteers: or_bundled(gazetteers, "gazetteers")?,
        out: out.clone(),
        jobs: jobs.unwrap_or(0),
        warn: if quiet { warn_quiet } else { warn_loud },
        progress: (!quiet).then_some(show_progress as fn(&_)),
        gazetteer_cache: (!no_gazetteer_cache)
            .then(|| dirs::cache_dir().map(|d| d.join("newsgraph")))
            .flatten(),
        min_discovered_mentions,
    };
    let summary = build(&config).with_context(|| format!("build into {} failed", out.display()))?;
    if !quiet {
        print_summary(&summary)?;
    }
    if !summary.broken_files.is_empty() {
        anyhow::bail!(
            "{} input file(s) could not be read to their end: {}",
            summary.broken_files.len(),
            summary.broken_files.join("; ")
        );
    }
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Gazetteer { command } => match command {
            GazetteerCommand::Import {
                from,
                files,
                out,
                against,
            } => gazetteer_import(&from, &files, &out, &against),
            GazetteerCommand::Check { dirs } => gazetteer_check(dirs),
        },
        Command::Tagger { command } => tagger(command),
        Command::SampleMentions { db, count, seed } => sample_mentions(&db, count, seed),
        Command::Suggest {
            db,
            count,
            min_count,
            gazetteers,
        } => suggest(&db, count, min_count, gazetteers),
        Command::Export(args) => export(&args.format, &args.out, &args.db, args.filter()),
        Command::BenchMatch {
            inputs,
            gazetteers,
            jobs,
        } => bench_match(&inputs, gazetteers, jobs),
        Command::Eval {
            gold,
            db,
            relations,
            show_errors,
        } => eval(&gold, &db, relations, show_errors),
        Command::Query(args) => query(&args.db, &args.filters(), args.format),
        Command::Build(args) => build_command(args),
    }
}

/// Whether the failure is only a closed output pipe (`newsgraph ... | head`).
fn closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            // One line: the context chain joined, innermost cause last.
            let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}
