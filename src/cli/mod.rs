//! The command line: arguments (clap derive) to a job, the job run, an exit status.
//!
//! One module per command, each with its argument struct and its `run`; what several share
//! lives here: the global options (`-q`, `-v`, `--color`, [`Ui`]), the argument groups they
//! flatten (`--rules`, `--format`), loading the rules, and writing a file atomically. What a command prints, in any format, its
//! printer prints ([`Format::printer`]). Every
//! failure is an [`Error`], which prints itself with the `error:` prefix and picks the exit
//! status.

use std::io::{self, Write as _};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{ArgAction, Parser, Subcommand, ValueEnum};

pub use crate::report::Format;
use crate::report::{ColorChoice, Options, Run, Verbosity};
use crate::rewrite::Engine;
use crate::rules::RuleSet;

mod apply;
mod audit;
mod error;
mod explain;
mod generate;
mod init;
mod links;
mod preview;
mod sync;
mod test_rules;

pub use error::Error;

/// The documented exit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: the job ran (a preview with changes is a success).
    Success = 0,
    /// 1: findings, in modes that check: a failing `[[test]]` in `test-rules`, a broken
    /// link in `links`, an error (or with `--deny warnings` a warning) in `audit`.
    Findings = 1,
    /// 2: usage error, rule-file error, or an input/output error.
    Error = 2,
}

/// Turn an upstream documentation tree into a vendor-branded edition.
#[derive(Debug, Parser)]
#[command(name = "rebrand", version = crate::version::tool_version(), about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// The options every command takes, before or after its name.
#[derive(Debug, clap::Args)]
struct GlobalArgs {
    /// Print only what was asked for, errors and warnings: no summary or note on standard
    /// error, no progress display.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print what summaries abbreviate: every audit error of a sync, the references
    /// `links` sets aside.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    verbose: u8,
    /// When to colour: `auto` colours a terminal unless `NO_COLOR` is set, and any stream when
    /// `CLICOLOR_FORCE` or `FORCE_COLOR` is (not `0`); `always`; `never`.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

/// What the global options ask of every command's output: how much it tells on standard
/// error, and when it colours.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ui {
    /// `-q`, `-v`, or neither.
    pub verbosity: Verbosity,
    /// `--color`.
    pub color: ColorChoice,
}

impl Ui {
    /// Whether `-q` silences the summaries and notes.
    pub fn quiet(self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    /// Whether `-v` asks for what summaries abbreviate.
    pub fn verbose(self) -> bool {
        self.verbosity == Verbosity::Verbose
    }

    /// The human printer's options for this output, with the defaults of the rest.
    pub fn options(self) -> Options {
        Options {
            color: self.color,
            verbosity: self.verbosity,
            ..Options::default()
        }
    }
}

impl From<&GlobalArgs> for Ui {
    fn from(args: &GlobalArgs) -> Ui {
        let verbosity = match (args.quiet, args.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, 0) => Verbosity::Normal,
            (false, _) => Verbosity::Verbose,
        };
        Ui {
            verbosity,
            color: args.color,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Dry run: print the review diff of INPUT_DIR and a summary; write nothing.
    Preview(preview::Args),
    /// Write the branded tree of INPUT_DIR to OUTPUT_DIR (staged, then swapped into place).
    Apply(apply::Args),
    /// Check every relative link, image reference, doc id, cross reference and #anchor of a
    /// tree as its generator resolves them; list the broken ones (exit 1 if any).
    Links(links::Args),
    /// Audit a tree as a branded edition (any mention the rules would still rewrite is an
    /// error), or with --upstream as an upstream tree to plan: brand leaks, stutters, dead
    /// rules, near misses, unread files, broken front matter, and the mentions by context.
    Audit(audit::Args),
    /// Explain a file or one line of it: each span's context, and for each brand mention
    /// which rule rewrote it or which exception or check kept it.
    Explain(explain::Args),
    /// Bring upstream changes into a branded tree, branded, keeping the vendor's hand edits
    /// (three-way merge; overlapping edits get conflict markers and exit 1).
    Sync(sync::SyncArgs),
    /// Exit 1 if a sync would change anything, if conflict markers remain, or if the audit
    /// finds a prose leak; 0 otherwise.
    Check(sync::CheckArgs),
    /// Print a commented starter rule file for a new product, learned from DIR: the
    /// substitution of the name with its case, the phrases that would stutter, articles,
    /// exceptions for identifiers in prose, and tests from real sentences.
    Init(init::Args),
    /// Run the rule file's own [[test]] cases.
    TestRules(test_rules::Args),
    /// Print the completion script of SHELL for this command line.
    Completions(generate::CompletionsArgs),
    /// Print the manual page of rebrand (roff, for `man -l -`).
    Man(generate::ManArgs),
}

/// Parses the command line, runs the job, and returns its exit status. Errors are printed
/// to standard error ([`Error::report`]); a closed standard output (`| head`) ends the run
/// quietly, with success.
pub fn run() -> ExitStatus {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let e = Error::from(e);
            e.report(false);
            return e.status();
        }
    };
    let ui = Ui::from(&cli.global);
    crate::progress::install(!ui.quiet() && cli.command.shows_progress());
    let result = cli.command.run(ui);
    // Whatever the run left of the progress display goes before the error is told.
    crate::progress::clear();
    result.unwrap_or_else(|e| {
        e.report(ui.color.stderr());
        e.status()
    })
}

