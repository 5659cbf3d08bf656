//! What a PostgreSQL transaction knows of its rows without asking the server: the values it
//! has read, and the writes it has not sent yet (issue 26: a round trip over a local socket
//! costs more than a whole thread page on redb).
//!
//! - **Reads are remembered.** A key read once in a transaction is not asked for again (its
//!   snapshot cannot change under it), and a key it wrote reads back as written. Domain code
//!   loads the same account, thread or board several times per operation; each costs one trip.
//! - **Writes wait.** `insert`, `remove` and `retain` stage their rows here instead of sending
//!   a statement each; the staged rows go to the server together: before anything reads a
//!   range or counts a table (so that it sees them), when the feed lock is taken, and with the
//!   `COMMIT` itself — one batch of `INSERT … ON CONFLICT DO UPDATE` and `DELETE` statements
//!   per table with the keys and values written as hex literals, followed by `COMMIT`, in one
//!   round trip. Staged rows past [`LITERAL_MOST`] bytes go as arrays in prepared statements
//!   first (a migration rewriting millions of rows), and past [`STAGED_MOST`] they are sent
//!   at once, so memory stays bounded.
//! - Serializable isolation is unchanged: the writes still happen inside the transaction,
//!   before its `COMMIT`; a conflict they cause shows at the flush or the `COMMIT`, where the
//!   write is retried as before. What `insert` and `remove` return (the value replaced) comes
//!   from what the transaction knows, or from one point read.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Staged bytes beyond which a flush sends arrays in prepared statements rather than literals.
pub(super) const LITERAL_MOST: usize = 256 * 1024;
/// Staged bytes beyond which the rows are sent before the transaction goes on.
pub(super) const STAGED_MOST: usize = 8 * 1024 * 1024;
/// Rows read that a transaction remembers at most (a scan by point reads of a whole table
/// must not keep it all in memory); reads past it go to the server each time.
const REMEMBERED_MOST: usize = 16 * 1024;

/// A row as the transaction sees it: its value, or `None` for no row.
pub(super) type Seen = Option<Vec<u8>>;

/// The rows of one transaction known here (see the module documentation).
#[derive(Default)]
pub(super) struct Known {
    /// Rows read, and rows written once they are sent (until then they are in `staged`), per
    /// table: a lookup borrows the key it is given rather than copying it into a probe.
    rows: HashMap<&'static str, HashMap<Vec<u8>, Seen>>,
    /// How many rows `rows` holds, of every table (bounded by [`REMEMBERED_MOST`]).
    remembered: usize,
    /// Writes not yet sent: per table, per key, the value or `None` for a removal.
    staged: BTreeMap<&'static str, BTreeMap<Vec<u8>, Seen>>,
    staged_bytes: usize,
    /// First pages of ranges read ahead, each taken by the scan of exactly that range that
    /// reads it ([`super::PgRange`]), or, when whole, read by every scan within it.
    first_pages: Vec<FirstPage>,
}

/// A range's normalised bounds (an inclusive lower bound, an exclusive upper bound or none)
/// and the end it is read from.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct PageRange {
    pub lower: Vec<u8>,
    pub upper: Option<Vec<u8>>,
    pub backwards: bool,
}

impl PageRange {
    /// Whether every key of `inner` is within this range.
    fn holds(&self, inner: &PageRange) -> bool {
        let upper_holds = match (&self.upper, &inner.upper) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(mine), Some(theirs)) => theirs <= mine,
        };
        self.lower <= inner.lower && upper_holds
    }
}

/// The first page of a range read ahead, in the order it was read.
struct FirstPage {
    table: &'static str,
    range: PageRange,
    rows: Vec<(Vec<u8>, Vec<u8>)>,
    /// Shorter than asked for: every row of the range.
    whole: bool,
}

/// Staged writes of one table, taken out to be sent.
pub(super) struct TableWrites {
    pub table: &'static str,
    pub upserts: Vec<(Vec<u8>, Vec<u8>)>,
    pub deletes: Vec<Vec<u8>>,
}

