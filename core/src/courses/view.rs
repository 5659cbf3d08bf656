//! How a course is shown: drafts only to those who prepare it, the online link only to
//! confirmed participants, trainers and staff, the teaching team's perspectives to everyone
//! who sees the course.

use super::model::*;
use super::records::{self, CourseRecord};
use crate::accounts::{self, Perspective, PerspectiveVisibility};
use crate::actor::Subject;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::page::{PageRequest, cursor_for};
use crate::policy::{self, Action};
use crate::store::Reader;

/// Whether the subject may see the course at all (drafts: staff and trainers).
pub(crate) fn visible(subject: &Subject, course: &CourseRecord, now: Timestamp) -> bool {
    course.state != CourseState::Draft || prepares(subject, course, now)
}

fn prepares(subject: &Subject, course: &CourseRecord, now: Timestamp) -> bool {
    policy::allows(subject, Action::TeachCourse { org: course.org, trainers: &course.trainers }, now)
}

/// Whether the subject may see the online link: the team, staff, confirmed participants.
pub(crate) fn may_see_link(
    txn: &impl Reader,
    subject: &Subject,
    course: &CourseRecord,
    now: Timestamp,
) -> Result<bool> {
    if prepares(subject, course, now) {
        return Ok(true);
    }
    let Some(me) = subject.account() else { return Ok(false) };
    match records::live_registration(txn, me.id, course.id)? {
        Some(id) => Ok(records::load_registration(txn, id)?.state == RegistrationState::Confirmed),
        None => Ok(false),
    }
}

pub(crate) fn course(txn: &impl Reader, subject: &Subject, course: &CourseRecord, now: Timestamp) -> Result<Course> {
    let seats = records::load_seats(txn, course.id)?;
    let link = may_see_link(txn, subject, course, now)?;
    let c = course.clone();
    Ok(Course {
        id: c.id,
        org: c.org,
        title: c.title,
        description: c.description,
        topics: c.topics,
        language: c.language,
        audience: c.audience,
        format: c.format,
        place: c.place,
        online_link: if link { c.online_link } else { None },
        sessions: c.sessions,
        capacity: c.capacity,
        fee: c.fee,
        registration_opens: c.registration_opens,
        registration_closes: c.registration_closes,
        prerequisites: c.prerequisites,
        trialogic: c.trialogic,
        team_perspectives: team_perspectives(txn, &c.trainers)?,
        trainers: c.trainers,
        settings: c.settings,
        state: c.state,
        places_taken: seats.taken,
        waiting: seats.waiting,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

/// The perspectives of the trainers who show theirs to members, each once.
fn team_perspectives(txn: &impl Reader, trainers: &[crate::accounts::AccountId]) -> Result<Vec<Perspective>> {
    let mut out = Vec::new();
    for trainer in trainers {
        let account = accounts::load(txn, *trainer)?;
        let shown = account.perspective_visibility != PerspectiveVisibility::Nobody;
        if shown && account.perspective != Perspective::Undisclosed && !out.contains(&account.perspective) {
            out.push(account.perspective);
        }
    }
    Ok(out)
}

pub(crate) fn list(
    txn: &impl Reader,
    subject: &Subject,
    filter: &CourseFilter,
    page: &PageRequest,
    now: Timestamp,
) -> Result<CoursePage> {
    let limit = page.limit()?;
    let start = page.first_id()?;
    let language = filter.language.as_deref().map(super::input::language).transpose()?;
    let mut items = Vec::new();
    let mut next = None;
    let mut take = |rec: CourseRecord| -> Result<bool> {
        if !visible(subject, &rec, now) || !matches(txn, &rec, filter, language.as_deref())? {
            return Ok(true);
        }
        if items.len() == limit {
            next = items.last().map(|c: &Course| c.id.0);
            return Ok(false);
        }
        items.push(course(txn, subject, &rec, now)?);
        Ok(true)
    };
    match filter.org {
        Some(org) => {
            for id in records::org_course_ids(txn, org, start)? {
                if !take(records::load_course(txn, CourseId(id))?)? {
                    break;
                }
            }
        }
        None => records::scan_courses(txn, start, take)?,
    }
    Ok(CoursePage { items, next_cursor: next.map(cursor_for) })
}

fn matches(txn: &impl Reader, course: &CourseRecord, filter: &CourseFilter, language: Option<&str>) -> Result<bool> {
    if filter.state.is_some_and(|s| s != course.state) || language.is_some_and(|l| l != course.language) {
        return Ok(false);
    }
    if filter.free_places {
        let seats = records::load_seats(txn, course.id)?;
        return Ok(course.state == CourseState::Published && seats.waiting == 0 && seats.taken < course.capacity);
    }
    Ok(true)
}
