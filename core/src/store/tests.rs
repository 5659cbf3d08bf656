//! One test suite every backend passes ([`backend_suite!`]), and a model-based property test
//! that runs random transactions against each backend and a plain `BTreeMap` and compares
//! every answer.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::txn::{Row, Stored, WriteTxn};
use super::{Ending, ReadTable, Reader, Store, Table};
use crate::clock::Timestamp;
use crate::error::{Error, Result};

/// Keys with a string inside, so the order of escaped strings is exercised.
const WORDS: Table<(&str, u64), &[u8]> = Table::new("test_words");
/// Signed keys, so negative numbers sort first.
const TIMES: Table<(i64, u64), u64> = Table::new("test_times");

fn now() -> Timestamp {
    Timestamp::from_timestamp(1_700_000_000, 0).unwrap_or_default()
}

fn on_file() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &dir.path().join("test.redb"),
        true,
        1 << 20,
        super::Durability::Immediate,
        super::Opening { now: now(), domains: &[], feed: &[], quick_repair: false },
    )
    .unwrap();
    (store, dir)
}

/// Rows of `WORDS` as owned values.
type Words = Vec<((String, u64), Vec<u8>)>;

/// Every row of `WORDS` in key order, as owned values.
fn words(txn: &impl Reader) -> Result<Words> {
    let table = txn.table(WORDS)?;
    table.iter()?.map(|row| row.map(|(k, v)| ((k.value().0.to_string(), k.value().1), v.value().to_vec()))).collect()
}

/// Creates the test tables (a read of a table nobody created is an error on every backend).
fn with_test_tables(store: &Store) -> &Store {
    store.write(|txn| txn.open_table(WORDS).and(txn.open_table(TIMES)).map(|_| ())).unwrap();
    store
}

/// The keys of `rows`, in the order they come.
fn keys<'a>(rows: impl Iterator<Item = Result<Row<'a, (i64, u64), u64>>>) -> Vec<(i64, u64)> {
    rows.map(|r| r.unwrap().0.value()).collect()
}

