//! Printing: aligned tables for lists, `key: value` blocks for single records, JSON under
//! `--json`, and errors with a hint on stderr.
//!
//! A tiny table printer is enough here (left-aligned columns, widths counted in characters);
//! it saves a dependency for what is a dozen lines.

use std::io::{self, Write};

use serde::Serialize;
use trialog_core::Timestamp;

use crate::failure::Failure;

/// Where and how a command prints.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as pretty JSON on stdout.
    pub fn json(&self, value: &impl Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: cannot write JSON: {e}"),
        }
    }

    /// Prints a single record: as JSON, or as a line of text followed by its block.
    pub fn record(&self, value: &impl Serialize, headline: Option<&str>, block: &Block) {
        if self.json {
            return self.json(value);
        }
        if let Some(line) = headline {
            println!("{line}");
        }
        block.print();
    }

    /// Prints a page: the page as JSON, or the table and a hint for the next page.
    pub fn page(&self, page: &impl Serialize, table: &Table, next_cursor: Option<&str>) {
        if self.json {
            return self.json(page);
        }
        if table.is_empty() {
            println!("(none)");
        } else {
            table.print();
        }
        if let Some(cursor) = next_cursor {
            println!("next page: --cursor {cursor}");
        }
    }

    /// Prints a failure on stderr: `error:` and `hint:` lines, or one JSON object.
    pub fn failure(&self, failure: &Failure) {
        let mut err = io::stderr().lock();
        let _ = if self.json {
            writeln!(err, "{}", failure.to_json())
        } else {
            let hint = failure.hint.as_deref().map(|h| format!("\nhint: {h}")).unwrap_or_default();
            writeln!(err, "error: {}{hint}", failure.message)
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

    /// Adds a row; missing cells print empty.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
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
        print!("{}", self.render());
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

    /// Adds a line; returns the block for chaining.
    pub fn line(mut self, key: &str, value: impl Into<String>) -> Self {
        self.lines.push((key.to_string(), value.into()));
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
        print!("{}", self.render());
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
    fn shell_quote_leaves_plain_paths_alone() {
        assert_eq!(shell_quote("/tmp/demo.redb"), "/tmp/demo.redb");
        assert_eq!(shell_quote("my demo.redb"), "'my demo.redb'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