impl Command {
    /// Whether the command shows the progress display: those that go through a whole tree
    /// and clear the display before they print. The others print as they go (`init` its
    /// file, `links` its findings) or read one file.
    fn shows_progress(&self) -> bool {
        matches!(
            self,
            Command::Preview(_)
                | Command::Apply(_)
                | Command::Audit(_)
                | Command::Sync(_)
                | Command::Check(_)
        )
    }

    /// Runs the command.
    ///
    /// # Errors
    /// Whatever the command's `run` returns.
    fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        match self {
            Command::Preview(args) => args.run(ui),
            Command::Apply(args) => args.run(ui),
            Command::Links(args) => args.run(ui),
            Command::Audit(args) => args.run(ui),
            Command::Explain(args) => args.run(ui),
            Command::Sync(args) => args.run(ui),
            Command::Check(args) => args.run(ui),
            Command::Init(args) => args.run(ui),
            Command::TestRules(args) => args.run(ui),
            Command::Completions(args) => args.run(),
            Command::Man(args) => args.run(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Argument groups the commands share
// ---------------------------------------------------------------------------------------

/// `--rules RULES.toml`: the rule file a command runs with.
#[derive(Debug, clap::Args)]
pub(crate) struct RulesArg {
    /// The rule file (TOML).
    #[arg(long, value_name = "RULES.toml")]
    rules: PathBuf,
}

impl RulesArg {
    /// The engine of the rule file, read for the tree at `tree` ([`load`]).
    ///
    /// # Errors
    /// [`Error::Rules`]: the file cannot be read, or is not a valid rule file.
    fn load_for(&self, tree: &Path, ui: Ui) -> Result<Engine, Error> {
        load(&self.rules, Some(tree), ui)
    }
}

impl Format {
    /// A value parser that takes the names of `offered` only: any other format, known to
    /// rebrand or not, is an invalid value that clap reports with the possible ones (exit 2).
    fn parser(offered: &'static [Format]) -> impl TypedValueParser<Value = Format> {
        PossibleValuesParser::new(offered.iter().filter_map(ValueEnum::to_possible_value))
            .map(|name| Format::from_str(&name, false).expect("the parser takes only the names of formats"))
    }
}

/// A command that takes `--format`: the formats it prints.
pub(crate) trait Offers {
    /// The formats the command prints, in the order its help lists them.
    const FORMATS: &'static [Format];
}

/// `--format FORMAT`: the report format of a command `C`, one of `C::FORMATS`.
#[derive(Debug, clap::Args)]
pub(crate) struct FormatArg<C: Offers> {
    /// Report format, of those the command offers: `human` (diagnostics and diffs for a
    /// terminal), `json` (one object per run, schema in docs/report-schema.md), `markdown` (a
    /// pull-request summary), `sarif` (a SARIF 2.1.0 log) or `github` (GitHub Actions
    /// annotations).
    #[arg(long, value_name = "FORMAT", default_value = "human", value_parser = Format::parser(C::FORMATS))]
    format: Format,
    #[arg(skip)]
    offered_by: PhantomData<C>,
}

// ---------------------------------------------------------------------------------------
// What the commands share
// ---------------------------------------------------------------------------------------

/// Loads and compiles the rule file, read with the conventions of the generator of the tree
/// at `tree` ([`crate::site::generator`]; without a tree, the default generator's); prints
/// its warnings (an exception that can never meet a substitution) on standard error, where
/// they never mix with a report or a diff, in colour as `ui` says.
///
/// # Errors
/// [`Error::Rules`]: the file cannot be read, or is not a valid rule file (every problem
/// found, located).
fn load(rules: &Path, tree: Option<&Path>, ui: Ui) -> Result<Engine, Error> {
    let conventions = match tree {
        Some(tree) => crate::site::generator(tree).conventions(tree),
        None => crate::site::default_generator().conventions(Path::new("")),
    };
    let rules = RuleSet::load_for(rules, conventions)?;
    let color = ui.color.stderr();
    for warning in &rules.warnings {
        eprintln!("{}\n", warning.render(color));
    }
    Ok(Engine::new(rules)?)
}

/// Prints the report of `run` in `format` on standard output, then what a person reads
/// after it on standard error (the human format's summary, `options.verbosity` permitting),
/// the progress display cleared first.
///
/// # Errors
/// [`Error`] from the printer: a file the report shows cannot be read, standard output
/// cannot be written (a closed one ends the run quietly: the report is written, not
/// `print!`ed).
fn print_run(format: Format, options: Options, run: &Run<'_>) -> Result<(), Error> {
    crate::progress::clear();
    let printer = format.printer(options);
    let mut stdout = io::stdout().lock();
    printer.run(run, &mut stdout)?;
    stdout.flush()?;
    eprint!("{}", printer.summary(run));
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place.
/// The file gets the mode of the file it replaces, or, when there is none, the mode a plain
/// creation gets (0666 minus the umask, or the folder's default ACL).
///
/// # Errors
/// [`Error::Write`]: the temporary file cannot be created, written, given its mode or
/// renamed; the message names `path` and the system's error.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let replaced = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    // tempfile creates its files 0600. Asking for 0666 lets the kernel apply the umask (or
    // a default ACL) as it does for any new file, so the umask is never read: umask(2), the
    // portable way to read it, also sets it, for the whole process and all its threads.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    if let Some(permissions) = replaced {
        tmp.as_file().set_permissions(permissions).map_err(fail)?;
    }
    tmp.write_all(bytes).map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Checks that `input`, a tree the command was given, is a folder.
///
/// # Errors
/// [`Error::Input`]: it is not a folder, or cannot be read.
fn require_dir(input: &Path) -> Result<(), Error> {
    match std::fs::metadata(input) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::Input(format!(
            "input `{}` is not a directory",
            input.display()
        ))),
        Err(e) => Err(Error::Input(format!(
            "cannot read input `{}`: {e}",
            input.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// A command that offers two formats of the three.
    #[derive(Debug, Parser)]
    struct Toy {
        #[command(flatten)]
        format: FormatArg<Toy>,
    }

    impl Offers for Toy {
        const FORMATS: &'static [Format] = &[Format::Human, Format::Json];
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_command_takes_the_formats_it_offers_and_clap_refuses_the_others() {
        let format = |args: &[&str]| Toy::try_parse_from(args).map(|toy| toy.format.format);
        assert_eq!(format(&["toy"]).unwrap(), Format::Human);
        assert_eq!(format(&["toy", "--format", "json"]).unwrap(), Format::Json);
        let refused = format(&["toy", "--format", "markdown"]).unwrap_err();
        assert_eq!(refused.kind(), clap::error::ErrorKind::InvalidValue);
        assert!(
            refused.to_string().contains("[possible values: human, json]"),
            "{refused}"
        );
        assert_eq!(Error::from(refused).status(), ExitStatus::Error);
        let help = Toy::command().render_long_help().to_string();
        assert!(
            help.contains("- json:") && !help.contains("- markdown:"),
            "{help}"
        );
    }
}
