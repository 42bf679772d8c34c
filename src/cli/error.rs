//! The one error of the command line: each kind of failure, how it prints and its exit
//! status. The `error:` prefix is added here and nowhere else in the command line.

use std::io;
use std::path::PathBuf;

use super::ExitStatus;
use crate::ansi::{BOLD, RED, RESET};
use crate::init::InitError;
use crate::report::PrintError;
use crate::rules::RuleFileError;
use crate::sync::SyncError;
use crate::tree::TreeError;

/// Why a command did not run to its end.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line does not parse, or asks for `--help` or `--version`: clap prints
    /// its own message.
    #[error("{0}")]
    Usage(#[from] clap::Error),
    /// The rule file cannot be read or is not valid: every problem found, each a located
    /// diagnostic with its own `error:` line.
    #[error(transparent)]
    Rules(#[from] RuleFileError),
    /// Reading a tree, planning or writing the output failed, or a rule cannot be carried out.
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// A sync (or the dry run of `check`) failed before writing anything.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// `init` cannot write a starter rule file.
    #[error(transparent)]
    Init(#[from] InitError),
    /// A path or value the command was given cannot be used: a tree that is not a folder, a
    /// file that cannot be read, a line out of range. The message names it.
    #[error("{0}")]
    Input(String),
    /// A tree could not be read (`links`); the system's error names the path.
    #[error("{0}")]
    Read(io::Error),
    /// A file the command was asked to write (`--html`, `--redirects`, `--report`) cannot be
    /// written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The system's error.
        source: io::Error,
    },
    /// Standard output cannot be written; a closed pipe (`| head`) is not a failure.
    #[error("{0}")]
    Stdout(#[from] io::Error),
    /// A JSON report does not serialise.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

impl From<PrintError> for Error {
    /// A report that cannot be printed fails as what failed: the file it reads, the JSON,
    /// or the output.
    fn from(e: PrintError) -> Error {
        match e {
            PrintError::Tree(e) => Error::Tree(e),
            PrintError::Json(e) => Error::Json(e),
            PrintError::Io(e) => Error::Stdout(e),
        }
    }
}

impl Error {
    /// The exit status of a run that ended with this error: 2 for every failure; 0 for
    /// `--help` and `--version`, and for a closed standard output.
    pub fn status(&self) -> ExitStatus {
        match self {
            Error::Usage(e) if !e.use_stderr() => ExitStatus::Success,
            Error::Stdout(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Success,
            _ => ExitStatus::Error,
        }
    }

    /// Prints the error on standard error ([`Error::write_message`]), in colour when
    /// `color`; clap prints a usage error itself, in colour on a terminal.
    pub fn report(&self, color: bool) {
        match self {
            Error::Usage(e) => {
                let _ = e.print();
            }
            e => {
                let _ = e.write_message(&mut io::stderr().lock(), color);
            }
        }
    }

    /// Writes the message to `out`: nothing for a closed standard output, a rule-file
    /// diagnostic as it is (its level line is its own `error:`, then its snippet), any other
    /// message after `error: `, the one place the prefix is added. The cause is part of each
    /// message, so no chain follows it. With `color`, as rustc colours: the level in bold
    /// red, a diagnostic's gutter in cyan ([`Diagnostic::render`]).
    ///
    /// # Errors
    /// `out` cannot be written.
    ///
    /// [`Diagnostic::render`]: crate::rules::Diagnostic::render
    pub fn write_message(&self, out: &mut impl io::Write, color: bool) -> io::Result<()> {
        match self {
            Error::Stdout(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Error::Usage(e) => write!(out, "{e}"),
            Error::Rules(RuleFileError::Invalid(all)) => {
                let rendered: Vec<String> = all.iter().map(|d| d.render(color)).collect();
                writeln!(out, "{}", rendered.join("\n\n"))
            }
            Error::Tree(TreeError::Rule(d))
            | Error::Sync(SyncError::Tree(TreeError::Rule(d)))
            | Error::Init(InitError::Tree(TreeError::Rule(d))) => writeln!(out, "{}", d.render(color)),
            e if e.is_diagnostic() => writeln!(out, "{e}"),
            e if color => writeln!(out, "{BOLD}{RED}error:{RESET} {e}"),
            e => writeln!(out, "error: {e}"),
        }
    }

    /// Whether the message is made of rule-file [`Diagnostic`]s, each with its own level
    /// line: decided by the kind of error, never by its text.
    ///
    /// [`Diagnostic`]: crate::rules::Diagnostic
    fn is_diagnostic(&self) -> bool {
        match self {
            Error::Rules(RuleFileError::Invalid(_)) => true,
            Error::Tree(e) | Error::Sync(SyncError::Tree(e)) | Error::Init(InitError::Tree(e)) => {
                tree_is_diagnostic(e)
            }
            _ => false,
        }
    }
}

/// Whether the message of `e` begins with a rule-file diagnostic's own `error:` line: a rule
/// that cannot be carried out (located in the rule file), or several errors whose first is
/// one.
fn tree_is_diagnostic(e: &TreeError) -> bool {
    match e {
        TreeError::Rule(_) => true,
        TreeError::Many(all) => all.first().is_some_and(tree_is_diagnostic),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::rules::RuleSet;

    /// What `report` prints for `e`.
    fn printed(e: &Error) -> String {
        let mut out = Vec::new();
        e.write_message(&mut out, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The diagnostics of a rule file that does not load.
    fn diagnostics(source: &str) -> RuleFileError {
        match RuleSet::parse(Path::new("r.toml"), source) {
            Err(e) => e,
            Ok(_) => panic!("the rule file loaded"),
        }
    }

    fn io_error(path: &str) -> TreeError {
        TreeError::Io {
            action: "cannot read",
            path: PathBuf::from(path),
            source: io::Error::other("denied"),
        }
    }

    #[test]
    fn a_rule_file_error_prints_its_diagnostics_with_one_prefix_and_exits_2() {
        let e = Error::from(diagnostics("[[substitution]]\nfrm = \"a\"\nto = \"b\"\n"));
        let text = printed(&e);
        assert!(text.starts_with("error: unknown field `frm`"), "{text}");
        assert!(text
            .ends_with(" --> r.toml:2:1\n  |\n2 | frm = \"a\"\n  | ^^^\n  = hint: did you mean `from`?\n"));
        assert_eq!(text.matches("error").count(), 1, "{text}");
        assert_eq!(e.status(), ExitStatus::Error);
    }

    #[test]
    fn a_rule_carried_in_a_tree_error_keeps_its_own_prefix_wherever_it_is_wrapped() {
        let RuleFileError::Invalid(found) = diagnostics("[[substitution]]\nfrom = \"\"\nto = \"b\"\n") else {
            panic!("not a diagnostic");
        };
        let rule = || TreeError::Rule(Box::new(found[0].clone()));
        let diagnostic = found[0].to_string();
        assert!(diagnostic.starts_with("error: "), "{diagnostic}");
        assert_eq!(printed(&Error::Tree(rule())), format!("{diagnostic}\n"));
        assert_eq!(
            printed(&Error::Sync(SyncError::Tree(rule()))),
            format!("{diagnostic}\n")
        );
        let e = Error::Init(InitError::Tree(TreeError::Many(vec![rule(), io_error("a.md")])));
        assert_eq!(printed(&e), format!("{diagnostic}\ncannot read `a.md`: denied\n"));
        assert_eq!(e.status(), ExitStatus::Error);
    }

    #[test]
    fn several_tree_errors_print_under_one_prefix() {
        let e = Error::Init(InitError::Tree(TreeError::Many(vec![
            io_error("a.md"),
            io_error("b.md"),
        ])));
        assert_eq!(
            printed(&e),
            "error: cannot read `a.md`: denied\ncannot read `b.md`: denied\n"
        );
        let e = Error::Sync(SyncError::Tree(io_error("c.md")));
        assert_eq!(printed(&e), "error: cannot read `c.md`: denied\n");
    }

    #[test]
    fn plain_messages_get_the_prefix_and_exit_2() {
        let e = Error::Input("input `x` is not a directory".into());
        assert_eq!(printed(&e), "error: input `x` is not a directory\n");
        assert_eq!(e.status(), ExitStatus::Error);
        let e = Error::Write {
            path: PathBuf::from("r.md"),
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        assert_eq!(printed(&e), "error: cannot write `r.md`: permission denied\n");
        assert_eq!(e.status(), ExitStatus::Error);
    }

    #[test]
    fn an_unreadable_rule_file_and_an_occupied_output_get_the_prefix_once() {
        let e = Error::from(RuleFileError::Read {
            path: PathBuf::from("r.toml"),
            source: io::Error::other("gone"),
        });
        assert_eq!(printed(&e), "error: cannot read rule file `r.toml`: gone\n");
        let occupied = || TreeError::OccupiedOutput {
            out: PathBuf::from("o"),
            occupants: Box::new(crate::tree::Occupants {
                foreign: vec!["a.md".into()],
                ..Default::default()
            }),
            forced: false,
        };
        for e in [
            Error::Tree(occupied()),
            Error::Init(InitError::Tree(TreeError::Many(vec![
                occupied(),
                io_error("b.md"),
            ]))),
        ] {
            let text = printed(&e);
            assert!(text.starts_with("error: output `o` holds what"), "{text}");
            assert_eq!(text.matches("error:").count(), 1, "{text}");
        }
    }

    #[test]
    fn a_closed_standard_output_is_a_quiet_success() {
        let e = Error::Stdout(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!((printed(&e).as_str(), e.status()), ("", ExitStatus::Success));
        let e = Error::Stdout(io::Error::from(io::ErrorKind::StorageFull));
        assert_eq!(e.status(), ExitStatus::Error);
    }
}
