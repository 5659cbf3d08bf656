//! The one place that decides what an actor may do. Operations call [`check`] before they
//! touch anything; nothing else in the crate makes a permission decision.
//!
//! | action | operator | admin | moderator | supervisor of O | staff of O | member (self) | anonymous |
//! |---|---|---|---|---|---|---|---|
//! | view organisations | yes | yes | yes | yes | yes | yes | yes |
//! | register an organisation (unverified) | yes | yes | yes | yes | yes | yes | no |
//! | edit organisation O | yes | yes | no | no | yes | no | no |
//! | verify an organisation | yes | yes | no | no | no | no | no |
//! | create an account | yes | yes | no | no | no | no | yes (sign-up) |
//! | view an account's public profile | yes | yes | yes | yes | yes | yes | no |
//! | see an account's e-mail | yes | yes | no | no | no | own | no |
//! | see an account's perspective | yes | yes | if shown to members | if shown to members | if shown to members | own, or if shown to members | if shown to everyone |
//! | see that the author of an anonymous post was restricted through it | yes | yes | no | no | no | own | no |
//! | restrict the author of anonymous content, whoever it is (moderators and admins too) | yes | yes | yes | no | no | no, not own | no |
//! | edit an account | yes | yes | no | no | no | own | no |
//! | list and filter accounts | yes | yes | yes | no | no | no | no |
//! | grant/revoke a role | yes | any | no | counsellor of O | staff of O | no | no |
//! | silence, suspend, ban, reinstate | yes | anyone but self | members only | no | no | no | no |
//! | set a password | yes | anyone | no | no | no | own | no |
//! | read the audit log | yes | yes | no | no | no | no | no |
//! | look up postcodes and places | yes | yes | yes | yes | yes | yes | yes |
//! | import a gazetteer | yes | yes | no | no | no | no | no |
//! | read published job postings, record a view | yes | yes | yes | yes | yes | yes | yes |
//! | post, edit, publish, withdraw or fill O's jobs; see their drafts, interest, views and suggested seekers (those who opted in) | yes | yes | no | no | staff of O, once O is verified | no | no |
//! | keep a seeker profile, get job suggestions for it | yes | any | no | no | no | own | no |
//! | see a seeker profile | yes | any | no | no | staff of a verified org, if the seeker opted in | own | no |
//! | save searches, mark interest, read the inbox | yes | yes (own) | own | own | own | own | no |
//! | choose one's notices by e-mail and push | no¹ | own | own | own | own | own | no |
//! | claim and report outbound notices (they carry addresses): the server delivering them | yes | no | no | no | no | no | no |
//! | platform-wide statistics (all job views) | yes | yes | no | no | no | no | no |
//! | read platform settings (the suggestion weights) | yes | yes | yes | yes | yes | yes | yes |
//! | change platform settings | yes | yes | no | no | no | no | no |
//! | run matchings, list and show runs, accept or decline proposed pairs | yes | yes | no | any supervisor | no | no | no |
//! | read a forum board (its threads, posts, search hits) | yes | yes | yes | audience | audience | audience | public boards |
//! | start threads and reply in a board | no¹ | yes | yes | audience | audience | audience | no |
//! | create, edit and archive boards | yes | yes | no | no | no | no | no |
//! | moderate: approve, hide, restore, remove; pin, lock, move; the queue; restrict an author through a post | yes | yes | yes | no | no | no | no |
//! | edit a post | yes | yes | no | no | no | own | no |
//! | delete a post (softly) | yes | yes | no | no | no | own | no |
//! | see a post's earlier versions | yes | yes | yes | no | no | own | no |
//! | learn who wrote an anonymous post | yes | yes | no | no | no | own | no |
//! | watch threads and boards, keep read positions | no¹ | own | own | own | own | own | no |
//! | forum statistics (views, unique readers) | yes | yes | yes | no | no | no | no |
//! | report a thread, post, profile or job posting | no¹ | yes | yes | yes | yes | yes | no |
//! | review queue, claim and act on items, test watched words, see moderators in the log | yes | yes | yes | no | no | no | no |
//! | read the public moderation log (without moderators' names) and crisis resources | yes | yes | yes | yes | yes | yes | yes |
//! | edit watched words and crisis resources | yes | yes | no | no | no | no | no |
//! | appeal an action | no¹ | own | own | own | own | own | no |
//! | decide an appeal | yes | yes, unless they acted | yes, unless they acted | no | no | no | no |
//! | open a counselling enquiry | yes | yes | yes | yes | yes | yes | yes |
//! | see O's counselling queue and case metadata, overdue cases | yes | yes | no | of O | counsellor of O | no | no |
//! | claim an enquiry from O's queue | no² | no² | no | no² | counsellor of O | no | no |
//! | read a case's conversation | no² | no² | no | supervisor of the case's org | assigned counsellor or their substitute | no | no |
//! | reply, write notes, propose a handover, close a case | no² | no² | no | no² | assigned counsellor or their substitute | no | no |
//! | approve replies of counsellors in training | no² | no² | no | of O | no | no | no |
//! | assign and auto-assign O's enquiries; O's counselling offer, counsellor profiles | yes | yes | no | of O | no | no | no |
//! | set a counsellor's absence and substitute | yes | yes | no | of O | own | no | no |
//! | counselling statistics | yes | yes | no | any supervisor | no | no | no |
//! | the platform's report for funders (all figures, every organisation's sum) | yes | yes | no | any supervisor | no | no | no |
//! | organisation O's report for funders (its own figures) | yes | yes | no | of O | staff of O | no | no |
//! | counselling topics, SLA sweep, retention and purge, all orgs' case metadata | yes | yes | no | no | no | no | no |
//! | compact the database file | yes | yes | no | no | no | no | no |
//! | export everything stored about an account; erase an account (GDPR Art. 15, 17, 20) | yes | any | no | no | no | own | no |
//! | read and change the retention rule for inactive accounts | yes | yes | no | no | no | no | no |
//! | read a published article | yes | yes | audience | audience | audience | audience | public articles |
//! | read drafts, articles in review and archived ones | yes | yes | editors | editors | editors | editors | no |
//! | see articles' revisions, diffs and the due list | yes | yes | editors | editors | editors | editors | no |
//! | write, edit, submit, publish, archive, import articles; mark checked | yes | yes | editors | editors | editors | editors | no |
//! | approve an article (four eyes) | no³ | yes, unless author | editors, unless author | editors, unless author | editors, unless author | editors, unless author | no |
//! | view topics | yes | yes | yes | yes | yes | yes | yes |
//! | add, edit and import topics | yes | yes | no | no | no | no | no |
//!
//! The knowledge base has its own platform-wide role, `editor`, rather than reusing moderators:
//! keeping the forums and vouching for health information are different jobs, often done by
//! different people (a clinic's peer-work coordinator edits; volunteers moderate). "editors"
//! in the table means accounts holding the editor role, whatever else they hold.
//!
//! ³ Four eyes need two people: an approval is by an account (an editor or admin) that wrote
//! neither the article nor its latest revision. The operator is no account and acts as one
//! (`--as`) to approve.
//! | read published courses, verify a certificate | yes | yes | yes | yes | yes | yes | yes |
//! | create, edit, cancel O's courses; their registrations, waitlists, certificates; move people by hand | yes | yes | no | no | staff of O | no | no |
//! | publish O's course | yes | yes | no | no | staff of O, once O is verified | no | no |
//! | register for courses, answer offers, cancel, claim certificates, calendar files | yes | any | own | own | own | own | no |
//! | record attendance, see a course's participants | yes | yes | no | no | staff of O | the course's trainers | no |
//! | run the scheduler (`trialog tick`) | yes | yes | no | no | no | no | no |
//! | find groups in the self-help directory, see contact points' public contact data | yes | yes | yes | yes | yes | yes | yes |
//! | add, edit and confirm a group (its contact point's staff, or the group's own contact person); see its confidential place and contact | yes | yes | no | no | staff of the contact point | the group's contact | no |
//! | keep O's public contact data | yes | yes | no | no | staff of O | no | no |
//! | O's shared inbox of contact requests, its stale list | yes | yes | no | no | staff of O | no | no |
//! | ask to join a group | no¹ | yes | yes | yes | yes | yes | no |
//! | forward, connect or decline a contact request | yes | yes | no | no | staff of the contact point | the group's contact, when it lies in their inbox | no |
//! | withdraw a contact request, see it | no¹ | yes | own | own | own | own | no |
//! | change the directory's settings | yes | yes | no | no | no | no | no |
//! | see rooms offered to groups | yes | yes | yes | yes | yes | yes | yes |
//! | offer and change O's rooms, see their bookings, confirm or decline them | yes | yes | no | no | staff of O | no | no |
//! | book a room for a group, see the group's bookings | yes | yes | no | no | staff of the contact point | the group's contact | no |
//! | cancel a booking | yes | yes | no | no | staff of the room's O or of the contact point | the group's contact | no |
//! | the contact point's overview of which groups have rooms | yes | yes | no | no | staff of the contact point | no | no |
//!
//! Matching is coordinated by supervisors: there is no coordinator role, and a supervisor
//! already oversees an organisation's counsellors and peer workers, which is who assigns
//! peer-guides and placements in the programmes trialog serves. Moderators keep the forums.
//!
//! ² Counselling content is read only by the assigned counsellor, their substitute during an
//! absence, and a supervisor of the case's organisation: admins and the operator see metadata.
//! The rule depends on the account, not on admin rights, so a counsellor who is also an admin
//! reads exactly their own cases.
//!
//! ¹ The policy allows the operator everything, but posts, read positions and watches belong
//! to an account: the operator acts as one (`--as`).
//!
//! "audience" means the board's audience decides: public and members' boards admit every
//! account, a perspectives board the accounts of those perspectives, an organisation's board
//! the accounts holding a role in it.
//!
//! A suspended or banned account may do nothing; a silenced one keeps these rights except
//! starting threads, replying and editing posts (silence stops posting).

