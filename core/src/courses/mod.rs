//! Courses and training: seminars of self-help contact points, co-taught recovery courses,
//! EX-IN modules. An organisation's staff create a course with its sessions and teaching team
//! and publish it; people register, wait in order when it is full and receive offers that
//! lapse; trainers record attendance; participants who attended enough claim a certificate
//! that anyone can verify. Time-driven work (lapsing offers, reminders, a course starting and
//! ending) runs in [`crate::Platform::tick`].
//!
//! Topics are plain slugs for now; they become references into the shared thesaurus when it
//! lands (the slugs stay its keys).
//!
//! A course's audience is information for people choosing a course, not a gate: the platform
//! does not ask anyone to prove a perspective or a membership to register.

mod attendance;
mod calendar;
mod due;
mod figures;
mod input;
mod integrity;
mod model;
mod places;
pub(crate) mod records;
pub(crate) mod tables;
mod view;
#[cfg(test)]
mod writes;

pub use model::{
    Attendance, Certificate, CertificateCheck, CertificateName, Course, CourseAudience, CourseFilter, CourseFormat,
    CourseId, CourseNear, CourseNotice, CoursePage, CoursePlace, CourseSettings, CourseState, CourseUpdate, Fee,
    MoveTo, NewCourse, PlaceInput, Registration, RegistrationId, RegistrationPage, RegistrationState, Repeat, Session,
    SessionId, SessionInput,
};

use crate::accounts::{self, AccountId, Perspective};
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::orgs;
use crate::page::PageRequest;
use crate::policy::{self, Action};
use crate::store::{Reader, WriteTxn, next_id, next_ids};
use records::CourseRecord;

/// Course operations, borrowed from a [`crate::Platform`].
pub struct Courses<'p> {
    pub(crate) ctx: &'p Context,
}

