//! Every table of the file, named with its schema generation, and the id sequences.

use super::{Table, WriteTxn};

use crate::error::Result;

/// Schema version and other file-wide facts.
pub(crate) const META: Table<&str, u64> = Table::new("meta");
/// Next id per sequence name.
pub(crate) const SEQUENCES: Table<&str, u64> = Table::new("sequences");
/// Organisation id → record.
pub(crate) const ORGS: Table<u64, &[u8]> = Table::new("orgs");
/// Account id → record.
pub(crate) const ACCOUNTS: Table<u64, &[u8]> = Table::new("accounts");
/// Normalised pseudonym key → account id (the uniqueness index).
pub(crate) const ACCOUNT_BY_PSEUDONYM: Table<&str, u64> = Table::new("account_by_pseudonym");
/// Account id → password credential.
pub(crate) const CREDENTIALS: Table<u64, &[u8]> = Table::new("credentials");
/// Audit entry id → entry (append-only).
pub(crate) const AUDIT: Table<u64, &[u8]> = Table::new("audit");

/// Job id → posting record (JSON).
pub(crate) const JOBS: Table<u64, &[u8]> = Table::new("jobs");
/// (organisation, job id) → (): an organisation's postings in every state.
pub(crate) const JOBS_BY_ORG: Table<(u64, u64), ()> = Table::new("jobs_by_org");
/// Job id → search card, for every published posting (see `jobs::card`).
pub(crate) const JOB_CARDS: Table<u64, &[u8]> = Table::new("job_cards");
/// (grid cell, job id) → search card: published on-site postings by place (see `geo::grid`).
pub(crate) const JOB_CELLS: Table<(u32, u64), &[u8]> = Table::new("job_cells");
/// Job id → search card: published remote postings (schema 4; version 3 kept only ids in
/// `job_remote`), so that a scan of them reads no other table.
pub(crate) const JOB_REMOTE_CARDS: Table<u64, &[u8]> = Table::new("job_remote_cards");
/// (published at in µs, job id) → (): published postings by age.
pub(crate) const JOB_BY_PUBLISHED: Table<(i64, u64), ()> = Table::new("job_by_published");
/// (term, job id) → term frequency: the inverted index of published postings.
pub(crate) const JOB_TERMS: Table<(&str, u64), u32> = Table::new("job_terms");
/// Term → number of published postings that contain it.
pub(crate) const JOB_TERM_DOCS: Table<&str, u64> = Table::new("job_term_docs");
/// Counters of the job index (`docs`, `terms`: total indexed length).
pub(crate) const JOB_COUNTERS: Table<&str, u64> = Table::new("job_counters");
/// (job id, month as YYYYMM) → views; job id 0 holds the totals of all postings.
pub(crate) const JOB_VIEWS: Table<(u64, u32), u64> = Table::new("job_views");
/// Account id → seeker profile.
pub(crate) const SEEKERS: Table<u64, &[u8]> = Table::new("seekers");
/// Saved search id → saved search (JSON).
pub(crate) const SAVED_SEARCHES: Table<u64, &[u8]> = Table::new("saved_searches");
/// (owner account, saved search id) → ().
pub(crate) const SAVED_SEARCHES_BY_OWNER: Table<(u64, u64), ()> = Table::new("saved_searches_by_owner");
/// (grid cell, saved search id) → compiled query: searches with a place, under every cell they reach.
pub(crate) const ALERT_CELLS: Table<(u32, u64), &[u8]> = Table::new("alert_cells");
/// Saved search id → compiled query: searches without a place (they see every posting).
pub(crate) const ALERT_ANYWHERE: Table<u64, &[u8]> = Table::new("alert_anywhere");
/// Saved search id → compiled query: searches with a place that also want remote postings.
pub(crate) const ALERT_REMOTE: Table<u64, &[u8]> = Table::new("alert_remote");
/// (account, notification id) → notification (JSON): each account's inbox.
pub(crate) const INBOX: Table<(u64, u64), &[u8]> = Table::new("inbox");
/// Interest id → interest record (JSON).
pub(crate) const INTERESTS: Table<u64, &[u8]> = Table::new("interests");
/// (job id, interest id) → (): the interest a posting received.
pub(crate) const INTERESTS_BY_JOB: Table<(u64, u64), ()> = Table::new("interests_by_job");
/// (seeker account, job id) → interest id: one interest per seeker and posting.
pub(crate) const INTERESTS_BY_SEEKER: Table<(u64, u64), u64> = Table::new("interests_by_seeker");
/// Platform setting name → value (JSON), such as `suggestion_weights`; unset means the default.
pub(crate) const SETTINGS: Table<&str, &[u8]> = Table::new("settings");
/// Match run id → run (JSON): inputs, parameters, result and the decisions on its pairs.
pub(crate) const MATCH_RUNS: Table<u64, &[u8]> = Table::new("match_runs");
/// (cohort, match run id) → (): the runs of each cohort.
pub(crate) const MATCH_RUNS_BY_COHORT: Table<(&str, u64), ()> = Table::new("match_runs_by_cohort");
/// Gazetteer: "<country> <postcode>" ("DE 10115") → place record.
pub(crate) const GEO_POSTCODES: Table<&str, &[u8]> = Table::new("geo_postcodes");
/// Gazetteer name index: "<folded place name>\u{0}<country> <postcode>" → nothing (prefix search).
pub(crate) const GEO_PLACE_NAMES: Table<&str, ()> = Table::new("geo_place_names");
/// Gazetteer: country code → what was imported for it, and when.
pub(crate) const GEO_COUNTRIES: Table<&str, &[u8]> = Table::new("geo_countries");