use crate::actor::Subject;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::model::account::{Account, AccountId, AccountStatus, PerspectiveVisibility, Role};
use crate::model::article::ArticleState;
use crate::model::audience::Audience;
use crate::model::organisation::{OrgId, Organisation};

/// Something an actor wants to do, with the target the decision depends on.
/// What the policy needs to know about a board: its slug (for refusals) and who reads it.
#[derive(Debug, Clone, Copy)]
pub struct BoardAccess<'a> {
    pub slug: &'a str,
    pub audience: &'a Audience,
}

/// Who may work on a counselling case, as the policy needs it (counselling fills it in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseAccess {
    /// The organisation that took the case.
    pub org: Option<OrgId>,
    pub counsellor: Option<AccountId>,
    /// The assigned counsellor's substitute, while their absence lasts.
    pub substitute: Option<AccountId>,
}

impl CaseAccess {
    /// Whether `account` handles the case: its counsellor, or their substitute.
    pub fn handled_by(&self, account: AccountId) -> bool {
        self.counsellor == Some(account) || self.substitute == Some(account)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    ViewOrganisations,
    RegisterOrganisation,
    EditOrganisation {
        org: OrgId,
    },
    VerifyOrganisation,
    CreateAccount,
    ViewAccount,
    ViewPrivateDetails {
        account: AccountId,
    },
    /// See an account's perspective, which its owner shows to `visibility`.
    ViewPerspective {
        account: AccountId,
        visibility: PerspectiveVisibility,
    },
    EditAccount {
        account: AccountId,
    },
    ListAccounts,
    ChangeRole {
        role: &'a Role,
    },
    Restrict {
        target: &'a Account,
    },
    SetPassword {
        account: AccountId,
    },
    /// List or revoke an account's sign-in sessions (`trialog serve`).
    ManageSessions {
        account: AccountId,
    },
    /// Read or change which notices leave the platform for the account (e-mail, push).
    ChooseNotices {
        account: AccountId,
    },
    /// Claim outbound notices and report them sent or failed: only the server delivering
    /// them, which acts as the operator (the notices carry e-mail addresses).
    DeliverNotices,
    /// Fill a device replica of an account and send its queued writes (`crate::sync`).
    SyncReplica {
        account: AccountId,
    },
    ReadAudit,
    ViewGazetteer,
    ImportGazetteer,
    ViewJobs,
    /// Everything an employer does with its postings.
    ManageJobs {
        org: &'a Organisation,
    },
    EditSeekerProfile {
        account: AccountId,
    },
    /// `employer` is whether the viewer is staff of at least one verified organisation.
    ViewSeekerProfile {
        owner: AccountId,
        findable: bool,
        employer: bool,
    },
    /// Saving searches, marking interest, reading one's own inbox.
    UseJobBoard,
    ViewPlatformStats,
    /// The platform's report for funders (figures with disclosure control).
    ViewPlatformReport,
    /// An organisation's own report for funders.
    ViewOrgReport {
        org: OrgId,
    },
    ViewSettings,
    ChangeSettings,
    /// Running matchings through the platform, reading the runs, deciding on their pairs.
    CoordinateMatching,
    /// Reading a board's threads and posts, in listings and search too.
    ReadBoard {
        board: BoardAccess<'a>,
    },
    /// Starting a thread or replying in a board.
    PostInBoard {
        board: BoardAccess<'a>,
    },
    /// Creating, editing and archiving boards.
    ManageBoards,
    /// Approving, hiding, restoring and removing posts; pinning, locking and moving threads;
    /// the moderation queue; restricting an author through their post.
    ModerateForums,
    /// Editing a post written by `author`.
    EditPost {
        author: AccountId,
    },
    /// Deleting (softly) a post written by `author`.
    DeletePost {
        author: AccountId,
    },
    /// Seeing the earlier versions of a post written by `author`.
    ViewRevisions {
        author: AccountId,
    },
    /// Learning who wrote an anonymous post written by `author`.
    /// Restrict whoever wrote anonymous content, without learning who it is: decided without
    /// looking at the author's roles, so a refusal cannot tell a moderator the author is staff.
    RestrictAnonymousAuthor {
        author: AccountId,
    },
    RevealAuthor {
        author: AccountId,
    },
    /// Watching threads and boards, read positions and unread counts.
    FollowForums,
    /// Forum views and unique readers.
    ViewForumStats,
    /// Reporting a thread, post, profile or job posting.
    Report,
    /// Reading the public moderation log and the crisis resources.
    ReadModerationLog,
    /// The review queue: claiming and acting on items, testing watched words, seeing who
    /// moderated in the log.
    Moderate,
    /// Editing watched words and crisis resources.
    ManageSafetyLists,
    /// Appealing an action that affected `affected`.
    Appeal {
        affected: AccountId,
    },
    /// Deciding an appeal against an action taken by `acted_by` (absent: the operator or the
    /// content checker).
    DecideAppeal {
        acted_by: Option<AccountId>,
    },
    /// Opening a counselling enquiry (no account needed).
    OpenEnquiry,
    /// An organisation's counselling queue, its cases' metadata and overdue cases.
    ViewCounselQueue {
        org: OrgId,
    },
    /// Claiming an enquiry from `org`'s queue.
    ClaimEnquiry {
        org: OrgId,
    },
    /// Reading a case's conversation (every read is audited).
    ReadCase {
        case: &'a CaseAccess,
    },
    /// Replying, writing notes, proposing a handover, closing.
    AnswerCase {
        case: &'a CaseAccess,
    },
    /// Approving replies of `org`'s counsellors in training.
    ApproveReplies {
        org: OrgId,
    },
    /// Assigning `org`'s enquiries; its counselling offer and counsellor profiles.
    ManageCounselling {
        org: OrgId,
    },
    /// Setting `account`'s absence; `orgs` are the organisations they counsel for.
    SetAbsence {
        account: AccountId,
        orgs: &'a [OrgId],
    },
    ViewCounselStats,
    /// Topics, the SLA sweep, retention and purge, case metadata across organisations.
    AdministerCounselling,
    /// Compacting the database file (after a purge, so deleted records leave the file).
    CompactDatabase,
    /// Reading an article with this audience in this state.
    ReadArticle {
        audience: &'a Audience,
        state: ArticleState,
    },
    /// Reading articles' revisions and diffs and the list of articles due for a check.
    ViewEditorial,
    /// Writing, editing, submitting, publishing, archiving and importing articles, and
    /// confirming checks (posting, which silence stops).
    WriteArticles,
    /// Approving an article written by `author` whose latest revision `reviser` wrote
    /// (absent: the operator).
    ApproveArticle {
        author: Option<AccountId>,
        reviser: Option<AccountId>,
    },
    /// Reading the topics thesaurus.
    ViewTopics,
    /// Adding, editing and importing topics.
    ManageTopics,
    /// Reading published courses and verifying certificates.
    ViewCourses,
    /// Creating, editing and cancelling `org`'s courses; their registrations, waitlists and
    /// certificates; moving people by hand.
    ManageCourses {
        org: OrgId,
    },
    /// Publishing a course of `org`.
    PublishCourse {
        org: &'a Organisation,
    },
    /// Registering `account` for courses, answering its offers, cancelling, claiming its
    /// certificates and calendar files.
    TakeCourses {
        account: AccountId,
    },
    /// Recording attendance and seeing the participants of a course of `org` taught by `trainers`.
    TeachCourse {
        org: OrgId,
        trainers: &'a [AccountId],
    },
    /// Running the scheduler's due work for every domain.
    RunScheduler,
    /// Creating `org`'s programmes, their cohorts and placement rounds, running the rounds.
    ManageProgrammes {
        org: OrgId,
    },
    /// Seeing a programme of `org` or one of its placement rounds: its staff, its `trainees`
    /// and the staff of the round's `hosts`.
    ViewProgramme {
        org: OrgId,
        trainees: &'a [AccountId],
        hosts: &'a [OrgId],
    },
    /// Seeing `trainee`'s progress through a programme of `org`.
    ViewProgress {
        org: OrgId,
        trainee: AccountId,
    },
    /// Consenting to have the EX-IN status set on `account`'s seeker profile from a completed
    /// programme: the person alone (neither admins nor the operator can consent for them).
    ConsentExInStatus {
        account: AccountId,
    },
    /// Ranking the hosts of a placement round of a programme of `org` for `trainee`.
    RankPlacements {
        org: OrgId,
        trainee: AccountId,
    },
    /// Ranking the trainees of a placement round of a programme of `org` for the host `host`.
    RankTrainees {
        org: OrgId,
        host: OrgId,
    },
    /// Exporting everything stored about an account, or erasing it (the person's rights).
    ExerciseRights {
        account: AccountId,
    },
    /// Reading and changing the retention rule for inactive accounts.
    ManageRetention,
    /// Finding groups and reading contact points' public contact data (and exporting the
    /// directory's public data as HSDS).
    ViewGroups,
    /// Importing a directory kept elsewhere (HSDS documents): creates contact points and groups.
    ImportGroupDirectory,
    /// Adding, editing and confirming a group of `contact_point` whose own contact person is
    /// `contact`; seeing its confidential place and contact.
    ManageGroup {
        contact_point: Option<OrgId>,
        contact: Option<AccountId>,
    },
    /// Keeping `org`'s public contact data.
    KeepOrgContact {
        org: OrgId,
    },
    /// `org`'s shared inbox of contact requests and its list of stale entries.
    ContactPointWork {
        org: OrgId,
    },
    /// Asking to join a group.
    AskToJoin,
    /// Forwarding, connecting or declining a request lying in `org`'s inbox or in the inbox of
    /// the group contact `contact`.
    AnswerRequest {
        org: Option<OrgId>,
        contact: Option<AccountId>,
    },
    /// Seeing or withdrawing a request made by `requester`.
    OwnRequest {
        requester: AccountId,
    },
    /// Offering and changing `org`'s rooms, seeing their bookings, confirming or declining them.
    OfferRooms {
        org: OrgId,
    },
    /// Cancelling a booking of a room of `org` by the group of `contact_point` whose own contact
    /// person is `contact`: either side may.
    CancelBooking {
        org: OrgId,
        contact_point: Option<OrgId>,
        contact: Option<AccountId>,
    },
}

impl Action<'_> {
    /// How the action is named in a `PermissionDenied` error.
    pub fn describe(&self) -> String {
        match self {
            Action::ViewOrganisations => "view organisations".into(),
            Action::RegisterOrganisation => "register an organisation".into(),
            Action::EditOrganisation { org } => format!("edit organisation {org}"),
            Action::VerifyOrganisation => "verify an organisation".into(),
            Action::CreateAccount => "create an account".into(),
            Action::ViewAccount => "view accounts".into(),
            Action::ViewPrivateDetails { account } => format!("see the private details of account {account}"),
            Action::ViewPerspective { account, .. } => format!("see the perspective of account {account}"),
            Action::EditAccount { account } => format!("edit account {account}"),
            Action::ListAccounts => "list accounts".into(),
            Action::ChangeRole { role } => format!("grant or revoke the role {role}"),
            Action::Restrict { target } => format!("restrict account {}", target.pseudonym),
            Action::SetPassword { account } => format!("set the password of account {account}"),
            Action::ManageSessions { account } => format!("manage the sessions of account {account}"),
            Action::ChooseNotices { account } => format!("choose the notices of account {account}"),
            Action::DeliverNotices => "deliver outbound notices".into(),
            Action::SyncReplica { account } => format!("sync the replica of account {account}"),
            Action::ReadAudit => "read the audit log".into(),
            Action::ViewGazetteer => "look up postcodes and places".into(),
            Action::ImportGazetteer => "import a gazetteer".into(),
            Action::ViewJobs => "view job postings".into(),
            Action::ManageJobs { org } => format!("manage the job postings of organisation {}", org.id),
            Action::EditSeekerProfile { account } => format!("edit the seeker profile of account {account}"),
            Action::ViewSeekerProfile { owner, .. } => format!("see the seeker profile of account {owner}"),
            Action::UseJobBoard => "save searches, mark interest or read an inbox".into(),
            Action::ViewPlatformStats => "see platform-wide statistics".into(),
            Action::ViewPlatformReport => "see the platform's report".into(),
            Action::ViewOrgReport { org } => format!("see the report of organisation {org}"),
            Action::ViewSettings => "read platform settings".into(),
            Action::ChangeSettings => "change platform settings".into(),
            Action::CoordinateMatching => "run matchings and decide on proposed pairs".into(),
            Action::ReadBoard { board } => format!("read the board '{}'", board.slug),
            Action::PostInBoard { board } => format!("post in the board '{}'", board.slug),
            Action::ManageBoards => "create, edit or archive boards".into(),
            Action::ModerateForums => "moderate the forums".into(),
            Action::EditPost { .. } => "edit this post".into(),
            Action::DeletePost { .. } => "delete this post".into(),
            Action::ViewRevisions { .. } => "see the earlier versions of this post".into(),
            Action::RevealAuthor { .. } => "learn who wrote an anonymous post".into(),
            Action::RestrictAnonymousAuthor { .. } => "restrict the author of anonymous content".into(),
            Action::FollowForums => "watch threads and boards or keep read positions".into(),
            Action::ViewForumStats => "see forum statistics".into(),
            Action::Report => "report content".into(),
            Action::ReadModerationLog => "read the moderation log".into(),
            Action::Moderate => "review reports and act on them".into(),
            Action::ManageSafetyLists => "edit watched words and crisis resources".into(),
            Action::Appeal { .. } => "appeal this action".into(),
            Action::DecideAppeal { .. } => "decide this appeal".into(),
            Action::OpenEnquiry => "open a counselling enquiry".into(),
            Action::ViewCounselQueue { org } => format!("see the counselling queue of organisation {org}"),
            Action::ClaimEnquiry { .. } => "claim this enquiry".into(),
            Action::ReadCase { .. } => "read this counselling conversation".into(),
            Action::AnswerCase { .. } => "answer this counselling case".into(),
            Action::ApproveReplies { org } => format!("approve the replies of organisation {org}'s counsellors"),
            Action::ManageCounselling { org } => format!("manage the counselling of organisation {org}"),
            Action::SetAbsence { account, .. } => format!("set the absence of account {account}"),
            Action::ViewCounselStats => "see counselling statistics".into(),
            Action::AdministerCounselling => "administer counselling".into(),
            Action::CompactDatabase => "compact the database".into(),
            Action::ReadArticle { state, .. } => format!("read this {state} article"),
            Action::WriteArticles => "write or edit knowledge-base articles".into(),
            Action::ViewEditorial => "see revisions and the due list of the knowledge base".into(),
            Action::ApproveArticle { .. } => "approve this article".into(),
            Action::ViewTopics => "view topics".into(),
            Action::ManageTopics => "add or edit topics".into(),
            Action::ViewCourses => "view courses".into(),
            Action::ManageCourses { org } => format!("manage the courses of organisation {org}"),
            Action::PublishCourse { org } => format!("publish a course of organisation {}", org.id),
            Action::TakeCourses { account } => format!("register account {account} for courses"),
            Action::TeachCourse { .. } => "record attendance or see the participants of this course".into(),
            Action::RunScheduler => "run the scheduler".into(),
            Action::ManageProgrammes { org } => format!("manage the programmes of organisation {org}"),
            Action::ViewProgramme { .. } => "see this programme or placement round".into(),
            Action::ViewProgress { trainee, .. } => format!("see the progress of trainee {trainee}"),
            Action::ConsentExInStatus { account } => format!("consent to the EX-IN status of account {account}"),
            Action::RankPlacements { trainee, .. } => format!("rank placements for trainee {trainee}"),
            Action::RankTrainees { host, .. } => format!("rank trainees for host organisation {host}"),
            Action::ExerciseRights { account } => format!("export or erase account {account}"),
            Action::ManageRetention => "manage the retention of inactive accounts".into(),
            Action::ViewGroups => "find self-help groups".into(),
            Action::ImportGroupDirectory => "import a directory of self-help groups".into(),
            Action::ManageGroup { .. } => "manage this group".into(),
            Action::KeepOrgContact { org } => format!("edit the contact data of organisation {org}"),
            Action::ContactPointWork { org } => {
                format!("see the contact requests and stale entries of organisation {org}")
            }
            Action::AskToJoin => "ask to join a group".into(),
            Action::AnswerRequest { .. } => "answer this contact request".into(),
            Action::OwnRequest { requester } => format!("see or withdraw the contact requests of account {requester}"),
            Action::OfferRooms { org } => format!("offer the rooms of organisation {org} and answer their bookings"),
            Action::CancelBooking { .. } => "cancel this booking".into(),
        }
    }
}

