//! The records of the courses domain: courses and their sessions, registrations, offers,
//! attendance and certificates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::accounts::{AccountId, Perspective};
use crate::clock::Timestamp;
use crate::geo::Coordinates;
use crate::orgs::OrgId;

/// A course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CourseId(pub u64);

/// One session of a course (stable: an iCalendar event's UID is made from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionId(pub u64);

/// One person's registration for a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RegistrationId(pub u64);

crate::id_impls!(CourseId, SessionId, RegistrationId);

/// Where a course happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CourseFormat {
    Online,
    InPerson,
    Hybrid,
}

/// Who a course is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CourseAudience {
    Everyone,
    /// People of these perspectives (peer workers in training, relatives…).
    Perspectives {
        perspectives: Vec<Perspective>,
    },
    /// Members of self-help groups ("Selbsthilfe im Dialog").
    SelfHelpGroupMembers,
}

/// What a course costs. Who pays is not the platform's business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Fee {
    Free,
    /// `amount_cents` in the smallest unit of `currency` (ISO 4217, "EUR", "DKK").
    Amount {
        amount_cents: u64,
        currency: String,
    },
}

/// Where an in-person or hybrid course meets, as given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PlaceInput {
    /// A postcode, resolved through the gazetteer of `country`.
    Postcode {
        country: String,
        postcode: String,
        /// The venue and street, shown as given ("Selbsthilfekontaktstelle, Markt 3").
        #[serde(default)]
        venue: Option<String>,
    },
    /// Explicit coordinates with the venue's name.
    Coordinates {
        latitude: f64,
        longitude: f64,
        #[serde(default)]
        venue: Option<String>,
    },
}

/// Where a course meets, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CoursePlace {
    pub coordinates: Coordinates,
    #[serde(default)]
    pub venue: Option<String>,
    /// The place's name from the gazetteer.
    #[serde(default)]
    pub locality: Option<String>,
    #[serde(default)]
    pub postcode: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
}

/// How sessions repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Repeat {
    /// Days between sessions (7: weekly), 1 to 366.
    pub every_days: u32,
    /// How many sessions in all, 2 to 100.
    pub count: u32,
}

/// A session (or a series) as an organiser enters it: local wall-clock times in an IANA time
/// zone, so a weekly 18:00 session stays at 18:00 across a change to summer time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SessionInput {
    /// Local start, `2027-03-04T18:00`.
    pub start: String,
    /// Local end, `2027-03-04T20:30`.
    pub end: String,
    /// IANA time zone, `Europe/Berlin`.
    pub time_zone: String,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub repeat: Option<Repeat>,
}

/// One session of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Session {
    pub id: SessionId,
    pub start: Timestamp,
    pub end: Timestamp,
    pub time_zone: String,
    /// Raised whenever the session moves or is cancelled (iCalendar `SEQUENCE`).
    #[serde(default)]
    pub sequence: u32,
    #[serde(default)]
    pub cancelled: bool,
}

/// A course's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CourseState {
    Draft,
    Published,
    Running,
    Completed,
    Cancelled,
}

/// What an organiser enters to create a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewCourse {
    pub org: OrgId,
    pub title: String,
    pub description: String,
    /// Topic slugs (`self-help-groups`, `recovery`); plain slugs until the shared thesaurus
    /// lands, then references into it.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub topics: Vec<String>,
    /// ISO 639-1 language code, `de`, `da`.
    pub language: String,
    pub audience: CourseAudience,
    pub format: CourseFormat,
    /// Required for in-person and hybrid courses.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub place: Option<PlaceInput>,
    /// Required for online and hybrid courses; shown only to confirmed participants, the
    /// teaching team and organisers.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub online_link: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub sessions: Vec<SessionInput>,
    pub capacity: u32,
    pub fee: Fee,
    /// Registration opens (absent: on publishing).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub registration_opens: Option<Timestamp>,
    /// Registration closes (absent: when the first session starts).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub registration_closes: Option<Timestamp>,
    /// Courses a participant must have completed first.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub prerequisites: Vec<CourseId>,
    /// Taught by trainers of at least two perspectives (checked on publishing).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub trialogic: bool,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub settings: Option<CourseSettings>,
}

/// The rules of a course that have defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CourseSettings {
    /// Hours an offered place waits for an answer before it passes on (default 48).
    pub offer_hours: u32,
    /// Hours before each session its reminder arrives (default 24).
    pub reminder_hours: u32,
    /// Participants may cancel until this many hours before the first session (default 24).
    pub cancel_hours: u32,
    /// Share of sessions attended, in percent, that completes the course (default 80).
    pub completion_percent: u8,
}

impl Default for CourseSettings {
    fn default() -> Self {
        CourseSettings { offer_hours: 48, reminder_hours: 24, cancel_hours: 24, completion_percent: 80 }
    }
}

