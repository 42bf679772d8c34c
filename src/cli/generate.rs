//! `rebrand completions SHELL` and `rebrand man`: files generated from the command line's own
//! model (clap_complete, clap_mangen), so they never disagree with `--help`.

use std::io::{self, Write as _};

use clap::CommandFactory as _;
use clap_complete::Shell;

use super::{Cli, Error, ExitStatus};

/// The arguments of `rebrand completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Install, for example: \
    `rebrand completions bash > ~/.local/share/bash-completion/completions/rebrand`, \
    `rebrand completions zsh > ~/.zfunc/_rebrand` (with `~/.zfunc` in `fpath`), \
    `rebrand completions fish > ~/.config/fish/completions/rebrand.fish`, \
    `rebrand completions powershell >> $PROFILE`.")]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum, value_name = "SHELL")]
    shell: Shell,
}

impl CompletionsArgs {
    /// Prints the completion script on standard output. Exit 0.
    ///
    /// # Errors
    /// Standard output cannot be written.
    pub fn run(self) -> Result<ExitStatus, Error> {
        let mut script = Vec::new();
        clap_complete::generate(self.shell, &mut Cli::command(), "rebrand", &mut script);
        print(&script)
    }
}

/// The arguments of `rebrand man`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Read it with `rebrand man | man -l -`, or install it: \
    `rebrand man > ~/.local/share/man/man1/rebrand.1`.")]
pub struct ManArgs {
    /// A command whose own page to print (`rebrand-apply(1)`); by default the page of
    /// rebrand, which lists the commands.
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
}

impl ManArgs {
    /// Prints the manual page in roff on standard output. Exit 0.
    ///
    /// # Errors
    /// [`Error::Input`]: no such command; standard output cannot be written.
    pub fn run(self) -> Result<ExitStatus, Error> {
        let mut cli = Cli::command();
        // Built, each subcommand carries the global options and its display name, which
        // titles its page (`rebrand-apply`), as clap_mangen's `generate_to` names the files.
        cli.build();
        let page = match &self.command {
            None => cli,
            Some(name) => {
                let names: Vec<String> = cli
                    .get_subcommands()
                    .filter(|c| c.get_name() != "help")
                    .map(|c| c.get_name().to_string())
                    .collect();
                cli.find_subcommand(name).cloned().ok_or_else(|| {
                    Error::Input(format!(
                        "no command `{name}`: the commands are {}",
                        names.join(", ")
                    ))
                })?
            }
        };
        let mut roff = Vec::new();
        clap_mangen::Man::new(page)
            .source(format!("rebrand {}", crate::version::tool_version()))
            .render(&mut roff)?;
        print(&roff)
    }
}

/// Writes `bytes` to standard output (a closed one ends the run quietly, as everywhere).
///
/// # Errors
/// [`Error::Stdout`]: standard output cannot be written.
fn print(bytes: &[u8]) -> Result<ExitStatus, Error> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(ExitStatus::Success)
}