impl Courses<'_> {
    /// Creates a course as a draft (the organisation's staff).
    pub fn create(&self, actor: &Actor, new: &NewCourse) -> Result<Course> {
        let settings = input::settings(new.settings.unwrap_or_default())?;
        let sessions = input::sessions(&new.sessions)?;
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageCourses { org: new.org }, now)?;
            orgs::load(txn, new.org)?;
            let place = new.place.as_ref().map(|p| input::place(txn, p)).transpose()?;
            let online_link = input::online_link(new.online_link.as_deref())?;
            input::format_needs(new.format, &place, &online_link)?;
            input::window(new.registration_opens, new.registration_closes)?;
            let id = CourseId(next_id(txn, "courses")?);
            let prerequisites = input::prerequisites(&new.prerequisites, Some(id))?;
            for p in &prerequisites {
                records::load_course(txn, *p)?;
            }
            let mut course = CourseRecord {
                id,
                org: new.org,
                title: input::title(&new.title)?,
                description: input::description(&new.description)?,
                topics: input::topics(&new.topics)?,
                language: input::language(&new.language)?,
                audience: input::audience(&new.audience)?,
                format: new.format,
                place,
                online_link,
                sessions: Vec::new(),
                capacity: input::capacity(new.capacity)?,
                fee: input::fee(&new.fee)?,
                registration_opens: new.registration_opens,
                registration_closes: new.registration_closes,
                prerequisites,
                trialogic: new.trialogic,
                trainers: Vec::new(),
                settings,
                state: CourseState::Draft,
                created_at: now,
                updated_at: now,
            };
            add_sessions(txn, &mut course, &sessions)?;
            records::save_course(txn, &course)?;
            audit::append(txn, now, actor, "course.create", &target(id), Some(&course.title))?;
            view::course(txn, subject, &course, now)
        })
    }

    /// Changes a course's details (the organisation's staff). A larger capacity offers the new
    /// places to the waitlist at once.
    pub fn update(&self, actor: &Actor, id: CourseId, change: &CourseUpdate) -> Result<Course> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut course = records::load_course(txn, id)?;
            policy::check(subject, Action::ManageCourses { org: course.org }, now)?;
            open_for_changes(&course)?;
            let before = course.clone();
            apply(txn, &mut course, change)?;
            course.updated_at = now;
            records::save_course(txn, &course)?;
            records::reschedule(txn, Some(&before), &course, now)?;
            if course.capacity != before.capacity {
                places::capacity_changed(txn, &course, now)?;
            }
            audit::append(txn, now, actor, "course.update", &target(id), None)?;
            view::course(txn, subject, &course, now)
        })
    }

    /// Adds sessions (or a series) to a course.
    pub fn add_sessions(&self, actor: &Actor, id: CourseId, sessions: &[SessionInput]) -> Result<Course> {
        let expanded = input::sessions(sessions)?;
        if expanded.is_empty() {
            return Err(Error::invalid("sessions", "name at least one session"));
        }
        self.change_sessions(actor, id, "course.sessions.add", |txn, course, _| add_sessions(txn, course, &expanded))
    }

    /// Moves one session to a new time; its calendar entry's SEQUENCE rises and confirmed
    /// participants are told.
    pub fn move_session(&self, actor: &Actor, id: CourseId, session: SessionId, to: &SessionInput) -> Result<Course> {
        if to.repeat.is_some() {
            return Err(Error::invalid("repeat", "a session moves alone; add a series with add_sessions"));
        }
        let expanded = input::sessions(std::slice::from_ref(to))?;
        let (start, end, zone) = expanded.into_iter().next().ok_or_else(|| Error::invalid("start", "is missing"))?;
        self.change_sessions(actor, id, "course.sessions.move", |txn, course, now| {
            let s = session_mut(course, session)?;
            (s.start, s.end, s.time_zone) = (start, end, zone.clone());
            s.sequence += 1;
            input::no_overlap(&course.sessions)?;
            places::tell_participants(txn, course, CourseNotice::SessionChanged, Some(session), Some(start), now)
        })
    }

    /// Cancels one session; its calendar entry turns CANCELLED and confirmed participants are told.
    pub fn cancel_session(&self, actor: &Actor, id: CourseId, session: SessionId) -> Result<Course> {
        self.change_sessions(actor, id, "course.sessions.cancel", |txn, course, now| {
            let s = session_mut(course, session)?;
            if s.cancelled {
                return Err(Error::invalid("session", format!("session {session} is already cancelled")));
            }
            s.cancelled = true;
            s.sequence += 1;
            let start = s.start;
            places::tell_participants(txn, course, CourseNotice::SessionChanged, Some(session), Some(start), now)
        })
    }

    fn change_sessions(
        &self,
        actor: &Actor,
        id: CourseId,
        action: &str,
        change: impl Fn(&WriteTxn, &mut CourseRecord, Timestamp) -> Result<()>,
    ) -> Result<Course> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut course = records::load_course(txn, id)?;
            policy::check(subject, Action::ManageCourses { org: course.org }, now)?;
            open_for_changes(&course)?;
            let before = course.clone();
            change(txn, &mut course, now)?;
            course.updated_at = now;
            records::save_course(txn, &course)?;
            records::reschedule(txn, Some(&before), &course, now)?;
            audit::append(txn, now, actor, action, &target(id), None)?;
            view::course(txn, subject, &course, now)
        })
    }

    /// Replaces the teaching team. Trainers are accounts; their perspectives (those they show
    /// to members) are shown to participants.
    pub fn set_trainers(&self, actor: &Actor, id: CourseId, trainers: &[AccountId]) -> Result<Course> {
        if trainers.len() > 20 {
            return Err(Error::invalid("trainers", "at most 20 trainers"));
        }
        self.ctx.write(actor, |txn, subject, now| {
            let mut course = records::load_course(txn, id)?;
            policy::check(subject, Action::ManageCourses { org: course.org }, now)?;
            open_for_changes(&course)?;
            let mut team = trainers.to_vec();
            team.sort_unstable();
            team.dedup();
            for (i, trainer) in team.iter().enumerate() {
                accounts::load(txn, *trainer).map_err(|_| {
                    Error::invalid(format!("trainers[{i}]"), format!("account {trainer} does not exist"))
                })?;
            }
            course.trainers = team;
            if course.state != CourseState::Draft {
                check_trialogic(txn, &course)?;
            }
            course.updated_at = now;
            records::save_course(txn, &course)?;
            audit::append(txn, now, actor, "course.trainers", &target(id), None)?;
            view::course(txn, subject, &course, now)
        })
    }

    /// Publishes a draft (staff of a verified organisation): it needs a session in the
    /// future, and a trialogic course trainers of at least two perspectives.
    pub fn publish(&self, actor: &Actor, id: CourseId) -> Result<Course> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut course = records::load_course(txn, id)?;
            let org = orgs::load(txn, course.org)?;
            policy::check(subject, Action::PublishCourse { org: &org }, now)?;
            if course.state != CourseState::Draft {
                return Err(Error::invalid("state", format!("the course is {:?}, not a draft", course.state)));
            }
            match course.first_start() {
                None => return Err(Error::invalid("sessions", "a course needs at least one session to be published")),
                Some(first) if first <= now => {
                    return Err(Error::invalid("sessions", "the first session has already begun"));
                }
                Some(_) => {}
            }
            check_trialogic(txn, &course)?;
            course.state = CourseState::Published;
            course.updated_at = now;
            records::save_course(txn, &course)?;
            records::reschedule(txn, None, &course, now)?;
            audit::append(txn, now, actor, "course.publish", &target(id), None)?;
            view::course(txn, subject, &course, now)
        })
    }

    /// Cancels a course: every session turns CANCELLED, every registration ends and everyone
    /// registered, waiting or teaching is told through their inbox.
    pub fn cancel(&self, actor: &Actor, id: CourseId, reason: &str) -> Result<Course> {
        let reason = crate::validate::required_line("reason", reason, 500)?;
        self.ctx.write(actor, |txn, subject, now| {
            let mut course = records::load_course(txn, id)?;
            policy::check(subject, Action::ManageCourses { org: course.org }, now)?;
            if matches!(course.state, CourseState::Completed | CourseState::Cancelled) {
                return Err(Error::invalid("state", format!("the course is already {:?}", course.state)));
            }
            let before = course.clone();
            course.state = CourseState::Cancelled;
            for s in course.sessions.iter_mut().filter(|s| !s.cancelled) {
                s.cancelled = true;
                s.sequence += 1;
            }
            course.updated_at = now;
            records::save_course(txn, &course)?;
            records::reschedule(txn, Some(&before), &course, now)?;
            places::end_all(txn, &course, now)?;
            audit::append(txn, now, actor, "course.cancel", &target(id), Some(&reason))?;
            view::course(txn, subject, &course, now)
        })
    }

    /// One course. Drafts only for their organisation's staff and trainers; the online link
    /// only for confirmed participants, trainers and staff.
    pub fn get(&self, actor: &Actor, id: CourseId) -> Result<Course> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewCourses, now)?;
            let course = records::load_course(txn, id)?;
            if !view::visible(subject, &course, now) {
                return Err(Error::not_found("course", id));
            }
            view::course(txn, subject, &course, now)
        })
    }

    /// Courses in id order, filtered, one page at a time.
    pub fn list(&self, actor: &Actor, filter: &CourseFilter, page: &PageRequest) -> Result<CoursePage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewCourses, now)?;
            view::list(txn, subject, filter, page, now)
        })
    }

    /// Registers the acting account (and, for a group, the accounts named in `with`, up to
    /// nine): confirmed while places are free, otherwise on the waitlist as one entry.
    ///
    /// A group is kept together: its members are confirmed or offered places only all at once.
    /// While fewer places are free than the group needs, the group keeps its position and the
    /// places go to the next people in line who fit; it gets the next places that suffice.
    pub fn register(&self, actor: &Actor, id: CourseId, with: &[AccountId]) -> Result<Vec<Registration>> {
        self.ctx.write(actor, |txn, subject, now| register(txn, subject, id, with, now))
    }

    /// Registers each `(person, course)` in one transaction, with the checks and bookkeeping of
    /// [`Courses::register`]: for building benchmark data sets only (feature `bench-support`).
    /// All or nothing: the first refused registration fails the batch.
    #[cfg(feature = "bench-support")]
    #[doc(hidden)]
    pub fn seed_registrations(&self, pairs: &[(AccountId, CourseId)]) -> Result<()> {
        self.ctx.write(&Actor::Operator, |txn, _, now| {
            for (account, id) in pairs {
                let subject = self.ctx.resolve(txn, &Actor::account(*account))?;
                register(txn, &subject, *id, &[], now)?;
            }
            Ok(())
        })
    }

    /// Cancels a registration: its owner until the course's deadline (`cancel_hours` before the
    /// first session), the organisation's staff at any time. A held place passes on.
    pub fn cancel_registration(&self, actor: &Actor, id: RegistrationId) -> Result<Registration> {
        self.ctx.write(actor, |txn, subject, now| {
            let reg = records::load_registration(txn, id)?;
            let course = records::load_course(txn, reg.course)?;
            let organiser = policy::allows(subject, Action::ManageCourses { org: course.org }, now);
            if !organiser {
                policy::check(subject, Action::TakeCourses { account: reg.account }, now)?;
                places::within_cancel_deadline(&course, &reg, now)?;
            }
            let done = places::end(txn, &course, reg, RegistrationState::Cancelled, now)?;
            audit_if_organiser(txn, actor, organiser, subject, &done, now)?;
            Ok(done)
        })
    }

    /// Accepts (`accept`) or declines an offered place; a declined place passes on.
    pub fn answer_offer(&self, actor: &Actor, id: RegistrationId, accept: bool) -> Result<Registration> {
        self.ctx.write(actor, |txn, subject, now| {
            let reg = records::load_registration(txn, id)?;
            policy::check(subject, Action::TakeCourses { account: reg.account }, now)?;
            let course = records::load_course(txn, reg.course)?;
            places::answer_offer(txn, &course, reg, accept, now)
        })
    }

    /// Moves a registration by hand (the organisation's staff), with a reason (audited).
    pub fn move_registration(
        &self,
        actor: &Actor,
        id: RegistrationId,
        to: MoveTo,
        reason: &str,
    ) -> Result<Registration> {
        let reason = crate::validate::required_line("reason", reason, 500)?;
        self.ctx.write(actor, |txn, subject, now| {
            let reg = records::load_registration(txn, id)?;
            let course = records::load_course(txn, reg.course)?;
            policy::check(subject, Action::ManageCourses { org: course.org }, now)?;
            let moved = places::move_by_hand(txn, &course, reg, to, now)?;
            let what = format!("{:?}: {reason}", to);
            audit::append(txn, now, actor, "course.registration.move", &reg_target(id), Some(&what))?;
            Ok(moved)
        })
    }

    /// A course's registrations in id order (its trainers and the organisation's staff).
    pub fn registrations(&self, actor: &Actor, id: CourseId, page: &PageRequest) -> Result<RegistrationPage> {
        self.ctx.read(actor, |txn, subject, now| {
            let course = records::load_course(txn, id)?;
            policy::check(subject, Action::TeachCourse { org: course.org, trainers: &course.trainers }, now)?;
            let limit = page.limit()?;
            let mut items = records::course_registrations(txn, id, page.first_id()?)?;
            let next = (items.len() > limit).then(|| items[limit - 1].id.0);
            items.truncate(limit);
            Ok(RegistrationPage { items, next_cursor: next.map(crate::page::cursor_for) })
        })
    }

    /// The waitlist in order: the registrations waiting, a group's members together.
    pub fn waitlist(&self, actor: &Actor, id: CourseId) -> Result<Vec<Registration>> {
        self.ctx.read(actor, |txn, subject, now| {
            let course = records::load_course(txn, id)?;
            policy::check(subject, Action::TeachCourse { org: course.org, trainers: &course.trainers }, now)?;
            let mut out = Vec::new();
            for (_, ids) in records::waitlist(txn, id)? {
                for reg in ids {
                    out.push(records::load_registration_of(txn, id, reg)?);
                }
            }
            Ok(out)
        })
    }

    /// The acting account's live registrations (confirmed, offered, waiting).
    pub fn mine(&self, actor: &Actor) -> Result<Vec<Registration>> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = own_account(subject)?;
            policy::check(subject, Action::TakeCourses { account: me }, now)?;
            records::registrations_of(txn, me)
        })
    }

    /// One registration (its owner, the course's trainers and the organisation's staff).
    pub fn registration(&self, actor: &Actor, id: RegistrationId) -> Result<Registration> {
        self.ctx.read(actor, |txn, subject, now| {
            let reg = records::load_registration(txn, id)?;
            let course = records::load_course(txn, reg.course)?;
            if !policy::allows(subject, Action::TakeCourses { account: reg.account }, now) {
                policy::check(subject, Action::TeachCourse { org: course.org, trainers: &course.trainers }, now)?;
            }
            Ok(reg)
        })
    }

    /// Records who attended a session that has begun (a trainer or the organisation's staff);
    /// replaces an earlier record of the same session.
    pub fn record_attendance(
        &self,
        actor: &Actor,
        id: CourseId,
        session: SessionId,
        present: &[AccountId],
    ) -> Result<Attendance> {
        self.ctx.write(actor, |txn, subject, now| {
            let course = records::load_course(txn, id)?;
            policy::check(subject, Action::TeachCourse { org: course.org, trainers: &course.trainers }, now)?;
            attendance::record(txn, &course, session, present, now)?;
            audit::append(txn, now, actor, "course.attendance", &target(id), Some(&format!("session {session}")))?;
            Ok(Attendance { course: id, session, present: records::attendance(txn, id, session)? })
        })
    }

    /// Who attended each session of a course (its trainers and the organisation's staff).
    pub fn attendance(&self, actor: &Actor, id: CourseId) -> Result<Vec<Attendance>> {
        self.ctx.read(actor, |txn, subject, now| {
            let course = records::load_course(txn, id)?;
            policy::check(subject, Action::TeachCourse { org: course.org, trainers: &course.trainers }, now)?;
            course
                .held_sessions()
                .map(|s| Ok(Attendance { course: id, session: s.id, present: records::attendance(txn, id, s.id)? }))
                .collect()
        })
    }

    /// Issues the certificate of a completed course to a participant who attended enough
    /// sessions, under the name they choose; asking again returns the same certificate.
    pub fn claim_certificate(&self, actor: &Actor, id: RegistrationId, name: &CertificateName) -> Result<Certificate> {
        self.ctx.write(actor, |txn, subject, now| {
            let reg = records::load_registration(txn, id)?;
            policy::check(subject, Action::TakeCourses { account: reg.account }, now)?;
            let course = records::load_course(txn, reg.course)?;
            attendance::claim(txn, &course, &reg, name, now)
        })
    }

    /// A course's certificates (the organisation's staff).
    pub fn certificates(&self, actor: &Actor, id: CourseId) -> Result<Vec<Certificate>> {
        self.ctx.read(actor, |txn, subject, now| {
            let course = records::load_course(txn, id)?;
            policy::check(subject, Action::ManageCourses { org: course.org }, now)?;
            attendance::of_course(txn, id)
        })
    }

    /// Checks a certificate's verification code (anyone): the name on it, the course and the
    /// date, nothing more.
    pub fn verify_certificate(&self, actor: &Actor, code: &str) -> Result<CertificateCheck> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewCourses, now)?;
            attendance::verify(txn, code)
        })
    }

    /// The iCalendar file of a published course (anyone who may see it): every session.
    pub fn course_calendar(&self, actor: &Actor, id: CourseId) -> Result<String> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewCourses, now)?;
            let course = records::load_course(txn, id)?;
            if !view::visible(subject, &course, now) {
                return Err(Error::not_found("course", id));
            }
            let link = view::may_see_link(txn, subject, &course, now)?;
            Ok(calendar::course(&course, link, now))
        })
    }

    /// The iCalendar file of one registration (its owner): the course's sessions, with the
    /// online link when the registration is confirmed.
    pub fn registration_calendar(&self, actor: &Actor, id: RegistrationId) -> Result<String> {
        self.ctx.read(actor, |txn, subject, now| {
            let reg = records::load_registration(txn, id)?;
            policy::check(subject, Action::TakeCourses { account: reg.account }, now)?;
            let course = records::load_course(txn, reg.course)?;
            let link = reg.state == RegistrationState::Confirmed;
            Ok(calendar::course(&course, link, now))
        })
    }

    /// One person's calendar feed (themselves): the sessions of every course they hold a
    /// confirmed place in, in one VCALENDAR with the same stable UIDs as the course files, so a
    /// calendar app that subscribes sees a moved session update and a cancelled one turn
    /// CANCELLED. A registration that ends leaves the feed (a subscribed app drops its events).
    pub fn calendar_feed(&self, actor: &Actor, account: AccountId) -> Result<String> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::TakeCourses { account }, now)?;
            let name = accounts::load(txn, account)?.pseudonym;
            let mut courses = Vec::new();
            for reg in records::registrations_of(txn, account)? {
                if reg.state == RegistrationState::Confirmed {
                    courses.push(records::load_course(txn, reg.course)?);
                }
            }
            let with_links: Vec<(&CourseRecord, bool)> = courses.iter().map(|c| (c, true)).collect();
            Ok(calendar::feed(&format!("{name}: courses"), &with_links, now))
        })
    }
}

