//! The records of the self-help directory: contact points' public contact data, groups with
//! their meetings and places, contact requests, rooms and bookings.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::geo::Coordinates;
use crate::orgs::OrgId;

/// A self-help group in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GroupId(pub u64);

/// A person's request to join a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContactRequestId(pub u64);

/// A room an organisation offers to groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoomId(pub u64);

/// A group's recurring booking of a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BookingId(pub u64);

crate::id_impls!(GroupId, ContactRequestId, RoomId, BookingId);

/// A day of the week (iCalendar's MO…SU).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// Opening hours of a contact point on one weekday, local times `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OpeningHours {
    pub day: Weekday,
    pub opens: String,
    pub closes: String,
}

/// The public contact data of an organisation (a contact point, a clinic offering rooms): what
/// a directory shows and exports so that people can find and reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OrgContact {
    pub org: OrgId,
    pub name: String,
    pub street: Option<String>,
    pub postcode: Option<String>,
    /// ISO 3166 country code of the postcode.
    pub country: Option<String>,
    /// The place name of the postcode (from the gazetteer).
    pub locality: Option<String>,
    /// The postcode's coordinates (from the gazetteer).
    pub coordinates: Option<Coordinates>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub opening_hours: Vec<OpeningHours>,
    pub updated_at: Timestamp,
}

/// What an organisation's staff set as its public contact data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OrgContactInput {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub street: Option<String>,
    /// A postcode the gazetteer of `country` knows; gives the locality and coordinates.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub postcode: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub country: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub phone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub email: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub opening_hours: Vec<OpeningHours>,
}

/// Where a group stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum GroupStatus {
    /// Being founded: looking for members.
    Founding,
    Active,
    /// Takes no new members for now.
    Full,
    Paused,
    Ended,
}

impl GroupStatus {
    /// Whether the group takes contact requests.
    pub fn takes_requests(self) -> bool {
        matches!(self, GroupStatus::Founding | GroupStatus::Active | GroupStatus::Paused)
    }
}

/// Who a group is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum GroupAudience {
    /// People affected themselves.
    Affected,
    /// Relatives and friends.
    Relatives,
    Both,
}

/// How a group meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum GroupFormat {
    Online,
    InPerson,
    Both,
}

impl GroupFormat {
    pub fn online(self) -> bool {
        matches!(self, GroupFormat::Online | GroupFormat::Both)
    }

    pub fn in_person(self) -> bool {
        matches!(self, GroupFormat::InPerson | GroupFormat::Both)
    }
}

/// The fixed accessibility vocabulary of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Accessibility {
    StepFree,
    AccessibleToilet,
    HearingLoop,
    SignLanguage,
    EasyLanguage,
    ChildCare,
}

/// Who receives a group's contact requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RequestRoute {
    /// The contact point's shared inbox, seen by its staff.
    #[default]
    ContactPoint,
    /// The group's own contact person.
    GroupContact,
}

/// A group's meeting place. A confidential place is shown only to the group's managers and to
/// people the contact point has connected with the group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupPlace {
    pub venue: Option<String>,
    pub street: Option<String>,
    pub postcode: String,
    pub country: String,
    pub locality: Option<String>,
    pub coordinates: Coordinates,
    pub confidential: bool,
}

/// A meeting place as given: a postcode the gazetteer knows, the venue and street.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupPlaceInput {
    pub country: String,
    pub postcode: String,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub venue: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub street: Option<String>,
    /// Shown only to people the contact point has connected with the group.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub confidential: bool,
}

/// A meeting schedule as given: an iCalendar RRULE of the subset directories use, local
/// start and end times, and the dates it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingInput {
    /// `FREQ=WEEKLY;BYDAY=TU`, `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO`, `FREQ=MONTHLY;BYDAY=2TU,4TU`
    /// (`-1TU`: the last Tuesday).
    pub rule: String,
    /// Local time `HH:MM`.
    pub starts: String,
    /// Local time `HH:MM`, after `starts`.
    pub ends: String,
    /// First date the schedule holds (the anchor of "every n weeks"); today when absent.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub valid_until: Option<NaiveDate>,
    /// Dates the group does not meet.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub exceptions: Vec<NaiveDate>,
}

/// A meeting schedule as stored and shown: the rule normalised, with its description in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Meeting {
    pub rule: String,
    pub starts: String,
    pub ends: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub exceptions: Vec<NaiveDate>,
    /// "every 2nd and 4th Tuesday of the month, 18:00–20:00".
    pub description: String,
}

/// One meeting on the calendar, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingDate {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// The next meeting dates of one group, as the dates of many groups are answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupMeetingDates {
    pub group: GroupId,
    /// In time order, in UTC; empty when the group's schedules have ended.
    pub dates: Vec<MeetingDate>,
}