macro_rules! backend_suite {
    ($name:ident, $open:expr, gapless_sequences: $gapless:expr) => {
        mod $name {
            use super::*;

            /// The store under test; `None` when its backend is not available here.
            fn store() -> Option<(Store, impl Sized)> {
                let (store, keep) = $open?;
                with_test_tables(&store);
                Some((store, keep))
            }

            #[test]
            fn point_reads_see_what_was_written_and_removed() {
                let Some((store, _keep)) = store() else { return };
                store
                    .write(|txn| {
                        let mut t = txn.open_table(WORDS)?;
                        assert!(t.insert(("a", 1), b"one".as_slice())?.is_none());
                        let old = t.insert(("a", 1), b"uno".as_slice())?.map(|v| v.value().to_vec());
                        assert_eq!(old.as_deref(), Some(b"one".as_slice()), "insert returns the replaced value");
                        t.insert(("b", 2), b"two".as_slice())?;
                        let removed = t.remove(("b", 2))?.map(|v| v.value().to_vec());
                        assert_eq!(removed.as_deref(), Some(b"two".as_slice()));
                        assert!(t.remove(("b", 2))?.is_none());
                        Ok(())
                    })
                    .unwrap();
                let txn = store.read().unwrap();
                let t = txn.table(WORDS).unwrap();
                assert_eq!(t.get(("a", 1)).unwrap().map(|v| v.value().to_vec()), Some(b"uno".to_vec()));
                assert!(t.get(("a", 2)).unwrap().is_none());
                assert_eq!(t.len().unwrap(), 1);
            }

            #[test]
            fn range_scans_run_both_ways_in_key_order() {
                let Some((store, _keep)) = store() else { return };
                store
                    .write(|txn| {
                        let mut t = txn.open_table(TIMES)?;
                        for (at, id) in [(5, 1), (-3, 2), (0, 3), (i64::MIN, 4), (i64::MAX, 5), (0, 1)] {
                            t.insert((at, id), id * 10)?;
                        }
                        Ok(())
                    })
                    .unwrap();
                let txn = store.read().unwrap();
                let t = txn.table(TIMES).unwrap();
                let all = [(i64::MIN, 4), (-3, 2), (0, 1), (0, 3), (5, 1), (i64::MAX, 5)];
                assert_eq!(keys(t.iter().unwrap()), all);
                assert_eq!(keys(t.range((-3, 0)..(5, 0)).unwrap()), [(-3, 2), (0, 1), (0, 3)]);
                assert_eq!(keys(t.range((0, 0)..=(5, 1)).unwrap().rev()), [(5, 1), (0, 3), (0, 1)]);
                assert_eq!(keys(t.range(..(0, 0)).unwrap().rev()), [(-3, 2), (i64::MIN, 4)]);
                let last = t.iter().unwrap().next_back().unwrap().unwrap();
                assert_eq!((last.0.value(), last.1.value()), ((i64::MAX, 5), 50));
                let mut both = t.range((-3, 0)..=(5, 9)).unwrap();
                assert_eq!(both.next().unwrap().unwrap().0.value(), (-3, 2));
                assert_eq!(both.next_back().unwrap().unwrap().0.value(), (5, 1));
                assert_eq!(keys(both), [(0, 1), (0, 3)], "the two ends meet in the middle");
            }

            #[test]
            fn strings_in_keys_sort_as_strings() {
                let Some((store, _keep)) = store() else { return };
                store
                    .write(|txn| {
                        let mut t = txn.open_table(WORDS)?;
                        for word in ["b", "a\0", "", "ab", "a", "\0"] {
                            t.insert((word, 7), word.as_bytes())?;
                        }
                        Ok(())
                    })
                    .unwrap();
                let rows = words(&store.read().unwrap()).unwrap();
                let order: Vec<&str> = rows.iter().map(|((w, _), _)| w.as_str()).collect();
                assert_eq!(order, ["", "\0", "a", "a\0", "ab", "b"]);
                let txn = store.read().unwrap();
                let t = txn.table(WORDS).unwrap();
                let a: Vec<String> =
                    t.range(("a", 0)..=("a", u64::MAX)).unwrap().map(|r| r.unwrap().0.value().0.to_string()).collect();
                assert_eq!(a, ["a"], "a prefix range holds the word only, not its extensions");
            }

            #[test]
            fn a_failed_or_rolled_back_write_leaves_nothing() {
                let Some((store, _keep)) = store() else { return };
                let failed: Result<()> = store.write(|txn| {
                    txn.open_table(TIMES)?.insert((1, 1), 1)?;
                    Err(Error::invalid("test", "fails on purpose"))
                });
                assert!(failed.is_err());
                let value = store
                    .write_or_roll_back(|txn| {
                        txn.open_table(TIMES)?.insert((2, 2), 2)?;
                        Ok(("dry run", Ending::RollBack))
                    })
                    .unwrap();
                assert_eq!(value, "dry run");
                assert_eq!(store.read().unwrap().table(TIMES).unwrap().len().unwrap(), 0);
                store.write(|txn| txn.open_table(TIMES)?.insert((3, 3), 3).map(|_| ())).unwrap();
                assert_eq!(
                    store.read().unwrap().table(TIMES).unwrap().len().unwrap(),
                    1,
                    "the writer's turn was freed"
                );
            }

            #[test]
            fn a_reader_keeps_its_snapshot_and_a_writer_sees_its_own_writes() {
                let Some((store, _keep)) = store() else { return };
                store.write(|txn| txn.open_table(TIMES)?.insert((1, 1), 1).map(|_| ())).unwrap();
                let before = store.read().unwrap();
                store
                    .write(|txn| {
                        txn.open_table(TIMES)?.insert((1, 1), 2)?;
                        assert_eq!(txn.table(TIMES)?.get((1, 1))?.map(|v| v.value()), Some(2));
                        Ok(())
                    })
                    .unwrap();
                assert_eq!(before.table(TIMES).unwrap().get((1, 1)).unwrap().map(|v| v.value()), Some(1));
                let after = store.read().unwrap();
                assert_eq!(after.table(TIMES).unwrap().get((1, 1)).unwrap().map(|v| v.value()), Some(2));
            }

            #[test]
            fn retain_removes_exactly_the_rows_refused() {
                let Some((store, _keep)) = store() else { return };
                store
                    .write(|txn| {
                        let mut t = txn.open_table(TIMES)?;
                        for id in 0..10u64 {
                            t.insert((i64::from(id % 2 == 1), id), id)?;
                        }
                        t.retain_in((0, 0)..=(0, u64::MAX), |(_, id), _| id >= 4)?;
                        t.retain(|_, value| value != 9)?;
                        Ok(())
                    })
                    .unwrap();
                let txn = store.read().unwrap();
                let left: Vec<u64> = txn.table(TIMES).unwrap().iter().unwrap().map(|r| r.unwrap().1.value()).collect();
                assert_eq!(left, [4, 6, 8, 1, 3, 5, 7]);
            }

            #[test]
            fn sequences_hand_out_increasing_ids_and_roll_back_with_their_transaction() {
                let Some((store, _keep)) = store() else { return };
                assert_eq!(store.write(|txn| txn.next_ids("things", 1)).unwrap(), 1);
                assert_eq!(store.write(|txn| txn.next_ids("things", 5)).unwrap(), 2);
                let _: Result<u64> = store.write(|txn| {
                    txn.next_ids("things", 1)?;
                    Err(Error::invalid("test", "rolls back"))
                });
                // A sequence outside the transaction (PostgreSQL) leaves a gap where it rolled back.
                assert_eq!(store.write(|txn| txn.next_ids("things", 1)).unwrap(), if $gapless { 7 } else { 8 });
                assert_eq!(store.write(|txn| txn.next_ids("other", 1)).unwrap(), 1, "sequences are separate");
            }

            #[test]
            fn ids_drawn_together_are_handed_out_in_order_and_the_next_draw_follows_them() {
                let Some((store, _keep)) = store() else { return };
                let ids = store
                    .write(|txn| {
                        txn.reserve_ids(&[("things", 2), ("other", 1), ("things", 1)])?;
                        let first = txn.next_ids("things", 1)?;
                        let two = txn.next_ids("things", 2)?;
                        let other = txn.next_ids("other", 1)?;
                        // Past what was drawn together: a draw of its own.
                        Ok((first, two, other, txn.next_ids("things", 1)?))
                    })
                    .unwrap();
                assert_eq!(ids, (1, 2, 1, 4), "the three drawn together, then the next");
                assert_eq!(store.write(|txn| txn.next_ids("things", 1)).unwrap(), 5);
                assert_eq!(store.write(|txn| txn.next_ids("other", 1)).unwrap(), 2);
            }

            #[test]
            fn a_table_is_open_once_at_a_time_in_a_write() {
                let Some((store, _keep)) = store() else { return };
                store
                    .write(|txn| {
                        let first = txn.open_table(TIMES)?;
                        assert!(txn.open_table(TIMES).is_err(), "a second handle on the same table");
                        drop(first);
                        txn.open_table(TIMES)?.insert((1, 1), 1)?;
                        Ok(())
                    })
                    .unwrap();
            }

            #[test]
            fn deleted_tables_are_gone_and_unknown_ones_cannot_be_read() {
                let Some((store, _keep)) = store() else { return };
                store.write(|txn| txn.open_table(TIMES)?.insert((1, 1), 1).map(|_| ())).unwrap();
                assert!(store.read().unwrap().table_names().unwrap().iter().any(|n| n == TIMES.name()));
                assert!(store.write(|txn| txn.delete_table(TIMES)).unwrap());
                let txn = store.read().unwrap();
                assert!(!txn.table_names().unwrap().iter().any(|n| n == TIMES.name()));
                assert!(txn.table(TIMES).is_err(), "reading a table that does not exist");
            }
        }
    };
}

