//! The tables of this domain: the only place they are declared; the domain registers them
//! (see [`super::DOMAIN`]) and only its own modules open them.

use crate::store::{AnyTable, Table};

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
/// (term, first job id of the block) → a block of postings: the main postings of the text
/// index of published postings (schema 18, see `crate::text_index`; version 17 and before
/// kept one row per term and posting in `job_terms`).
pub(crate) const JOB_TERM_BLOCKS: Table<(&str, u64), &[u8]> = Table::new("job_term_blocks");
/// Term → number of published postings in the main postings that contain it.
pub(crate) const JOB_TERM_DOCS: Table<&str, u64> = Table::new("job_term_docs");
/// Counters of the job index (`docs`, `terms`: total indexed length, `open_bytes`: the size
/// of the open segments).
pub(crate) const JOB_COUNTERS: Table<&str, u64> = Table::new("job_counters");
/// Segment number → the text index changes of one transaction, not merged yet (schema 18).
pub(crate) const JOB_TERM_SEGMENTS: Table<u64, &[u8]> = Table::new("job_term_segments");
/// (job id, month as YYYYMM) → views; job id 0 holds the totals of all postings.
pub(crate) const JOB_VIEWS: Table<(u64, u32), u64> = Table::new("job_views");
/// (month as YYYYMM, organisation) → views of the organisation's postings (organisation 0:
/// of postings no organisation lists, only in files counted by the version 17 migration).
pub(crate) const JOB_ORG_VIEWS: Table<(u32, u64), u64> = Table::new("job_org_views");
/// (month first published as YYYYMM, organisation, dimension, key) → postings: published
/// postings by `contract` (key: the contract) and by `region` (key: the region) or `home`
/// (key "": the organisation's home region), as each posting stands now (see `jobs::figures`).
pub(crate) const JOB_POSTING_COUNTS: Table<(u32, u64, &str, &str), u64> = Table::new("job_posting_counts");
/// Job id → (month, organisation, contract, dimension, key): where a published posting counts
/// in `job_posting_counts`, so that an edit moves it without decoding its old record.
pub(crate) const JOB_TALLIED: Table<u64, (u32, u64, &str, &str, &str)> = Table::new("job_tallied");
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
/// Interest id → interest record (JSON).
pub(crate) const INTERESTS: Table<u64, &[u8]> = Table::new("interests");
/// (job id, interest id) → (): the interest a posting received.
pub(crate) const INTERESTS_BY_JOB: Table<(u64, u64), ()> = Table::new("interests_by_job");
/// (seeker account, job id) → interest id: one interest per seeker and posting.
pub(crate) const INTERESTS_BY_SEEKER: Table<(u64, u64), u64> = Table::new("interests_by_seeker");

/// (organisation, the employer's reference) → job id: `ref` of imports, unique per
/// organisation (see `jobs::refs`).
pub(crate) const JOB_REFS: Table<(u64, &str), u64> = Table::new("job_refs");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &JOBS,
    &JOBS_BY_ORG,
    &JOB_CARDS,
    &JOB_CELLS,
    &JOB_REMOTE_CARDS,
    &JOB_BY_PUBLISHED,
    &JOB_TERM_BLOCKS,
    &JOB_TERM_DOCS,
    &JOB_COUNTERS,
    &JOB_TERM_SEGMENTS,
    &JOB_VIEWS,
    &JOB_ORG_VIEWS,
    &JOB_POSTING_COUNTS,
    &JOB_TALLIED,
    &SEEKERS,
    &SAVED_SEARCHES,
    &SAVED_SEARCHES_BY_OWNER,
    &ALERT_CELLS,
    &ALERT_ANYWHERE,
    &ALERT_REMOTE,
    &INTERESTS,
    &INTERESTS_BY_JOB,
    &INTERESTS_BY_SEEKER,
    &JOB_REFS,
];
