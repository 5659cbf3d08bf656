//! A device's replica without a server: the wait after failed syncs and cutting it short (a
//! closed port and a test clock), older pages asked for offline, and compacting the file on
//! open once it has grown; which addresses and certificate authorities `open` accepts. Syncing
//! against a server (over TLS too) is
//! tested in `server/tests/replica.rs`.

use std::path::Path;
use std::sync::Arc;

use chrono::Duration;
use trialog_core::replica::{QueueState, Replica, ReplicaOptions, Writer};
use trialog_core::{BoardId, Error, TestClock, ThreadId};

fn de() -> Writer {
    Writer { language: "de".into(), country: "DE".into() }
}

/// An address nothing listens at.
fn closed_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

fn attempts(replica: &Replica) -> u32 {
    replica.pending().unwrap()[0].attempts
}

fn bytes(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

#[test]
fn failed_syncs_wait_twice_as_long_each_time_up_to_five_minutes_and_a_sync_within_the_wait_tries_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock::at(chrono::Utc::now()));
    let replica = Replica::open_with_clock(dir.path().join("r.redb"), &closed_url(), "t0ken", clock.clone()).unwrap();
    replica.reply(ThreadId(7), "Bis morgen beim Treffen", &de()).unwrap();

    let first = replica.sync().unwrap();
    assert!(first.offline && !first.skipped && first.sent == 0, "{first:?}");
    assert!((500..=1_000).contains(&first.retry_in_ms), "{first:?}");
    assert_eq!(attempts(&replica), 1);

    // Within the wait a sync returns at once: nothing is sent, the time left is told.
    clock.advance(Duration::milliseconds(first.retry_in_ms as i64 - 100));
    let early = replica.sync().unwrap();
    assert!(early.offline && early.skipped, "{early:?}");
    assert_eq!(early.retry_in_ms, 100);
    assert_eq!(attempts(&replica), 1, "a sync within the wait tried the server");

    // Once it has run out, each failure waits within the upper half of a step that doubles up
    // to five minutes.
    clock.advance(Duration::milliseconds(100));
    for failures in 2..=14u32 {
        let report = replica.sync().unwrap();
        assert!(report.offline && !report.skipped, "failure {failures}: {report:?}");
        let step = (1_000u64 << (failures - 1)).min(300_000);
        assert!((step / 2..=step).contains(&report.retry_in_ms), "failure {failures}: {report:?}");
        clock.advance(Duration::milliseconds(report.retry_in_ms as i64));
    }
    assert_eq!(attempts(&replica), 14);
    assert_eq!(replica.pending().unwrap()[0].state, QueueState::Pending, "the write still waits");

    // A replica opened afresh (the app restarted) tries at once.
    drop(replica);
    let again = Replica::open_with_clock(dir.path().join("r.redb"), &closed_url(), "t0ken", clock).unwrap();
    assert!(!again.sync().unwrap().skipped);
    assert_eq!(attempts(&again), 15);
}

#[test]
fn a_replica_file_that_has_grown_is_compacted_on_open_and_not_again_until_it_grows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.redb");
    let url = closed_url();
    let replica = Replica::open(&path, &url, "t0ken").unwrap();
    let empty = bytes(&path);
    // 96 queued writes of 64 KiB each (letters that do not compress), all but the last taken
    // back: the file grows and its pages are freed, and the last one keeps redb from cutting the
    // freed end off the file by itself.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..96 {
        let noise: String = (0..64 * 1024)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                char::from(b'a' + (seed % 26) as u8)
            })
            .collect();
        replica.reply(ThreadId(1), &format!("Wochenplan-Entwurf {i} {noise}"), &de()).unwrap();
    }
    let queued = replica.pending().unwrap();
    for dropped in &queued[..95] {
        replica.drop_queued(&dropped.id).unwrap();
    }
    drop(replica);
    let grown = bytes(&path);
    assert!(grown >= 6 << 20, "the file grew to {grown} bytes only");

    let reopened = Replica::open(&path, &url, "t0ken").unwrap();
    let compacted = bytes(&path);
    assert!(compacted < grown / 4, "{grown} bytes before the compaction, {compacted} after (empty: {empty})");
    assert_eq!(reopened.pending().unwrap(), queued[95..], "the queued write kept survives the compaction");
    drop(reopened);
    let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
    let lingering = (0..95).filter(|i| text.contains(&format!("Wochenplan-Entwurf {i} "))).count();
    assert_eq!(lingering, 0, "dropped writes linger in the compacted file");
    assert!(text.contains("Wochenplan-Entwurf 95 "), "the grep finds what is there");

    // Opening again compacts nothing more; the replica works as before.
    let third = Replica::open(&path, &url, "t0ken").unwrap();
    assert_eq!(bytes(&path), compacted);
    third.reply(ThreadId(1), "Noch da", &de()).unwrap();
    assert_eq!(third.pending().unwrap().len(), 2);
}