/// Registration of the courses domain: tables, integrity check and due work.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "courses",
    tables: tables::TABLES,
    migrate: |txn, migration| {
        if migration.predates(20) {
            records::gather_course_book_v20(txn)?;
        }
        // Before version 28's counting, which reads the registrations where they are now.
        if migration.predates(33) {
            records::book_registrations_v33(txn)?;
        }
        // Version 28 keeps the report counters beside the records.
        if migration.predates(28) {
            records::counters::count_all_v28(txn)?;
        }
        // After it: a file older than 28 is counted where this build counts (nothing to move).
        if migration.predates(35) {
            records::counters::book_made_counts_v35(txn)?;
        }
        Ok(())
    },
    check: |txn, found| {
        let n = integrity::check(txn, &mut found.problems)?;
        found.count("courses", n);
        records::counters::check(txn, &mut found.problems)
    },
    tick: due::tick,
    figures: Some(figures::gather),
    personal: Some(records::personal::PERSONAL),
};

/// One registration (of the subject, and of the group named in `with`) inside `txn`.
fn register(
    txn: &WriteTxn,
    subject: &Subject,
    id: CourseId,
    with: &[AccountId],
    now: Timestamp,
) -> Result<Vec<Registration>> {
    let me = own_account(subject)?;
    policy::check(subject, Action::TakeCourses { account: me }, now)?;
    let course = records::load_course(txn, id)?;
    let mut group = vec![me];
    for (i, other) in with.iter().enumerate() {
        if group.contains(other) {
            return Err(Error::invalid(format!("with[{i}]"), format!("account {other} is named twice")));
        }
        accounts::load(txn, *other)
            .map_err(|_| Error::invalid(format!("with[{i}]"), format!("account {other} does not exist")))?;
        group.push(*other);
    }
    if group.len() > 10 {
        return Err(Error::invalid("with", "a group registers at most 10 people"));
    }
    let first = RegistrationId(next_ids(txn, "course_registrations", group.len() as u64)?);
    places::register(txn, &course, &group, first, now)
}