impl Action<'_> {
    /// Whether the action writes to the forums, which a silenced account may not do.
    fn is_posting(&self) -> bool {
        matches!(
            self,
            Action::PostInBoard { .. }
                | Action::EditPost { .. }
                | Action::WriteArticles
                | Action::ApproveArticle { .. }
        )
    }

    /// Whether the action touches counselling content, which depends on the account alone.
    fn is_counselling_content(&self) -> bool {
        matches!(
            self,
            Action::ClaimEnquiry { .. }
                | Action::ReadCase { .. }
                | Action::AnswerCase { .. }
                | Action::ApproveReplies { .. }
        )
    }
}

/// Decides whether `subject` may do `action` at `now`.
pub fn check(subject: &Subject, action: Action<'_>, now: Timestamp) -> Result<()> {
    match decide(subject, action, now) {
        Ok(()) => Ok(()),
        Err(reason) => Err(Error::denied(action.describe(), reason)),
    }
}

/// `true` when `check` would succeed; for views that only redact (the e-mail field).
pub fn allows(subject: &Subject, action: Action<'_>, now: Timestamp) -> bool {
    decide(subject, action, now).is_ok()
}

fn decide(subject: &Subject, action: Action<'_>, now: Timestamp) -> Result<(), String> {
    if action.is_counselling_content() {
        return counselling_content(subject, action, now);
    }
    if let Action::ApproveArticle { author, reviser } = action {
        return four_eyes(subject, author, reviser, now);
    }
    if let Action::ConsentExInStatus { account } = action {
        return own_consent(subject, account, now);
    }
    let me = match subject {
        Subject::Operator => return Ok(()),
        Subject::Anonymous => return anonymous(action),
        Subject::Member(me) => me,
    };
    if let Some(why) = me.status.blocks_everything(now) {
        return Err(why);
    }
    if action.is_posting()
        && let AccountStatus::Silenced { until } = me.status.effective(now)
    {
        return Err(format!("the account is silenced until {}", until.format("%Y-%m-%d %H:%M UTC")));
    }
    if me.has_role(&Role::Admin) {
        return admin(me, action);
    }
    member(me, action)
}

