//! Account records and the enums around them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::OrgId;

pub use crate::ids::AccountId;

/// From where a person takes part in the trialogue. Health-related (GDPR Art. 9), so
/// "undisclosed" is always a valid answer and the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Perspective {
    /// Lived experience of mental-health crises (Psychiatrie-Erfahrene).
    LivedExperience,
    /// Relative or friend (Angehörige).
    Relative,
    /// Professional (Profis).
    Professional,
    #[default]
    Undisclosed,
}

/// Who besides its owner and admins sees an account's perspective. The perspective is health
/// data, so a new account shows it to nobody until the person chooses otherwise. Access rules
/// that use it (boards for relatives) still apply whatever is chosen: they decide, they do not
/// display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PerspectiveVisibility {
    /// Everyone, signed in or not.
    Public,
    /// Every signed-in account.
    Members,
    /// Only the owner and admins.
    #[default]
    Nobody,
}

/// A right an account holds. Organisation-bound roles name the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Role {
    /// Takes part in forums and the job board (every new account).
    Member,
    /// Acts for an employer organisation: its profile and its job postings.
    EmployerStaff { org: OrgId },
    /// Answers counselling enquiries for an organisation.
    Counsellor { org: OrgId },
    /// Supervises an organisation's counsellors and may appoint them.
    Supervisor { org: OrgId },
    /// Moderates forums and restricts members.
    Moderator,
    /// Writes, reviews and approves knowledge-base articles (a second editor approves).
    Editor,
    /// Administers the platform.
    Admin,
}

/// The kind of a role without its organisation, for filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RoleKind {
    Member,
    EmployerStaff,
    Counsellor,
    Supervisor,
    Moderator,
    Editor,
    Admin,
}

/// Whether an account may take part, as stored. Time-limited states end by the clock: see
/// [`AccountStatus::effective`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AccountStatus {
    #[default]
    Active,
    /// May read and sign in, but not post, until the given time.
    Silenced { until: Timestamp },
    /// May not sign in or act until the given time.
    Suspended { until: Timestamp },
    /// May not sign in or act.
    Banned,
}

/// The kind of a status, for filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum StatusKind {
    Active,
    Silenced,
    Suspended,
    Banned,
}

/// What a moderator or admin does to an account's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "restriction", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Restriction {
    Silence {
        until: Timestamp,
    },
    Suspend {
        until: Timestamp,
    },
    Ban,
    /// Lifts any silence, suspension or ban.
    Reinstate,
}

/// A pseudonymous account. The e-mail address is shown only to its owner and to admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Account {
    pub id: AccountId,
    /// Display form, unique regardless of case and Unicode representation.
    pub pseudonym: String,
    /// `Undisclosed` to viewers the owner did not choose to show it to.
    #[serde(default)]
    pub perspective: Perspective,
    /// Who sees `perspective` (records from before the choice existed: nobody).
    #[serde(default)]
    pub perspective_visibility: PerspectiveVisibility,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// ISO 639-1 codes, in order of preference.
    #[serde(default)]
    pub languages: Vec<String>,
    /// ISO 3166 code: country (`DK`) or subdivision (`DE-TH`).
    #[serde(default)]
    pub home_region: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Stored status; time-limited states are shown as they stand at the time of reading.
    #[serde(default)]
    pub status: AccountStatus,
    /// The anonymous content (`post:12`) through whose author a moderator imposed the current
    /// restriction. Such a restriction is shown only to the account itself and to admins;
    /// everyone else sees the account as active, so nobody learns who wrote the content.
    #[serde(default)]
    pub restricted_through: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a new account starts with. Only the pseudonym is required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewAccount {
    pub pseudonym: String,
    #[serde(default)]
    pub perspective: Perspective,
    /// Who else sees the perspective; nobody unless chosen. (No UniFFI default: UniFFI cannot
    /// express an enum default, and bindgen refuses `default` for one.)
    #[serde(default)]
    pub perspective_visibility: PerspectiveVisibility,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub languages: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub home_region: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub email: Option<String>,
}

/// Changes to an account's own details; absent fields stay as they are, and an empty
/// string clears `home_region` or `email`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AccountUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub perspective: Option<Perspective>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub perspective_visibility: Option<PerspectiveVisibility>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub languages: Option<Vec<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub home_region: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub email: Option<String>,
}

/// Narrows an account listing; every given criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AccountFilter {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub role: Option<RoleKind>,
    /// Accounts holding any role in this organisation.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub org: Option<OrgId>,
    /// Status as it stands now (an expired suspension counts as active).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub status: Option<StatusKind>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub perspective: Option<Perspective>,
    /// Pseudonyms starting with this, ignoring case.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub pseudonym_prefix: Option<String>,
}

impl Account {
    /// Whether the account holds `role` (the exact role, organisation included).
    pub fn has_role(&self, role: &Role) -> bool {
        self.roles.contains(role)
    }

    /// The account as version 0 of the schema knew it, in today's shape.
    pub(crate) fn migrated(
        id: AccountId,
        pseudonym: String,
        perspective: Perspective,
        languages: Vec<String>,
        created_at: Timestamp,
    ) -> Self {
        Account {
            id,
            pseudonym,
            perspective,
            perspective_visibility: PerspectiveVisibility::Nobody,
            roles: vec![Role::Member],
            languages,
            home_region: None,
            email: None,
            status: AccountStatus::Active,
            restricted_through: None,
            created_at,
            updated_at: created_at,
        }
    }
}

