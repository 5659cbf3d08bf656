//! Crisis detection: finds in a text the signs that its writer (or someone they write about)
//! is at risk, says which kind of sign it is ([`CrisisCategory`]), how urgent
//! ([`CrisisLevel`]), which words triggered it and why.
//!
//! The detector is a set of rules per language, written in plain pattern files
//! (`core/src/moderation/crisis/patterns/<lang>.txt`, compiled into the binary) and matched
//! with one automaton in one pass over the text. It runs beside the operators' watched words
//! ([`super::WordList`]): every check of a post, an edit or a counselling message runs both.
//! A text is checked with the crisis rules of every language (someone in crisis may write
//! English or Danish on a German board, and a miss costs more than a stray match); idioms and
//! context cues apply in the text's own language and English (all of them for a language
//! without rules).
//!
//! # Pattern files
//!
//! One rule per line; `#` starts a comment. A line `[category level]` starts a section of
//! crisis rules: `category` is one of `passive_death_wish`, `suicidal_thoughts`,
//! `method_or_means`, `intent_or_plan`, `preparation_or_farewell`, `self_harm`,
//! `third_party`; `level` is `concern`, `high` or `imminent`. The word `soft` after the level
//! marks bare mentions ("Suizid", "selvmord") that training announcements and recovery stories
//! use too: distancing can set them aside (see below). The word `weak` marks signs that are
//! ordinary words alone and a crisis beside others ("if anyone finds this", "I have them at
//! home", "the decision is made", burn marks on the arms): a weak match stands only beside
//! another match, weak or not (step 7 below); `soft weak` is both. Other sections:
//!
//! - `[exception]` — idioms: a crisis match lying inside one of these is set aside
//!   ("die Hitze bringt mich um", "I'm dying to", "jeg dør af grin");
//! - `[cue negation]`, `[cue past]`, `[cue recovery]`, `[cue recurrence]`, `[cue topic]`,
//!   `[cue time]`, `[cue third_party]`, `[cue generic]`, `[cue departure]` — context words the
//!   rules below read.
//!
//! A rule is a sequence of words. Each word is matched after the same folding as watched words
//! (case, diacritics, repeated letters, digits for letters, spelled-out words: see
//! [`super::words`]), and:
//!
//! | written | matches |
//! |---|---|
//! | `leben` | the word or an inflected form the language's stemmer gives the same stem ("lebe", "leben") |
//! | `=tot` | exactly this form |
//! | `suizid*` | words that begin so ("Suizidgedanken") |
//! | `*mord` | words that end so ("selvmord") |
//! | `*lebensmüd*` | words that contain it |
//! | `nehme\|nimm\|nehmen` | any one of these |
//! | `..4` | up to four other words in between |
//!
//! So `mir ..4 das leben nehmen` matches "mir bald das Leben nehmen"; a rule never matches
//! across the end of a sentence. Forms the stemmer does not
//! join (German separable verbs with *zu*: "umzubringen", "sich das Leben zu nehmen") are
//! written out as rules of their own. Spanish, Dutch and Romanian use their Snowball stemmers;
//! Bulgarian has none: write its word forms out (`=` or `a|b|c`).
//!
//! # Context: what lowers, cancels and raises a match
//!
//! A false alarm costs a moderator a minute; a miss can cost a life. So context lowers or sets
//! aside a match only where the text says plainly that it is not about a present risk, and
//! raises it wherever it might be:
//!
//! 1. **Idiom**: a match inside an `[exception]` phrase is set aside.
//! 2. **Topic** (training, prevention, a course, an article) in the same sentence sets aside a
//!    `soft` match, a statement quoted inside quotation marks, and a statement below `imminent`
//!    about people in general ("Menschen, die sagen, dass sie sterben wollen", "a case where a
//!    client had saved up pills": `[cue generic]`; an imminent one only without a time cue);
//!    other statements stay.
//! 3. **Negation** within three words before a match in the same clause, or in a gap of it ("will *nicht*
//!    sterben"), sets aside a `soft` match ("keine Suizidgedanken") and lowers any other by one
//!    level, never below `concern`: "I don't want to die" is still worth a look.
//! 4. **Past told as recovery**: a match in a sentence with a past cue ("früher", "years ago"),
//!    in a text with a recovery cue ("heute geht es mir gut", "I'm doing well now"), and without
//!    a recurrence cue in that sentence ("wieder", "again") is set aside. A past cue without a
//!    recovery cue sets a `soft` match aside (a bare mention told as history: "my aunt attempted
//!    suicide in the nineties") and lowers any other by one level, never below `concern`.
//!    The model's reading (below) is set aside the same way when every sentence holding the
//!    words that weighed most has a past cue and no recurrence cue, and the text a recovery cue.
//! 5. **Raised to imminent**: a time cue ("heute Nacht", "tonight") in the same sentence as a
//!    match, or a method or means together with thoughts, intent or a death wish in one text.
//! 6. **Third party**: a relative or friend named as the subject ("mein Sohn", "my friend")
//!    adds the category `third_party`; the level stays what the words say.
//! 7. **Weak signs** stand only together: a `weak` match is set aside unless another match
//!    still standing does not overlap it (weak or not) — convergent signs, as a clinician
//!    weighs them. A weak match
//!    never swallows a match inside it, and the model may still read a crisis over one.
//! 8. **A farewell with an ordinary reason** (weighed before step 7): when the text names an
//!    ordinary departure of the writer's ("new job", "Elternzeit", "flytter": `[cue departure]`)
//!    and every match still standing is a farewell, they are set aside — a goodbye to a team.
//!    Any other sign in the text keeps them all (a plan: "when my parents are on holiday, I'll
//!    do it"), and holidays are no departure cue for that reason.
//!
//! # The model beside the rules
//!
//! Rules know phrases; written in other words, a crisis slips past them, and an idiom or a
//! story they do not know trips them. A small linear model ([`model`]: hashed word and character
//! n-grams, trained on the seen evaluation sets by `core/examples/crisis_model.rs`, 295 KB
//! compiled in) reads every text too and decides with the rules ([`model::Stacking`]): the
//! rules' `imminent` findings stand; a `concern` or `high` finding of the rules counts as an
//! offset to the model's score, and when the sum stays below the threshold of the text's
//! language family the findings are set aside (with the scores in their reason); when no rule
//! matched and the model scores a crisis, the text is a `concern` (or `imminent` with a time cue
//! or when the model's imminent head says so) with the words that weighed most as its reason;
//! when the rules found something below `imminent`, the imminent head may raise it. The model
//! never sets aside an `imminent` finding, nor overrules the rules' context.
//! [`rules_detector`] is the rules alone.
//!
//! ```
//! use trialog_core::moderation::crisis::{CrisisCategory, CrisisLevel, detector};
//! let found = detector().detect("Ich habe meine Tabletten gesammelt, heute Nacht ist es so weit.", "de");
//! assert_eq!(found.level, Some(CrisisLevel::Imminent));
//! assert!(found.categories.contains(&CrisisCategory::MethodOrMeans));
//! assert!(detector().detect("Fortbildung zur Suizidprävention am 12. März", "de").level.is_none());
//! assert!(detector().detect("Die Hitze bringt mich um", "de").level.is_none());
//! ```