/// Forum board id → board record (JSON).
pub(crate) const FORUM_BOARDS: Table<u64, &[u8]> = Table::new("forum_boards");
/// Board slug → board id (the uniqueness index).
pub(crate) const FORUM_BOARD_SLUGS: Table<&str, u64> = Table::new("forum_board_slugs");
/// Board id → (visible threads, visible posts).
pub(crate) const FORUM_BOARD_COUNTS: Table<u64, (u64, u64)> = Table::new("forum_board_counts");
/// Thread id → thread record (JSON), in every state.
pub(crate) const FORUM_THREADS: Table<u64, &[u8]> = Table::new("forum_threads");
/// Thread id → (board, last seq, last activity in µs, state, replies): what unread counts and
/// search need without decoding the record, and the thread's counters (see `forums::records`).
pub(crate) const FORUM_THREAD_HEADS: Table<u64, (u64, u32, i64, u8, u32)> = Table::new("forum_thread_heads");
/// (board, 0 if pinned else 1, u64::MAX − last activity in µs, thread) → thread summary
/// (postcard): a board's page in order. Visible threads only.
pub(crate) const FORUM_BOARD_THREADS: Table<(u64, u8, u64, u64), &[u8]> = Table::new("forum_board_threads");
/// Thread id → views.
pub(crate) const FORUM_THREAD_VIEWS: Table<u64, u64> = Table::new("forum_thread_views");
/// (thread, post) → post record (JSON): a thread's posts in the order they were written.
pub(crate) const FORUM_POSTS: Table<(u64, u64), &[u8]> = Table::new("forum_posts");
/// Post id → thread id.
pub(crate) const FORUM_POST_THREADS: Table<u64, u64> = Table::new("forum_post_threads");
/// (post, revision number) → an earlier version of the post's body (JSON).
pub(crate) const FORUM_REVISIONS: Table<(u64, u32), &[u8]> = Table::new("forum_revisions");
/// Post id → (): posts waiting for a moderator, oldest first.
pub(crate) const FORUM_QUEUE: Table<u64, ()> = Table::new("forum_queue");
/// (account, thread) → the highest seq the account has read.
pub(crate) const FORUM_READS: Table<(u64, u64), u32> = Table::new("forum_reads");
/// (account, thread) → the account's read position again: the threads it watches.
pub(crate) const FORUM_WATCHED_THREADS: Table<(u64, u64), u32> = Table::new("forum_watched_threads");
/// (thread, account) → (): who watches a thread.
pub(crate) const FORUM_THREAD_WATCHERS: Table<(u64, u64), ()> = Table::new("forum_thread_watchers");
/// (account, board) → (): the boards an account watches.
pub(crate) const FORUM_WATCHED_BOARDS: Table<(u64, u64), ()> = Table::new("forum_watched_boards");
/// (board, account) → (): who watches a board.
pub(crate) const FORUM_BOARD_WATCHERS: Table<(u64, u64), ()> = Table::new("forum_board_watchers");
/// (account, board) → µs: when the account last marked the board read.
pub(crate) const FORUM_BOARD_MARKS: Table<(u64, u64), i64> = Table::new("forum_board_marks");
/// (term, first post of the block) → a block of postings (see `forums::index`).
pub(crate) const FORUM_TERMS: Table<(&str, u64), &[u8]> = Table::new("forum_terms");
/// Term → number of indexed posts that contain it.
pub(crate) const FORUM_TERM_DOCS: Table<&str, u64> = Table::new("forum_term_docs");
/// Counters of the forum index (`docs`, `terms`: total indexed length).
pub(crate) const FORUM_INDEX_COUNTERS: Table<&str, u64> = Table::new("forum_index_counters");
/// Statistics period ("2026-03", "2026-Q1") → the random key reader hashes are made with.
pub(crate) const FORUM_STAT_KEYS: Table<&str, &[u8]> = Table::new("forum_stat_keys");
/// (board or 0 for all, month YYYYMM, keyed reader hash) → (): the month's readers.
pub(crate) const FORUM_READERS: Table<(u64, u32, u64), ()> = Table::new("forum_readers");
/// (board or 0 for all, month YYYYMM) → (thread views, unique readers).
pub(crate) const FORUM_MONTHLY: Table<(u64, u32), (u64, u64)> = Table::new("forum_monthly");
/// (board or 0 for all, quarter YYYYQ) → HyperLogLog registers of the quarter's readers.
pub(crate) const FORUM_QUARTER_SKETCHES: Table<(u64, u32), &[u8]> = Table::new("forum_quarter_sketches");

