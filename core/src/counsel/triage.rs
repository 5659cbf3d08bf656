//! Triage: every first message and every client message passes through one [`Triage`]. A
//! crisis match makes the case urgent and hands the client crisis lines at once, because
//! asynchronous counselling is not crisis care.
//!
//! The default, [`ContentCheckerTriage`], is the moderation content checker
//! ([`crate::moderation`]): its watched words (crisis patterns in every language) and its
//! verified crisis resources for the client's country and language (TelefonSeelsorge,
//! Livslinien, 112). A host that keeps edited lists passes them to
//! [`ContentCheckerTriage::new`] in [`crate::PlatformOptions::triage`].
//!
//! ```
//! use trialog_core::counsel::{ContentCheckerTriage, Triage};
//! let triage = ContentCheckerTriage::default();
//! let found = triage.assess("Ich will nicht mehr leben", "de", Some("DE-TH"));
//! assert!(found.urgent);
//! assert_eq!(found.resources[0].title, "TelefonSeelsorge");
//! assert!(!triage.assess("Wie hoch ist das Gehalt?", "de", None).urgent);
//! ```

use serde::{Deserialize, Serialize};

use crate::forums::Signpost;
use crate::moderation::{CrisisResource, WordList, country_of, resources_for};

/// Decides whether a client's message signals a crisis, and which help to show.
///
/// Called inside the writing transaction with the plain text: keep it fast and free of I/O,
/// and never log the text. `region` is the client's region when their postcode told it.
pub trait Triage: Send + Sync + std::fmt::Debug {
    fn assess(&self, text: &str, language: &str, region: Option<&str>) -> Assessment;
}

/// What triage found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// A crisis match: the case becomes urgent.
    pub urgent: bool,
    /// Help to show the client at once.
    pub resources: Vec<Signpost>,
}

/// Triage through the moderation content checker: its watched words and crisis resources.
#[derive(Debug)]
pub struct ContentCheckerTriage {
    words: WordList,
    resources: Vec<CrisisResource>,
}

impl ContentCheckerTriage {
    /// Triage with these watched words and crisis resources (an operator's edited lists).
    pub fn new(words: WordList, resources: Vec<CrisisResource>) -> Self {
        ContentCheckerTriage { words, resources }
    }
}

impl Default for ContentCheckerTriage {
    /// The checker's built-in crisis patterns and verified resources.
    fn default() -> Self {
        Self::new(WordList::defaults(), CrisisResource::defaults())
    }
}

impl Triage for ContentCheckerTriage {
    fn assess(&self, text: &str, language: &str, region: Option<&str>) -> Assessment {
        if !self.words.check(text, language).crisis() {
            return Assessment::default();
        }
        let country = country_of(region, language);
        let resources = resources_for(&self.resources, &country, language).iter().map(|r| r.signpost()).collect();
        Assessment { urgent: true, resources }
    }
}
