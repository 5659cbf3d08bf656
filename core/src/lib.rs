//! trialog-core: the domain of mental-health peer-support platforms over an embedded redb file.
//!
//! Open a [`Platform`], then use its services — [`Platform::orgs`], [`Platform::accounts`],
//! [`Platform::audit`], [`Platform::geo`], [`Platform::jobs`], [`Platform::match_runs`],
//! [`Platform::settings`], [`Platform::forums`], [`Platform::moderation`], [`Platform::counsel`] — each operation taking the [`Actor`] who asks.
//! [`policy`] decides what
//! each actor may do; every operation is one transaction.

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("trialog_core");

pub mod accounts;
pub mod actor;
pub mod api;
pub mod audit;
pub mod clock;
/// The record formats compared on real records, for `benches/codec.rs` (feature `bench-support`).
#[cfg(feature = "bench-support")]
#[doc(hidden)]
pub mod codec_candidates;
mod context;
pub mod counsel;
pub mod courses;
mod crypto;
pub mod disclosure;
pub mod error;
mod fnv;
pub mod forums;
pub mod geo;
pub mod groups;
pub mod ids;
pub mod import;
pub mod inbox;
pub mod jobs;
pub mod knowledge;
pub mod matching;
mod model;
pub mod moderation;
pub mod orgs;
pub mod page;
pub mod platform;
pub mod policy;
pub mod programmes;
#[cfg(feature = "replica")]
pub mod replica;
pub mod reports;
pub mod rights;
mod roles;
pub mod screening;
pub mod search;
pub mod sessions;
pub mod settings;
mod sources;
mod store;
pub mod sync;
pub mod text;
mod text_index;
pub mod topics;
mod validate;

/// Every domain's registration (its tables, migrations and integrity check), one line each,
/// in the order their migrations run: accounts before the domains whose records name them.
pub(crate) const DOMAINS: &[store::Domain] = &[
    orgs::DOMAIN,
    accounts::DOMAIN,
    sessions::DOMAIN,
    audit::DOMAIN,
    settings::DOMAIN,
    inbox::DOMAIN,
    inbox::notices::DOMAIN,
    geo::DOMAIN,
    jobs::DOMAIN,
    matching::DOMAIN,
    forums::DOMAIN,
    moderation::DOMAIN,
    counsel::DOMAIN,
    topics::DOMAIN,
    knowledge::DOMAIN,
    courses::DOMAIN,
    programmes::DOMAIN,
    rights::DOMAIN,
    search::DOMAIN,
    groups::DOMAIN,
    sync::DOMAIN,
];

#[cfg(feature = "uniffi")]
mod ffi_types;
#[cfg(test)]
mod fixtures;

