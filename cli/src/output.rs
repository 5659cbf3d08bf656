//! Printing: aligned tables for lists, `key: value` blocks for single records, JSON under
//! `--json`, and errors with a hint on stderr.
//!
//! Everything on stdout goes through [`outln!`] and [`out!`] (never `println!`): a reader that
//! went away (`| head -1`, `| true`) ends the output quietly instead of panicking, and the
//! command still finishes, so a write that was committed is never reported as a failure.
//!
//! Text from the file or the command line is shown with its control characters escaped
//! ([`printable`]), so a pseudonym or a post cannot move the cursor or recolour the terminal.
//!
//! A tiny table printer is enough here (left-aligned columns, widths counted in characters);
//! it saves a dependency for what is a dozen lines.

use std::fmt;
use std::io::{self, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::{Map, Value};
use trialog_core::Timestamp;

use crate::failure::Failure;

/// Prints a line on stdout, quietly dropping it once stdout is closed (see the module doc).
macro_rules! outln {
    () => {
        $crate::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Prints on stdout without a line end, like [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!($($arg)*))
    };
}

/// Set once writing to stdout failed: later output is dropped.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
/// Why stdout failed, when it was something other than a closed pipe (a full disk).
static STDOUT_ERROR: OnceLock<String> = OnceLock::new();

/// Writes to stdout with control characters other than line ends and tabs escaped (JSON has
/// none unescaped, so this touches only text from the file or the command line); the first
/// failure stops all later output (see the module doc).
pub fn write_stdout(args: fmt::Arguments<'_>) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let text = printable_body(&args.to_string());
    let mut stdout = io::stdout().lock();
    if let Err(error) = stdout.write_all(text.as_bytes()) {
        stdout_failed(&error);
    }
}

/// Flushes stdout at the end of the command; returns why the output was cut short, unless the
/// reason was only that nobody read it any more (a closed pipe).
pub fn finish_stdout() -> Option<&'static str> {
    if !STDOUT_GONE.load(Ordering::Relaxed)
        && let Err(error) = io::stdout().lock().flush()
    {
        stdout_failed(&error);
    }
    STDOUT_ERROR.get().map(String::as_str)
}

fn stdout_failed(error: &io::Error) {
    STDOUT_GONE.store(true, Ordering::Relaxed);
    if error.kind() != io::ErrorKind::BrokenPipe {
        let _ = STDOUT_ERROR.set(error.to_string());
    }
}

/// The JSON of every list: `{"items": [...], "next_cursor": null | "..."}`, with any keys a
/// list adds beside them (`unread`, `board`), so a script reads every list the same way.
#[derive(Debug, Serialize)]
pub struct Listing<'a, T> {
    pub items: &'a [T],
    /// The cursor of the next page; `null` on the last page and for lists shown whole.
    pub next_cursor: Option<&'a str>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<'a, T: Serialize> Listing<'a, T> {
    /// A page of `items`, followed by the page at `next_cursor`.
    pub fn new(items: &'a [T], next_cursor: Option<&'a str>) -> Self {
        Listing { items, next_cursor, extra: Map::new() }
    }

    /// Adds a key beside `items` (such as the board a page of threads belongs to).
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        self.extra.insert(key.to_string(), serde_json::to_value(value).unwrap_or(Value::Null));
        self
    }
}

/// Where and how a command prints.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as pretty JSON on stdout.
    pub fn json(&self, value: &impl Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => outln!("{text}"),
            Err(e) => eprintln!("error: cannot write JSON: {e}"),
        }
    }

    /// Prints a whole list (no further pages) as JSON: see [`Listing`].
    pub fn list_json<T: Serialize>(&self, items: &[T]) {
        self.json(&Listing::new(items, None));
    }

    /// Prints a single record: as JSON, or as a line of text followed by its block.
    pub fn record(&self, value: &impl Serialize, headline: Option<&str>, block: &Block) {
        if self.json {
            return self.json(value);
        }
        if let Some(line) = headline {
            outln!("{}", printable(line));
        }
        block.print();
    }

    /// Prints a page: as JSON (a [`Listing`]), or the table and a hint for the next page.
    pub fn page<T: Serialize>(&self, items: &[T], next_cursor: Option<&str>, table: &Table) {
        self.listing(&Listing::new(items, next_cursor), table);
    }

    /// Prints a list with keys of its own beside the items, as JSON or as the table.
    pub fn listing<T: Serialize>(&self, listing: &Listing<'_, T>, table: &Table) {
        if self.json {
            return self.json(listing);
        }
        if table.is_empty() {
            outln!("(none)");
        } else {
            table.print();
        }
        if let Some(cursor) = listing.next_cursor {
            outln!("next page: --cursor {cursor}");
        }
    }

    /// Prints a failure on stderr: `error:` and `hint:` lines, or one JSON object.
    pub fn failure(&self, failure: &Failure) {
        let mut err = io::stderr().lock();
        let _ = if self.json {
            writeln!(err, "{}", failure.to_json())
        } else {
            let hint = failure.hint.as_deref().map(|h| format!("\nhint: {h}")).unwrap_or_default();
            writeln!(err, "error: {}{hint}", printable(&failure.message))
        };
    }
}

