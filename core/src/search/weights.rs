//! The ranking's numbers in one place: tuned on the tune queries of
//! `tests/data/search/queries/tune.tsv` only (never on the held-out third).

/// How much each kind of match counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Weights {
    /// BM25 term-frequency saturation (k1): how much a second and third occurrence of a word
    /// still add. Higher than the 1.2 of [`crate::text::bm25`], because a field-weighted
    /// frequency (a title word counts three) saturates sooner.
    pub saturation: f64,
    /// Field weights of BM25F: a word in the title counts this many times a body word.
    pub title: f64,
    pub summary: f64,
    pub body: f64,
    /// A compound part of a typed word, relative to the word itself.
    pub part: f64,
    /// A relative of a German verb form ("gründen" for "gegründet"), relative to the word.
    pub inflection: f64,
    /// A corrected spelling, relative to the word as typed.
    pub spelling: f64,
    /// A thesaurus label the query did not type, relative to a typed word.
    pub thesaurus: f64,
    /// Added for carrying a topic the query names, and a topic below it.
    pub topic: f64,
    pub narrower_topic: f64,
    /// How much a document matching only some of the typed words loses: its score is
    /// multiplied by (matched / typed) to this power.
    pub coordination: f64,
}

impl Weights {
    pub(crate) const TUNED: Weights = Weights {
        saturation: 1.6,
        title: 3.0,
        summary: 2.0,
        body: 1.0,
        part: 0.6,
        inflection: 0.9,
        spelling: 0.8,
        thesaurus: 0.4,
        topic: 3.0,
        narrower_topic: 1.0,
        coordination: 1.0,
    };
}
