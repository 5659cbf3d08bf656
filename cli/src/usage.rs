//! Reading the command line: the clap command tree with the CLI's settings, and clap's errors
//! turned into the CLI's own failures, so that under `--json` a usage error is one JSON object
//! that names the argument at fault, and a negative count names its field like every other bad
//! input (`--days -5` → "days: must be positive").

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};
use serde_json::Value;
use trialog_core::Error;

use crate::args::Cli;
use crate::failure::Failure;
use crate::output::{Output, printable, printable_body};

/// The whole command tree, as parsed and as shown by `completions` and `man`.
///
/// Negative numbers are taken as values everywhere, so that `--days -5` is refused for its
/// sign (naming `days`) instead of being mistaken for an unknown option `-5`.
pub fn command() -> clap::Command {
    allow_negative_numbers(Cli::command())
}

/// Parses the command line, or prints the usage error and exits (2, or 1 for a negative count);
/// `--help` and `--version` print and exit 0 as usual.
pub fn parse() -> Cli {
    let json = std::env::args_os().any(|a| a == "--json");
    let parsed = command().try_get_matches().and_then(|matches| Cli::from_arg_matches(&matches));
    match parsed {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => error.exit(),
        Err(error) => {
            let failure = match negative_number(&error) {
                Some(failure) => failure,
                None if json => usage_failure(&error),
                None if arguments_hold_control_characters() => {
                    // clap echoes what was typed: shown plain, with the control characters escaped.
                    eprint!("{}", printable_body(&error.render().to_string()));
                    std::process::exit(error.exit_code())
                }
                None => error.exit(),
            };
            Output { json }.failure(&failure);
            std::process::exit(failure.exit.into())
        }
    }
}

fn arguments_hold_control_characters() -> bool {
    std::env::args_os().any(|a| printable(&a.to_string_lossy()) != a.to_string_lossy())
}

fn allow_negative_numbers(command: clap::Command) -> clap::Command {
    command.allow_negative_numbers(true).mut_subcommands(allow_negative_numbers)
}

/// `--days -5` for an unsigned option: invalid input on the option's field.
fn negative_number(error: &clap::Error) -> Option<Failure> {
    let value = string_context(error, ContextKind::InvalidValue)?;
    let negative = value.strip_prefix('-').is_some_and(|rest| rest.parse::<f64>().is_ok());
    if error.kind() != ErrorKind::ValueValidation || !negative {
        return None;
    }
    let field = argument_name(&string_context(error, ContextKind::InvalidArg)?);
    let mut failure = Failure::from(Error::invalid(&field, "must be positive"));
    failure.message = format!("{field}: must be positive (got {value})");
    failure.hint = Some(format!("give a number of 0 or more to --{}", field.replace('_', "-")));
    Some(failure)
}

/// Any other usage error, for `--json`: clap's first line, with the argument(s) at fault named
/// in `argument` (and `arguments` when several are missing).
fn usage_failure(error: &clap::Error) -> Failure {
    let names: Vec<String> = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(name)) => vec![name.clone()],
        Some(ContextValue::Strings(names)) => names.clone(),
        _ => Vec::new(),
    };
    let message = match error.kind() {
        ErrorKind::MissingRequiredArgument if !names.is_empty() => {
            format!("missing argument: {}", names.join(", "))
        }
        _ => first_line(error),
    };
    let mut failure = Failure::usage(message, "run `trialog --help` or `trialog COMMAND --help`");
    if let Some(first) = names.first() {
        failure.details.insert("argument".into(), Value::String(argument_name(first)));
    }
    if names.len() > 1 {
        let all = names.iter().map(|n| Value::String(argument_name(n))).collect();
        failure.details.insert("arguments".into(), Value::Array(all));
    }
    failure
}

fn first_line(error: &clap::Error) -> String {
    let text = error.render().to_string();
    text.lines().next().unwrap_or_default().trim_start_matches("error: ").to_string()
}

fn string_context(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(text) => Some(text.clone()),
        _ => None,
    }
}

/// The field behind clap's name of an argument: `--days <DAYS>` → `days`, `<PSEUDONYM>` →
/// `pseudonym`, `--content-key-file <PATH>` → `content_key_file`.
fn argument_name(shown: &str) -> String {
    let name = shown.split([' ', '=']).next().unwrap_or(shown);
    let name = name.trim_start_matches('-').trim_start_matches('<').trim_end_matches("...").trim_end_matches('>');
    name.to_lowercase().replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_names_become_field_names() {
        assert_eq!(argument_name("--days <DAYS>"), "days");
        assert_eq!(argument_name("<PSEUDONYM>"), "pseudonym");
        assert_eq!(argument_name("<JOB>..."), "job");
        assert_eq!(argument_name("--content-key-file <PATH>"), "content_key_file");
    }

    #[test]
    fn every_option_and_argument_has_a_help_line() {
        let mut missing = Vec::new();
        collect_missing_help(&command(), "trialog", &mut missing);
        assert!(missing.is_empty(), "options and arguments without a help line:\n{}", missing.join("\n"));
    }

    fn collect_missing_help(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            collect_missing_help(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
}