backend_suite!(btree_map, Some((Store::in_btree_map(now()).unwrap(), ())), gapless_sequences: true);
backend_suite!(redb_in_memory, Some((Store::in_redb_memory(now()).unwrap(), ())), gapless_sequences: true);
backend_suite!(redb_file, Some(on_file()), gapless_sequences: true);
#[cfg(feature = "postgres")]
backend_suite!(postgres, Store::in_postgres_scratch(now()).map(|s| (s, ())), gapless_sequences: false);

/// One step of a transaction in the model test.
#[derive(Debug, Clone)]
enum Op {
    Insert((String, u64), Vec<u8>),
    Remove((String, u64)),
    Get((String, u64)),
    Range { from: (String, u64), to: (String, u64), backwards: bool, limit: usize },
    Retain { from: (String, u64), to: (String, u64), keep_odd: bool },
}

/// What an operation answered.
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Value(Option<Vec<u8>>),
    Rows(Words),
    Done,
}

type Model = BTreeMap<(String, u64), Vec<u8>>;

fn key() -> impl Strategy<Value = (String, u64)> {
    let word = prop::sample::select(vec!["", "\0", "a", "a\0", "ab", "b", "ba"]).prop_map(String::from);
    (word, prop_oneof![0..4u64, Just(u64::MAX)])
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (key(), prop::collection::vec(any::<u8>(), 0..4)).prop_map(|(k, v)| Op::Insert(k, v)),
        1 => key().prop_map(Op::Remove),
        1 => key().prop_map(Op::Get),
        2 => (key(), key(), any::<bool>(), 0..6usize)
            .prop_map(|(from, to, backwards, limit)| Op::Range { from, to, backwards, limit }),
        1 => (key(), key(), any::<bool>()).prop_map(|(from, to, keep_odd)| Op::Retain { from, to, keep_odd }),
    ]
}

fn apply_to_model(model: &mut Model, op: &Op) -> Seen {
    match op {
        Op::Insert(k, v) => Seen::Value(model.insert(k.clone(), v.clone())),
        Op::Remove(k) => Seen::Value(model.remove(k)),
        Op::Get(k) => Seen::Value(model.get(k).cloned()),
        Op::Range { from, to, backwards, limit } => {
            let rows = model.iter().filter(|(k, _)| *k >= from && *k <= to).map(|(k, v)| (k.clone(), v.clone()));
            Seen::Rows(if *backwards { rows.rev().take(*limit).collect() } else { rows.take(*limit).collect() })
        }
        Op::Retain { from, to, keep_odd } => {
            model.retain(|k, v| k < from || k > to || (v.len() % 2 == 1) == *keep_odd);
            Seen::Done
        }
    }
}

fn apply_to_store(txn: &WriteTxn, op: &Op) -> Result<Seen> {
    let mut t = txn.open_table(WORDS)?;
    let owned = |v: Option<Stored<'_, &'static [u8]>>| v.map(|v| v.value().to_vec());
    Ok(match op {
        Op::Insert((w, n), v) => Seen::Value(owned(t.insert((w.as_str(), *n), v.as_slice())?)),
        Op::Remove((w, n)) => Seen::Value(owned(t.remove((w.as_str(), *n))?)),
        Op::Get((w, n)) => Seen::Value(owned(t.get((w.as_str(), *n))?)),
        Op::Range { from, to, backwards, limit } => {
            let range = t.range((from.0.as_str(), from.1)..=(to.0.as_str(), to.1))?;
            let row = |r: Result<Row<'_, (&'static str, u64), &'static [u8]>>| {
                r.map(|(k, v)| ((k.value().0.to_string(), k.value().1), v.value().to_vec()))
            };
            Seen::Rows(if *backwards {
                range.rev().take(*limit).map(row).collect::<Result<_>>()?
            } else {
                range.take(*limit).map(row).collect::<Result<_>>()?
            })
        }
        Op::Retain { from, to, keep_odd } => {
            t.retain_in((from.0.as_str(), from.1)..=(to.0.as_str(), to.1), |_, v| (v.len() % 2 == 1) == *keep_odd)?;
            Seen::Done
        }
    })
}

/// Runs the transactions on `store`; returns every answer and the table after each commit.
fn run(store: &Store, transactions: &[(Vec<Op>, bool)]) -> Vec<(Vec<Seen>, Words)> {
    transactions
        .iter()
        .map(|(ops, commit)| {
            let seen = store
                .write_or_roll_back(|txn| {
                    let seen = ops.iter().map(|op| apply_to_store(txn, op)).collect::<Result<Vec<_>>>()?;
                    Ok((seen, if *commit { Ending::Commit } else { Ending::RollBack }))
                })
                .unwrap();
            (seen, words(&store.read().unwrap()).unwrap())
        })
        .collect()
}

