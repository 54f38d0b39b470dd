//! `duban extract`, `duban eval`, `duban corpus`: the engine's commands.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

/// Arguments of `duban extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The report's files, pages in order.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Arguments of `duban eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The report's files, pages in order.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Arguments of `duban corpus`.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// A JSONL file with one report per line.
    pub file: PathBuf,
}

/// Runs `duban extract`.
pub fn extract(_args: &ExtractArgs) -> Result<()> {
    Ok(())
}

/// Runs `duban eval`.
pub fn eval(_args: &EvalArgs) -> Result<()> {
    Ok(())
}

/// Runs `duban corpus`.
pub fn corpus(_args: &CorpusArgs) -> Result<()> {
    Ok(())
}