/// Review item id → item (JSON).
pub(crate) const MOD_ITEMS: Table<u64, &[u8]> = Table::new("mod_items");
/// Target key (`post:12`) → its review item: one item per target.
pub(crate) const MOD_ITEM_TARGETS: Table<&str, u64> = Table::new("mod_item_targets");
/// (state, u64::MAX − priority, created in µs, item) → (): the review queue in order, so a
/// page is a range scan.
pub(crate) const MOD_QUEUE: Table<(u8, u64, i64, u64), ()> = Table::new("mod_queue");
/// (item, report id) → report (JSON).
pub(crate) const MOD_REPORTS: Table<(u64, u64), &[u8]> = Table::new("mod_reports");
/// Log entry id → moderation log entry (JSON).
pub(crate) const MOD_LOG: Table<u64, &[u8]> = Table::new("mod_log");
/// (target key, log entry id) → (): a target's moderation history.
pub(crate) const MOD_LOG_BY_TARGET: Table<(&str, u64), ()> = Table::new("mod_log_by_target");
/// Appeal id → appeal (JSON).
pub(crate) const MOD_APPEALS: Table<u64, &[u8]> = Table::new("mod_appeals");
/// Log entry id → its appeal: one appeal per action.
pub(crate) const MOD_APPEAL_BY_ACTION: Table<u64, u64> = Table::new("mod_appeal_by_action");
/// (0 while open, 1 once decided; appeal id) → (): the appeals queue.
pub(crate) const MOD_APPEAL_QUEUE: Table<(u8, u64), ()> = Table::new("mod_appeal_queue");
/// (language, pattern) → action: the watched words.
pub(crate) const MOD_WORDS: Table<(&str, &str), u8> = Table::new("mod_words");
/// (country, name) → crisis resource (JSON).
pub(crate) const MOD_RESOURCES: Table<(&str, &str), &[u8]> = Table::new("mod_resources");
/// (account, what: 0 thread, 1 reply, 2 report; time in µs) → (): recent writes, for rate limits.
pub(crate) const MOD_RATES: Table<(u64, u8, i64), ()> = Table::new("mod_rates");
/// (account, board) → posts of the account that a board has shown: its standing there.
pub(crate) const MOD_TRUST: Table<(u64, u64), u32> = Table::new("mod_trust");
/// Enquiry id → enquiry record (JSON): metadata and the secret's hash, never message text.
pub(crate) const COUNSEL_ENQUIRIES: Table<u64, &[u8]> = Table::new("counsel_enquiries");
/// Case code → enquiry id.
pub(crate) const COUNSEL_CODES: Table<&str, u64> = Table::new("counsel_codes");
/// Enquiry id → its data key, wrapped under the content key; 0 → the content key's check value.
pub(crate) const COUNSEL_KEYS: Table<u64, &[u8]> = Table::new("counsel_keys");
/// (enquiry, message) → the message record, sealed under the enquiry's data key.
pub(crate) const COUNSEL_MESSAGES: Table<(u64, u64), &[u8]> = Table::new("counsel_messages");
/// (organisation, priority rank, created in µs, enquiry) → queue summary (postcard): the team
/// queues, urgent first, then oldest first. Unclaimed enquiries only.
pub(crate) const COUNSEL_QUEUE: Table<(u64, u8, u64, u64), &[u8]> = Table::new("counsel_queue");
/// (counsellor, enquiry) → (): every counsellor's open cases.
pub(crate) const COUNSEL_CASELOAD: Table<(u64, u64), ()> = Table::new("counsel_caseload");
/// (organisation, enquiry, message) → (counsellor, written in µs): replies awaiting a supervisor.
pub(crate) const COUNSEL_APPROVALS: Table<(u64, u64, u64), (u64, i64)> = Table::new("counsel_approvals");
/// (due in µs, enquiry) → (): cases still waiting for their first response.
pub(crate) const COUNSEL_DUE: Table<(i64, u64), ()> = Table::new("counsel_due");
/// (closed in µs, enquiry) → (): closed cases, for retention.
pub(crate) const COUNSEL_CLOSED: Table<(i64, u64), ()> = Table::new("counsel_closed");
/// Organisation id → its counselling offer (JSON).
pub(crate) const COUNSEL_OFFERS: Table<u64, &[u8]> = Table::new("counsel_offers");
/// Account id → counsellor profile (JSON).
pub(crate) const COUNSEL_STAFF: Table<u64, &[u8]> = Table::new("counsel_staff");
/// Keyed tag of a tried case code (known or not) → wrong-secret throttle (JSON).
pub(crate) const COUNSEL_THROTTLE: Table<&str, &[u8]> = Table::new("counsel_throttle");
/// (month YYYYMM, counter) → count: statistics without identifying data; they outlive purges.
pub(crate) const COUNSEL_STATS: Table<(u32, &str), u64> = Table::new("counsel_stats");