fn anonymous(action: Action<'_>) -> Result<(), String> {
    match action {
        Action::ViewOrganisations
        | Action::CreateAccount
        | Action::ViewJobs
        | Action::ViewGazetteer
        | Action::ViewSettings
        | Action::ReadModerationLog
        | Action::OpenEnquiry
        | Action::ViewTopics
        | Action::ViewCourses
        | Action::ViewGroups => Ok(()),
        Action::ReadArticle { audience: Audience::Public, state: ArticleState::Published } => Ok(()),
        Action::ViewPerspective { visibility: PerspectiveVisibility::Public, .. } => Ok(()),
        Action::ReadBoard { board } if *board.audience == Audience::Public => Ok(()),
        Action::ReadBoard { board } => {
            Err(format!("sign in first: the board '{}' is for {}", board.slug, board.audience.describe()))
        }
        _ => Err("sign in first".into()),
    }
}

/// Why nobody but the operator claims outbound notices.
const DELIVERY_IS_THE_SERVERS: &str = "only the server delivering notices (the operator) hands out their addresses";

fn admin(me: &Account, action: Action<'_>) -> Result<(), String> {
    match action {
        Action::DeliverNotices => Err(DELIVERY_IS_THE_SERVERS.into()),
        Action::ChooseNotices { account } if account != me.id => Err("only for your own account".into()),
        Action::Restrict { target } if target.id == me.id => Err("nobody can restrict their own account".into()),
        Action::RestrictAnonymousAuthor { author } if author == me.id => {
            Err("nobody can restrict their own account".into())
        }
        Action::DecideAppeal { acted_by: Some(moderator) } if moderator == me.id => {
            Err("the moderator who acted cannot decide the appeal; another moderator does".into())
        }
        Action::Appeal { affected } if affected != me.id => Err("only the person the action affected".into()),
        _ => Ok(()),
    }
}