fn run_model(transactions: &[(Vec<Op>, bool)]) -> Vec<(Vec<Seen>, Words)> {
    let mut committed = Model::new();
    transactions
        .iter()
        .map(|(ops, commit)| {
            let mut working = committed.clone();
            let seen = ops.iter().map(|op| apply_to_model(&mut working, op)).collect();
            if *commit {
                committed = working;
            }
            (seen, committed.clone().into_iter().collect())
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random transactions (inserts, removals, point reads, ranges both ways, range retains;
    /// committed or rolled back) give the same answers on every backend as on a `BTreeMap`.
    #[test]
    fn every_backend_answers_like_the_model(
        transactions in prop::collection::vec((prop::collection::vec(op(), 1..12), any::<bool>()), 1..8)
    ) {
        let expected = run_model(&transactions);
        prop_assert_eq!(&run(with_test_tables(&Store::in_btree_map(now()).unwrap()), &transactions), &expected, "btree map");
        prop_assert_eq!(&run(with_test_tables(&Store::in_redb_memory(now()).unwrap()), &transactions), &expected, "redb");
        #[cfg(feature = "postgres")]
        if let Some(store) = Store::in_postgres_scratch(now()) {
            prop_assert_eq!(&run(with_test_tables(&store), &transactions), &expected, "postgres");
        }
    }
}

/// What only PostgreSQL has: schemas side by side in one database, and concurrent writers
/// from several handles (as several server processes have).
#[cfg(feature = "postgres")]
mod postgres_only {
    use std::sync::Barrier;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    use super::super::postgres::ALONE_AFTER;
    use super::*;

    #[test]
    fn rows_and_keys_read_ahead_take_one_round_trip_and_the_reads_after_none() {
        use crate::ids::AccountId;
        use crate::store::Ahead;
        let Some(store) = Store::in_postgres_scratch(now()) else { return };
        with_test_tables(&store);
        let made = store
            .write(|txn| {
                txn.open_table(WORDS)?.insert(("kept", 1), b"a".as_slice())?;
                let keys = txn.keyring().expect("a PostgreSQL store has its key store");
                Ok((keys.bytes_or_new(1)?, keys.bytes_or_new(2)?))
            })
            .unwrap();
        let people = [AccountId(1), AccountId(2), AccountId(3), AccountId(2)];
        let ahead = Ahead::default().row(WORDS, ("kept", 1)).row(WORDS, ("gone", 1)).keys(people);
        // The first time prepares the two statements on the connection; they are kept.
        store.read().unwrap().read_ahead(&ahead).unwrap();
        let txn = store.read().unwrap();
        let before = store.round_trips().unwrap();
        txn.read_ahead(&ahead).unwrap();
        assert_eq!(store.round_trips().unwrap() - before, 1, "the rows and the keys are read in one round trip");
        let words = txn.table(WORDS).unwrap();
        assert_eq!(words.get(("kept", 1)).unwrap().map(|v| v.value().to_vec()), Some(b"a".to_vec()));
        assert!(words.get(("gone", 1)).unwrap().is_none());
        let keys = txn.keyring().unwrap();
        let found: Vec<_> = keys.many(&[1, 2, 3]).unwrap().into_iter().map(|(p, k)| (p, k.is_some())).collect();
        assert_eq!(found, [(1, true), (2, true), (3, false)], "person 3 has no key");
        assert_eq!(keys.bytes(1).unwrap(), Some(made.0.clone()), "the key read ahead is the key made");
        assert_eq!(keys.bytes(2).unwrap(), Some(made.1.clone()));
        assert_eq!(store.round_trips().unwrap() - before, 1, "the reads after it asked the server nothing");
    }

    /// Ids named in a write's read ahead are drawn by the read ahead's own statement: one round
    /// trip for both, and the draws that follow take from it. A run that then conflicts is
    /// retried with a draw of its own (what it drew is a gap), so no id is handed out twice.
    #[test]
    fn ids_drawn_with_the_rows_read_cost_no_trip_of_their_own_and_a_retried_run_draws_again() {
        use crate::store::Ahead;
        use std::sync::Mutex;
        let Some(handles) = Store::in_postgres_scratch_handles(now(), 2) else { return };
        let (a, b) = (&handles[0], &handles[1]);
        with_test_tables(a);
        a.write(|txn| txn.open_table(TIMES)?.insert((0, 0), 0).map(drop)).unwrap();
        let ahead = Ahead::default().row(TIMES, (0, 0)).ids("things", 2);
        // The first time makes the sequence and prepares the statement; both are kept.
        assert_eq!(a.write(|txn| txn.read_ahead(&ahead).and_then(|()| txn.next_ids("things", 2))).unwrap(), 1);
        let trips = AtomicU64::new(0);
        let ids = a
            .write(|txn| {
                let before = a.round_trips().unwrap();
                txn.read_ahead(&ahead)?;
                txn.reserve_ids(&[("things", 2)])?;
                let ids = (txn.next_ids("things", 1)?, txn.next_ids("things", 1)?);
                let seen = txn.open_table(TIMES)?.get((0, 0))?.map(|v| v.value());
                trips.store(a.round_trips().unwrap() - before, Ordering::SeqCst);
                assert_eq!(seen, Some(0), "the row read ahead");
                Ok(ids)
            })
            .unwrap();
        assert_eq!(ids, (3, 4), "the two drawn with the read");
        assert_eq!(trips.load(Ordering::SeqCst), 1, "the read, the draw and what followed: one round trip");
        assert_eq!(a.write(|txn| txn.next_ids("things", 1)).unwrap(), 5, "the next draw follows them");

        // Both read the counter (and draw) before either writes it: one of the two runs again.
        let both_read = Barrier::new(2);
        let handed_out = Mutex::new(Vec::new());
        let increment = |store: &Store| {
            let first = AtomicBool::new(true);
            store.write(|txn| {
                txn.read_ahead(&ahead)?;
                let id = txn.next_ids("things", 1)?;
                handed_out.lock().unwrap().push(id);
                let mut t = txn.open_table(TIMES)?;
                let n = t.get((0, 0))?.map_or(0, |v| v.value());
                if first.swap(false, Ordering::SeqCst) {
                    both_read.wait();
                }
                t.insert((0, 0), n + 1)?;
                Ok(id)
            })
        };
        let (mine, theirs) = std::thread::scope(|s| {
            let other = s.spawn(|| increment(b));
            (increment(a).unwrap(), other.join().unwrap().unwrap())
        });
        let value = a.read().unwrap().table(TIMES).unwrap().get((0, 0)).unwrap().map(|v| v.value());
        assert_eq!(value, Some(2), "no increment was lost");
        assert!(a.write_retries() + b.write_retries() >= 1, "the conflict was retried and counted");
        let mut runs = handed_out.into_inner().unwrap();
        assert!(runs.len() >= 3, "a run conflicted and ran again: {runs:?}");
        assert!(runs.contains(&mine) && runs.contains(&theirs) && mine != theirs);
        let total = runs.len();
        runs.sort_unstable();
        runs.dedup();
        assert_eq!(runs.len(), total, "every run drew ids of its own, none handed out twice");
    }

    /// Many ids drawn at once by writers on two handles (two server processes) drawing from
    /// the same counter at the same time: each draw is a run of consecutive ids, and no id is
    /// in two runs.
    #[test]
    fn consecutive_ids_drawn_at_once_by_concurrent_writers_never_overlap() {
        use crate::store::Ahead;
        let Some(handles) = Store::in_postgres_scratch_handles(now(), 2) else { return };
        with_test_tables(&handles[0]);
        let draws = |store: &Store, writer: u64| -> Vec<(u64, u64)> {
            (0..30)
                .map(|i| {
                    let count = 1 + (writer + i) % 7;
                    let ahead = Ahead::default().row(TIMES, (0, 0)).ids("runs", count);
                    let first = store
                        .write(|txn| match i % 3 {
                            0 => txn.read_ahead(&ahead).and_then(|()| txn.next_ids("runs", count)),
                            1 => txn.reserve_ids(&[("runs", count)]).and_then(|()| txn.next_ids("runs", count)),
                            _ => txn.next_ids("runs", count),
                        })
                        .unwrap();
                    (first, count)
                })
                .collect()
        };
        let mut runs: Vec<(u64, u64)> = std::thread::scope(|s| {
            let (handles, draws) = (&handles, &draws);
            let writers: Vec<_> = (0..4).map(|w| s.spawn(move || draws(&handles[w as usize % 2], w))).collect();
            writers.into_iter().flat_map(|w| w.join().unwrap()).collect()
        });
        runs.sort_unstable();
        for pair in runs.windows(2) {
            assert!(pair[0].0 + pair[0].1 <= pair[1].0, "two draws share an id: {pair:?}");
        }
        assert_eq!(runs.len(), 120);
    }

    /// A read ahead that names ids and fails (here: a table another handle dropped) fails the
    /// write with the read's error; the sequence goes on, and hands out no id twice.
    #[test]
    fn a_read_ahead_with_ids_that_fails_fails_its_write_and_the_sequence_goes_on() {
        use crate::store::Ahead;
        let Some(handles) = Store::in_postgres_scratch_handles(now(), 2) else { return };
        let (a, b) = (&handles[0], &handles[1]);
        with_test_tables(a);
        assert_eq!(a.write(|txn| txn.next_ids("things", 1)).unwrap(), 1);
        assert!(b.write(|txn| txn.delete_table(WORDS)).unwrap(), "the other handle dropped the table");
        let ahead = Ahead::default().row(WORDS, ("gone", 1)).ids("things", 2);
        let failed = a.write(|txn| txn.read_ahead(&ahead).and_then(|()| txn.next_ids("things", 1)));
        assert!(matches!(&failed, Err(Error::Storage { .. })), "the read's error: {failed:?}");
        let next = a.write(|txn| txn.next_ids("things", 1)).unwrap();
        assert!(next >= 2, "after the id handed out before: {next}");
        assert_eq!(a.write(|txn| txn.next_ids("things", 1)).unwrap(), next + 1, "the sequence goes on");
    }

    /// Each id counter is a sequence of the schema, brought level with its row of `sequences`:
    /// rows copied in ahead of the sequence (as `store copy` loads them) are drawn on from, on
    /// the handle that copied them and on one opened after; rows behind the sequence are
    /// raised to its next id when the schema opens (as a copy out opens its source), and a
    /// counter without a sequence yet starts after its row.
    #[test]
    fn ids_go_on_after_rows_copied_in_and_the_rows_follow_the_sequences_on_opening() {
        use super::super::tables::SEQUENCES;
        use super::super::types::encode_whole;
        use super::super::{Durability, Engine, Opening, postgres::PgDb, scratch_schema_url};
        if std::env::var_os(super::super::POSTGRES_URL_VARIABLE).is_none() {
            return;
        }
        let url = scratch_schema_url().unwrap();
        let at = Opening { now: now(), domains: &[], feed: &[], quick_repair: false };
        let open = |ephemeral| {
            let db = PgDb::connect(&url, ephemeral).unwrap();
            Store::from_engine(Engine::Postgres(db), Durability::Immediate, None, at).unwrap()
        };
        let row = |store: &Store, name: &str| -> Option<u64> {
            store.read().unwrap().table(SEQUENCES).unwrap().get(name).unwrap().map(|v| v.value())
        };
        let draw = |store: &Store, name: &'static str| store.write(|txn| txn.next_ids(name, 1)).unwrap();
        let store = open(true);
        assert_eq!((draw(&store, "things"), draw(&store, "things")), (1, 2));
        assert_eq!(row(&store, "things"), None, "the sequence, not the row, handed them out");

        // A copy in: rows saying 100 comes next for "things", 50 for "others" (no sequence yet).
        let load = |store: &Store, rows: &[(&str, u64)]| {
            let rows: Vec<(Vec<u8>, Vec<u8>)> =
                rows.iter().map(|(name, next)| (encode_whole::<&str>(name), encode_whole::<u64>(next))).collect();
            store.write(|txn| txn.open_table(SEQUENCES)?.load(&rows)).unwrap();
        };
        load(&store, &[("things", 100), ("others", 50)]);
        assert_eq!(draw(&store, "things"), 100, "the sequence was raised to the rows copied in");
        assert_eq!(draw(&store, "others"), 50, "a new sequence starts after its row");

        // Rows ahead again, written around the copy's path (as a schema of another engine's
        // making might hold): the next opening raises the sequence.
        store
            .write(|txn| {
                let mut t = txn.open_table(SEQUENCES)?;
                t.insert("things", 500)?;
                Ok(())
            })
            .unwrap();
        let again = open(false);
        assert_eq!(draw(&again, "things"), 500, "opened again, the sequence goes on after the row");
        assert_eq!(draw(&store, "things"), 501, "the first handle draws from the same sequence");

        // The sequences ran ahead of their rows; a new opening raises the rows (a copy out).
        draw(&again, "others");
        let third = open(false);
        assert_eq!(
            (row(&third, "things"), row(&third, "others")),
            (Some(502), Some(52)),
            "the rows say what comes next"
        );
        drop((third, again));
    }

    /// A range read ahead that came back shorter than a page holds every row of it: scans
    /// within it, from either end, ask the server nothing, and a write staged in its table
    /// makes the next scan read again (and see the write).
    #[test]
    fn a_range_read_ahead_whole_answers_every_scan_within_it_from_either_end() {
        use crate::store::Ahead;
        let Some(store) = Store::in_postgres_scratch(now()) else { return };
        with_test_tables(&store);
        store
            .write(|txn| {
                let mut times = txn.open_table(TIMES)?;
                for i in 0..5 {
                    times.insert((1, i), i)?;
                }
                times.insert((2, 0), 20)?;
                Ok(())
            })
            .unwrap();
        let ahead = Ahead::default().range(TIMES, (1, 0)..=(1, u64::MAX)).last_rows(TIMES);
        // The first time prepares the statement on the connection; it is kept.
        store.read().unwrap().read_ahead(&ahead).unwrap();
        let txn = store.read().unwrap();
        let before = store.round_trips().unwrap();
        txn.read_ahead(&ahead).unwrap();
        let times = txn.table(TIMES).unwrap();
        let inner: Vec<u64> = times.range((1, 1)..(1, 4)).unwrap().map(|r| r.unwrap().1.value()).collect();
        assert_eq!(inner, [1, 2, 3], "a range within the one read ahead");
        let last = times.range((1, 0)..=(1, u64::MAX)).unwrap().next_back().unwrap().unwrap().1.value();
        assert_eq!(last, 4, "the same range from its high end");
        let mut both = times.range((1, 2)..=(1, u64::MAX)).unwrap();
        let ends = (both.next().unwrap().unwrap().1.value(), both.next_back().unwrap().unwrap().1.value());
        assert_eq!(ends, (2, 4), "a range read from both ends");
        let rest: Vec<u64> = both.map(|r| r.unwrap().1.value()).collect();
        assert_eq!(rest, [3], "the ends meet");
        assert_eq!(times.iter().unwrap().next_back().unwrap().unwrap().1.value(), 20, "the table from its high end");
        assert_eq!(store.round_trips().unwrap() - before, 1, "the scans asked the server nothing");
        drop(times);
        drop(txn);
        let seen = store
            .write(|txn| {
                txn.read_ahead(&ahead)?;
                let mut times = txn.open_table(TIMES)?;
                times.insert((1, 9), 9)?;
                let rows: Vec<u64> =
                    times.range((1, 0)..=(1, u64::MAX))?.map(|r| r.map(|(_, v)| v.value())).collect::<Result<_>>()?;
                Ok(rows)
            })
            .unwrap();
        assert_eq!(seen, [0, 1, 2, 3, 4, 9], "a scan after a staged write sees it");
    }

    #[test]
    fn platforms_in_two_schemas_of_one_database_see_nothing_of_each_other() {
        let (Some(a), Some(b)) = (Store::in_postgres_scratch(now()), Store::in_postgres_scratch(now())) else { return };
        with_test_tables(&a);
        a.write(|txn| txn.open_table(WORDS)?.insert(("secret", 1), b"of a".as_slice()).map(drop)).unwrap();
        assert_eq!(a.write(|txn| txn.next_ids("posts", 5)).unwrap(), 1);
        assert!(!b.read().unwrap().table_names().unwrap().iter().any(|n| n == WORDS.name()), "a's table is not b's");
        with_test_tables(&b);
        assert_eq!(words(&b.read().unwrap()).unwrap(), Words::new(), "b's table of the same name is empty");
        assert_eq!(b.write(|txn| txn.next_ids("posts", 1)).unwrap(), 1, "sequences are per schema");
        assert_eq!(words(&a.read().unwrap()).unwrap().len(), 1);
    }

    #[test]
    fn a_write_that_conflicts_runs_again_and_the_retry_is_counted() {
        let Some(handles) = Store::in_postgres_scratch_handles(now(), 2) else { return };
        let (a, b) = (&handles[0], &handles[1]);
        with_test_tables(a);
        a.write(|txn| txn.open_table(TIMES)?.insert((0, 0), 0).map(drop)).unwrap();
        // Both read the counter before either writes it: one of the two must run again.
        let both_read = Barrier::new(2);
        let increment = |store: &Store| {
            let first = AtomicBool::new(true);
            store.write(|txn| {
                let mut t = txn.open_table(TIMES)?;
                let n = t.get((0, 0))?.map_or(0, |v| v.value());
                if first.swap(false, Ordering::SeqCst) {
                    both_read.wait();
                }
                t.insert((0, 0), n + 1).map(drop)
            })
        };
        std::thread::scope(|s| {
            let other = s.spawn(|| increment(b));
            increment(a).unwrap();
            other.join().unwrap().unwrap();
        });
        let value = a.read().unwrap().table(TIMES).unwrap().get((0, 0)).unwrap().map(|v| v.value());
        assert_eq!(value, Some(2), "no increment was lost");
        assert!(a.write_retries() + b.write_retries() >= 1, "the conflict was retried and counted");
    }

    #[test]
    fn a_write_that_keeps_conflicting_runs_alone_and_commits() {
        let Some(handles) = Store::in_postgres_scratch_handles(now(), 2) else { return };
        let (a, b) = (&handles[0], &handles[1]);
        with_test_tables(a);
        a.write(|txn| txn.open_table(TIMES)?.insert((0, 0), 0).map(drop)).unwrap();
        let runs = AtomicU64::new(0);
        let value = std::thread::scope(|s| {
            a.write(|txn| {
                let mut t = txn.open_table(TIMES)?;
                let n = t.get((0, 0))?.map_or(0, |v| v.value());
                // Until it runs alone, another handle changes the row after this run read it.
                if runs.fetch_add(1, Ordering::SeqCst) < u64::from(ALONE_AFTER) {
                    s.spawn(|| b.write(|txn| txn.open_table(TIMES)?.insert((0, 0), 1000).map(drop)))
                        .join()
                        .unwrap()
                        .unwrap();
                }
                t.insert((0, 0), n + 1)?;
                Ok(n + 1)
            })
        })
        .unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), u64::from(ALONE_AFTER) + 1, "conflicted, then ran alone once");
        assert_eq!(value, 1001, "the run alone read the other handle's last write");
        assert_eq!((a.writes_run_alone(), b.writes_run_alone()), (1, 0));
        assert_eq!(a.write_retries(), u64::from(ALONE_AFTER));
    }

    #[test]
    fn eight_writers_on_one_counter_through_two_handles_lose_no_increment() {
        let Some(handles) = Store::in_postgres_scratch_handles(now(), 2) else { return };
        with_test_tables(&handles[0]);
        handles[0].write(|txn| txn.open_table(TIMES)?.insert((0, 0), 0).map(drop)).unwrap();
        let increment = |store: &Store| {
            store.write(|txn| {
                let mut t = txn.open_table(TIMES)?;
                let n = t.get((0, 0))?.map_or(0, |v| v.value());
                t.insert((0, 0), n + 1).map(drop)
            })
        };
        std::thread::scope(|s| {
            for thread in 0..8 {
                let store = &handles[thread % 2];
                s.spawn(move || (0..25).for_each(|_| increment(store).unwrap()));
            }
        });
        let value = handles[0].read().unwrap().table(TIMES).unwrap().get((0, 0)).unwrap().map(|v| v.value());
        assert_eq!(value, Some(200), "every increment landed once");
        let (retries, alone) = (
            handles.iter().map(Store::write_retries).sum::<u64>(),
            handles.iter().map(Store::writes_run_alone).sum::<u64>(),
        );
        eprintln!("200 increments of one row by 8 writers: {retries} retries, {alone} runs alone");
    }

    #[test]
    fn concurrent_writers_on_two_handles_get_distinct_ids_and_lose_no_row() {
        let Some(handles) = Store::in_postgres_scratch_handles(now(), 2) else { return };
        with_test_tables(&handles[0]);
        let insert_many = |store: &Store| -> Vec<u64> {
            (0..40)
                .map(|_| {
                    store
                        .write(|txn| {
                            let id = txn.next_ids("rows", 1)?;
                            txn.open_table(TIMES)?.insert((0, id), id)?;
                            Ok(id)
                        })
                        .unwrap()
                })
                .collect()
        };
        let (mut ids, theirs) = std::thread::scope(|s| {
            let other = s.spawn(|| insert_many(&handles[1]));
            (insert_many(&handles[0]), other.join().unwrap())
        });
        ids.extend(theirs);
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 80, "every id handed out once");
        let stored: Vec<u64> =
            handles[0].read().unwrap().table(TIMES).unwrap().iter().unwrap().map(|r| r.unwrap().1.value()).collect();
        assert_eq!(stored, ids, "every committed row is there, in id order");
        let retries = handles[0].write_retries() + handles[1].write_retries();
        eprintln!("80 concurrent inserts on two handles: {retries} retries");
    }

    /// The feed's numbers on PostgreSQL come from a sequence of the schema, drawn with the
    /// `COMMIT`: entries loaded as `store copy` loads them (the feed's rows and the `sequences`
    /// row the other engines draw from) are numbered on from, and when the schema opens again
    /// that row is raised to the sequence's next number, so a copy out goes on from there too.
    #[test]
    fn the_feeds_numbers_go_on_after_a_copied_feed_and_its_row_follows_them() {
        use super::super::tables::{CHANGES, SEQUENCES};
        use super::super::types::encode_whole;
        use super::super::{Durability, Engine, Opening, postgres::PgDb, scratch_schema_url};
        if std::env::var_os(super::super::POSTGRES_URL_VARIABLE).is_none() {
            return;
        }
        let url = scratch_schema_url().unwrap();
        let at = Opening { now: now(), domains: &[], feed: &["test_times"], quick_repair: false };
        let open = |ephemeral| {
            let db = PgDb::connect(&url, ephemeral).unwrap();
            Store::from_engine(Engine::Postgres(db), Durability::Immediate, None, at).unwrap()
        };
        let store = open(true);
        with_test_tables(&store);
        let write = |store: &Store, i: u64| store.write(|txn| txn.open_table(TIMES)?.insert((0, i), i).map(drop));
        let numbers = |store: &Store| -> Vec<u64> {
            store.changes_after(0, 100).unwrap().entries.iter().map(|e| e.sequence).collect()
        };
        let row = |store: &Store| -> Option<u64> {
            store.read().unwrap().table(SEQUENCES).unwrap().get("store_changes").unwrap().map(|v| v.value())
        };
        write(&store, 1).unwrap();
        write(&store, 2).unwrap();
        assert_eq!(numbers(&store), [1, 2]);
        assert_eq!(row(&store), None, "the sequence, not the row, numbered them");

        // A copy in: entries up to 40, and the row saying 41 comes next.
        let entry = serde_json::to_vec(&[("test_times", vec![0u8])]).unwrap();
        let copied: Vec<(Vec<u8>, Vec<u8>)> =
            (30..=40u64).map(|n| (encode_whole::<u64>(&n), encode_whole::<&[u8]>(&entry.as_slice()))).collect();
        let next = vec![(encode_whole::<&str>(&"store_changes"), encode_whole::<u64>(&41))];
        store
            .write(|txn| {
                txn.open_table(CHANGES)?.load(&copied)?;
                txn.open_table(SEQUENCES)?.load(&next)
            })
            .unwrap();
        write(&store, 3).unwrap();
        assert_eq!(numbers(&store).last(), Some(&41), "numbered on after the copied entries");

        // Opened again (as a copy out opens its source), the row follows the sequence.
        let again = open(false);
        assert_eq!(row(&again), Some(42), "the row says what comes next");
        write(&again, 4).unwrap();
        assert_eq!(numbers(&store).last(), Some(&42));
        drop(again);
    }

    /// Writers on two handles (two server processes) append to the feed while a reader polls
    /// it from its last sequence on, as a replica does: it must see every entry, none skipped
    /// because a later one committed first.
    #[test]
    fn a_reader_polling_the_feed_misses_no_entry_of_concurrent_writers_on_two_handles() {
        const WRITERS: i64 = 6;
        const EACH: u64 = 40;
        let Some(handles) = Store::in_postgres_scratch_watching(now(), 2, &["test_times"]) else { return };
        with_test_tables(&handles[0]);
        let writing = AtomicU64::new(WRITERS as u64);
        let polled = std::thread::scope(|s| {
            for writer in 0..WRITERS {
                let (store, writing) = (&handles[writer as usize % 2], &writing);
                s.spawn(move || {
                    for i in 0..EACH {
                        store.write(|txn| txn.open_table(TIMES)?.insert((writer, i), i).map(drop)).unwrap();
                    }
                    writing.fetch_sub(1, Ordering::SeqCst);
                });
            }
            let (mut cursor, mut polled) = (0, Vec::new());
            loop {
                let finished = writing.load(Ordering::SeqCst) == 0;
                let window = handles[1].changes_after(cursor, 1000).unwrap();
                polled.extend(window.entries.iter().map(|e| e.sequence));
                cursor = polled.last().copied().unwrap_or(cursor);
                if finished && window.entries.is_empty() {
                    return polled;
                }
            }
        });
        let all: Vec<u64> = handles[0].changes_after(0, 10_000).unwrap().entries.iter().map(|e| e.sequence).collect();
        assert_eq!(all.len(), (WRITERS as u64 * EACH) as usize, "one entry per committed write");
        assert_eq!(polled, all, "the polling reader saw every entry, in order");
    }

    /// Ends, from the server's side, every connection whose `application_name` is `name` (as
    /// a failover or a restarted primary ends them all); connections of other tests stay.
    fn cut_connections(name: &str) -> usize {
        let url = std::env::var(super::super::POSTGRES_URL_VARIABLE).unwrap();
        let mut admin = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        let sql = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1";
        admin.query(sql, &[&name]).unwrap().len()
    }

    /// What a failover looks like to the platform: idle connections that the server ended are
    /// replaced without the caller noticing, and a write whose connection ends midway fails
    /// whole as `Storage` — nothing of it is written — while the next write runs again.
    #[test]
    fn connections_the_server_ends_are_replaced_and_a_write_cut_midway_is_not_half_applied() {
        if std::env::var_os(super::super::POSTGRES_URL_VARIABLE).is_none() {
            return;
        }
        let name = format!("trialog_cut_{}", std::process::id());
        let url = format!("{}&application_name={name}", super::super::scratch_schema_url().unwrap());
        let db = super::super::postgres::PgDb::connect(&url, true).unwrap();
        let at = super::super::Opening { now: now(), domains: &[], feed: &[], quick_repair: false };
        let store =
            Store::from_engine(super::super::Engine::Postgres(db), super::super::Durability::Immediate, None, at)
                .unwrap();
        with_test_tables(&store);
        let insert = |word: &'static str| {
            store.write(move |txn| txn.open_table(WORDS)?.insert((word, 1), b"x".as_slice()).map(drop))
        };
        insert("before").unwrap();
        assert!(cut_connections(&name) >= 1, "the store's idle connections were found and ended");
        insert("after idle connections ended").expect("a new connection replaces the ended ones");
        assert!(store.read().is_ok(), "reads too");

        let midway = store.write(|txn| {
            let mut t = txn.open_table(WORDS)?;
            t.insert(("half", 1), b"x".as_slice())?;
            cut_connections(&name);
            t.insert(("half", 2), b"x".as_slice()).map(drop)
        });
        assert!(matches!(midway, Err(Error::Storage { .. })), "{midway:?}");
        let written: Vec<String> = words(&store.read().unwrap()).unwrap().into_iter().map(|((w, _), _)| w).collect();
        assert_eq!(written, ["after idle connections ended", "before"], "nothing of the cut write");
        insert("after").expect("the next write runs on a new connection");
    }
}