impl AccountStatus {
    /// The status as it stands at `now`: a silence or suspension whose time has passed is over.
    pub fn effective(self, now: Timestamp) -> AccountStatus {
        match self {
            AccountStatus::Silenced { until } | AccountStatus::Suspended { until } if until <= now => {
                AccountStatus::Active
            }
            other => other,
        }
    }

    /// The kind of the status at `now`.
    pub fn kind(self, now: Timestamp) -> StatusKind {
        match self.effective(now) {
            AccountStatus::Active => StatusKind::Active,
            AccountStatus::Silenced { .. } => StatusKind::Silenced,
            AccountStatus::Suspended { .. } => StatusKind::Suspended,
            AccountStatus::Banned => StatusKind::Banned,
        }
    }

    /// Why an account in this status may not act at all, if it may not.
    pub(crate) fn blocks_everything(self, now: Timestamp) -> Option<String> {
        match self.effective(now) {
            AccountStatus::Suspended { until } => {
                Some(format!("the account is suspended until {}", until.format("%Y-%m-%d %H:%M UTC")))
            }
            AccountStatus::Banned => Some("the account is banned".into()),
            _ => None,
        }
    }
}

impl Role {
    /// The role's kind, without its organisation.
    pub fn kind(&self) -> RoleKind {
        match self {
            Role::Member => RoleKind::Member,
            Role::EmployerStaff { .. } => RoleKind::EmployerStaff,
            Role::Counsellor { .. } => RoleKind::Counsellor,
            Role::Supervisor { .. } => RoleKind::Supervisor,
            Role::Moderator => RoleKind::Moderator,
            Role::Editor => RoleKind::Editor,
            Role::Admin => RoleKind::Admin,
        }
    }

    /// The organisation the role is bound to, if any.
    pub fn org(&self) -> Option<OrgId> {
        match self {
            Role::EmployerStaff { org } | Role::Counsellor { org } | Role::Supervisor { org } => Some(*org),
            _ => None,
        }
    }
}

/// `member`, `moderator`, `admin`, `employer_staff:3`, `counsellor:3`, `supervisor:3`.
impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.kind().as_str();
        match self.org() {
            Some(org) => write!(f, "{name}:{org}"),
            None => f.write_str(name),
        }
    }
}

impl FromStr for Role {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let (name, org) = match s.trim().split_once(':') {
            Some((n, o)) => (
                n,
                Some(
                    o.trim()
                        .parse::<OrgId>()
                        .map_err(|_| Error::invalid("role", format!("'{o}' is not an organisation id")))?,
                ),
            ),
            None => (s.trim(), None),
        };
        let kind: RoleKind = name.parse()?;
        let needs_org =
            || org.ok_or_else(|| Error::invalid("role", format!("{name} needs an organisation, as in {name}:12")));
        let role = match kind {
            RoleKind::Member => Role::Member,
            RoleKind::Moderator => Role::Moderator,
            RoleKind::Editor => Role::Editor,
            RoleKind::Admin => Role::Admin,
            RoleKind::EmployerStaff => Role::EmployerStaff { org: needs_org()? },
            RoleKind::Counsellor => Role::Counsellor { org: needs_org()? },
            RoleKind::Supervisor => Role::Supervisor { org: needs_org()? },
        };
        if role.org().is_none() && org.is_some() {
            return Err(Error::invalid("role", format!("{name} is not bound to an organisation")));
        }
        Ok(role)
    }
}

use super::named_enum;

named_enum!(Perspective, "perspective",
    LivedExperience => "lived_experience", Relative => "relative", Professional => "professional", Undisclosed => "undisclosed");
named_enum!(PerspectiveVisibility, "perspective_visibility", Public => "public", Members => "members", Nobody => "nobody");
named_enum!(RoleKind, "role",
    Member => "member", EmployerStaff => "employer_staff", Counsellor => "counsellor",
    Supervisor => "supervisor", Moderator => "moderator", Editor => "editor", Admin => "admin");
named_enum!(StatusKind, "status", Active => "active", Silenced => "silenced", Suspended => "suspended", Banned => "banned");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in
            [Role::Member, Role::Admin, Role::EmployerStaff { org: OrgId(3) }, Role::Counsellor { org: OrgId(12) }]
        {
            assert_eq!(role.to_string().parse::<Role>().unwrap(), role);
        }
        assert!(matches!("counsellor".parse::<Role>(), Err(Error::InvalidInput { field, .. }) if field == "role"));
        assert!(matches!("admin:3".parse::<Role>(), Err(Error::InvalidInput { field, .. }) if field == "role"));
        assert!(matches!("wizard".parse::<Role>(), Err(Error::InvalidInput { field, .. }) if field == "role"));
    }

    #[test]
    fn perspectives_parse_with_dashes_or_underscores() {
        assert_eq!("Lived-Experience".parse::<Perspective>().unwrap(), Perspective::LivedExperience);
        assert!("patient".parse::<Perspective>().is_err());
    }

    #[test]
    fn suspensions_end_by_the_clock() {
        let until: Timestamp = "2026-05-01T00:00:00Z".parse().unwrap();
        let status = AccountStatus::Suspended { until };
        assert_eq!(status.kind(until - chrono::Duration::seconds(1)), StatusKind::Suspended);
        assert_eq!(status.kind(until), StatusKind::Active);
        assert_eq!(AccountStatus::Banned.kind(until), StatusKind::Banned);
    }
}