fn member(me: &Account, action: Action<'_>) -> Result<(), String> {
    let own = |account: AccountId| if account == me.id { Ok(()) } else { Err("only for your own account".into()) };
    match action {
        Action::ViewOrganisations | Action::RegisterOrganisation | Action::ViewAccount => Ok(()),
        Action::ViewJobs | Action::UseJobBoard | Action::ViewGazetteer | Action::ViewSettings => Ok(()),
        Action::ManageJobs { org } => manage_jobs(me, org),
        Action::EditSeekerProfile { account } => own(account),
        Action::ViewSeekerProfile { owner, findable, employer } => {
            if owner == me.id || (findable && employer) {
                Ok(())
            } else if employer {
                Err("this seeker has not opted in to be found by employers".into())
            } else {
                Err("only the seeker, staff of verified employers (after the seeker opts in) and admins".into())
            }
        }
        Action::EditOrganisation { org } => {
            require(me.has_role(&Role::EmployerStaff { org }), "only its staff or an admin")
        }
        Action::ViewPrivateDetails { account }
        | Action::EditAccount { account }
        | Action::SetPassword { account }
        | Action::ExerciseRights { account }
        | Action::ManageSessions { account }
        | Action::ChooseNotices { account }
        | Action::SyncReplica { account } => own(account),
        Action::DeliverNotices => Err(DELIVERY_IS_THE_SERVERS.into()),
        Action::ViewPerspective { account, visibility } => match visibility {
            PerspectiveVisibility::Public | PerspectiveVisibility::Members => Ok(()),
            PerspectiveVisibility::Nobody => own(account),
        },
        Action::Report | Action::FollowForums | Action::ReadModerationLog | Action::ViewCourses => Ok(()),
        Action::ManageCourses { org } => {
            require(me.has_role(&Role::EmployerStaff { org }), "only the organisation's staff or an admin")
        }
        Action::PublishCourse { org } => {
            require(me.has_role(&Role::EmployerStaff { org: org.id }), "only the organisation's staff or an admin")?;
            require(
                org.verified,
                "the organisation is not verified yet; an admin verifies it with `trialog org verify`",
            )
        }
        Action::TakeCourses { account } => own(account),
        Action::ManageProgrammes { org } => {
            require(me.has_role(&Role::EmployerStaff { org }), "only the organisation's staff or an admin")
        }
        Action::ViewProgramme { org, trainees, hosts } => require(
            trainees.contains(&me.id)
                || me.has_role(&Role::EmployerStaff { org })
                || hosts.iter().any(|h| me.has_role(&Role::EmployerStaff { org: *h })),
            "only the programme's staff, its trainees, the hosts' staff and admins",
        ),
        Action::ViewProgress { org, trainee } | Action::RankPlacements { org, trainee } => require(
            trainee == me.id || me.has_role(&Role::EmployerStaff { org }),
            "only the trainee, the programme's staff and admins",
        ),
        Action::RankTrainees { org, host } => require(
            me.has_role(&Role::EmployerStaff { org: host }) || me.has_role(&Role::EmployerStaff { org }),
            "only the host's staff, the programme's staff and admins",
        ),
        Action::ConsentExInStatus { .. } => Err("consent is handled apart".into()),
        Action::TeachCourse { org, trainers } => require(
            trainers.contains(&me.id) || me.has_role(&Role::EmployerStaff { org }),
            "only the course's trainers, the organisation's staff and admins",
        ),
        Action::Appeal { affected } => require(affected == me.id, "only the person the action affected"),
        Action::DecideAppeal { acted_by } => {
            if !me.has_role(&Role::Moderator) {
                return Err("only moderators and admins".into());
            }
            require(acted_by != Some(me.id), "the moderator who acted cannot decide the appeal; another moderator does")
        }
        Action::ListAccounts | Action::ModerateForums | Action::ViewForumStats | Action::Moderate => {
            require(me.has_role(&Role::Moderator), "only moderators and admins")
        }
        Action::CoordinateMatching => require(
            me.roles.iter().any(|r| matches!(r, Role::Supervisor { .. })),
            "only supervisors and admins coordinate matchings",
        ),
        Action::ReadBoard { board } | Action::PostInBoard { board } => read_board(me, board),
        Action::EditPost { author } | Action::DeletePost { author } | Action::RevealAuthor { author } => {
            require(author == me.id, "only its author or an admin")
        }
        Action::ViewRevisions { author } => {
            require(author == me.id || me.has_role(&Role::Moderator), "only its author, moderators and admins")
        }
        Action::ChangeRole { role } => change_role(me, role),
        Action::Restrict { target } => restrict(me, target),
        Action::RestrictAnonymousAuthor { author } => {
            require(me.has_role(&Role::Moderator), "only moderators and admins")?;
            require(author != me.id, "nobody can restrict their own account")
        }
        Action::OpenEnquiry | Action::ViewTopics => Ok(()),
        Action::ViewGroups | Action::AskToJoin => Ok(()),
        Action::ManageGroup { contact_point, contact } => require(
            contact_point.is_some_and(|org| me.has_role(&Role::EmployerStaff { org })) || contact == Some(me.id),
            "only the contact point's staff, the group's own contact person and admins",
        ),
        Action::KeepOrgContact { org } | Action::ContactPointWork { org } => {
            require(me.has_role(&Role::EmployerStaff { org }), "only the organisation's staff or an admin")
        }
        Action::AnswerRequest { org, contact } => require(
            org.is_some_and(|org| me.has_role(&Role::EmployerStaff { org })) || contact == Some(me.id),
            "only the contact point's staff, or the group contact the request was passed to",
        ),
        Action::OwnRequest { requester } => own(requester),
        Action::OfferRooms { org } => {
            require(me.has_role(&Role::EmployerStaff { org }), "only the organisation's staff or an admin")
        }
        Action::CancelBooking { org, contact_point, contact } => require(
            me.has_role(&Role::EmployerStaff { org })
                || contact_point.is_some_and(|cp| me.has_role(&Role::EmployerStaff { org: cp }))
                || contact == Some(me.id),
            "only the room's organisation, the group's contact point and own contact person, and admins",
        ),
        Action::ReadArticle { audience, state } => {
            if me.has_role(&Role::Editor) {
                Ok(())
            } else if state != ArticleState::Published {
                Err("only editors and admins see articles before they are published".into())
            } else {
                require(admitted(me, audience), &format!("the article is only for {}", audience.describe()))
            }
        }
        Action::WriteArticles | Action::ViewEditorial => require(me.has_role(&Role::Editor), "only editors and admins"),
        Action::ApproveArticle { .. } => Err("decided by the four-eyes rule".into()),
        Action::ViewCounselQueue { org } => require(
            me.has_role(&Role::Counsellor { org }) || me.has_role(&Role::Supervisor { org }),
            "only the organisation's counsellors and supervisors, and admins",
        ),
        Action::ManageCounselling { org } => {
            require(me.has_role(&Role::Supervisor { org }), "only a supervisor of the organisation or an admin")
        }
        Action::SetAbsence { account, orgs } => require(
            (account == me.id && me.roles.iter().any(|r| matches!(r, Role::Counsellor { .. })))
                || orgs.iter().any(|org| me.has_role(&Role::Supervisor { org: *org })),
            "only the counsellor, their supervisor or an admin",
        ),
        Action::ViewCounselStats | Action::ViewPlatformReport => {
            require(me.roles.iter().any(|r| matches!(r, Role::Supervisor { .. })), "only supervisors and admins")
        }
        Action::ViewOrgReport { org } => require(
            me.has_role(&Role::Supervisor { org }) || me.has_role(&Role::EmployerStaff { org }),
            "only the organisation's supervisors and staff, and admins",
        ),
        Action::ClaimEnquiry { .. }
        | Action::ReadCase { .. }
        | Action::AnswerCase { .. }
        | Action::ApproveReplies { .. } => Err("decided by the counselling content rule".into()),
        Action::VerifyOrganisation
        | Action::CreateAccount
        | Action::ReadAudit
        | Action::ImportGazetteer
        | Action::ManageBoards
        | Action::ManageSafetyLists
        | Action::ViewPlatformStats
        | Action::ChangeSettings
        | Action::AdministerCounselling
        | Action::CompactDatabase
        | Action::ManageTopics
        | Action::RunScheduler
        | Action::ImportGroupDirectory
        | Action::ManageRetention => Err("only admins".into()),
    }
}