/// redb frees the pages a non-durable commit replaces only at the next durable commit: without
/// the store's occasional durable commit under `Eventual`, 4,000 commits each rewriting one
/// 8 KiB row would leave every copied page behind (some 60 MiB); with it the file stays at the
/// size of a few hundred commits' pages.
#[test]
fn a_long_run_of_eventual_commits_does_not_grow_the_file_with_every_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eventual.redb");
    let at = super::Opening { now: now(), domains: &[], feed: &[], quick_repair: false };
    let store = Store::open(&path, true, 1 << 20, super::Durability::Eventual, at).unwrap();
    with_test_tables(&store);
    let value = vec![7u8; 8 << 10];
    for round in 0..4_000u64 {
        store.write(|txn| txn.open_table(WORDS)?.insert(("row", round % 4), value.as_slice()).map(|_| ())).unwrap();
    }
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < 16 << 20, "the file grew to {size} bytes over 4,000 eventual commits of one 8 KiB row");
}

/// An eventual write's new keys wait for the next durable commit, which syncs them first; an
/// erasure's destroyed key is synced at once, eventual or not (`Keyring::defer_syncs`).
#[test]
fn new_keys_of_eventual_writes_are_synced_before_the_next_durable_commit() {
    use crate::AccountId;
    use crate::store::sealed;
    let dir = tempfile::tempdir().unwrap();
    let at = super::Opening { now: now(), domains: &[], feed: &[], quick_repair: false };
    let store = Store::open(&dir.path().join("keys.redb"), true, 1 << 20, super::Durability::Eventual, at).unwrap();
    let Some(super::KeyStore::File(ring)) = store.keys.clone() else { panic!("a file platform has a key file") };
    let seal = |person: u64| move |txn: &WriteTxn| sealed::seal(txn, AccountId(person), b"place", "text").map(drop);
    store.write(seal(1)).unwrap();
    store.write(seal(2)).unwrap();
    assert!(ring.has_unsynced(), "two eventual writes' keys wait");
    store.write_with(super::Durability::Immediate, seal(3)).unwrap();
    assert!(!ring.has_unsynced(), "a durable commit syncs them first, and its own key at once");
    store.write(seal(4)).unwrap();
    store.write(|txn| sealed::shred(txn, AccountId(1)).map(drop)).unwrap();
    assert!(!ring.has_unsynced(), "a destroyed key is synced at once, with what waited");
    store.write(seal(5)).unwrap();
    drop(store);
    let keys = super::keyring::Keyring::open(super::keyring::Keyring::path_for(&dir.path().join("keys.redb")), true);
    let keys = keys.unwrap();
    assert!(
        keys.key(1).unwrap().is_none() && keys.key(5).unwrap().is_some(),
        "every key but the destroyed one is in the file"
    );
}
