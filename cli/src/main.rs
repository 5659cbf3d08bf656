//! `trialog`: the operator's command for a trialog platform file.
//!
//! Each command group lives in its own module (`orgs`, `accounts`, `audit`, `file` for `init`
//! and `check`, `demo`); they share a [`session::Session`] (the open platform and the actor)
//! and print through [`output::Output`]. Every failure becomes a [`failure::Failure`] with an
//! exit code and a hint.

/// mimalloc rather than glibc's malloc: a served request allocates and frees many small
/// buffers, and glibc's allocator was a third of the server's time under load (the HTTP bench
/// in benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// First, so that its `outln!` and `out!` macros are known in every module below.
#[macro_use]
mod output;

mod accounts;
mod alerts;
mod args;
mod audit;
mod counsel;
mod courses;
mod demo;
mod demo_counsel;
mod demo_courses;
mod demo_data;
mod demo_forums;
mod demo_groups;
mod demo_jobs;
mod demo_knowledge;
mod demo_moderation;
mod demo_programmes;
mod failure;
mod file;
mod forums;
mod geo;
mod groups;
mod groups_hsds;
mod import_file;
mod inbox;
mod job_files;
mod jobs;
mod knowledge;
mod manual;
mod match_runs;
mod matching;
mod moderation;
mod moderation_eval;
mod notices;
mod orgs;
mod permissions;
mod programmes;
mod rights;
mod rooms;
mod search;
mod seekers;
mod serve;
mod session;
mod stats;
mod store;
mod suggestions;
mod usage;

use std::process::ExitCode;

use crate::args::{Cli, Command};
use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

fn main() -> ExitCode {
    let cli = usage::parse();
    let out = Output { json: cli.global.json };
    let acting_as_account = cli.global.acting_as.is_some();
    let result = run(cli, out).map_err(|failure| failure.for_actor(acting_as_account));
    // A closed pipe is not an error: only a stdout that failed otherwise (a full disk) is.
    let result = match output::finish_stdout() {
        Some(error) if result.is_ok() => Err(Failure::output_lost(error)),
        _ => result,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            out.failure(&failure);
            failure.exit_code()
        }
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
        Command::Compact => file::compact(&Session::open(&global, out)?),
        Command::Demo(args) => operator_only("demo").and_then(|()| demo::run(&global.db, args.fresh, out)),
        Command::Org(command) => orgs::run(&Session::open(&global, out)?, command),
        Command::Account(command) => accounts::run(&global, out, command),
        Command::Audit(command) => audit::run(&Session::open(&global, out)?, command),
        Command::Stats(command) => stats::run(&Session::open(&global, out)?, command),
        Command::Job(command) => jobs::run(&Session::open(&global, out)?, command),
        Command::Seeker(command) => seekers::run(&Session::open(&global, out)?, command),
        Command::Alert(command) => alerts::run(&Session::open(&global, out)?, command),
        Command::Inbox(args) => inbox::run(&Session::open(&global, out)?, args),
        Command::Notices(args) => notices::run(&Session::open(&global, out)?, args),
        Command::Geo(command) => geo::run(&Session::open(&global, out)?, command),
        Command::Match(command) => matching::run(&global, out, command),
        Command::Forum(command) => forums::run(&Session::open(&global, out)?, command),
        Command::Report(args) => moderation::report(&Session::open(&global, out)?, args),
        Command::Appeal(args) => moderation::appeal(&Session::open(&global, out)?, args),
        Command::Mod(command) => moderation::run(&Session::open(&global, out)?, command),
        Command::Knowledge(command) => knowledge::run(&Session::open(&global, out)?, command),
        Command::Topics(command) => knowledge::run_topics(&Session::open(&global, out)?, command),
        Command::Search(args) => search::run(&Session::open(&global, out)?, args),
        Command::Counsel(args) => counsel::run(&global, out, args),
        Command::Course(command) => courses::run(&Session::open(&global, out)?, command),
        Command::Programme(command) => programmes::run(&Session::open(&global, out)?, command),
        Command::Groups(command) => groups::run(&Session::open(&global, out)?, command),
        Command::Rooms(command) => rooms::run(&Session::open(&global, out)?, command),
        Command::Serve(args) => operator_only("serve").and_then(|()| serve::run(&global, out, args)),
        Command::Store(command) => operator_only("store").and_then(|()| store::run(out, command)),
        Command::Tick(args) => courses::tick(&Session::open(&global, out)?, args),
        Command::Retention(command) => rights::retention(&Session::open(&global, out)?, command),
        Command::Completions { shell } => operator_only("completions").map(|()| manual::completions(shell)),
        Command::Man => operator_only("man").and_then(|()| manual::man()),
    }
}