/// Counselling content: the assigned counsellor, their substitute during an absence, a
/// supervisor of the case's organisation; claims by the organisation's counsellors. Admin
/// rights and the operator do not count (they see metadata).
fn counselling_content(subject: &Subject, action: Action<'_>, now: Timestamp) -> Result<(), String> {
    let Subject::Member(me) = subject else {
        return Err("counselling content is only for counsellors and supervisors: act as one (--as)".into());
    };
    if let Some(why) = me.status.blocks_everything(now) {
        return Err(why);
    }
    let supervises = |org: Option<OrgId>| org.is_some_and(|org| me.has_role(&Role::Supervisor { org }));
    match action {
        Action::ClaimEnquiry { org } => {
            require(me.has_role(&Role::Counsellor { org }), "only counsellors of an organisation whose queue it is in")
        }
        Action::ReadCase { case } => require(
            case.handled_by(me.id) || supervises(case.org),
            "only the assigned counsellor, their substitute and their supervisor read a conversation",
        ),
        Action::AnswerCase { case } => {
            require(case.handled_by(me.id), "only the assigned counsellor and their substitute")
        }
        Action::ApproveReplies { org } => require(supervises(Some(org)), "only a supervisor of the organisation"),
        _ => Err("not a counselling content action".into()),
    }
}

