//! Counselling in `trialog demo`: three partner organisations (Jena in German and English, Köln
//! for relatives, Aarhus in Danish and English) with their counsellors' profiles — one of them
//! in training — and six enquiries in every state: waiting, claimed and answered, a trainee's
//! reply waiting for the supervisor, a Danish case, a relatives' question, and one urgent
//! enquiry whose first message triage flagged as a crisis.
//!
//! The content key is written next to the database (`demo.redb` → `demo.counsel.key`, readable
//! by its owner only, or the key already there: never replaced), so that the tour's commands can read the demo's conversations; a real
//! platform keeps its key away from the file.

use std::path::{Path, PathBuf};

use chrono::Duration;
use serde::Serialize;
use trialog_core::counsel::{CounselOffer, CounsellorProfileUpdate, NewEnquiry, Priority};
use trialog_core::{Actor, Clock, ContentKey, Error, OrgId, PageRequest, Platform, TestClock};

use crate::demo::Demo;
use crate::failure::Failure;
use crate::output::Output;
use crate::permissions;

/// What the demo's counselling holds, for the summary and the tour.
#[derive(Debug, Serialize)]
pub struct CounselFigures {
    pub enquiries: usize,
    pub urgent: usize,
    /// Enquiries waiting in the Jena team queue.
    pub jena_queue: usize,
    pub jena_org: OrgId,
    pub key_file: String,
}

/// The content key file of the demo database `db`.
pub fn key_file(db: &Path) -> PathBuf {
    db.with_extension("counsel.key")
}

/// The demo's content key: the one already in the demo's key file, or a new one written there
/// (0600). An existing key file is never replaced — it may be a real platform's key, and the
/// conversations it encrypts would be lost — and one that is not a key is refused.
pub fn demo_key(db: &Path, out: Output) -> Result<ContentKey, Failure> {
    let path = key_file(db);
    if path.exists() {
        permissions::warn_if_exposed(&path, permissions::KEY_HOLDS, out);
        let bytes = std::fs::read(&path)
            .map_err(|e| Failure::io(&format!("cannot read the key file {}", path.display()), e))?;
        return ContentKey::from_file_contents(&bytes).map_err(|_| {
            Failure::conflict(
                format!("{} exists and is not a content key; the demo does not replace it", path.display()),
                "move it away, or give the demo another file: --db demo.redb",
            )
        });
    }
    let key = ContentKey::generate()?;
    permissions::write_private_new(&path, &format!("{}\n", key.to_hex().as_str()))
        .map_err(|e| Failure::io(&format!("cannot write the demo's content key {}", path.display()), e))?;
    Ok(key)
}

struct EnquirySeed {
    topic: &'static str,
    language: &'static str,
    hours_ago: i64,
    text: &'static str,
    /// Who claims it, and their reply; `None` leaves it in the queue.
    claimed_by: Option<(&'static str, &'static str)>,
    client_follow_up: Option<&'static str>,
}

const ENQUIRIES: &[EnquirySeed] = &[
    EnquirySeed {
        topic: "contracts_and_pay",
        language: "de",
        hours_ago: 40,
        text: "Mein Arbeitsvertrag als Genesungsbegleiterin nennt keine Entgeltgruppe. Ist eine Eingruppierung \
               nach TV-L üblich, und wen frage ich im Betrieb?",
        claimed_by: Some((
            "Beraterin_Lea",
            "Das ist eine häufige Frage. Viele Kliniken gruppieren nach Tarifvertrag ein; fragen Sie die \
             Personalabteilung nach der Eingruppierung schriftlich, und der Betriebsrat kann helfen.",
        )),
        client_follow_up: Some("Danke! Ich frage nächste Woche nach und melde mich."),
    },
    EnquirySeed {
        topic: "ex_in_training",
        language: "de",
        hours_ago: 20,
        text: "Wo beginnt der nächste EX-IN-Kurs in Thüringen, und kann ich ihn berufsbegleitend machen?",
        claimed_by: None,
        client_follow_up: None,
    },
    EnquirySeed {
        topic: "peer_work_in_practice",
        language: "de",
        hours_ago: 10,
        text: "Im Team werde ich oft gefragt, ob ich wirklich Fachkraft bin. Wie gehen andere damit um?",
        claimed_by: Some((
            "Berater_Jonas",
            "Das kennen viele Genesungsbegleiter. Hilfreich ist, die eigene Rolle im Team einmal ausdrücklich \
             zu besprechen.",
        )),
        client_follow_up: None,
    },
    EnquirySeed {
        topic: "for_relatives",
        language: "de",
        hours_ago: 6,
        text: "Mein Bruder ist seit Wochen in der Klinik und will keinen Besuch. Wie kann ich ihn unterstützen?",
        claimed_by: None,
        client_follow_up: None,
    },
    EnquirySeed {
        topic: "job_and_career",
        language: "da",
        hours_ago: 30,
        text: "Jeg vil gerne arbejde som peer-medarbejder i psykiatrien. Hvilken uddannelse kræves?",
        claimed_by: Some((
            "Peerguide_Mette",
            "Godt spørgsmål! Mange regioner tilbyder et peer-kursus; jeg sender dig et par muligheder.",
        )),
        client_follow_up: None,
    },
    EnquirySeed {
        topic: "other",
        language: "de",
        hours_ago: 2,
        text: "Seit der Kündigung geht gar nichts mehr. Manchmal will ich nicht mehr leben.",
        claimed_by: None,
        client_follow_up: None,
    },
];

