//! Readers statistics: thread views and unique readers per board (and for all boards), per
//! month and per quarter — the figures TriN reports ("over 6,000 forum readers a quarter").
//!
//! Privacy by construction:
//! - A reader is an account, or a visitor who is not signed in through an opaque token the
//!   host supplies (a cookie's value). Neither is stored: each month has a random key, and only
//!   a keyed hash (BLAKE2b-MAC, 64 bits) of the reader goes into that month's set. When a new
//!   month begins, the old month's key and its hashes are deleted; its counts remain. So nobody
//!   can be followed from one month to the next, not even by whoever holds the file.
//! - A quarter's unique readers cannot be the sum of its months (the same person would count
//!   three times), and linking the months would defeat the monthly key. So each quarter keeps a
//!   sketch under its own key: up to [`SPARSE_MAX`] readers it is the sorted list of their keyed
//!   hashes (exact, like a month's set — small boards sit near the reporting threshold, where an
//!   estimate would hide or show them by chance); beyond that a HyperLogLog sketch (1,024
//!   one-byte registers, about 3 % error) that holds no entry per reader, only, per register,
//!   the longest run of zero bits seen. Its key is deleted when the quarter ends.
//! - Reports withhold reader counts of 1 to k ([`crate::disclosure`]): smaller counts could
//!   name a person on a small board.

use crate::store::WriteTxn;
use blake2::Blake2bMac;
use blake2::digest::consts::U8;
use blake2::digest::{FixedOutput, KeyInit, Update};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::model::{BoardId, ThreadId};
use super::records::{self, View};
use super::{Forums, Viewer, boards};
use crate::accounts::named_enum;
use crate::actor::{Actor, Subject};
use crate::clock::Timestamp;
use crate::disclosure;
use crate::error::{Error, Result};
use crate::policy::{self, Action};

/// The longest visitor token accepted.
const MAX_VISITOR: usize = 200;
/// HyperLogLog: 2^10 registers.
const SKETCH_BITS: u32 = 10;
const REGISTERS: usize = 1 << SKETCH_BITS;
/// Row key for "all boards".
pub(super) const ALL_BOARDS: BoardId = BoardId(0);

/// How statistics are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum StatsPeriod {
    Month,
    Quarter,
}

named_enum!(StatsPeriod, "period", Month => "month", Quarter => "quarter");

/// Views and unique readers of one board (or all boards) in one month or quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReaderStats {
    /// Absent for the total of all boards.
    pub board: Option<BoardId>,
    /// "2026-03" or "2026-Q1".
    pub period: String,
    pub views: u64,
    /// Unique readers (a quarter's estimated, within about 3 %); absent when the disclosure
    /// rules withhold them (1 to k readers, k = 4 unless an admin sets another).
    pub readers: Option<u64>,
}

impl Forums<'_> {
    /// Counts one view of a thread without returning it (for hosts that show threads from a
    /// cache); [`Forums::read_thread`] counts its views itself. See the module documentation
    /// for `visitor`.
    pub fn record_view(&self, actor: &Actor, thread: ThreadId, visitor: Option<&str>) -> Result<()> {
        self.ctx.write(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let (board, _) = super::threads::readable_thread(txn, &viewer, thread)?;
            record_view(txn, subject, board.id, thread, visitor, now)
        })
    }

    /// Views and unique readers per month or quarter, oldest first: of one board, or of every
    /// board and all of them together (moderators and admins).
    pub fn stats(&self, actor: &Actor, period: StatsPeriod, board: Option<BoardId>) -> Result<Vec<ReaderStats>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewForumStats, now)?;
            if let Some(id) = board {
                boards::readable(txn, &Viewer::new(subject, now), id)?;
            }
            let rows = records::monthly_rows(txn, board)?;
            let k = disclosure::threshold(txn)?;
            let out = match period {
                StatsPeriod::Month => rows.into_iter().map(|(b, month, views, readers)| ReaderStats {
                    board: (b != ALL_BOARDS).then_some(b),
                    period: format!("{:04}-{:02}", month / 100, month % 100),
                    views,
                    readers: k.count(readers),
                }),
                StatsPeriod::Quarter => return quarters(txn, rows, k),
            };
            Ok(sorted(out.collect()))
        })
    }
}

/// Counts a view of `thread` in `board` by `subject` (and `visitor`, for someone not signed in).
pub(crate) fn record_view(
    txn: &WriteTxn,
    subject: &Subject,
    board: BoardId,
    thread: ThreadId,
    visitor: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let reader = reader_of(subject, visitor)?;
    records::add_thread_view(txn, thread)?;
    let month = month_of(now);
    let month_hash = match &reader {
        Some(reader) => Some(keyed_hash(&period_key(txn, &month_label(month), now)?, reader)),
        None => None,
    };
    let quarter_hash = match &reader {
        Some(reader) => Some(keyed_hash(&period_key(txn, &quarter_label(quarter_of(now)), now)?, reader)),
        None => None,
    };
    let view = View { month, month_hash, quarter: quarter_of(now), quarter_hash };
    records::add_view(txn, [board, ALL_BOARDS], &view, sketch_add)
}

