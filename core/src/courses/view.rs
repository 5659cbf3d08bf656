//! How a course is shown: drafts only to those who prepare it, the online link only to
//! confirmed participants, trainers and staff, the teaching team's perspectives to everyone
//! who sees the course.

use super::model::*;
use super::records::{self, CourseRecord};
use crate::accounts::{self, Perspective, PerspectiveVisibility};
use crate::actor::Subject;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::geo::{self, Coordinates};
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
    let live = records::live_registration(txn, me.id, course.id)?;
    Ok(live.is_some_and(|reg| reg.state == RegistrationState::Confirmed))
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
    let search = Search::new(txn, filter)?;
    let mut items = Vec::new();
    let mut next = None;
    let mut take = |rec: CourseRecord| -> Result<bool> {
        if !visible(subject, &rec, now) || !search.matches(txn, &rec)? {
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

/// A course filter with its input checked once: the language code, the search words, the
/// point a radius is measured from.
struct Search<'f> {
    filter: &'f CourseFilter,
    language: Option<String>,
    words: Vec<String>,
    topic: Option<String>,
    near: Option<(Coordinates, f64)>,
}

/// Longest search text taken, in characters.
const MAX_TEXT: usize = 200;

impl<'f> Search<'f> {
    fn new(txn: &impl Reader, filter: &'f CourseFilter) -> Result<Self> {
        let language = filter.language.as_deref().map(super::input::language).transpose()?;
        let text = filter.text.as_deref().unwrap_or("");
        if text.chars().count() > MAX_TEXT {
            return Err(Error::invalid("text", format!("at most {MAX_TEXT} characters")));
        }
        let words = text.split_whitespace().map(str::to_lowercase).collect();
        let topic = filter.topic.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase);
        let near = match &filter.near {
            Some(near) => {
                if !(near.radius_km > 0.0 && near.radius_km <= 1_000.0) {
                    return Err(Error::invalid("near.radius_km", "must be more than 0 and at most 1000 km"));
                }
                Some((geo::resolve(txn, &near.country, &near.postcode)?.coordinates, near.radius_km))
            }
            None => None,
        };
        if let (Some(from), Some(until)) = (filter.since, filter.until)
            && until <= from
        {
            return Err(Error::invalid("until", "must be after since (the start of the range)"));
        }
        Ok(Search { filter, language, words, topic, near })
    }

    fn matches(&self, txn: &impl Reader, course: &CourseRecord) -> Result<bool> {
        let f = self.filter;
        if f.state.is_some_and(|s| s != course.state) || self.language.as_ref().is_some_and(|l| *l != course.language) {
            return Ok(false);
        }
        if self.topic.as_ref().is_some_and(|t| !course.topics.contains(t)) {
            return Ok(false);
        }
        let in_range = |t: Timestamp| f.since.is_none_or(|from| t >= from) && f.until.is_none_or(|until| t < until);
        if (f.since.is_some() || f.until.is_some()) && !course.held_sessions().any(|s| in_range(s.start)) {
            return Ok(false);
        }
        if let Some((centre, radius)) = self.near
            && course.format == CourseFormat::InPerson
            && course.place.as_ref().is_none_or(|p| geo::distance_km(centre, p.coordinates) > radius)
        {
            return Ok(false);
        }
        if !self.words.is_empty() {
            let haystack =
                format!("{}\n{}\n{}", course.title, course.description, course.topics.join(" ")).to_lowercase();
            if !self.words.iter().all(|w| haystack.contains(w.as_str())) {
                return Ok(false);
            }
        }
        if f.free_places {
            let seats = records::load_seats(txn, course.id)?;
            return Ok(course.state == CourseState::Published && seats.waiting == 0 && seats.taken < course.capacity);
        }
        Ok(true)
    }
}
