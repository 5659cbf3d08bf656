//! Triage: every first message and every client message passes through one [`Triage`]. A
//! crisis match makes the case urgent and hands the client crisis lines at once, because
//! asynchronous counselling is not crisis care.
//!
//! The moderation module's content checker (watched words with crisis lists, crisis resources
//! per country and language) is meant to plug in here; until it does, [`CrisisLines`] matches a
//! short list of unmistakable crisis phrases and answers with the crisis lines the counselling
//! issue names: in Germany the TelefonSeelsorge (0800 111 0 111, 0800 111 0 222, 116 123), in
//! Denmark Livslinien (70 201 201), and 112 everywhere.

use serde::{Deserialize, Serialize};

use crate::forums::Signpost;
use crate::text;

/// Decides whether a client's message signals a crisis, and which help to show.
///
/// Called inside the writing transaction with the plain text: keep it fast and free of I/O,
/// and never log the text.
pub trait Triage: Send + Sync + std::fmt::Debug {
    fn assess(&self, text: &str, language: &str) -> Assessment;
}

/// What triage found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// A crisis match: the case becomes urgent.
    pub urgent: bool,
    /// Help to show the client at once.
    pub resources: Vec<Signpost>,
}

/// The default triage: a small list of crisis phrases in German, Danish and English, and the
/// crisis lines of the client's country (from the language) plus 112.
#[derive(Debug, Default, Clone, Copy)]
pub struct CrisisLines;

/// Folded phrases (lower case, no diacritics); a message matches when it contains one.
const CRISIS_PHRASES: &[&str] = &[
    "suizid",
    "selbstmord",
    "mich umbringen",
    "mir das leben nehmen",
    "nicht mehr leben",
    "selvmord",
    "tage mit eget liv",
    "sla mig selv ihjel",
    "suicide",
    "kill myself",
    "end my life",
];

impl Triage for CrisisLines {
    fn assess(&self, text: &str, language: &str) -> Assessment {
        let folded = text::fold(text);
        let urgent = CRISIS_PHRASES.iter().any(|p| folded.contains(p));
        Assessment { urgent, resources: if urgent { crisis_lines(language) } else { Vec::new() } }
    }
}

/// The crisis lines for a client writing in `language`: the country's lines, then 112.
pub fn crisis_lines(language: &str) -> Vec<Signpost> {
    let line = |title: &str, detail: &str, contact: &str, url: Option<&str>| Signpost {
        title: title.into(),
        detail: detail.into(),
        contact: Some(contact.into()),
        url: url.map(str::to_string),
    };
    let mut lines = match language {
        "de" => vec![
            line(
                "TelefonSeelsorge",
                "Rund um die Uhr, anonym und kostenfrei",
                "0800 111 0 111",
                Some("https://www.telefonseelsorge.de"),
            ),
            line(
                "TelefonSeelsorge",
                "Rund um die Uhr, anonym und kostenfrei",
                "0800 111 0 222",
                Some("https://www.telefonseelsorge.de"),
            ),
            line(
                "TelefonSeelsorge",
                "Rund um die Uhr, anonym und kostenfrei",
                "116 123",
                Some("https://www.telefonseelsorge.de"),
            ),
        ],
        "da" => vec![line(
            "Livslinien",
            "Anonym rådgivning ved selvmordstanker",
            "70 201 201",
            Some("https://www.livslinien.dk"),
        )],
        _ => Vec::new(),
    };
    lines.push(line("112", "Emergency: in immediate danger call 112", "112", None));
    lines
}