/// For programmes: a course's organisation and title (`NotFound` when there is no such course).
pub(crate) fn org_and_title(txn: &impl Reader, id: CourseId) -> Result<(orgs::OrgId, String)> {
    let course = records::load_course(txn, id)?;
    Ok((course.org, course.title))
}

/// For programmes: whether `account` completed `course` (the course is completed, they held a
/// confirmed place and attended enough sessions — what a certificate needs).
pub(crate) fn has_completed(txn: &impl Reader, account: AccountId, course: CourseId) -> Result<bool> {
    attendance::has_completed(txn, account, course)
}

fn target(id: CourseId) -> String {
    format!("course:{id}")
}

fn reg_target(id: RegistrationId) -> String {
    format!("course_registration:{id}")
}

fn own_account(subject: &Subject) -> Result<AccountId> {
    subject.account().map(|a| a.id).ok_or_else(|| {
        Error::denied("register for courses", "only accounts register; sign in (or act as one with --as)")
    })
}

/// A cancellation by the organisation's staff (rather than the participant) is audited.
fn audit_if_organiser(
    txn: &WriteTxn,
    actor: &Actor,
    organiser: bool,
    subject: &Subject,
    reg: &Registration,
    now: Timestamp,
) -> Result<()> {
    let own = subject.account().is_some_and(|a| a.id == reg.account);
    if organiser && !own {
        audit::append(txn, now, actor, "course.registration.cancel", &reg_target(reg.id), None)?;
    }
    Ok(())
}

