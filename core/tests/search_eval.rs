//! Ranking quality of the one search, measured through the public operation
//! (`Platform::search`) over the judged collection of `tests/data/search/`: nDCG@10 (gain
//! 2^grade − 1) and the share of queries whose first hit is a best-graded article. Each query
//! is searched by a signed-in member reading in the query's language (the judgments are within that
//! language). The weights were tuned on the tune set only; the held-out set was written before
//! any search code and is run as it is. Each test fails below a floor set slightly under what
//! was measured, so a ranking regression fails the build.

mod common;

use std::collections::HashMap;

use common::corpus;
use common::*;
use trialog_core::*;

/// Floors slightly under what was measured. First round (2026-12-05): tune nDCG@10 0.868, best
/// first 76.6 %; held-out (run once, after tuning) 0.732, 68.2 %; the second held-out set,
/// written before the second round, 0.888, 84.6 %. Second round (thesaurus labels became
/// weaker forms of the words that name their topic instead of a clause added on top): tune
/// 0.894, 85.1 %; held-out 0.765, 68.2 %; second held-out 0.864, 73.1 % (worse: reported, not
/// tuned away). Third round (Danish compound splitting; German participles, -t forms, be-verbs
/// and -ung nouns meet their relatives; a third held-out set written first): tune 0.900,
/// 89.4 %; held-out 0.793, 72.7 %; heldout2 0.865, 73.1 %; heldout3 0.813, 67.9 % (0.809,
/// 67.9 % before). Fourth round (2026-12-06; question and function words dropped from queries,
/// BM25 saturation 1.2 → 1.6, topic bonus 2 → 3; ten question-phrased tune queries t48–t57
/// added first, so the tune set has 57 queries; a fourth held-out set written first): tune
/// 0.855, 82.5 % → 0.886, 87.7 % (t01–t47 alone 0.900 → 0.913); held-out 0.793, 72.7 % →
/// 0.833, 77.3 %; heldout2 0.865, 73.1 % → 0.886, 76.9 %; heldout3 0.813, 67.9 % → 0.853,
/// 71.4 %; heldout4 0.689, 54.2 % → 0.763, 66.7 %. Fifth round (2026-12-06; a fifth held-out set
/// written and measured first; German strong participles and participles after a content
/// particle ("krankgeschrieben"), kin words as labels of "relatives", a topic and the topics
/// below it giving one bonus, thesaurus labels never spell-corrected, Danish "får" dropped from
/// queries, "zahl" and "signal" in the compound dictionary, a few labels): tune 0.910, 91.2 %;
/// held-out 0.873, 81.8 % (the 0.85 and 80 % met on it); heldout2 0.895, 80.8 %;
/// heldout3 0.882, 71.4 %; heldout4 0.814, 66.7 %; heldout5 0.732, 58.8 % → 0.747, 58.8 %.
const TUNE_NDCG_FLOOR: f64 = 0.90;
const HELDOUT_NDCG_FLOOR: f64 = 0.86;
const TUNE_BEST_FIRST_FLOOR: f64 = 0.90;
const HELDOUT_BEST_FIRST_FLOOR: f64 = 0.80;
const HELDOUT2_NDCG_FLOOR: f64 = 0.88;
const HELDOUT2_BEST_FIRST_FLOOR: f64 = 0.79;
/// The third held-out set, measured once on the second round's ranking before the third
/// round changed anything: 0.809, 67.9 %.
const HELDOUT3_NDCG_FLOOR: f64 = 0.87;
const HELDOUT3_BEST_FIRST_FLOOR: f64 = 0.70;
/// The fourth held-out set, measured once on the third round's ranking before the fourth
/// round changed anything: 0.689, 54.2 %.
const HELDOUT4_NDCG_FLOOR: f64 = 0.80;
/// Seventh round: several-word thesaurus labels count only as a whole, 0.810, 62.5 %.
const HELDOUT4_BEST_FIRST_FLOOR: f64 = 0.62;
/// The fifth held-out set, measured once on the fourth round's ranking before the fifth
/// round changed anything: 0.732, 58.8 %; after it 0.747, 58.8 %.
const HELDOUT5_NDCG_FLOOR: f64 = 0.73;
const HELDOUT5_BEST_FIRST_FLOOR: f64 = 0.57;
/// The sixth held-out set, written before the sixth round; measured once before that round
/// changed anything: 0.760, 64.7 %. The sixth round's only candidate change (topic bonus
/// scaled by the topic's idf, coordination exponent 0.4) lowered it to 0.751, 61.8 % and was
/// reverted, so the ranking and these figures are the fifth round's.
const HELDOUT6_NDCG_FLOOR: f64 = 0.75;
const HELDOUT6_BEST_FIRST_FLOOR: f64 = 0.64;
/// The seventh held-out set, written before the seventh round; measured once on the fifth
/// round's ranking (main at 3349fe2) before that round changed anything: 0.783, 67.5 %
/// (de 0.791, da 0.805, en 0.745). Seventh round: 0.796, 67.5 % (de 0.813, da 0.805, en 0.753).
const HELDOUT7_NDCG_FLOOR: f64 = 0.79;
const HELDOUT7_BEST_FIRST_FLOOR: f64 = 0.67;
/// The eighth held-out set, written before the eighth round; measured once on the seventh
/// round's ranking (main at a372042) before that round changed anything: 0.840, 67.5 %
/// (de 0.901, 90.0 %; da 0.792, 40.0 %; en 0.766, 50.0 %).
const HELDOUT8_NDCG_FLOOR: f64 = 0.83;
const HELDOUT8_BEST_FIRST_FLOOR: f64 = 0.67;
/// The ninth held-out set, written before the ninth round; measured once on the seventh
/// round's ranking (main at acebbae) before that round changed anything: 0.784, 65.0 %
/// (de 0.844, 78.6 %; da 0.726, 53.8 %; en 0.777, 61.5 %). The ninth round's one candidate
/// (Danish verbal nouns meet their verbs) left it unchanged and was reverted.
const HELDOUT9_NDCG_FLOOR: f64 = 0.77;
const HELDOUT9_BEST_FIRST_FLOOR: f64 = 0.64;
/// The tenth held-out set, written before the tenth round; measured once on the seventh
/// round's ranking (main at a27105b) before that round changed anything: 0.556, 35.0 %
/// (de 0.475, 28.6 %; da 0.669, 53.8 %; en 0.531, 23.1 %). Tenth round (everyday alternative
/// labels across the thesaurus; every typed word naming a topic expanded): 0.617, 45.0 % (de
/// 0.586, 35.7 %; da 0.813, 84.6 %; en 0.455, 15.4 %: English fell).
const HELDOUT10_NDCG_FLOOR: f64 = 0.60;
const HELDOUT10_BEST_FIRST_FLOOR: f64 = 0.44;
/// The eleventh held-out set, written before the eleventh round; measured once on the tenth
/// round's ranking (main at 64a2a99) before that round changed anything: 0.723, 55.0 %
/// (de 0.634, 42.9 %; da 0.814, 61.5 %; en 0.727, 61.5 %).
const HELDOUT11_NDCG_FLOOR: f64 = 0.72;
const HELDOUT11_BEST_FIRST_FLOOR: f64 = 0.54;

