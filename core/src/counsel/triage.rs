//! Triage: every first message and every client message passes through one [`Triage`]. A
//! crisis match makes the case urgent and hands the client crisis lines at once, because
//! asynchronous counselling is not crisis care. The detected level orders the team queues
//! (imminent, high, concern, then normal cases; within each the longest wait first), and the
//! counsellors see it with reasons that name categories and rules, never the message's words:
//! case metadata holds no message text.
//!
//! By default triage is the moderation content checker ([`crate::moderation`]) with the
//! platform's stored lists: the watched words operators edit (`trialog mod words`; crisis
//! patterns apply in every language) and the verified crisis resources for the client's
//! country and language (`trialog mod resources`; TelefonSeelsorge, Livslinien, 112 by default).
//! One list serves the forums and counselling, so a word an operator adds is seen by both.
//! [`ContentCheckerTriage`] is the same check over lists the host holds itself; a host passes
//! it, or its own [`Triage`], in [`crate::PlatformOptions::triage`].
//!
//! ```
//! use trialog_core::counsel::{ContentCheckerTriage, Triage};
//! let triage = ContentCheckerTriage::default();
//! let found = triage.assess("Ich will nicht mehr leben", "de", Some("DE-TH"));
//! assert!(found.urgent);
//! assert_eq!(found.resources[0].title, "TelefonSeelsorge");
//! assert!(!triage.assess("Wie hoch ist das Gehalt?", "de", None).urgent);
//! ```

use crate::context::Context;
use crate::error::Result;
use crate::moderation::{CrisisResource, TextCheck, WordAction, WordList, country_of, lists, resources_for};
use crate::store::Reader;

pub use crate::screening::{Assessment, Triage};

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
        assess_with(&self.words, || Ok(self.resources.clone()), text, language, region)
            .expect("resources held in memory cannot fail to load")
    }
}

/// Triage of one client message: the host's own [`Triage`] when it brought one, otherwise the
/// platform's stored watched words (compiled once and cached) and crisis resources.
pub(crate) fn assess(
    ctx: &Context,
    txn: &impl Reader,
    text: &str,
    language: &str,
    region: Option<&str>,
) -> Result<Assessment> {
    if let Some(own) = ctx.triage() {
        return Ok(own.assess(text, language, region));
    }
    let words = lists::word_list(ctx, txn)?;
    assess_with(&words, || lists::stored_resources(txn), text, language, region)
}

/// The check itself; the resources are loaded only when a crisis pattern matched.
fn assess_with(
    words: &WordList,
    resources: impl FnOnce() -> Result<Vec<CrisisResource>>,
    text: &str,
    language: &str,
    region: Option<&str>,
) -> Result<Assessment> {
    let found = words.check(text, language);
    if !found.crisis() {
        return Ok(Assessment::default());
    }
    let country = country_of(region, language);
    let shown = resources_for(&resources()?, &country, language).iter().map(|r| r.signpost()).collect();
    Ok(Assessment { urgent: true, resources: shown, level: found.level, reasons: reasons(&found) })
}

/// Why a check found a crisis, for the counsellors' queue: each finding's category, level and
/// rule (or the model), and each operator crisis word by its pattern. The findings' own reasons
/// quote the message, and case metadata never holds message text, so they are not used here.
fn reasons(found: &TextCheck) -> Vec<String> {
    let findings = found.findings.iter().map(|f| {
        let by = if f.rule == "model" {
            "the model's reading (no rule matched)".to_string()
        } else {
            format!("the rule '{}' ({})", f.rule, f.language)
        };
        format!("{} ({}): {by}", f.category, f.level)
    });
    let words = found
        .matches
        .iter()
        .filter(|m| m.action == WordAction::Crisis)
        .map(|m| format!("the watched crisis word '{}'", m.pattern));
    let mut out: Vec<String> = Vec::new();
    for reason in findings.chain(words) {
        if !out.contains(&reason) {
            out.push(reason);
        }
    }
    out
}