/// Who reads, as the bytes that are hashed: an account, or the host's visitor token.
fn reader_of(subject: &Subject, visitor: Option<&str>) -> Result<Option<Vec<u8>>> {
    if let Some(account) = subject.account() {
        return Ok(Some(format!("account:{}", account.id).into_bytes()));
    }
    match visitor.map(str::trim) {
        None | Some("") => Ok(None),
        Some(token) if token.chars().count() > MAX_VISITOR || token.chars().any(char::is_control) => {
            Err(Error::invalid(
                "visitor",
                format!("must be a token of at most {MAX_VISITOR} characters without control characters"),
            ))
        }
        Some(token) => Ok(Some(format!("visitor:{token}").into_bytes())),
    }
}

/// The key of a period, created at random the first time the period is seen. Creating a new
/// month's key deletes every other month's key and readers; a new quarter's key deletes the
/// other quarters' keys. Their counts and sketches stay.
fn period_key(txn: &WriteTxn, label: &str, now: Timestamp) -> Result<Vec<u8>> {
    if let Some(key) = records::period_key(txn, label)? {
        return Ok(key);
    }
    let mut key = vec![0u8; 32];
    getrandom::fill(&mut key)
        .map_err(|e| Error::Internal { detail: format!("no randomness for a statistics key: {e}") })?;
    let month = (!label.contains('Q')).then(|| month_of(now));
    records::start_period(txn, label, &key, month)?;
    Ok(key)
}

fn keyed_hash(key: &[u8], reader: &[u8]) -> u64 {
    let mut mac = <Blake2bMac<U8> as KeyInit>::new_from_slice(key).expect("a 32-byte key suits BLAKE2b");
    mac.update(reader);
    u64::from_le_bytes(mac.finalize_fixed().into())
}

/// A quarter's readers are counted exactly up to this many; then the sketch turns into
/// HyperLogLog registers.
pub(crate) const SPARSE_MAX: usize = 96;

/// Adds a reader's hash to a quarter's sketch — sparse (the sorted hashes, 8 bytes each, fewer
/// than [`REGISTERS`] bytes) or dense (exactly [`REGISTERS`] register bytes); returns whether
/// the sketch changed.
fn sketch_add(sketch: &mut Vec<u8>, hash: u64) -> bool {
    if sketch.len() == REGISTERS {
        return register_add(sketch, hash);
    }
    let mut hashes: Vec<u64> = sparse_hashes(sketch).collect();
    let Err(at) = hashes.binary_search(&hash) else { return false };
    hashes.insert(at, hash);
    *sketch = if hashes.len() > SPARSE_MAX {
        let mut registers = vec![0u8; REGISTERS];
        for h in hashes {
            register_add(&mut registers, h);
        }
        registers
    } else {
        hashes.iter().flat_map(|h| h.to_le_bytes()).collect()
    };
    true
}

fn sparse_hashes(sketch: &[u8]) -> impl Iterator<Item = u64> + '_ {
    sketch.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("chunks of 8")))
}

/// Adds a hash to HyperLogLog registers; returns whether a register changed.
fn register_add(registers: &mut [u8], hash: u64) -> bool {
    let index = (hash >> (64 - SKETCH_BITS)) as usize;
    let rest = hash << SKETCH_BITS;
    let rank = (rest.leading_zeros().min(64 - SKETCH_BITS) + 1) as u8;
    match registers.get_mut(index) {
        Some(register) if *register < rank => {
            *register = rank;
            true
        }
        _ => false,
    }
}

/// The number of readers in a sketch: exact while sparse, else the HyperLogLog estimate (with
/// linear counting for small numbers).
pub(super) fn sketch_estimate(sketch: &[u8]) -> u64 {
    if sketch.len() != REGISTERS {
        return (sketch.len() / 8) as u64;
    }
    let m = sketch.len() as f64;
    let zeros = sketch.iter().filter(|r| **r == 0).count();
    let sum: f64 = sketch.iter().map(|r| (-f64::from(*r)).exp2()).sum();
    let alpha = 0.7213 / (1.0 + 1.079 / m);
    let raw = alpha * m * m / sum;
    let estimate = if raw <= 2.5 * m && zeros > 0 { m * (m / zeros as f64).ln() } else { raw };
    estimate.round() as u64
}

fn quarters(
    txn: &crate::store::ReadTxn,
    rows: Vec<(BoardId, u32, u64, u64)>,
    k: disclosure::Threshold,
) -> Result<Vec<ReaderStats>> {
    let mut grouped: std::collections::BTreeMap<(BoardId, u32), u64> = std::collections::BTreeMap::new();
    for (b, month, views, _) in rows {
        *grouped.entry((b, month / 100 * 10 + (month % 100).div_ceil(3))).or_default() += views;
    }
    let sketches = records::sketches(txn)?;
    let mut out = Vec::new();
    for ((b, quarter), views) in grouped {
        let readers = sketches.read(b, quarter, sketch_estimate)?;
        out.push(ReaderStats {
            board: (b != ALL_BOARDS).then_some(b),
            period: quarter_label(quarter),
            views,
            readers: k.count(readers),
        });
    }
    Ok(sorted(out))
}