struct Measured {
    ndcg: f64,
    best_first: f64,
}

fn evaluate(set: &str, show_queries: bool) -> Measured {
    let p = platform_with(&clock());
    corpus::published(&p);
    // A signed-in visitor: some articles are for members.
    let reader = Actor::account(account(&p, "Leserin", &[]).id);
    let mut grades: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for (qid, slug, grade) in corpus::judgments(set) {
        grades.entry(qid).or_default().insert(slug, grade);
    }
    let queries = corpus::queries(set);
    let mut scores: Vec<(&str, &str, f64, bool)> = Vec::new();
    for (qid, lang, text) in &queries {
        let judged = &grades[qid];
        let query = SearchQuery { text: text.clone(), language: Some(lang.clone()), ..Default::default() };
        let page = p.search().search(&reader, &query, &PageRequest::first(10)).unwrap();
        let ranked: Vec<String> = page.items.iter().map(|h| h.slug.clone().unwrap_or_default()).collect();
        let got: Vec<u32> = ranked.iter().map(|s| judged.get(s).copied().unwrap_or(0)).collect();
        let mut ideal: Vec<u32> = judged.values().copied().collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        let score = dcg(&got) / dcg(&ideal[..ideal.len().min(10)]);
        scores.push((qid, lang, score, got.first() == Some(&ideal[0])));
        if show_queries {
            println!("{qid} {score:.3} {text:?} → {:?}", ranked.iter().zip(&got).take(5).collect::<Vec<_>>());
            // SEARCH_EVAL_EXPLAIN=1 also prints the first hits' scores and why they matched.
            if std::env::var_os("SEARCH_EVAL_EXPLAIN").is_some() {
                for (hit, grade) in page.items.iter().zip(&got).take(3) {
                    println!("    {grade} {:.2} {} {:?}", hit.score, hit.slug.as_deref().unwrap_or(""), hit.matched);
                }
                let best = judged.iter().filter(|(_, g)| **g == ideal[0]).map(|(s, _)| s.as_str());
                println!("    best: {:?}", best.collect::<Vec<_>>());
            }
        }
    }
    let measured = summary(set, scores.iter());
    // Aggregates by language, and over the two halves of the set (odd and even query numbers),
    // so that a change tuned on one half can be checked on the other.
    for lang in ["de", "da", "en"] {
        summary(&format!("  {set} {lang}"), scores.iter().filter(|s| s.1 == lang));
    }
    for (half, odd) in [("odd", true), ("even", false)] {
        let is_odd = |qid: &str| qid.trim_start_matches(char::is_alphabetic).parse::<u32>().is_ok_and(|n| n % 2 == 1);
        summary(&format!("  {set} {half}"), scores.iter().filter(|s| is_odd(s.0) == odd));
    }
    measured
}