fn open_for_changes(course: &CourseRecord) -> Result<()> {
    if matches!(course.state, CourseState::Completed | CourseState::Cancelled) {
        return Err(Error::invalid("state", format!("the course is {:?}; it can no longer change", course.state)));
    }
    Ok(())
}

fn session_mut(course: &mut CourseRecord, id: SessionId) -> Result<&mut model::Session> {
    course.sessions.iter_mut().find(|s| s.id == id).ok_or_else(|| Error::not_found("session", id))
}

fn add_sessions(txn: &WriteTxn, course: &mut CourseRecord, new: &[(Timestamp, Timestamp, String)]) -> Result<()> {
    if new.is_empty() {
        return Ok(());
    }
    let first = next_ids(txn, "course_sessions", new.len() as u64)?;
    for (i, (start, end, zone)) in new.iter().enumerate() {
        let id = SessionId(first + i as u64);
        course.sessions.push(Session {
            id,
            start: *start,
            end: *end,
            time_zone: zone.clone(),
            sequence: 0,
            cancelled: false,
        });
    }
    course.sessions.sort_by_key(|s| (s.start, s.id));
    input::no_overlap(&course.sessions)
}

/// A trialogic course needs trainers of at least two declared perspectives.
fn check_trialogic(txn: &impl Reader, course: &CourseRecord) -> Result<()> {
    if !course.trialogic {
        return Ok(());
    }
    let mut seen: Vec<Perspective> = Vec::new();
    for trainer in &course.trainers {
        let p = accounts::load(txn, *trainer)?.perspective;
        if p != Perspective::Undisclosed && !seen.contains(&p) {
            seen.push(p);
        }
    }
    if seen.len() < 2 {
        return Err(Error::invalid(
            "trainers",
            format!(
                "a trialogic course is taught by trainers of at least two perspectives; this team has {}",
                seen.len()
            ),
        ));
    }
    Ok(())
}

