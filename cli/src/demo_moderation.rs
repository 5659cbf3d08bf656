//! The moderation step of `trialog demo`: a small review queue. A newcomer writes in crisis
//! on the pre-moderated board (held, top of the queue, crisis resources at once); members
//! report a post as off-topic and a thread as misinformation; a moderator warns the author of
//! an earlier report, which shows in the public log. From then on the demo platform runs with
//! the recommended rules for new accounts (held until three posts are approved on a board,
//! first-day and per-hour rate limits), as a live platform would.

use serde::Serialize;
use trialog_core::{
    Actor, Error, ItemState, ModAction, ModerationSettings, NewReport, NewThread, PageRequest, Platform, ReportReason,
    Target, TestClock,
};

use crate::demo::Demo;

/// What the moderation step left.
#[derive(Debug, Clone, Serialize)]
pub struct ModerationFigures {
    /// Review items waiting.
    pub pending: usize,
    /// Of them, crisis items.
    pub crisis: usize,
    /// Moderation log entries.
    pub actions: usize,
}

/// Builds the queue; `clock` moves a few seconds on.
pub fn build(platform: &Platform, demo: &Demo, clock: &TestClock) -> Result<(), Error> {
    let forums = platform.forums();
    let moderation = platform.moderation();
    let member = |name: &str| demo.account(name).map(Actor::account);
    let boards = forums.boards(&Actor::Operator)?;
    let board = |slug: &str| {
        boards.iter().find(|o| o.board.slug == slug).map(|o| o.board.id).ok_or_else(|| Error::not_found("board", slug))
    };
    clock.advance(chrono::Duration::seconds(5));
    forums.create_thread(
        &member("Stille_Stimme")?,
        &NewThread {
            board: board("neu-hier")?,
            title: "Ich weiß nicht weiter".into(),
            body: "Seit Wochen schlafe ich kaum. Manchmal denke ich, ich will nicht mehr leben. \
                   Ich weiß nicht, ob ich hier richtig bin."
                .into(),
            tags: vec![],
            anonymous: true,
        },
    )?;
    let training = forums.board_page(&Actor::Operator, board("ausbildung-ex-in")?, &PageRequest::first(5))?;
    let pay = forums.board_page(&Actor::Operator, board("vertraege-verdienst")?, &PageRequest::first(5))?;
    let (Some(first), Some(second)) = (training.threads.first(), pay.threads.first()) else {
        return Err(Error::not_found("demo thread", "ausbildung-ex-in, vertraege-verdienst"));
    };
    let report = |who: &str, target: Target, reason: ReportReason, detail: Option<&str>| -> Result<(), Error> {
        let new = NewReport { target, reason, detail: detail.map(str::to_string) };
        moderation.report(&member(who)?, &new).map(|_| ())
    };
    report(
        "Mutter_von_M",
        Target::Thread { id: second.id },
        ReportReason::Misinformation,
        Some("Die Zahlen stimmen so nicht"),
    )?;
    report("Wanderer_Erfurt", Target::Thread { id: second.id }, ReportReason::Misinformation, None)?;
    report("Bruder_Tom", Target::Post { id: first.first_post }, ReportReason::OffTopic, None)?;
    // A report a moderator has already dealt with: a warning in the public log.
    report("Sonnenblume_71", Target::Account { id: demo.account("Søren_K")? }, ReportReason::Harassment, None)?;
    let moderator = member("Leuchtturm")?;
    let queue = moderation.queue(&moderator, ItemState::Pending, &PageRequest::first(50))?;
    let profile = Target::Account { id: demo.account("Søren_K")? };
    if let Some(item) = queue.items.iter().find(|i| i.target == profile) {
        moderation.act(
            &moderator,
            item.id,
            item.version,
            &ModAction::Warn,
            "Bitte freundlich bleiben (Forenregeln, Punkt 2)",
        )?;
    }
    moderation.set_settings(&Actor::Operator, &ModerationSettings::recommended())?;
    Ok(())
}

/// Counts the queue and the log.
pub fn figures(platform: &Platform) -> Result<ModerationFigures, Error> {
    let moderation = platform.moderation();
    let queue = moderation.queue(&Actor::Operator, ItemState::Pending, &PageRequest::first(500))?;
    let log = moderation.log(&Actor::Operator, None, &PageRequest::first(500))?;
    Ok(ModerationFigures {
        pending: queue.items.len(),
        crisis: queue.items.iter().filter(|i| i.crisis).count(),
        actions: log.items.len(),
    })
}