impl Known {
    /// What the transaction knows of `key` in `table`: `Some(seen)` when it read or wrote it.
    pub fn get(&self, table: &'static str, key: &[u8]) -> Option<Seen> {
        self.seen(table, key).cloned()
    }

    /// Whether the transaction read or wrote `key` in `table` (what [`Known::get`] would
    /// return, without copying the value).
    pub fn knows(&self, table: &'static str, key: &[u8]) -> bool {
        self.seen(table, key).is_some()
    }

    fn seen(&self, table: &'static str, key: &[u8]) -> Option<&Seen> {
        match self.staged.get(table).and_then(|rows| rows.get(key)) {
            Some(seen) => Some(seen),
            None => self.rows.get(table).and_then(|rows| rows.get(key)),
        }
    }

    /// Notes what the server said of `key` (while fewer than [`REMEMBERED_MOST`] are noted).
    pub fn read(&mut self, table: &'static str, key: Vec<u8>, seen: Seen) {
        if self.remembered < REMEMBERED_MOST && self.rows.entry(table).or_default().insert(key, seen).is_none() {
            self.remembered += 1;
        }
    }

    /// Forgets what was read of `key` in `table`.
    fn unread(&mut self, table: &'static str, key: &[u8]) {
        if let Some(rows) = self.rows.get_mut(table)
            && rows.remove(key).is_some()
        {
            self.remembered -= 1;
        }
    }

    /// Notes the first page of the range `lower..upper` of `table` read ahead from the low end
    /// (`backwards`: from the high end, rows in descending order); `whole` when the page came
    /// back shorter than asked for, so that it holds every row of the range.
    pub fn first_page(&mut self, table: &'static str, range: PageRange, rows: Vec<(Vec<u8>, Vec<u8>)>, whole: bool) {
        self.first_pages.push(FirstPage { table, range, rows, whole });
    }

    pub fn has_first_page(&self, table: &str, range: &PageRange) -> bool {
        self.first_pages.iter().any(|p| p.table == table && p.range == *range)
    }

    /// The first page of a scan of `range` in `table` (from the end `range.backwards` names),
    /// if it is known: the rows within `range` of a page read ahead whole whose range holds it
    /// (kept for other scans), else the page read ahead for exactly this range (taken).
    pub fn take_first_page(&mut self, table: &str, range: &PageRange) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
        let within = |key: &[u8]| key >= range.lower.as_slice() && range.upper.as_deref().is_none_or(|u| key < u);
        let holding = self.first_pages.iter().find(|p| p.table == table && p.whole && p.range.holds(range));
        if let Some(page) = holding {
            let mut rows: Vec<_> = page.rows.iter().filter(|(k, _)| within(k)).cloned().collect();
            if page.range.backwards != range.backwards {
                rows.reverse();
            }
            return Some(rows);
        }
        let at = self.first_pages.iter().position(|p| p.table == table && p.range == *range)?;
        Some(self.first_pages.swap_remove(at).rows)
    }

    /// Stages a write of `key` (`None`: its removal); `true` when the staged rows have grown
    /// past [`STAGED_MOST`] and should be sent now.
    pub fn stage(&mut self, table: &'static str, key: Vec<u8>, seen: Seen) -> bool {
        self.staged_bytes += key.len() + seen.as_ref().map_or(0, Vec::len);
        // A page read ahead would not show the write.
        self.first_pages.retain(|p| p.table != table);
        self.unread(table, &key);
        self.staged.entry(table).or_default().insert(key, seen);
        self.staged_bytes > STAGED_MOST
    }

    pub fn has_staged(&self) -> bool {
        !self.staged.is_empty()
    }

    pub fn has_staged_in(&self, table: &str) -> bool {
        self.staged.contains_key(table)
    }

    pub fn staged_bytes(&self) -> usize {
        self.staged_bytes
    }

    /// Forgets what is known of `table` (its rows were written around this record, or it
    /// was dropped).
    pub fn forget(&mut self, table: &'static str) {
        if let Some(rows) = self.rows.remove(table) {
            self.remembered -= rows.len();
        }
        self.staged.remove(table);
        self.first_pages.retain(|p| p.table != table);
    }

    /// Takes the staged writes out, table by table; they stay known as read.
    pub fn take_staged(&mut self) -> Vec<TableWrites> {
        self.staged_bytes = 0;
        std::mem::take(&mut self.staged)
            .into_iter()
            .map(|(table, rows)| {
                let mut writes = TableWrites { table, upserts: Vec::new(), deletes: Vec::new() };
                for (key, seen) in rows {
                    self.read(table, key.clone(), seen.clone());
                    match seen {
                        Some(value) => writes.upserts.push((key, value)),
                        None => writes.deletes.push(key),
                    }
                }
                writes
            })
            .collect()
    }
}