/// A table with a header row, printed with columns padded to their widest cell.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column titles.
    pub fn new(header: &[&str]) -> Self {
        Table { header: header.iter().map(|h| h.to_string()).collect(), rows: Vec::new() }
    }

    /// Adds a row; missing cells print empty, control characters escaped.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.iter().map(|cell| printable(cell)).collect());
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text, one line per row, without trailing spaces.
    pub fn render(&self) -> String {
        let widths = self.widths();
        std::iter::once(&self.header)
            .chain(&self.rows)
            .map(|row| {
                let cells = widths.iter().enumerate().map(|(i, w)| {
                    let cell = row.get(i).map(String::as_str).unwrap_or("");
                    format!("{cell}{}", " ".repeat(w - cell.chars().count()))
                });
                cells.collect::<Vec<_>>().join("  ").trim_end().to_string() + "\n"
            })
            .collect()
    }

    fn print(&self) {
        out!("{}", self.render());
    }

    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                let len = cell.chars().count();
                match widths.get_mut(i) {
                    Some(w) => *w = (*w).max(len),
                    None => widths.push(len),
                }
            }
        }
        widths
    }
}

/// A single record as aligned `key: value` lines.
#[derive(Debug, Default)]
pub struct Block {
    lines: Vec<(String, String)>,
}

impl Block {
    /// An empty block.
    pub fn new() -> Self {
        Block::default()
    }

    /// Adds a line, control characters escaped; returns the block for chaining.
    pub fn line(mut self, key: &str, value: impl Into<String>) -> Self {
        self.lines.push((key.to_string(), printable(&value.into())));
        self
    }

    /// The block as text.
    pub fn render(&self) -> String {
        let width = self.lines.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0) + 1;
        self.lines
            .iter()
            .map(|(key, value)| {
                let label = format!("{key}:");
                format!("{label:<width$} {value}\n", width = width)
            })
            .collect()
    }

    /// Prints the block on stdout (for commands that print more than one record).
    pub fn print(&self) {
        out!("{}", self.render());
    }
}

/// A time as `2026-05-01 14:30 UTC`.
pub fn when(at: Timestamp) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// An optional text, with `-` for none.
pub fn or_dash(value: Option<&str>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or("-").to_string()
}

/// `text` with its control characters escaped (`\u{1b}`), for a terminal: line ends and tabs
/// are kept only in [`printable_body`].
pub fn printable(text: &str) -> String {
    escape_controls(text, |_| false)
}

/// Multi-line text (a post, a message) with its control characters escaped, but its line ends
/// and tabs kept.
pub fn printable_body(text: &str) -> String {
    escape_controls(text, |c| c == '\n' || c == '\t')
}

fn escape_controls(text: &str, keep: impl Fn(char) -> bool) -> String {
    if !text.chars().any(|c| is_control(c) && !keep(c)) {
        return text.to_string();
    }
    text.chars()
        .map(|c| if is_control(c) && !keep(c) { c.escape_unicode().to_string() } else { c.to_string() })
        .collect()
}

/// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Puts `text` in single quotes if the shell would otherwise split or expand it.
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '@' | ',' | '+'));
    if plain { text.to_string() } else { format!("'{}'", text.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_align_on_characters_not_bytes() {
        let mut table = Table::new(&["ID", "NAME"]);
        table.row(vec!["1".into(), "Søren".into()]);
        table.row(vec!["12".into(), "Kim".into()]);
        assert_eq!(table.render(), "ID  NAME\n1   Søren\n12  Kim\n");
    }

    #[test]
    fn block_keys_line_up() {
        let block = Block::new().line("id", "4").line("pseudonym", "Kim");
        assert_eq!(block.render(), "id:        4\npseudonym: Kim\n");
    }

    #[test]
    fn control_characters_are_escaped_but_line_ends_of_bodies_kept() {
        assert_eq!(printable("Kim\u{1b}[31m"), "Kim\\u{1b}[31m");
        assert_eq!(printable("a\nb"), "a\\u{a}b");
        assert_eq!(printable_body("a\nb\u{7}"), "a\nb\\u{7}");
        assert_eq!(printable("Søren"), "Søren");
    }

    #[test]
    fn a_table_escapes_its_cells() {
        let mut table = Table::new(&["NAME"]);
        table.row(vec!["x\u{1b}]0;owned\u{7}".into()]);
        assert_eq!(table.render(), "NAME\nx\\u{1b}]0;owned\\u{7}\n");
    }

    #[test]
    fn shell_quote_leaves_plain_paths_alone() {
        assert_eq!(shell_quote("/tmp/demo.redb"), "/tmp/demo.redb");
        assert_eq!(shell_quote("my demo.redb"), "'my demo.redb'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