/// Mean nDCG@10 and best-first share of `scores`, printed under `name`.
fn summary<'a>(name: &str, scores: impl Iterator<Item = &'a (&'a str, &'a str, f64, bool)>) -> Measured {
    let (mut n, mut ndcg, mut best) = (0usize, 0.0, 0usize);
    for (_, _, score, first) in scores {
        n += 1;
        ndcg += score;
        best += usize::from(*first);
    }
    let n = n.max(1) as f64;
    let measured = Measured { ndcg: ndcg / n, best_first: best as f64 / n };
    println!(
        "{name}: {n} queries, nDCG@10 = {:.3}, best article first for {:.1} %",
        measured.ndcg,
        measured.best_first * 100.0
    );
    measured
}

fn dcg(grades: &[u32]) -> f64 {
    grades.iter().enumerate().map(|(i, g)| (2f64.powi(*g as i32) - 1.0) / ((i + 2) as f64).log2()).sum()
}

#[test]
fn tune_set_ranking_quality() {
    let m = evaluate("tune", true);
    assert!(m.ndcg >= TUNE_NDCG_FLOOR, "tune nDCG@10 {:.3} below {TUNE_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= TUNE_BEST_FIRST_FLOOR, "tune best-first {:.3}", m.best_first);
}

/// Prints the aggregate only: the held-out queries are not looked at one by one.
#[test]
fn heldout_set_ranking_quality() {
    let m = evaluate("heldout", false);
    assert!(m.ndcg >= HELDOUT_NDCG_FLOOR, "held-out nDCG@10 {:.3} below {HELDOUT_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT_BEST_FIRST_FLOOR, "held-out best-first {:.3}", m.best_first);
}

/// The second held-out set (`queries/heldout2.tsv`, written before the second round of
/// tuning and never tuned on); aggregate only, as the first.
#[test]
fn second_heldout_set_ranking_quality() {
    let m = evaluate("heldout2", false);
    assert!(m.ndcg >= HELDOUT2_NDCG_FLOOR, "heldout2 nDCG@10 {:.3} below {HELDOUT2_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT2_BEST_FIRST_FLOOR, "heldout2 best-first {:.3}", m.best_first);
}

/// The third held-out set (`queries/heldout3.tsv`, written and committed before the third
/// round of analyzer changes, never tuned on); aggregate only, as the others.
#[test]
fn third_heldout_set_ranking_quality() {
    let m = evaluate("heldout3", false);
    assert!(m.ndcg >= HELDOUT3_NDCG_FLOOR, "heldout3 nDCG@10 {:.3} below {HELDOUT3_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT3_BEST_FIRST_FLOOR, "heldout3 best-first {:.3}", m.best_first);
}

/// The fourth held-out set (`queries/heldout4.tsv`, written and committed before the fourth
/// round of ranking changes, never tuned on); aggregate only, as the others.
#[test]
fn fourth_heldout_set_ranking_quality() {
    let m = evaluate("heldout4", false);
    assert!(m.ndcg >= HELDOUT4_NDCG_FLOOR, "heldout4 nDCG@10 {:.3} below {HELDOUT4_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT4_BEST_FIRST_FLOOR, "heldout4 best-first {:.3}", m.best_first);
}

/// The fifth held-out set (`queries/heldout5.tsv`, written and committed before the fifth
/// round of ranking changes). Seen since the seventh round: its failures are studied query by
/// query, so it prints them.
#[test]
fn fifth_heldout_set_ranking_quality() {
    let m = evaluate("heldout5", true);
    assert!(m.ndcg >= HELDOUT5_NDCG_FLOOR, "heldout5 nDCG@10 {:.3} below {HELDOUT5_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT5_BEST_FIRST_FLOOR, "heldout5 best-first {:.3}", m.best_first);
}

/// The sixth held-out set (`queries/heldout6.tsv`, written and committed before the sixth
/// round of ranking changes). Seen since the seventh round, as the fifth.
#[test]
fn sixth_heldout_set_ranking_quality() {
    let m = evaluate("heldout6", true);
    assert!(m.ndcg >= HELDOUT6_NDCG_FLOOR, "heldout6 nDCG@10 {:.3} below {HELDOUT6_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT6_BEST_FIRST_FLOOR, "heldout6 best-first {:.3}", m.best_first);
}

/// The seventh held-out set (`queries/heldout7.tsv`, written and committed before the seventh
/// round of ranking changes). Seen since the eighth round: its failures are studied query by
/// query, so it prints them.
#[test]
fn seventh_heldout_set_ranking_quality() {
    let m = evaluate("heldout7", true);
    assert!(m.ndcg >= HELDOUT7_NDCG_FLOOR, "heldout7 nDCG@10 {:.3} below {HELDOUT7_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT7_BEST_FIRST_FLOOR, "heldout7 best-first {:.3}", m.best_first);
}

/// The eighth held-out set (`queries/heldout8.tsv`, written and committed before the eighth
/// round of ranking changes). Seen since the ninth round: its failures are studied query by
/// query, so it prints them.
#[test]
fn eighth_heldout_set_ranking_quality() {
    let m = evaluate("heldout8", true);
    assert!(m.ndcg >= HELDOUT8_NDCG_FLOOR, "heldout8 nDCG@10 {:.3} below {HELDOUT8_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT8_BEST_FIRST_FLOOR, "heldout8 best-first {:.3}", m.best_first);
}

/// The ninth held-out set (`queries/heldout9.tsv`, written and committed before the ninth
/// round of ranking changes, never tuned on); aggregate only.
#[test]
fn ninth_heldout_set_ranking_quality() {
    let m = evaluate("heldout9", false);
    assert!(m.ndcg >= HELDOUT9_NDCG_FLOOR, "heldout9 nDCG@10 {:.3} below {HELDOUT9_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT9_BEST_FIRST_FLOOR, "heldout9 best-first {:.3}", m.best_first);
}

/// The tenth held-out set (`queries/heldout10.tsv`, written and committed before the tenth
/// round of ranking changes). Seen since the eleventh round: its failures are studied query by
/// query, so it prints them.
#[test]
fn tenth_heldout_set_ranking_quality() {
    let m = evaluate("heldout10", true);
    assert!(m.ndcg >= HELDOUT10_NDCG_FLOOR, "heldout10 nDCG@10 {:.3} below {HELDOUT10_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT10_BEST_FIRST_FLOOR, "heldout10 best-first {:.3}", m.best_first);
}

/// The eleventh held-out set (`queries/heldout11.tsv`, written and committed before the
/// eleventh round of ranking changes, never tuned on); aggregate only.
#[test]
fn eleventh_heldout_set_ranking_quality() {
    let m = evaluate("heldout11", false);
    assert!(m.ndcg >= HELDOUT11_NDCG_FLOOR, "heldout11 nDCG@10 {:.3} below {HELDOUT11_NDCG_FLOOR}", m.ndcg);
    assert!(m.best_first >= HELDOUT11_BEST_FIRST_FLOOR, "heldout11 best-first {:.3}", m.best_first);
}
