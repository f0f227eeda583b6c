//! `rtdw completions` and `rtdw man`: generated from the clap definitions.
//! The checked-in copies under `completions/` and `man/` are tested for staleness.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;
use crate::exit::ExitStatus;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory to write the pages into
    #[arg(long, default_value = "man")]
    pub out: PathBuf,
}

pub fn completions(args: &CompletionsArgs) -> Result<ExitStatus> {
    // Into a buffer first: clap_complete panics on a write error, and a
    // closed stdout (`| head`) must be a quiet exit 0.
    let mut script = Vec::new();
    write_completion(args.shell, &mut script);
    std::io::Write::write_all(&mut std::io::stdout(), &script)?;
    Ok(ExitStatus::Success)
}

/// The completion script for one shell.
pub fn write_completion(shell: Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "rtdw", out);
}

pub fn man(args: &ManArgs) -> Result<ExitStatus> {
    write_man_pages(&args.out)?;
    Ok(ExitStatus::Success)
}

/// Every man page as (file name, roff text): `rtdw.1` and `rtdw-SUB.1` per subcommand.
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut pages = Vec::new();
    let mut cmd = Cli::command();
    // Building propagates the global options into every subcommand, so
    // each subcommand's page lists them too.
    cmd.build();
    collect_pages(&cmd, "rtdw", &mut pages)?;
    Ok(pages)
}

fn collect_pages(
    cmd: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> Result<()> {
    let mut buf = Vec::new();
    let named = cmd.clone().name(name.to_string());
    clap_mangen::Man::new(named).render(&mut buf)?;
    pages.push((format!("{name}.1"), buf));
    // clap's generated `help` subcommands get no page of their own.
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        collect_pages(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

pub fn write_man_pages(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, text) in man_pages()? {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The shells we check in completions for, with their file names.
pub const COMPLETION_FILES: [(Shell, &str); 4] = [
    (Shell::Bash, "rtdw.bash"),
    (Shell::Zsh, "_rtdw"),
    (Shell::Fish, "rtdw.fish"),
    (Shell::PowerShell, "_rtdw.ps1"),
];