/// Builds the demo's counselling.
pub fn build(platform: &Platform, demo: &Demo<'_>, clock: &TestClock) -> Result<(), Error> {
    let c = platform.counsel();
    let offer = |org, languages: &[&str], topics: &[&str], regions: &[&str]| CounselOffer {
        org,
        topics: topics.iter().map(|t| t.to_string()).collect(),
        languages: languages.iter().map(|t| t.to_string()).collect(),
        regions: regions.iter().map(|t| t.to_string()).collect(),
        first_response_hours: 48,
        business_days: false,
    };
    let jena = demo.org("jena-verein")?;
    c.set_offer(&Actor::Operator, &offer(jena, &["de", "en"], &[], &["DE"]))?;
    c.set_offer(
        &Actor::Operator,
        &offer(demo.org("koeln-angehoerige")?, &["de"], &["for_relatives", "other"], &["DE"]),
    )?;
    c.set_offer(&Actor::Operator, &offer(demo.org("aarhus-peerguides")?, &["da", "en"], &[], &["DK"]))?;
    for (who, in_training, lived_experience) in
        [("Beraterin_Lea", false, true), ("Berater_Jonas", true, false), ("Peerguide_Mette", false, true)]
    {
        let profile = CounsellorProfileUpdate {
            capacity: Some(8),
            in_training: Some(in_training),
            lived_experience: Some(lived_experience),
            ..Default::default()
        };
        c.update_profile(&Actor::Operator, demo.account(who)?, &profile)?;
    }
    let now = clock.now();
    for seed in ENQUIRIES {
        clock.set(now - Duration::hours(seed.hours_ago));
        let new = NewEnquiry {
            topic: seed.topic.into(),
            language: seed.language.into(),
            postcode: None,
            prefer_lived_experience: false,
            prefer_gender: None,
            text: seed.text.into(),
        };
        let opened = c.enquire(&Actor::Anonymous, &new)?;
        let Some((counsellor, reply)) = seed.claimed_by else { continue };
        let counsellor = Actor::account(demo.account(counsellor)?);
        clock.advance(Duration::hours(1));
        let queue_org = if seed.language == "da" { demo.org("aarhus-peerguides")? } else { jena };
        let waiting = c.queue(&counsellor, queue_org, &PageRequest::first(500))?;
        let enquiry = waiting
            .items
            .iter()
            .map(|i| i.enquiry)
            .max()
            .ok_or_else(|| Error::not_found("demo enquiry", seed.topic))?;
        c.claim(&counsellor, enquiry)?;
        clock.advance(Duration::hours(2));
        c.reply(&counsellor, enquiry, reply)?;
        if let Some(text) = seed.client_follow_up {
            clock.advance(Duration::hours(3));
            c.client_reply(&opened.case_code, &opened.secret, text)?;
        }
    }
    clock.set(now);
    Ok(())
}

/// The figures of the demo's counselling.
pub fn figures(platform: &Platform, demo_db: &Path, jena: OrgId) -> Result<CounselFigures, Error> {
    let queue = platform.counsel().queue(&Actor::Operator, jena, &PageRequest::first(500))?.items;
    Ok(CounselFigures {
        enquiries: ENQUIRIES.len(),
        urgent: queue.iter().filter(|i| i.priority == Priority::Urgent).count(),
        jena_queue: queue.len(),
        jena_org: jena,
        key_file: key_file(demo_db).display().to_string(),
    })
}