#[test]
fn sync_now_cuts_the_wait_short_and_a_failure_after_it_waits_the_next_longer_step() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock::at(chrono::Utc::now()));
    let replica = Replica::open_with_clock(dir.path().join("r.redb"), &closed_url(), "t0ken", clock.clone()).unwrap();
    replica.reply(ThreadId(7), "Bis morgen beim Treffen", &de()).unwrap();
    let first = replica.sync().unwrap();
    assert!((500..=1_000).contains(&first.retry_in_ms), "{first:?}");
    assert!(replica.sync().unwrap().skipped, "within the wait");

    // The app learns the network is back: the replica tries at once, within the wait.
    let now = replica.sync_now().unwrap();
    assert!(now.offline && !now.skipped, "{now:?}");
    assert_eq!(attempts(&replica), 2, "sync_now sent the queued write again");
    assert!((1_000..=2_000).contains(&now.retry_in_ms), "the second failure waits the second step: {now:?}");
    assert!(replica.sync().unwrap().skipped, "a plain sync still respects the new wait");
    assert_eq!(attempts(&replica), 2);
}

#[test]
fn older_threads_offline_report_so_and_keep_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let replica = Replica::open(dir.path().join("r.redb"), &closed_url(), "t0ken").unwrap();
    let older = replica.older_threads(BoardId(1), 1).unwrap();
    assert!(older.offline && older.threads.is_empty() && !older.more, "{older:?}");
    assert!(replica.threads(BoardId(1)).unwrap().is_empty());
    for pages in [0, 6] {
        let refused = replica.older_threads(BoardId(1), pages);
        assert!(
            matches!(refused, Err(Error::InvalidInput { field, .. }) if field == "pages"),
            "{pages} pages accepted"
        );
    }
}

fn refused_field(opened: Result<Replica, Error>) -> String {
    match opened {
        Err(Error::InvalidInput { field, .. }) => field,
        Err(other) => panic!("refused, but not as invalid input: {other:?}"),
        Ok(_) => panic!("opened"),
    }
}

#[test]
fn plain_http_is_refused_beyond_this_device_unless_the_options_allow_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.redb");
    let open = |url: &str, options: &ReplicaOptions| Replica::open_with(&path, url, "t0ken", options);
    let default = ReplicaOptions::default();
    for url in ["http://10.0.2.2:8080", "http://peer.example.org", "http://user@192.168.1.4/", "ftp://localhost"] {
        assert_eq!(refused_field(open(url, &default)), "server_url", "{url} was accepted");
    }
    assert!(!path.exists(), "a refused address created the file");
    let plain = ReplicaOptions { allow_plain_http: true, ..ReplicaOptions::default() };
    assert!(open("http://10.0.2.2:8080", &plain).is_ok(), "allow_plain_http did not allow");
    assert_eq!(refused_field(open("ftp://localhost", &plain)), "server_url", "allow_plain_http allowed ftp");
    for url in ["http://127.0.0.1:1", "http://localhost:1/", "http://[::1]:1", "https://peer.example.org"] {
        assert!(open(url, &default).is_ok(), "{url} was refused");
    }
}

#[test]
fn an_extra_ca_that_is_not_a_pem_certificate_is_refused_naming_the_option() {
    let dir = tempfile::tempdir().unwrap();
    for pem in ["", "not a certificate", "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n"] {
        let options = ReplicaOptions { extra_ca_pem: Some(pem.into()), ..ReplicaOptions::default() };
        let opened = Replica::open_with(dir.path().join("r.redb"), "https://localhost", "t0ken", &options);
        assert_eq!(refused_field(opened), "extra_ca_pem", "{pem:?} was accepted");
    }
}
