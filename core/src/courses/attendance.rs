//! Attendance per session and certificates: the completion rule (a share of the held
//! sessions, 80 % unless the course says otherwise), the name the participant chooses, and a
//! verification code anyone can check without learning more than the name, course and date.

use super::model::*;
use super::records::{self, CourseRecord};
use crate::accounts::{self, AccountId};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::store::{Reader, WriteTxn};
use crate::validate;

/// Letters of verification codes: Crockford's base 32 (no I, L, O, U), easy to read aloud.
const CODE_LETTERS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Twelve letters: 60 bits, so guessing a valid code is hopeless.
const CODE_LENGTH: usize = 12;

/// Replaces who attended a session that has begun; everyone present must hold a confirmed place.
pub(crate) fn record(
    txn: &WriteTxn,
    course: &CourseRecord,
    session: SessionId,
    present: &[AccountId],
    now: Timestamp,
) -> Result<()> {
    let s = course.session(session)?;
    if s.cancelled {
        return Err(Error::invalid("session", format!("session {session} was cancelled")));
    }
    if s.start > now {
        return Err(Error::invalid(
            "session",
            format!("session {session} has not begun (it starts {})", s.start.to_rfc3339()),
        ));
    }
    let mut accounts = present.to_vec();
    accounts.sort_unstable();
    accounts.dedup();
    for (i, account) in present.iter().enumerate() {
        let live = records::live_registration(txn, *account, course.id)?;
        let confirmed = live.is_some_and(|reg| reg.state == RegistrationState::Confirmed);
        if !confirmed {
            return Err(Error::invalid(format!("present[{i}]"), format!("account {account} holds no confirmed place")));
        }
    }
    records::set_attendance(txn, course, session, &accounts)
}

/// Sessions attended by `account` and sessions held (not cancelled, already begun or not).
fn tally(txn: &impl Reader, course: &CourseRecord, account: AccountId) -> Result<(u32, u32)> {
    let (mut attended, mut held) = (0, 0);
    for s in course.held_sessions() {
        held += 1;
        if records::attendance(txn, course.id, s.id)?.binary_search(&account).is_ok() {
            attended += 1;
        }
    }
    Ok((attended, held))
}

/// Whether attending `attended` of `held` sessions meets `percent`.
fn meets(attended: u32, held: u32, percent: u8) -> bool {
    held > 0 && u64::from(attended) * 100 >= u64::from(held) * u64::from(percent)
}

/// Whether `account` completed `course`: it is completed, they held a confirmed place and
/// attended enough sessions.
pub(crate) fn has_completed(txn: &impl Reader, account: AccountId, course: CourseId) -> Result<bool> {
    let course = records::load_course(txn, course)?;
    if course.state != CourseState::Completed {
        return Ok(false);
    }
    let live = records::live_registration(txn, account, course.id)?;
    if !live.is_some_and(|reg| reg.state == RegistrationState::Confirmed) {
        return Ok(false);
    }
    let (attended, held) = tally(txn, &course, account)?;
    Ok(meets(attended, held, course.settings.completion_percent))
}