pub use accounts::{
    Account, AccountFilter, AccountId, AccountStatus, AccountUpdate, Accounts, NewAccount, Perspective,
    PerspectiveVisibility, Restriction, Role, RoleKind, StatusKind,
};
pub use actor::Actor;
pub use audit::{AuditEntry, AuditFilter, AuditLog, AuditPage};
pub use clock::{Clock, SystemClock, TestClock, Timestamp};
pub use counsel::{ContentKey, Counselling};
pub use courses::{
    Attendance, Certificate, CertificateCheck, CertificateName, Course, CourseAudience, CourseFilter, CourseFormat,
    CourseId, CourseNear, CourseNotice, CoursePage, CoursePlace, CourseSettings, CourseState, CourseUpdate, Courses,
    Fee, MoveTo, NewCourse, PlaceInput, Registration, RegistrationId, RegistrationPage, RegistrationState, Repeat,
    Session, SessionId, SessionInput,
};
pub use error::{Error, Result};
pub use forums::{
    Audience, Board, BoardId, BoardOverview, BoardPage, BoardUpdate, ContentState, ForumHit, ForumQuery,
    ForumSearchPage, Forums, ModerationAction, ModerationMode, NewBoard, NewReply, NewThread, Post, PostId, Posted,
    ReaderStats, StatsPeriod, Thread, ThreadId, ThreadPage, ThreadUnread,
};
pub use geo::{Coordinates, CountryGazetteer, GazetteerImport, Geo, Place};
pub use groups::{
    Accessibility, ContactRequest, ContactRequestId, ContactRequestPage, Group, GroupAudience, GroupFormat, GroupHit,
    GroupHitPage, GroupId, GroupMeetingDates, GroupPage, GroupPlace, GroupPlaceInput, GroupQuery, GroupSettings,
    GroupStatus, GroupUpdate, Groups, Meeting, MeetingDate, MeetingInput, NewContactRequest, NewGroup, OpeningHours,
    OrgContact, OrgContactInput, RequestRoute, RequestState, Weekday,
};
pub use groups::{
    Booking, BookingId, BookingPage, BookingState, GroupRooms, GroupRoomsPage, NewBooking, NewRoom, Room, RoomId,
    RoomNeed, RoomPage, RoomUpdate,
};
pub use groups::{HsdsAction, HsdsDocument, HsdsImport, HsdsImportItem, HsdsKind, HsdsPage, MAX_HSDS_IMPORT_BYTES};
pub use import::RowProblem;
pub use inbox::notices::{
    Claimed, EmailNotice, Failed, Message, NoticeSettings, Notices, Outgoing, PUSH_TEXT, Ticket, email_notice,
};
pub use inbox::{Event, Inbox, Notification, NotificationPage};
pub use jobs::{
    Alerts, Contract, ExInRequirement, ExInStatus, Hours, ImportMode, Interest, InterestId, InterestStatus, Interests,
    Job, JobHit, JobId, JobImport, JobImportRow, JobQuery, JobSearchPage, JobSort, JobState, JobSuggestion, JobUpdate,
    Jobs, Location, LocationInput, MinPay, MonthlyViews, NewJob, Pay, PayUnit, SavedSearch, SavedSearchId,
    SeekerFilter, SeekerPage, SeekerProfile, SeekerProfileInput, SeekerSuggestion, Seekers, SuggestionWeights,
};
pub use knowledge::{
    Article, ArticleDetail, ArticleDiff, ArticleFile, ArticleFilter, ArticleId, ArticleImport, ArticlePage,
    ArticleRevision, ArticleState, ArticleSummary, ArticleUpdate, Attachment, DiffLine, DiffOp, FileProblem, Knowledge,
    Link, NewArticle,
};
pub use matching::{
    ExcludedPair, MatchRun, MatchRunFilter, MatchRunPage, MatchRunSummary, MatchRuns, PairDecision, ProposedPair,
    RunId, RunInput, RunKind, RunResult,
};
pub use moderation::{
    Appeal, AppealOutcome, CrisisCategory, CrisisFinding, CrisisLevel, CrisisResource, ItemState, LogEntry, ModAction,
    Moderation, ModerationSettings, NewReport, ReportReason, ReviewItem, Target, TextCheck, WatchedWord, WordAction,
    WordMatch,
};
pub use orgs::{NewOrganisation, OrgId, OrgKind, Organisation, OrganisationFilter, OrganisationUpdate, Organisations};
pub use page::{AccountPage, OrganisationPage, PageRequest};
pub use platform::{CompactReport, IntegrityReport, Platform, PlatformOptions, TickCount, TickReport};
pub use programmes::{
    Cohort, CohortId, ModuleProgress, NewCohort, NewProgramme, PlacementOffer, PlacementRound, Programme, ProgrammeId,
    ProgrammeKind, ProgrammeModule, ProgrammePage, ProgrammeProgress, Programmes, RoundId, RoundPlace, RoundTrainee,
    TraineePlacement,
};
pub use rights::{
    AccountExport, ErasedCount, ErasureReport, ExportDocument, ExportReport, ExportedFile, PostFate, RetentionSettings,
    RetentionWarning, Rights,
};
pub use search::{FacetCount, Search, SearchHit, SearchKind, SearchPage, SearchQuery};
pub use sessions::{AuthSession, AuthSessionId, Sessions, SignedIn};
pub use settings::Settings;
pub use store::copy::{CopyProgress, CopyReport, DEFAULT_BATCH_ROWS, KeyspaceCopy, StoreLocation};
/// Storage faults on purpose, for the reliability tests (feature `fault-injection`).
#[cfg(feature = "fault-injection")]
#[doc(hidden)]
pub use store::faults;
#[doc(hidden)]
pub use store::rewrite_on_this_thread;
#[doc(hidden)]
pub use store::write_json_on_this_thread;
pub use store::{CompactStep, Durability, EVENTUAL_COMMITS_PER_DURABLE, SCHEMA_VERSION};
pub use topics::{NewTopic, Topic, TopicId, TopicImport, TopicLabel, TopicPage, TopicRow, TopicUpdate, Topics};