/// Oldest first; per period, all boards together first, then by board.
fn sorted(mut rows: Vec<ReaderStats>) -> Vec<ReaderStats> {
    rows.sort_by(|a, b| a.period.cmp(&b.period).then(a.board.cmp(&b.board)));
    rows
}

fn month_of(now: Timestamp) -> u32 {
    now.year().unsigned_abs() * 100 + now.month()
}

/// Year × 10 + quarter (1–4).
fn quarter_of(now: Timestamp) -> u32 {
    now.year().unsigned_abs() * 10 + now.month().div_ceil(3)
}

fn month_label(month: u32) -> String {
    format!("{:04}-{:02}", month / 100, month % 100)
}

fn quarter_label(quarter: u32) -> String {
    format!("{:04}-Q{}", quarter / 10, quarter % 10)
}

#[cfg(test)]
mod tests {
    use crate::forums::tables::{FORUM_READERS, FORUM_STAT_KEYS};
    use crate::store::{ReadTable, Reader};

    use super::*;

    #[test]
    fn sketches_count_small_numbers_exactly_and_large_ones_closely() {
        let mut sketch = Vec::new();
        let key = [7u8; 32];
        for n in 0..SPARSE_MAX as u32 {
            assert!(sketch_add(&mut sketch, keyed_hash(&key, &n.to_le_bytes())));
            assert!(!sketch_add(&mut sketch, keyed_hash(&key, &n.to_le_bytes())), "a reader counts once");
            assert_eq!(sketch_estimate(&sketch), u64::from(n) + 1);
        }
        sketch_add(&mut sketch, keyed_hash(&key, b"one more"));
        assert_eq!(sketch.len(), REGISTERS, "past SPARSE_MAX the sketch keeps registers only");
        let estimate = sketch_estimate(&sketch);
        assert!(estimate.abs_diff(SPARSE_MAX as u64 + 1) <= 5, "{estimate}");
        for n in SPARSE_MAX as u32..20_000 {
            sketch_add(&mut sketch, keyed_hash(&key, &n.to_le_bytes()));
        }
        let estimate = sketch_estimate(&sketch) as f64;
        assert!((estimate - 20_000.0).abs() < 20_000.0 * 0.1, "{estimate}");
    }

    #[test]
    fn different_keys_give_unrelated_hashes() {
        let reader = b"account:17";
        assert_ne!(keyed_hash(&[1; 32], reader), keyed_hash(&[2; 32], reader));
        assert_eq!(keyed_hash(&[1; 32], reader), keyed_hash(&[1; 32], reader));
    }

    #[test]
    fn a_new_month_deletes_the_old_key_and_hashes_so_readers_cannot_be_followed() {
        use crate::Platform;
        use crate::forums::{Audience, NewThread};

        let (p, clock) = crate::fixtures::platform_at("2026-03-30T10:00:00Z");
        let board = crate::fixtures::board(&p, "Austausch", Audience::Public);
        let kim = Actor::account(crate::fixtures::member(&p, "Kim"));
        let new = NewThread { board, title: "T".into(), body: "B".into(), tags: vec![], anonymous: false };
        let thread = p.forums().create_thread(&kim, &new).unwrap().thread.id;
        let stored = |p: &Platform| {
            let txn = p.store().read().unwrap();
            let readers: Vec<(u64, u32, u64)> =
                txn.table(FORUM_READERS).unwrap().iter().unwrap().map(|r| r.unwrap().0.value()).collect();
            let keys: Vec<String> =
                txn.table(FORUM_STAT_KEYS).unwrap().iter().unwrap().map(|r| r.unwrap().0.value().to_string()).collect();
            (readers, keys)
        };
        p.forums().record_view(&kim, thread, None).unwrap();
        let (march, keys) = stored(&p);
        assert_eq!(keys, ["2026-03", "2026-Q1"]);
        assert_eq!(march.len(), 2, "the board's and the total's set: {march:?}");
        clock.advance(chrono::Duration::days(3));
        p.forums().record_view(&kim, thread, None).unwrap();
        let (april, keys) = stored(&p);
        assert_eq!(keys, ["2026-04", "2026-Q2"], "the March and Q1 keys are gone");
        assert!(april.iter().all(|(_, month, _)| *month == 202604), "March's hashes are gone: {april:?}");
        assert_ne!(march[0].2, april[0].2, "the same reader hashes differently in another month");
    }

    #[test]
    fn quarters_are_numbered_from_months() {
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(quarter_label(quarter_of(at("2026-03-31T23:00:00Z"))), "2026-Q1");
        assert_eq!(quarter_label(quarter_of(at("2026-04-01T00:00:00Z"))), "2026-Q2");
        assert_eq!(month_label(month_of(at("2026-12-01T00:00:00Z"))), "2026-12");
    }
}
