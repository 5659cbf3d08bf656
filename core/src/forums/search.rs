//! Full-text search over thread titles and posts, through the shared [`crate::text`] module:
//! every query word must occur (in any case, with or without accents, in any of its German,
//! Danish or English forms); hits are ranked by BM25 and recency, and shown with highlighted
//! snippets.
//!
//! The index ([`super::index`]) only says which posts contain a word. Whether a hit may be
//! shown is decided afresh for every hit, from the records: the thread must be visible, its
//! board in the searcher's audience, the post visible and not deleted. So the index can never
//! leak what a board's audience or a post's state hides, even while it lags behind.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::store::ReadTxn;
use serde::{Deserialize, Serialize};

use super::index::{self, Corpus, Posting, Reading};
use super::markup;
use super::model::{Author, BoardId, ContentState, PostId, ThreadId};
use super::reading::may_read;
use super::records::{self, find_head, load_post_in, load_thread};
use super::{Forums, Viewer};
use crate::actor::Actor;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::page::{PageRequest, cursor_for_keys};
pub use crate::text::Fragment;
use crate::text::{self, QueryTerm, fragments};

/// How much a brand-new post's score is raised over an old one's: up to half again.
const RECENCY_WEIGHT: f64 = 0.5;
/// The recency bonus halves every this many days.
const RECENCY_HALF_LIFE_DAYS: f64 = 180.0;
/// Characters of post text in a snippet.
const SNIPPET_CHARS: usize = 160;

/// A forum search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ForumQuery {
    /// The words to find, all of them.
    pub text: String,
    /// Only in this board.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub board: Option<BoardId>,
}

/// One post found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ForumHit {
    pub post: PostId,
    pub thread: ThreadId,
    pub board: BoardId,
    /// Whether it is the first post of its thread (whose title was searched too).
    pub first_post: bool,
    pub thread_title: String,
    /// The thread's title with matched words marked.
    pub title: Vec<Fragment>,
    /// A passage of the post's own words (quotes left out) with matched words marked.
    pub snippet: Vec<Fragment>,
    pub author: Author,
    pub created_at: Timestamp,
    /// BM25 with the recency bonus; higher is better.
    pub score: f64,
}

/// A page of hits, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ForumSearchPage {
    pub items: Vec<ForumHit>,
    pub next_cursor: Option<String>,
}

/// A scored candidate, ordered best first (higher score, then newer post).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: f64,
    post: PostId,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score.total_cmp(&other.score).then(self.post.cmp(&other.post))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

impl Forums<'_> {
    /// Searches the threads and posts the actor may read. See the module documentation.
    pub fn search(&self, actor: &Actor, query: &ForumQuery, page: &PageRequest) -> Result<ForumSearchPage> {
        self.ctx.read(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let limit = page.limit()?;
            let after = page.cursor_keys(2)?.map(|k| Candidate { score: f64::from_bits(k[0]), post: PostId(k[1]) });
            let words = text::query_terms(&query.text);
            if words.is_empty() {
                return Err(Error::invalid("text", "type at least one word to search for"));
            }
            if let Some(board) = query.board {
                super::boards::readable(txn, &viewer, board)?;
            }
            let mut ranked: BinaryHeap<Candidate> =
                candidates(txn, &words, now)?.into_iter().filter(|c| after.is_none_or(|a| *c < a)).collect();
            let mut shown = Shown { txn, viewer: &viewer, board: query.board, readable: Vec::new() };
            let mut items = Vec::with_capacity(limit);
            let mut next_cursor = None;
            while let Some(candidate) = ranked.pop() {
                let Some(hit) = shown.hit(candidate, &words)? else { continue };
                if items.len() == limit {
                    let last: &ForumHit = &items[limit - 1];
                    next_cursor = Some(cursor_for_keys(&[last.score.to_bits(), last.post.0]));
                    break;
                }
                items.push(hit);
            }
            Ok(ForumSearchPage { items, next_cursor })
        })
    }
}

