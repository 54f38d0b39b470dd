//! The `duban` binary: a thin command line over the engine and the store.
//!
//! Exit codes: 0 success, 1 failure (bad input file, database error), 2 bad usage (clap).

mod corpus_cmd;
mod eval_cmd;
mod extract_cmd;
mod fulfilment_cmd;
mod output;
mod research_cmd;
mod serve_cmd;
mod store_cmds;
mod verify_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// 督办 duban: from a government work report to a tracked plan.
#[derive(Debug, Parser)]
#[command(name = "duban", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract the heading tree, commitments and targets of a report (pages in order).
    Extract(extract_cmd::ExtractArgs),
    /// Score the engine against gold: one report (--gold) or a whole set (--set DIR --corpus ROOT).
    Eval(eval_cmd::EvalArgs),
    /// Run the engine over a JSONL corpus or a manifest of whole reports, and check each report.
    Corpus(corpus_cmd::CorpusArgs),
    /// Check year N's plan against year N+1's review (兑现), or score against gold pairs.
    Verify(verify_cmd::VerifyArgs),
    /// The target panel of a dataset (government × year × indicator) and its charts.
    Panel(research_cmd::PanelArgs),
    // STORE-COMMANDS: the store's subcommands are wired in here.
    /// Import a report into the store as a plan.
    Import(store_cmds::ImportArgs),
    /// Manage users.
    User(store_cmds::UserArgs),
    /// Manage departments.
    Department(store_cmds::DepartmentArgs),
    /// Check the audit log.
    Audit(store_cmds::AuditArgs),
    /// Write the whole database to a portable file (JSON Lines).
    Backup(store_cmds::FileArgs),
    /// Read a backup into an empty database.
    Restore(store_cmds::FileArgs),
    /// Serve the web application (portal, internal pages, JSON API).
    Serve(serve_cmd::ServeArgs),
    /// The stored fulfilment verdicts (兑现) of a plan: recompute or show them.
    Fulfilment(fulfilment_cmd::FulfilmentArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract_cmd::extract(&args),
        Command::Eval(args) => eval_cmd::eval(&args),
        Command::Corpus(args) => corpus_cmd::corpus(&args),
        Command::Verify(args) => verify_cmd::verify(&args),
        Command::Panel(args) => research_cmd::panel(&args),
        Command::Import(args) => store_cmds::import(&args),
        Command::User(args) => store_cmds::user(&args),
        Command::Department(args) => store_cmds::department(&args),
        Command::Audit(args) => store_cmds::audit(&args),
        Command::Backup(args) => store_cmds::backup(&args),
        Command::Restore(args) => store_cmds::restore(&args),
        Command::Serve(args) => serve_cmd::serve(&args),
        Command::Fulfilment(args) => fulfilment_cmd::fulfilment(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("duban: {error:#}");
            ExitCode::FAILURE
        }
    }
}