fn apply(txn: &WriteTxn, course: &mut CourseRecord, change: &CourseUpdate) -> Result<()> {
    if let Some(v) = &change.title {
        course.title = input::title(v)?;
    }
    if let Some(v) = &change.description {
        course.description = input::description(v)?;
    }
    if let Some(v) = &change.topics {
        course.topics = input::topics(v)?;
    }
    if let Some(v) = &change.language {
        course.language = input::language(v)?;
    }
    if let Some(v) = &change.audience {
        course.audience = input::audience(v)?;
    }
    if let Some(v) = &change.online_link {
        course.online_link = input::online_link(Some(v))?;
    }
    if let Some(v) = &change.place {
        course.place = Some(input::place(txn, v)?);
    }
    input::format_needs(course.format, &course.place, &course.online_link)?;
    if let Some(v) = change.capacity {
        course.capacity = input::capacity(v)?;
        let taken = records::load_seats(txn, course.id)?.taken;
        if course.capacity < taken {
            return Err(Error::invalid("capacity", format!("{taken} places are already taken; cancel some first")));
        }
    }
    if let Some(v) = &change.fee {
        course.fee = input::fee(v)?;
    }
    if change.registration_opens.is_some() {
        course.registration_opens = change.registration_opens;
    }
    if change.registration_closes.is_some() {
        course.registration_closes = change.registration_closes;
    }
    input::window(course.registration_opens, course.registration_closes)?;
    if let Some(v) = &change.prerequisites {
        course.prerequisites = input::prerequisites(v, Some(course.id))?;
        for p in &course.prerequisites {
            records::load_course(txn, *p)?;
        }
    }
    if let Some(v) = change.trialogic {
        course.trialogic = v;
        if course.state != CourseState::Draft {
            check_trialogic(txn, course)?;
        }
    }
    if let Some(v) = change.settings {
        course.settings = input::settings(v)?;
    }
    Ok(())
}