/// A group as a person sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    /// Slugs of the shared thesaurus.
    pub topics: Vec<String>,
    /// Free keywords beside the topics.
    pub keywords: Vec<String>,
    pub audience: GroupAudience,
    pub age_min: Option<u32>,
    pub age_max: Option<u32>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub status: GroupStatus,
    pub format: GroupFormat,
    pub contact_point: Option<OrgId>,
    /// The group's own contact person: shown only to the group's managers.
    pub contact: Option<AccountId>,
    pub requests_to: RequestRoute,
    /// The meeting place; absent for a confidential place unless the viewer may see it.
    pub place: Option<GroupPlace>,
    /// Whether the meeting place is confidential (then only the locality is public).
    pub place_confidential: bool,
    /// The place name of the meeting place's postcode, shown to everyone.
    pub locality: Option<String>,
    pub meetings: Vec<Meeting>,
    pub next_meeting: Option<MeetingDate>,
    pub accessibility: Vec<Accessibility>,
    pub accessibility_notes: Option<String>,
    pub last_confirmed: Timestamp,
    /// Not confirmed for longer than the directory's freshness period.
    pub stale: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a new group needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewGroup {
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub description: String,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub topics: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub keywords: Vec<String>,
    pub audience: GroupAudience,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub age_min: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub age_max: Option<u32>,
    pub languages: Vec<String>,
    pub status: GroupStatus,
    pub format: GroupFormat,
    /// An organisation of kind self-help contact point; required for a confidential place.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub contact_point: Option<OrgId>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub contact: Option<AccountId>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub requests_to: Option<RequestRoute>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub place: Option<GroupPlaceInput>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub meetings: Vec<MeetingInput>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub accessibility: Vec<Accessibility>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub accessibility_notes: Option<String>,
}

/// Changes to a group; absent fields stay as they are. Every change confirms the entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub topics: Option<Vec<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub keywords: Option<Vec<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub audience: Option<GroupAudience>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub languages: Option<Vec<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub status: Option<GroupStatus>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub format: Option<GroupFormat>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub place: Option<GroupPlaceInput>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub meetings: Option<Vec<MeetingInput>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub accessibility: Option<Vec<Accessibility>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub accessibility_notes: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub requests_to: Option<RequestRoute>,
}

/// The directory's settings (admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupSettings {
    /// The platform's IANA time zone, in which meetings are kept (`Europe/Berlin`).
    pub time_zone: String,
    /// An entry not confirmed for this many months is stale (1 to 60).
    pub stale_after_months: u32,
    /// Contact requests are purged this many days after they were made (7 to 3650).
    pub request_retention_days: u32,
    /// Contact requests one account may make per day (0 stops them).
    pub requests_per_day: u32,
}

impl Default for GroupSettings {
    fn default() -> Self {
        GroupSettings {
            time_zone: "Europe/Berlin".into(),
            stale_after_months: 12,
            request_retention_days: 180,
            requests_per_day: 5,
        }
    }
}

/// Where a contact request stands: new → forwarded → connected | declined | withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RequestState {
    New,
    /// The contact point passed it on to the group's contact person.
    Forwarded,
    /// The contact point or the group contact put the person in touch.
    Connected,
    Declined,
    Withdrawn,
}

impl RequestState {
    pub fn is_open(self) -> bool {
        matches!(self, RequestState::New | RequestState::Forwarded)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::New => "new",
            RequestState::Forwarded => "forwarded",
            RequestState::Connected => "connected",
            RequestState::Declined => "declined",
            RequestState::Withdrawn => "withdrawn",
        }
    }
}

/// A person's request to join a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContactRequest {
    pub id: ContactRequestId,
    pub group: GroupId,
    pub group_name: String,
    pub requester: AccountId,
    pub message: String,
    /// How the person wants to be reached (an e-mail address, a phone number, "through the
    /// platform's inbox").
    pub reach: String,
    pub state: RequestState,
    /// Where the request went.
    pub routed_to: RequestRoute,
    /// The contact point's answer to the person (when connecting or declining).
    pub answer: Option<String>,
    /// Filled in once connected: the group contact's pseudonym, for the requester.
    pub group_contact: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a person sends when asking to join.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewContactRequest {
    pub group: GroupId,
    pub message: String,
    pub reach: String,
}

