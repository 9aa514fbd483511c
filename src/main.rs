//! The `newsgraph` command line. All work happens in the library.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use newsgraph::pipeline::{BuildConfig, Summary, build};
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Read articles, extract actors and relations, write the database and graph files.
    ///
    /// Inputs are files or directories (recursed). .txt/.text/.md files are one document
    /// each (id = file name without extension); .jsonl/.ndjson files hold one JSON object
    /// a line with `id` and `text` (and optional `title`, `url`, `published` or `date`,
    /// `source`); a .gz suffix is decompressed; `-` reads JSONL from standard input. With
    /// no input, the bundled examples/ folder is read.
    ///
    /// Running again on the same --out adds only documents whose cleaned text is new
    /// (SHA-256); a document whose id is stored with a different text is replaced. The
    /// graph files are rewritten from the whole database every time.
    Build {
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
    },
}

fn warn_loud(message: &str) {
    eprintln!("warning: {message}");
}

fn warn_quiet(_: &str) {}

fn print_summary(summary: &Summary) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let t = &summary.totals;
    writeln!(
        out,
        "read {} document(s): {} new, {} replaced, {} unchanged; {} rejected{}",
        summary.read,
        summary.added,
        summary.replaced,
        summary.unchanged,
        summary.rejected,
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

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build {
            inputs,
            gazetteers,
            out,
            jobs,
            quiet,
        } => {
            let inputs = if inputs.is_empty() {
                vec![newsgraph::bundled::find("examples")?]
            } else {
                inputs
            };
            let gazetteers = if gazetteers.is_empty() {
                vec![newsgraph::bundled::find("gazetteers")?]
            } else {
                gazetteers
            };
            let config = BuildConfig {
                inputs,
                gazetteers,
                out: out.clone(),
                jobs: jobs.unwrap_or(0),
                warn: if quiet { warn_quiet } else { warn_loud },
            };
            let summary =
                build(&config).with_context(|| format!("build into {} failed", out.display()))?;
            if quiet {
                return Ok(());
            }
            match print_summary(&summary) {
                // A closed pipe (`newsgraph build | head`) is not a failure of the build.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(()),
            }
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line: the context chain joined, innermost cause last.
            let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}
