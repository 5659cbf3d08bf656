//! `trialog`: the operator's command for a trialog platform file.
//!
//! Each command group lives in its own module (`orgs`, `accounts`, `audit`, `file` for `init`
//! and `check`, `demo`); they share a [`session::Session`] (the open platform and the actor)
//! and print through [`output::Output`]. Every failure becomes a [`failure::Failure`] with an
//! exit code and a hint.

mod accounts;
mod alerts;
mod args;
mod audit;
mod counsel;
mod demo;
mod demo_counsel;
mod demo_data;
mod demo_forums;
mod demo_jobs;
mod demo_moderation;
mod failure;
mod file;
mod forums;
mod geo;
mod inbox;
mod job_files;
mod jobs;
mod match_runs;
mod matching;
mod moderation;
mod orgs;
mod output;
mod seekers;
mod session;
mod suggestions;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::failure::{EXIT_USAGE, Failure};
use crate::output::Output;
use crate::session::Session;

fn main() -> ExitCode {
    let cli = parse_args();
    let out = Output { json: cli.global.json };
    match run(cli, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            out.failure(&failure);
            failure.exit_code()
        }
    }
}

/// Parses the command line; on a usage error exits with 2, printing JSON when `--json` was given.
fn parse_args() -> Cli {
    match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() && std::env::args_os().any(|a| a == "--json") => {
            let text = error.render().to_string();
            let first = text.lines().next().unwrap_or_default().trim_start_matches("error: ").to_string();
            let failure = Failure::usage(first, "run `trialog --help` or `trialog COMMAND --help`");
            Output { json: true }.failure(&failure);
            std::process::exit(EXIT_USAGE.into())
        }
        Err(error) => error.exit(),
    }
}

/// Runs one command.
fn run(cli: Cli, out: Output) -> Result<(), Failure> {
    let global = cli.global;
    let operator_only = |command: &str| match &global.acting_as {
        Some(_) => Err(Failure::usage(
            format!("--as does not apply to `trialog {command}`"),
            format!("`trialog {command}` always runs as the operator; leave out --as"),
        )),
        None => Ok(()),
    };
    match cli.command {
        Command::Init => operator_only("init").and_then(|()| file::init(&global.db, out)),
        Command::Check => operator_only("check").and_then(|()| file::check(&global.db, out)),
        Command::Demo(args) => operator_only("demo").and_then(|()| demo::run(&global.db, args.fresh, out)),
        Command::Org(command) => orgs::run(&Session::open(&global, out)?, command),
        Command::Account(command) => accounts::run(&Session::open(&global, out)?, command),
        Command::Audit(command) => audit::run(&Session::open(&global, out)?, command),
        Command::Job(command) => jobs::run(&Session::open(&global, out)?, command),
        Command::Seeker(command) => seekers::run(&Session::open(&global, out)?, command),
        Command::Alert(command) => alerts::run(&Session::open(&global, out)?, command),
        Command::Inbox(args) => inbox::run(&Session::open(&global, out)?, args),
        Command::Geo(command) => geo::run(&Session::open(&global, out)?, command),
        Command::Match(command) => matching::run(&global, out, command),
        Command::Forum(command) => forums::run(&Session::open(&global, out)?, command),
        Command::Report(args) => moderation::report(&Session::open(&global, out)?, args),
        Command::Appeal(args) => moderation::appeal(&Session::open(&global, out)?, args),
        Command::Mod(command) => moderation::run(&Session::open(&global, out)?, command),
        Command::Counsel(args) => counsel::run(&global, out, args),
    }
}