/// Every indexed post holding all the words, scored. Words are taken rarest first: the first
/// gives the candidates, each further one is merged against them as its postings stream by, so
/// the candidate set only ever shrinks and no score is computed for a post that cannot match.
fn candidates(txn: &ReadTxn, words: &[QueryTerm], now: Timestamp) -> Result<Vec<Candidate>> {
    let variants: Vec<&str> = words.iter().flat_map(|w| w.variants.iter().map(String::as_str)).collect();
    let reading = index::reading(txn, &variants)?;
    let norms = Norms::of(&reading.corpus(txn)?);
    let mut per_word: Vec<(u64, Vec<(String, u64)>)> = Vec::new();
    for word in words {
        let mut forms = Vec::new();
        for variant in &word.variants {
            let df = reading.document_frequency(txn, variant)?;
            if df > 0 {
                forms.push((variant.clone(), df));
            }
        }
        if forms.is_empty() {
            return Ok(Vec::new());
        }
        per_word.push((forms.iter().map(|(_, df)| df).sum(), forms));
    }
    per_word.sort_by_key(|(df, _)| *df);
    let mut found: Vec<Scored> = Vec::new();
    for (n, (_, forms)) in per_word.iter().enumerate() {
        found = if n == 0 {
            first_word(txn, &reading, forms, &norms)?
        } else {
            next_word(txn, &reading, forms, &norms, found)?
        };
        if found.is_empty() {
            break;
        }
    }
    let today = f64::from(index::day_of(now));
    Ok(found
        .into_iter()
        .map(|s| {
            let age = (today - f64::from(s.day)).max(0.0);
            let recency = 1.0 + RECENCY_WEIGHT * (-age / RECENCY_HALF_LIFE_DAYS).exp2();
            Candidate { score: s.score * recency, post: s.post }
        })
        .collect())
}

/// A post matching the words so far, with their summed BM25.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scored {
    post: PostId,
    score: f64,
    day: u16,
}

/// What scoring a posting needs besides its term: the corpus size and, for each of the 256
/// quantised lengths a posting may carry, its BM25 length normalisation — computed once per
/// search instead of once per posting (hundreds of thousands for a common word).
struct Norms {
    docs: u64,
    by_length: [f64; 256],
}

impl Norms {
    fn of(corpus: &Corpus) -> Norms {
        let mut by_length = [0.0; 256];
        for (q, norm) in by_length.iter_mut().enumerate() {
            *norm = text::bm25_length_norm(index::length_of(q as u8), corpus.average_length);
        }
        Norms { docs: corpus.docs.max(1), by_length }
    }
}

/// A term's BM25 for one posting, with the term's idf computed once.
fn scorer(df: u64, norms: &Norms) -> impl Fn(&Posting) -> f64 + '_ {
    let idf = text::bm25_idf(df, norms.docs);
    move |p| idf * text::bm25_tf_normed(u32::from(p.tf), norms.by_length[usize::from(p.length)])
}

/// The posts holding any form of the rarest word, each with its best score among the forms.
fn first_word(txn: &ReadTxn, reading: &Reading<'_>, forms: &[(String, u64)], norms: &Norms) -> Result<Vec<Scored>> {
    let mut merged: Vec<Scored> = Vec::new();
    for (term, df) in forms {
        let score = scorer(*df, norms);
        let mut list = Vec::with_capacity(usize::try_from(*df).unwrap_or(0));
        reading
            .for_each_posting(txn, term, |p| list.push(Scored { post: PostId(p.doc), score: score(p), day: p.day }))?;
        merged = if merged.is_empty() { list } else { union_best(&merged, &list) };
    }
    Ok(merged)
}

