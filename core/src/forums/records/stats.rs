//! How the readers statistics are stored (see `forums::stats` for what is kept and why): view
//! counts and reader sets per month, reader sketches per quarter, and each period's key.

use crate::error::Result;
use crate::forums::model::BoardId;
use crate::forums::tables::{FORUM_MONTHLY, FORUM_QUARTER_SKETCHES, FORUM_READERS, FORUM_STAT_KEYS};
use crate::store::{ReadTable, Reader, TableRef, WriteTxn};

/// One view as it is counted: in which month and quarter, by which reader's hashes (none for
/// someone the statistics cannot tell apart).
pub(crate) struct View {
    pub month: u32,
    pub month_hash: Option<u64>,
    pub quarter: u32,
    pub quarter_hash: Option<u64>,
}

/// Counts a view in each of `boards` (a board, and the total of all): the month's views, a
/// new reader in the month's set, and the reader in the quarter's sketch through `sketch_add`
/// (which says whether the sketch changed).
pub(crate) fn add_view(
    txn: &WriteTxn,
    boards: [BoardId; 2],
    view: &View,
    sketch_add: impl Fn(&mut Vec<u8>, u64) -> bool,
) -> Result<()> {
    let mut monthly = txn.open_table(FORUM_MONTHLY)?;
    let mut readers = txn.open_table(FORUM_READERS)?;
    let mut sketches = txn.open_table(FORUM_QUARTER_SKETCHES)?;
    for b in boards {
        let new_reader = match view.month_hash {
            Some(h) => readers.insert((b.0, view.month, h), ())?.is_none(),
            None => false,
        };
        let (v, r) = monthly.get((b.0, view.month))?.map_or((0, 0), |v| v.value());
        monthly.put((b.0, view.month), (v + 1, r + u64::from(new_reader)))?;
        if let Some(h) = view.quarter_hash {
            let key = (b.0, view.quarter);
            let mut sketch = sketches.get(key)?.map_or_else(Vec::new, |v| v.value().to_vec());
            if sketch_add(&mut sketch, h) {
                sketches.put(key, sketch.as_slice())?;
            }
        }
    }
    Ok(())
}

/// The key of a period ("2026-03", "2026-Q1"), if it has one yet.
pub(crate) fn period_key(txn: &impl Reader, label: &str) -> Result<Option<Vec<u8>>> {
    Ok(txn.table(FORUM_STAT_KEYS)?.get(label)?.map(|k| k.value().to_vec()))
}

/// Stores a new period's key, deleting the keys of the other periods of its kind (months or
/// quarters); for a month (`month` given), deletes every other month's readers too.
pub(crate) fn start_period(txn: &WriteTxn, label: &str, key: &[u8], month: Option<u32>) -> Result<()> {
    let mut keys = txn.open_table(FORUM_STAT_KEYS)?;
    let quarterly = month.is_none();
    keys.retain(|other, _| other.contains('Q') != quarterly)?;
    keys.put(label, key)?;
    if let Some(month) = month {
        txn.open_table(FORUM_READERS)?.retain(|(_, m, _), _| m == month)?;
    }
    Ok(())
}

/// Every (board or 0 for all, month YYYYMM, views, readers) of `board` (of every board and the
/// total when `None`), in key order.
pub(crate) fn monthly_rows(txn: &impl Reader, board: Option<BoardId>) -> Result<Vec<(BoardId, u32, u64, u64)>> {
    let mut rows = Vec::new();
    for row in txn.table(FORUM_MONTHLY)?.iter()? {
        let (key, value) = row?;
        let ((b, month), (views, readers)) = (key.value(), value.value());
        if board.is_none_or(|id| id.0 == b) {
            rows.push((BoardId(b), month, views, readers));
        }
    }
    Ok(rows)
}

/// The quarters' reader sketches, opened once for a list of quarters.
pub(crate) struct Sketches<'t>(TableRef<'t, (u64, u32), &'static [u8]>);

impl Sketches<'_> {
    /// What `read` makes of a board's sketch of a quarter (YYYYQ); 0 when there is none.
    pub fn read(&self, board: BoardId, quarter: u32, read: impl FnOnce(&[u8]) -> u64) -> Result<u64> {
        Ok(self.0.get((board.0, quarter))?.map_or(0, |s| read(s.value())))
    }
}

pub(crate) fn sketches(txn: &impl Reader) -> Result<Sketches<'_>> {
    Ok(Sketches(txn.table(FORUM_QUARTER_SKETCHES)?))
}
