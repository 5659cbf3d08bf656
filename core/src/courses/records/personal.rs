//! Courses' part in the person's rights (`crate::rights`): every registration of the account
//! and every certificate issued to it for an export. For an erasure a live registration first
//! gives up its place or waitlist entry (which passes on to the next person, as a cancellation
//! would, but without a notice to the erased person), then every registration, attendance mark
//! and certificate of the person goes: a certificate names them, and its code would still
//! verify their name. The report counters lose what went (see [`super::counters`]).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::super::model::{CourseId, SessionId};
use super::super::places::{promote, release};
use super::counters::{self, ATTENDANCES, COMPLETIONS, REGISTRATIONS_MADE};
use super::{
    ATTENDANCE, CERTIFICATES, CERTIFICATES_BY_REGISTRATION, CourseRecord, REGISTRATIONS_BY_ACCOUNT, all_certificates,
    all_registrations, delete_registration, load_course, load_seats, save_seats,
};
use crate::error::Result;
use crate::store::figures::month_of;
use crate::store::{Dossier, Erasure, Person, Personal, ReadTxn, WriteTxn, decode};

/// Courses' registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let mut registrations = all_registrations(txn)?;
    registrations.retain(|r| r.account == person.account);
    dossier.add("course_registrations", ABOUT_REGISTRATIONS, &registrations)?;
    let mut certificates = all_certificates(txn)?;
    certificates.retain(|c| c.account == person.account);
    dossier.add("course_certificates", ABOUT_CERTIFICATES, &certificates)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let me = erasure.person.account;
    let mut registrations = all_registrations(txn)?;
    registrations.retain(|r| r.account == me);
    for reg in registrations.iter().filter(|r| r.state.is_live()) {
        let course = load_course(txn, reg.course)?;
        let mut seats = load_seats(txn, reg.course)?;
        release(txn, &mut seats, reg)?;
        // The registration must be gone from the bookkeeping before the next person moves up.
        delete_registration(txn, reg)?;
        promote(txn, &course, &mut seats, erasure.now)?;
        save_seats(txn, reg.course, &seats)?;
    }
    let mut courses = Courses::default();
    for reg in &registrations {
        let org = courses.get(txn, reg.course)?.org;
        counters::count(txn, REGISTRATIONS_MADE, month_of(reg.registered_at), org, reg.course, -1)?;
        delete_registration(txn, reg)?;
        // The person's row for the course, whichever registration it names.
        txn.open_table(REGISTRATIONS_BY_ACCOUNT)?.delete((me.0, reg.course.0))?;
        if let Some(code) = txn.open_table(CERTIFICATES_BY_REGISTRATION)?.remove(reg.id.0)? {
            let code = code.value().to_string();
            if let Some(cert) = txn.open_table(CERTIFICATES)?.remove(code.as_str())? {
                let cert: super::Certificate = decode(cert.value(), || "a certificate".to_string())?;
                counters::count(txn, COMPLETIONS, month_of(cert.issued_at), org, cert.course, -1)?;
            }
        }
    }
    erasure.count("course registrations", registrations.len() as u64);
    let mut marks: Vec<(CourseId, SessionId)> = Vec::new();
    txn.open_table(ATTENDANCE)?.retain(|(course, session, account), _| {
        let mine = account == me.0;
        if mine {
            marks.push((CourseId(course), SessionId(session)));
        }
        !mine
    })?;
    for (course, session) in &marks {
        let course = courses.get(txn, *course)?;
        if let Some(month) = counters::attendance_month(course, *session) {
            counters::count(txn, ATTENDANCES, month, course.org, course.id, -1)?;
        }
    }
    erasure.count("attendance marks", marks.len() as u64);
    Ok(())
}

/// The courses an erasure touches, each read once.
#[derive(Default)]
struct Courses(BTreeMap<CourseId, CourseRecord>);

impl Courses {
    fn get(&mut self, txn: &WriteTxn, id: CourseId) -> Result<&CourseRecord> {
        Ok(match self.0.entry(id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(load_course(txn, id)?),
        })
    }
}

const ABOUT_REGISTRATIONS: &str = "The person's course registrations: course, state (confirmed, waiting, offered, \
cancelled, declined, expired, attended …), waitlist position, offer deadline, the group registered together, and \
when.";
const ABOUT_CERTIFICATES: &str = "Certificates issued to the person: the verification code anyone can check, the \
name on it, the course, the day it was completed, and sessions attended of those held.";