/// The candidates that also hold a form of this word, its best score added.
fn next_word(
    txn: &ReadTxn,
    reading: &Reading<'_>,
    forms: &[(String, u64)],
    norms: &Norms,
    candidates: Vec<Scored>,
) -> Result<Vec<Scored>> {
    let mut best = vec![0.0f64; candidates.len()];
    for (term, df) in forms {
        let score = scorer(*df, norms);
        let mut at = 0;
        reading.for_each_posting(txn, term, |p| {
            while at < candidates.len() && candidates[at].post.0 < p.doc {
                at += 1;
            }
            if at < candidates.len() && candidates[at].post.0 == p.doc {
                best[at] = best[at].max(score(p));
            }
        })?;
    }
    Ok(candidates
        .into_iter()
        .zip(best)
        .filter(|(_, b)| *b > 0.0)
        .map(|(c, b)| Scored { score: c.score + b, ..c })
        .collect())
}

/// Both lists merged by post, keeping the better score of a post found in both.
fn union_best(a: &[Scored], b: &[Scored]) -> Vec<Scored> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].post.cmp(&b[j].post) {
            Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            Ordering::Equal => {
                out.push(if a[i].score >= b[j].score { a[i] } else { b[j] });
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Turns candidates into hits, checking each against the records.
struct Shown<'a, 'v> {
    txn: &'a ReadTxn,
    viewer: &'a Viewer<'v>,
    board: Option<BoardId>,
    readable: Vec<(u64, bool)>,
}

impl Shown<'_, '_> {
    /// The hit for a candidate, or `None` when the searcher may not see it.
    fn hit(&mut self, candidate: Candidate, words: &[QueryTerm]) -> Result<Option<ForumHit>> {
        let Some(thread_id) = records::post_thread(self.txn, candidate.post)? else {
            return Ok(None);
        };
        let Some(head) = find_head(self.txn, thread_id)? else {
            return Ok(None);
        };
        if head.state != ContentState::Visible
            || self.board.is_some_and(|b| b != head.board)
            || !may_read(self.txn, self.viewer.subject, head.board, self.viewer.now, &mut self.readable)?
        {
            return Ok(None);
        }
        let post = load_post_in(self.txn, thread_id, candidate.post)?;
        if post.state != ContentState::Visible || post.deleted_at.is_some() {
            return Ok(None);
        }
        let thread = load_thread(self.txn, thread_id)?;
        let language = Some(post.language.as_str());
        let first_post = thread.first_post == post.id;
        let title = text::snippet(&thread.title, words, language, thread.title.chars().count());
        let snippet = text::snippet(&markup::own_text(&post.body), words, language, SNIPPET_CHARS);
        Ok(Some(ForumHit {
            post: post.id,
            thread: thread_id,
            board: head.board,
            first_post,
            title: fragments(&title),
            snippet: fragments(&snippet),
            thread_title: thread.title,
            author: self.viewer.author(post.author.account, &post.author.name, post.author.anonymous),
            created_at: post.created_at,
            score: candidate.score,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(list: &[(u64, f64)]) -> Vec<Scored> {
        list.iter().map(|&(post, score)| Scored { post: PostId(post), score, day: 0 }).collect()
    }

    #[test]
    fn unions_keep_the_better_score_of_a_post_in_both() {
        let a = scored(&[(1, 1.0), (3, 1.0), (5, 1.0)]);
        let b = scored(&[(3, 2.0), (4, 2.0), (5, 0.5)]);
        assert_eq!(union_best(&a, &b), scored(&[(1, 1.0), (3, 2.0), (4, 2.0), (5, 1.0)]));
    }

    #[test]
    fn fragments_cover_the_snippet_in_order() {
        let snippet = text::Snippet { text: "ab cd ef".into(), highlights: vec![(3, 5)] };
        let parts = fragments(&snippet);
        assert_eq!(parts.iter().map(|f| f.text.as_str()).collect::<String>(), "ab cd ef");
        assert_eq!(parts.iter().filter(|f| f.matched).map(|f| f.text.as_str()).collect::<Vec<_>>(), ["cd"]);
    }
}
