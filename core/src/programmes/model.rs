//! The records of the programmes domain: programmes of course modules, their cohorts, the
//! trainees' progress and placement rounds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::courses::CourseId;
use crate::orgs::OrgId;

/// A programme (an EX-IN curriculum, a Peer2Peer training).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProgrammeId(pub u64);

/// One cohort of a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CohortId(pub u64);

/// One placement round of a cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoundId(pub u64);

crate::id_impls!(ProgrammeId, CohortId, RoundId);

/// What kind of training a programme is. Only an EX-IN curriculum can set the EX-IN status on
/// a seeker profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ProgrammeKind {
    /// An EX-IN curriculum (Experienced Involvement).
    ExIn,
    /// A Peer2Peer vocational training with work placements.
    #[serde(rename = "peer2peer")]
    Peer2Peer,
    Other,
}

/// One module of a programme: a course, required unless marked elective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgrammeModule {
    pub course: CourseId,
    /// An elective module does not count towards completing the programme.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub elective: bool,
}

/// A new programme: its modules in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewProgramme {
    pub org: OrgId,
    pub title: String,
    pub kind: ProgrammeKind,
    pub modules: Vec<ProgrammeModule>,
}

/// A new cohort and the accounts enrolled in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewCohort {
    pub name: String,
    /// The day the cohort starts.
    pub start: NaiveDate,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub trainees: Vec<AccountId>,
}

/// A cohort: a group of trainees going through the programme together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Cohort {
    pub id: CohortId,
    pub name: String,
    pub start: NaiveDate,
    pub trainees: Vec<AccountId>,
}

/// A trainee's placement, accepted in a placement round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TraineePlacement {
    pub trainee: AccountId,
    /// The organisation that takes the trainee.
    pub org: OrgId,
    pub round: RoundId,
}

/// A programme with its modules, cohorts and accepted placements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Programme {
    pub id: ProgrammeId,
    pub org: OrgId,
    pub title: String,
    pub kind: ProgrammeKind,
    pub modules: Vec<ProgrammeModule>,
    pub cohorts: Vec<Cohort>,
    pub placements: Vec<TraineePlacement>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A page of programmes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgrammePage {
    pub items: Vec<Programme>,
    pub next_cursor: Option<String>,
}

/// One module as a trainee stands with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ModuleProgress {
    pub course: CourseId,
    pub course_title: String,
    pub elective: bool,
    /// The course is completed and the trainee held a confirmed place and attended enough.
    pub completed: bool,
}

/// A trainee's progress through a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgrammeProgress {
    pub programme: ProgrammeId,
    pub trainee: AccountId,
    pub modules: Vec<ModuleProgress>,
    /// The completed modules, in programme order.
    pub completed: Vec<CourseId>,
    /// The modules not completed yet (required and elective), in programme order.
    pub missing: Vec<CourseId>,
    /// Every required module is completed.
    pub complete: bool,
    /// When the trainee consented to have the EX-IN status set on their seeker profile.
    pub exin_consented_at: Option<Timestamp>,
}

/// A place in a placement round: an organisation and how many trainees it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlacementOffer {
    pub org: OrgId,
    pub capacity: u32,
}

/// A place of a round and the host's ranking of the trainees it accepts, best first (absent
/// until the host ranked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoundPlace {
    pub org: OrgId,
    pub capacity: u32,
    pub ranking: Option<Vec<AccountId>>,
}

/// A trainee of a round and the hosts they would go to, best first (absent until they ranked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoundTrainee {
    pub trainee: AccountId,
    pub preferences: Option<Vec<OrgId>>,
}

/// A placement round: a cohort's trainees and the places offered, ranked by both sides, then
/// matched once by stable matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlacementRound {
    pub id: RoundId,
    pub programme: ProgrammeId,
    pub cohort: CohortId,
    pub places: Vec<RoundPlace>,
    pub trainees: Vec<RoundTrainee>,
    pub created_at: Timestamp,
    /// When the round was run; absent while rankings are still being collected.
    pub run_at: Option<Timestamp>,
    /// The accepted pairs (also recorded on the programme).
    pub pairs: Vec<TraineePlacement>,
    /// Trainees the round placed nowhere.
    pub unplaced: Vec<AccountId>,
}