/// Consent is personal: only the account itself, in good standing, gives it; admin rights
/// and the operator do not count.
fn own_consent(subject: &Subject, account: AccountId, now: Timestamp) -> Result<(), String> {
    let Subject::Member(me) = subject else {
        return Err("only the person themselves consents: act as them (--as)".into());
    };
    if let Some(why) = me.status.blocks_everything(now) {
        return Err(why);
    }
    require(me.id == account, "only the person themselves consents")
}

/// Four eyes: an editor or admin account that wrote neither the article nor its latest
/// revision. The operator is no person and cannot be the second pair of eyes.
fn four_eyes(
    subject: &Subject,
    author: Option<AccountId>,
    reviser: Option<AccountId>,
    now: Timestamp,
) -> Result<(), String> {
    let Subject::Member(me) = subject else {
        return Err("four eyes need two people: act as an editor (--as)".into());
    };
    if let Some(why) = me.status.blocks_everything(now) {
        return Err(why);
    }
    if let AccountStatus::Silenced { until } = me.status.effective(now) {
        return Err(format!("the account is silenced until {}", until.format("%Y-%m-%d %H:%M UTC")));
    }
    require(me.has_role(&Role::Editor) || me.has_role(&Role::Admin), "only editors and admins")?;
    require(
        author != Some(me.id) && reviser != Some(me.id),
        "the author cannot approve their own article; a second editor approves it",
    )
}