/// Hands out the next id of `sequence`, starting at 1 (see [`WriteTxn::next_ids`]).
pub(crate) fn next_id(txn: &WriteTxn, sequence: &str) -> Result<u64> {
    txn.next_ids(sequence, 1)
}

/// Reserves `count` consecutive ids of `sequence`; returns the first.
pub(crate) fn next_ids(txn: &WriteTxn, sequence: &str, count: u64) -> Result<u64> {
    txn.next_ids(sequence, count)
}

/// Creates every table so that readers never meet a missing one.
pub(crate) fn create_all(txn: &WriteTxn) -> Result<()> {
    txn.open_table(META)?;
    txn.open_table(SEQUENCES)?;
    txn.open_table(ORGS)?;
    txn.open_table(ACCOUNTS)?;
    txn.open_table(ACCOUNT_BY_PSEUDONYM)?;
    txn.open_table(CREDENTIALS)?;
    txn.open_table(AUDIT)?;
    txn.open_table(JOBS)?;
    txn.open_table(JOBS_BY_ORG)?;
    txn.open_table(JOB_CARDS)?;
    txn.open_table(JOB_CELLS)?;
    txn.open_table(JOB_REMOTE_CARDS)?;
    txn.open_table(JOB_BY_PUBLISHED)?;
    txn.open_table(JOB_TERMS)?;
    txn.open_table(JOB_TERM_DOCS)?;
    txn.open_table(JOB_COUNTERS)?;
    txn.open_table(JOB_VIEWS)?;
    txn.open_table(SEEKERS)?;
    txn.open_table(SAVED_SEARCHES)?;
    txn.open_table(SAVED_SEARCHES_BY_OWNER)?;
    txn.open_table(ALERT_CELLS)?;
    txn.open_table(ALERT_ANYWHERE)?;
    txn.open_table(ALERT_REMOTE)?;
    txn.open_table(INBOX)?;
    txn.open_table(INTERESTS)?;
    txn.open_table(INTERESTS_BY_JOB)?;
    txn.open_table(INTERESTS_BY_SEEKER)?;
    txn.open_table(GEO_POSTCODES)?;
    txn.open_table(GEO_PLACE_NAMES)?;
    txn.open_table(GEO_COUNTRIES)?;
    txn.open_table(SETTINGS)?;
    txn.open_table(MATCH_RUNS)?;
    txn.open_table(MATCH_RUNS_BY_COHORT)?;
    txn.open_table(FORUM_BOARDS)?;
    txn.open_table(FORUM_BOARD_SLUGS)?;
    txn.open_table(FORUM_BOARD_COUNTS)?;
    txn.open_table(FORUM_THREADS)?;
    txn.open_table(FORUM_THREAD_HEADS)?;
    txn.open_table(FORUM_BOARD_THREADS)?;
    txn.open_table(FORUM_THREAD_VIEWS)?;
    txn.open_table(FORUM_POSTS)?;
    txn.open_table(FORUM_POST_THREADS)?;
    txn.open_table(FORUM_REVISIONS)?;
    txn.open_table(FORUM_QUEUE)?;
    txn.open_table(FORUM_READS)?;
    txn.open_table(FORUM_WATCHED_THREADS)?;
    txn.open_table(FORUM_THREAD_WATCHERS)?;
    txn.open_table(FORUM_WATCHED_BOARDS)?;
    txn.open_table(FORUM_BOARD_WATCHERS)?;
    txn.open_table(FORUM_BOARD_MARKS)?;
    txn.open_table(FORUM_TERMS)?;
    txn.open_table(FORUM_TERM_DOCS)?;
    txn.open_table(FORUM_INDEX_COUNTERS)?;
    txn.open_table(FORUM_STAT_KEYS)?;
    txn.open_table(FORUM_READERS)?;
    txn.open_table(FORUM_MONTHLY)?;
    txn.open_table(FORUM_QUARTER_SKETCHES)?;
    txn.open_table(MOD_ITEMS)?;
    txn.open_table(MOD_ITEM_TARGETS)?;
    txn.open_table(MOD_QUEUE)?;
    txn.open_table(MOD_REPORTS)?;
    txn.open_table(MOD_LOG)?;
    txn.open_table(MOD_LOG_BY_TARGET)?;
    txn.open_table(MOD_APPEALS)?;
    txn.open_table(MOD_APPEAL_BY_ACTION)?;
    txn.open_table(MOD_APPEAL_QUEUE)?;
    txn.open_table(MOD_WORDS)?;
    txn.open_table(MOD_RESOURCES)?;
    txn.open_table(MOD_RATES)?;
    txn.open_table(MOD_TRUST)?;
    txn.open_table(COUNSEL_ENQUIRIES)?;
    txn.open_table(COUNSEL_CODES)?;
    txn.open_table(COUNSEL_KEYS)?;
    txn.open_table(COUNSEL_MESSAGES)?;
    txn.open_table(COUNSEL_QUEUE)?;
    txn.open_table(COUNSEL_CASELOAD)?;
    txn.open_table(COUNSEL_APPROVALS)?;
    txn.open_table(COUNSEL_DUE)?;
    txn.open_table(COUNSEL_CLOSED)?;
    txn.open_table(COUNSEL_OFFERS)?;
    txn.open_table(COUNSEL_STAFF)?;
    txn.open_table(COUNSEL_THROTTLE)?;
    txn.open_table(COUNSEL_STATS)?;
    Ok(())
}