/// Changes to a course; absent fields stay. Sessions are changed with their own operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CourseUpdate {
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub title: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub description: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub topics: Option<Vec<String>>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub language: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub audience: Option<CourseAudience>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub online_link: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub place: Option<PlaceInput>,
    /// A larger capacity offers the new places at once; it cannot drop below the places held.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub capacity: Option<u32>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub fee: Option<Fee>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub registration_opens: Option<Timestamp>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub registration_closes: Option<Timestamp>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub prerequisites: Option<Vec<CourseId>>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub trialogic: Option<bool>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub settings: Option<CourseSettings>,
}

/// A course as its readers see it. `online_link` is absent for those who may not see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Course {
    pub id: CourseId,
    pub org: OrgId,
    pub title: String,
    pub description: String,
    pub topics: Vec<String>,
    pub language: String,
    pub audience: CourseAudience,
    pub format: CourseFormat,
    pub place: Option<CoursePlace>,
    pub online_link: Option<String>,
    pub sessions: Vec<Session>,
    pub capacity: u32,
    pub fee: Fee,
    pub registration_opens: Option<Timestamp>,
    pub registration_closes: Option<Timestamp>,
    pub prerequisites: Vec<CourseId>,
    pub trialogic: bool,
    pub trainers: Vec<AccountId>,
    /// The perspectives of the teaching team (those trainers who show theirs to members).
    pub team_perspectives: Vec<Perspective>,
    pub settings: CourseSettings,
    pub state: CourseState,
    /// Places held by confirmed participants and open offers.
    pub places_taken: u32,
    /// Entries on the waitlist (a group counts once).
    pub waiting: u32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A page of courses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CoursePage {
    pub items: Vec<Course>,
    pub next_cursor: Option<String>,
}

/// Narrows a course listing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CourseFilter {
    /// One organisation's courses (its organisers also see drafts).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub org: Option<OrgId>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub state: Option<CourseState>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub language: Option<String>,
    /// Only courses with a free place.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub free_places: bool,
    /// Words that must all occur (any case) in the title, the description or a topic.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub text: Option<String>,
    /// Only courses with this topic slug.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub topic: Option<String>,
    /// Only courses one can reach from a postcode: in person within the radius, and every
    /// online or hybrid course (attended from anywhere).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub near: Option<CourseNear>,
    /// Only courses with a session starting at or after this time (`since`, not `from`: a
    /// Python keyword).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub since: Option<Timestamp>,
    /// Only courses with a session starting before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub until: Option<Timestamp>,
}

/// A radius around a postcode of the gazetteer, for finding courses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CourseNear {
    /// ISO 3166 country code of the gazetteer, `DE`, `DK`.
    pub country: String,
    pub postcode: String,
    /// Kilometres, more than 0 and at most 1,000.
    pub radius_km: f64,
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RegistrationState {
    Confirmed,
    Waiting,
    /// A freed place is offered until `offer_expires_at`.
    Offered,
    Cancelled,
    Declined,
    Expired,
}

impl RegistrationState {
    /// Whether the registration holds a place (confirmed, or offered and not yet answered).
    pub fn holds_place(self) -> bool {
        matches!(self, RegistrationState::Confirmed | RegistrationState::Offered)
    }

    /// Whether the registration still counts (holds a place or waits for one).
    pub fn is_live(self) -> bool {
        self.holds_place() || self == RegistrationState::Waiting
    }
}

/// One person's registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Registration {
    pub id: RegistrationId,
    pub course: CourseId,
    pub account: AccountId,
    pub state: RegistrationState,
    /// The waitlist position (commit order), while waiting.
    pub position: Option<u64>,
    /// When an offered place lapses.
    pub offer_expires_at: Option<Timestamp>,
    /// The first registration of the group this one was made with.
    pub group: Option<RegistrationId>,
    pub registered_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A page of registrations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegistrationPage {
    pub items: Vec<Registration>,
    pub next_cursor: Option<String>,
}

/// Where an organiser moves a registration by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MoveTo {
    /// Confirmed at once (needs a free place: capacity is never exceeded).
    Confirmed,
    /// To the head of the waitlist (giving up a held place, which passes on).
    HeadOfWaitlist,
    /// Out of the course.
    Cancelled,
}

pub use crate::model::course::CourseNotice;

/// Who attended one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Attendance {
    pub course: CourseId,
    pub session: SessionId,
    pub present: Vec<AccountId>,
}

/// The name a participant chooses for their certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CertificateName {
    /// The account's pseudonym.
    Pseudonym,
    /// A legal name entered for this certificate only (personal data: kept on the certificate).
    Legal { name: String },
}

/// A certificate of completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Certificate {
    /// What anyone enters to check it (`trialog course verify CODE`).
    pub code: String,
    pub course: CourseId,
    pub registration: RegistrationId,
    pub account: AccountId,
    pub name: String,
    pub course_title: String,
    /// The day the course's last session ended.
    pub completed_on: NaiveDate,
    /// Sessions attended of those held.
    pub attended: u32,
    pub held: u32,
    pub issued_at: Timestamp,
}

/// What a verification shows: the name on the certificate, the course and the date, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CertificateCheck {
    pub name: String,
    pub course_title: String,
    pub completed_on: NaiveDate,
}