mod detect;
pub mod eval;
pub mod model;
mod pieces;
mod rules;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::accounts::named_enum;

pub use crate::screening::CrisisLevel;
pub use detect::{Detection, Detector};

/// The built-in pattern files, one per language (ISO 639-1).
pub const PATTERN_FILES: &[(&str, &str)] = &[
    ("de", include_str!("patterns/de.txt")),
    ("da", include_str!("patterns/da.txt")),
    ("en", include_str!("patterns/en.txt")),
    ("es", include_str!("patterns/es.txt")),
    ("nl", include_str!("patterns/nl.txt")),
    ("ro", include_str!("patterns/ro.txt")),
    ("bg", include_str!("patterns/bg.txt")),
];

/// The language whose idioms and context cues apply to texts of every language.
pub const SHARED_LANGUAGE: &str = "en";

/// What kind of risk sign a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CrisisCategory {
    /// Wishing to be dead without a plan ("am liebsten wäre ich tot").
    PassiveDeathWish,
    /// Thinking of ending one's life ("ich will nicht mehr leben").
    SuicidalThoughts,
    /// A method or the means at hand ("Tabletten gesammelt", "the bridge").
    MethodOrMeans,
    /// Having decided, or a plan ("ich werde mich umbringen").
    IntentOrPlan,
    /// Putting affairs in order, a farewell ("Abschiedsbrief", "goodbye everyone").
    PreparationOrFarewell,
    /// Hurting oneself ("ich ritze mich wieder").
    SelfHarm,
    /// Someone else at risk, as a relative or friend writes it ("mein Sohn will nicht mehr leben").
    ThirdParty,
}

named_enum!(CrisisCategory, "category",
    PassiveDeathWish => "passive_death_wish", SuicidalThoughts => "suicidal_thoughts",
    MethodOrMeans => "method_or_means", IntentOrPlan => "intent_or_plan",
    PreparationOrFarewell => "preparation_or_farewell", SelfHarm => "self_harm", ThirdParty => "third_party");

named_enum!(CrisisLevel, "level", Concern => "concern", High => "high", Imminent => "imminent");

impl CrisisLevel {
    /// One level lower, never below `concern`.
    pub fn lowered(self) -> CrisisLevel {
        match self {
            CrisisLevel::Imminent => CrisisLevel::High,
            _ => CrisisLevel::Concern,
        }
    }
}

/// One crisis sign found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CrisisFinding {
    pub category: CrisisCategory,
    /// After context (see the module documentation).
    pub level: CrisisLevel,
    /// The language of the rule that matched (`model` for a finding of the model alone).
    pub language: String,
    /// The rule as written in its pattern file (`model` for a finding of the model alone).
    pub rule: String,
    /// The text as written where it matched (whole words).
    pub matched: String,
    /// Byte offsets of `matched` in the checked text.
    pub start: u32,
    pub end: u32,
    /// Why it matched, and what context changed (in words).
    pub reason: String,
}

/// The detector over the built-in pattern files, compiled once per process.
pub fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        let rules = Detector::compile(PATTERN_FILES).expect("the built-in crisis patterns are well-formed");
        let model = model::Model::from_bytes(model::MODEL_BYTES).expect("the built-in crisis model is well-formed");
        rules.with_model(model)
    })
}

/// The detector over the built-in pattern files without the model: what the rules alone find.
pub fn rules_detector() -> &'static Detector {
    static RULES: OnceLock<Detector> = OnceLock::new();
    RULES.get_or_init(|| Detector::compile(PATTERN_FILES).expect("the built-in crisis patterns are well-formed"))
}

#[cfg(test)]
mod tests;
