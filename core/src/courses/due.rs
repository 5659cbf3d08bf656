//! The courses' share of [`crate::Platform::tick`]: offers that lapse (a look at each course
//! whose first open offer may have lapsed), session reminders, and courses that start running
//! or end. Each item is taken out of its due index in the same
//! transaction that does it, so a second run at the same time finds nothing to do.

use super::model::*;
use super::places;
use super::records::{self, STEP_END, STEP_START};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::store::{Due, WriteTxn};

/// Items of each kind one transaction takes; the scheduler runs again while any kind was full.
const BATCH: usize = 200;

pub(crate) fn tick(txn: &WriteTxn, now: Timestamp, due: &mut Due) -> Result<()> {
    let offers = records::take_offer_checks(txn, now, BATCH)?;
    let mut expired = 0;
    for (at, course) in &offers {
        expired += places::lapse_offers(txn, *course, *at, now)?;
    }
    due.count("course offers expired", expired);
    let reminders = records::take_due_reminders(txn, now, BATCH)?;
    let mut sent = 0;
    for (session, course) in &reminders {
        sent += u64::from(remind(txn, *course, *session, now)?);
    }
    due.count("session reminders sent", sent);
    let steps = records::take_due_steps(txn, now, BATCH)?;
    let mut moved = 0;
    for (course, step) in &steps {
        moved += u64::from(step_course(txn, *course, *step, now)?);
    }
    due.count("courses started or completed", moved);
    due.more |= offers.len() == BATCH || reminders.len() == BATCH || steps.len() == BATCH;
    Ok(())
}

/// Sends the reminder of a session that still takes place; `false` when it no longer does.
fn remind(txn: &WriteTxn, course: CourseId, session: SessionId, now: Timestamp) -> Result<bool> {
    let course = records::load_course(txn, course)?;
    let Ok(s) = course.session(session) else { return Ok(false) };
    if s.cancelled || s.start <= now || !matches!(course.state, CourseState::Published | CourseState::Running) {
        return Ok(false);
    }
    let start = s.start;
    places::tell_participants(txn, &course, CourseNotice::SessionReminder, Some(session), Some(start), now)?;
    Ok(true)
}

/// A published course starts running at its first session; it completes when its last ends.
fn step_course(txn: &WriteTxn, id: CourseId, step: u64, now: Timestamp) -> Result<bool> {
    let mut course = records::load_course(txn, id)?;
    let next = match (course.state, step) {
        (CourseState::Published, STEP_START) => CourseState::Running,
        (CourseState::Published | CourseState::Running, STEP_END) => CourseState::Completed,
        _ => return Ok(false),
    };
    course.state = next;
    course.updated_at = now;
    records::save_course(txn, &course)?;
    Ok(true)
}