/// Issues (or returns the already issued) certificate of a registration.
pub(crate) fn claim(
    txn: &WriteTxn,
    course: &CourseRecord,
    reg: &Registration,
    name: &CertificateName,
    now: Timestamp,
) -> Result<Certificate> {
    if let Some(code) = records::certificate_code(txn, reg.id)? {
        return records::load_certificate(txn, &code)?
            .ok_or_else(|| Error::storage("a certificate's index points nowhere"));
    }
    if course.state != CourseState::Completed {
        return Err(Error::invalid(
            "course",
            format!("the course is {:?}; certificates follow its completion", course.state),
        ));
    }
    if reg.state != RegistrationState::Confirmed {
        return Err(Error::invalid(
            "registration",
            format!("registration {} is {:?}, not confirmed", reg.id, reg.state),
        ));
    }
    let (attended, held) = tally(txn, course, reg.account)?;
    let percent = course.settings.completion_percent;
    if !meets(attended, held, percent) {
        return Err(Error::invalid(
            "registration",
            format!("attended {attended} of {held} sessions; the course asks for {percent} %"),
        ));
    }
    let printed = match name {
        CertificateName::Pseudonym => accounts::load(txn, reg.account)?.pseudonym,
        CertificateName::Legal { name } => validate::required_line("name", name, 200)?,
    };
    let completed_on = course.last_end().unwrap_or(now).date_naive();
    let cert = Certificate {
        code: fresh_code(txn)?,
        course: course.id,
        registration: reg.id,
        account: reg.account,
        name: printed,
        course_title: course.title.clone(),
        completed_on,
        attended,
        held,
        issued_at: now,
    };
    records::save_certificate(txn, course.org, &cert)?;
    Ok(cert)
}

/// A course's certificates.
pub(crate) fn of_course(txn: &impl Reader, course: CourseId) -> Result<Vec<Certificate>> {
    let mut out = Vec::new();
    for reg in records::course_registrations(txn, course, 0)? {
        if let Some(code) = records::certificate_code(txn, reg.id)?
            && let Some(cert) = records::load_certificate(txn, &code)?
        {
            out.push(cert);
        }
    }
    Ok(out)
}

/// What a verification shows. Codes are read case-insensitively, with or without hyphens.
pub(crate) fn verify(txn: &impl Reader, code: &str) -> Result<CertificateCheck> {
    let clean = normalise(code).ok_or_else(|| {
        Error::invalid("code", "is not a certificate code (12 letters and digits, as XXXX-XXXX-XXXX)")
    })?;
    let cert = records::load_certificate(txn, &clean)?.ok_or_else(|| Error::not_found("certificate", &clean))?;
    Ok(CertificateCheck { name: cert.name, course_title: cert.course_title, completed_on: cert.completed_on })
}

/// `abcd efgh-jkmn` → `ABCD-EFGH-JKMN`; `None` for anything that cannot be a code.
fn normalise(code: &str) -> Option<String> {
    let letters: Vec<u8> = code.bytes().filter(|b| !matches!(b, b'-' | b' ')).map(|b| b.to_ascii_uppercase()).collect();
    if letters.len() != CODE_LENGTH || !letters.iter().all(|b| CODE_LETTERS.contains(b)) {
        return None;
    }
    Some(grouped(&letters))
}

fn grouped(letters: &[u8]) -> String {
    letters.chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

fn fresh_code(txn: &impl Reader) -> Result<String> {
    for _ in 0..8 {
        let mut bytes = [0u8; CODE_LENGTH];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::storage(format!("no randomness for a certificate code: {e}")))?;
        let letters: Vec<u8> = bytes.iter().map(|b| CODE_LETTERS[usize::from(b % 32)]).collect();
        let code = grouped(&letters);
        if records::load_certificate(txn, &code)?.is_none() {
            return Ok(code);
        }
    }
    Err(Error::conflict("could not draw an unused certificate code; try again"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_in_any_case_with_or_without_hyphens() {
        assert_eq!(normalise("abcd efgh-jkmn").as_deref(), Some("ABCD-EFGH-JKMN"));
        assert_eq!(normalise("ABCDEFGHJKMN").as_deref(), Some("ABCD-EFGH-JKMN"));
        assert_eq!(normalise("ABCD-EFGH-JKMI"), None, "I is not a code letter");
        assert_eq!(normalise("ABCD-EFGH"), None);
    }

    #[test]
    fn the_completion_rule_is_a_share_of_held_sessions() {
        assert!(meets(4, 5, 80));
        assert!(!meets(3, 5, 80));
        assert!(meets(1, 1, 100));
        assert!(!meets(0, 0, 80), "a course without sessions completes nobody");
    }
}