/// Whether `me` is in an audience (of a board or an article).
fn admitted(me: &Account, audience: &Audience) -> bool {
    match audience {
        Audience::Public | Audience::Members => true,
        Audience::Perspectives { perspectives } => perspectives.contains(&me.perspective),
        Audience::Organisation { org } => me.roles.iter().any(|r| r.org() == Some(*org)),
    }
}

/// Whether `me` is in the board's audience; moderators read every board.
fn read_board(me: &Account, board: BoardAccess<'_>) -> Result<(), String> {
    require(
        admitted(me, board.audience) || me.has_role(&Role::Moderator),
        &format!("the board '{}' is only for {}", board.slug, board.audience.describe()),
    )
}

fn manage_jobs(me: &Account, org: &Organisation) -> Result<(), String> {
    if !me.has_role(&Role::EmployerStaff { org: org.id }) {
        return Err("only the organisation's staff or an admin".into());
    }
    require(org.verified, "the organisation is not verified yet; an admin verifies it with `trialog org verify`")
}

fn change_role(me: &Account, role: &Role) -> Result<(), String> {
    match role {
        Role::EmployerStaff { org } => {
            require(me.has_role(&Role::EmployerStaff { org: *org }), "only the organisation's staff or an admin")
        }
        Role::Counsellor { org } => {
            require(me.has_role(&Role::Supervisor { org: *org }), "only a supervisor of the organisation or an admin")
        }
        _ => Err("only admins".into()),
    }
}

fn restrict(me: &Account, target: &Account) -> Result<(), String> {
    if !me.has_role(&Role::Moderator) {
        return Err("only moderators and admins".into());
    }
    if target.id == me.id {
        return Err("nobody can restrict their own account".into());
    }
    if target.has_role(&Role::Admin) || target.has_role(&Role::Moderator) {
        return Err("moderators cannot restrict admins or other moderators; ask an admin".into());
    }
    Ok(())
}

fn require(ok: bool, otherwise: &str) -> Result<(), String> {
    if ok { Ok(()) } else { Err(otherwise.into()) }
}