/// What a person looks for in the directory; every field narrows the search.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupQuery {
    /// Words in the name, description, keywords or topic labels; a word that is a label of a
    /// thesaurus topic also finds the topic's groups through its other labels (synonyms).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub text: Option<String>,
    /// A topic slug or any of its labels; narrower topics count.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub topic: Option<String>,
    /// Search around this postcode (with `country`); online groups are always included.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub postcode: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub country: Option<String>,
    /// Kilometres around the postcode (default 25, at most 500).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub radius_km: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub weekday: Option<Weekday>,
    /// Meetings starting at or after this local time (`HH:MM`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub starts_after: Option<String>,
    /// Meetings ending at or before this local time (`HH:MM`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub ends_before: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub language: Option<String>,
    /// Groups for this audience (groups for both count).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub audience: Option<GroupAudience>,
    /// Every one of these must be offered.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub accessibility: Vec<Accessibility>,
    /// Only groups of this status; ended groups are left out otherwise.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub status: Option<GroupStatus>,
}

/// One search result: the public view (never a confidential place) and the distance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupHit {
    pub group: Group,
    /// Kilometres from the searched postcode to the meeting place's postcode; absent for
    /// online groups and searches without a postcode.
    pub distance_km: Option<f64>,
}

/// A room an organisation (a clinic, a municipality, a counselling centre) offers to self-help
/// groups at fixed weekly times. Its place is public: it is the organisation's address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Room {
    pub id: RoomId,
    /// The offering organisation.
    pub org: OrgId,
    pub org_name: String,
    pub name: String,
    pub place: GroupPlace,
    /// How many people the room holds.
    pub capacity: u32,
    pub accessibility: Vec<Accessibility>,
    pub accessibility_notes: Option<String>,
    /// When groups can book it, every week, local times.
    pub windows: Vec<OpeningHours>,
    /// Whether it takes new bookings.
    pub open: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A room as offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewRoom {
    pub org: OrgId,
    pub name: String,
    /// Where the room is; it cannot be confidential.
    pub place: GroupPlaceInput,
    pub capacity: u32,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub accessibility: Vec<Accessibility>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub accessibility_notes: Option<String>,
    /// When groups can book it (weekday, `HH:MM`, `HH:MM`); at least one.
    pub windows: Vec<OpeningHours>,
}

/// Changes to a room; absent fields stay as they are. Bookings already made stay valid.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoomUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub capacity: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub accessibility: Option<Vec<Accessibility>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub accessibility_notes: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub windows: Option<Vec<OpeningHours>>,
    /// `false` stops new bookings.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub open: Option<bool>,
}

/// Where a booking stands: requested → confirmed | declined; requested or confirmed →
/// cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum BookingState {
    Requested,
    Confirmed,
    Declined,
    Cancelled,
}

impl BookingState {
    /// Whether the booking holds its slot (no other booking may overlap it).
    pub fn holds_slot(self) -> bool {
        matches!(self, BookingState::Requested | BookingState::Confirmed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BookingState::Requested => "requested",
            BookingState::Confirmed => "confirmed",
            BookingState::Declined => "declined",
            BookingState::Cancelled => "cancelled",
        }
    }
}

/// A group's weekly slot in a room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Booking {
    pub id: BookingId,
    pub room: RoomId,
    pub room_name: String,
    /// The organisation offering the room.
    pub org: OrgId,
    pub group: GroupId,
    pub group_name: String,
    pub day: Weekday,
    /// Local time `HH:MM`.
    pub starts: String,
    pub ends: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// How many people the group expects.
    pub people: u32,
    pub state: BookingState,
    /// The offering organisation's or the canceller's note.
    pub answer: Option<String>,
    /// The account that asked for it (absent when the operator did).
    pub requested_by: Option<AccountId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A group's request for a weekly slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewBooking {
    pub room: RoomId,
    pub group: GroupId,
    pub day: Weekday,
    /// Local time `HH:MM`, inside one of the room's windows on `day`.
    pub starts: String,
    /// Local time `HH:MM`, after `starts`, inside the same window.
    pub ends: String,
    /// First date of the slot; today when absent.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub valid_until: Option<NaiveDate>,
    /// How many people the group expects (at most the room's capacity).
    pub people: u32,
}

/// Whether a group has a room on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RoomNeed {
    /// A confirmed booking.
    Booked,
    /// Only bookings waiting for the offering organisation.
    Requested,
    /// Meets in person and has no booking here (it may meet at a place of its own).
    Without,
    /// Meets online only, or has ended.
    NotNeeded,
}

/// One line of a contact point's room overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupRooms {
    pub group: GroupId,
    pub group_name: String,
    pub status: GroupStatus,
    pub format: GroupFormat,
    pub need: RoomNeed,
    /// Its requested and confirmed bookings.
    pub bookings: Vec<Booking>,
}