/// The statements that write `writes` into the table named (schema-qualified) by `name`, with
/// keys and values as hex literals: they need no parameters, so they go in one batch with the
/// statement that follows them (the feed lock, `COMMIT`). Hex digits are all a literal holds.
pub(super) fn literal_sql(sql: &mut String, name: &str, writes: &TableWrites) {
    if !writes.upserts.is_empty() {
        let _ = write!(sql, "INSERT INTO {name} (key, value) VALUES ");
        for (i, (key, value)) in writes.upserts.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            hex_literal(sql, key);
            sql.push_str(", ");
            hex_literal(sql, value);
            sql.push(')');
        }
        sql.push_str(" ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value; ");
    }
    if !writes.deletes.is_empty() {
        let _ = write!(sql, "DELETE FROM {name} WHERE key IN (");
        for (i, key) in writes.deletes.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            hex_literal(sql, key);
        }
        sql.push_str("); ");
    }
}

/// `decode('…', 'hex')`: a `bytea` whatever `standard_conforming_strings` says.
pub(super) fn hex_literal(sql: &mut String, bytes: &[u8]) {
    sql.push_str("decode('");
    for byte in bytes {
        let _ = write!(sql, "{byte:02x}");
    }
    sql.push_str("', 'hex')");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_write_of_a_key_wins_and_reads_back() {
        let mut known = Known::default();
        assert_eq!(known.get("t", b"k"), None, "nothing known yet");
        known.read("t", b"k".to_vec(), Some(b"old".to_vec()));
        assert_eq!(known.get("t", b"k"), Some(Some(b"old".to_vec())));
        known.stage("t", b"k".to_vec(), Some(b"new".to_vec()));
        known.stage("t", b"gone".to_vec(), Some(b"x".to_vec()));
        known.stage("t", b"gone".to_vec(), None);
        assert_eq!(known.get("t", b"k"), Some(Some(b"new".to_vec())));
        assert_eq!(known.get("t", b"gone"), Some(None), "a staged removal reads as no row");
        let writes = known.take_staged();
        assert_eq!(writes.len(), 1);
        assert_eq!(writes[0].upserts, vec![(b"k".to_vec(), b"new".to_vec())]);
        assert_eq!(writes[0].deletes, vec![b"gone".to_vec()]);
        assert!(!known.has_staged());
        assert_eq!(known.get("t", b"k"), Some(Some(b"new".to_vec())), "sent rows stay known");
    }

    #[test]
    fn staged_rows_become_statements_of_hex_literals_only() {
        let writes = TableWrites {
            table: "t",
            upserts: vec![(vec![0x00, 0xff], b"'; DROP".to_vec()), (vec![], vec![1])],
            deletes: vec![vec![0x27]],
        };
        let mut sql = String::new();
        literal_sql(&mut sql, "\"s\".\"t\"", &writes);
        assert_eq!(
            sql,
            "INSERT INTO \"s\".\"t\" (key, value) VALUES (decode('00ff', 'hex'), decode('273b2044524f50', 'hex')), \
             (decode('', 'hex'), decode('01', 'hex')) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value; \
             DELETE FROM \"s\".\"t\" WHERE key IN (decode('27', 'hex')); "
        );
    }

    #[test]
    fn staging_past_the_bound_asks_for_a_flush() {
        let mut known = Known::default();
        assert!(!known.stage("t", vec![1], Some(vec![0; 1024])));
        assert!(known.stage("t", vec![2], Some(vec![0; STAGED_MOST])));
        known.forget("t");
        assert!(!known.has_staged() && known.get("t", &[1]).is_none());
    }
}
