//! `trialog completions SHELL` and `trialog man`: the command tree of [`crate::usage::command`]
//! as a shell completion script (clap_complete) and as a manual page (clap_mangen), so both
//! always match the commands this build has.

use crate::failure::Failure;
use crate::usage;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut usage::command(), "trialog", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
}

/// Prints the manual page in roff: the overview, every option, the command list and the exit codes.
pub fn man() -> Result<(), Failure> {
    let mut page = Vec::new();
    clap_mangen::Man::new(usage::command())
        .render(&mut page)
        .map_err(|e| Failure::io("cannot render the manual page", e))?;
    out!("{}", String::from_utf8_lossy(&page));
    Ok(())
}
