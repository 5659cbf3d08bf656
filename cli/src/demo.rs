//! `trialog demo`: a realistic demo platform built from [`crate::demo_data`], and a guided tour.
//!
//! [`Demo`] builds one domain at a time (organisations, people, verifications, moderation), each
//! step done by the actor who would do it on a real platform: people sign themselves up, the
//! admin verifies organisations and grants roles, supervisors appoint their counsellors, a
//! moderator suspends. Later domains (jobs, forums, counselling) add a step each.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use chrono::Duration;
use serde::Serialize;
use trialog_core::{
    AccountFilter, AccountId, Actor, Clock, Durability, Error, NewAccount, NewOrganisation, OrgId, OrganisationFilter,
    PageRequest, PerspectiveVisibility, Platform, PlatformOptions, Restriction, Role, StatusKind, SystemClock,
    TestClock,
};

use crate::accounts::status;
use crate::demo_counsel::{self, CounselFigures};
use crate::demo_courses;
use crate::demo_data::{ADMIN, City, ORGANISATIONS, OrgSeed, PEOPLE, PersonSeed, RoleSeed, SUSPENSIONS};
use crate::demo_forums::{self, ForumFigures};
use crate::demo_jobs::{self, JobFigures};
use crate::demo_moderation::{self, ModerationFigures};
use crate::demo_programmes::{self, ProgrammeFigures};
use crate::failure::Failure;
use crate::output::{Output, shell_quote};
use crate::session::options;

/// The demo platform under construction: the seeds' keys mapped to the ids they received.
pub struct Demo<'p> {
    platform: &'p Platform,
    orgs: HashMap<&'static str, OrgId>,
    accounts: HashMap<&'static str, AccountId>,
}

impl<'p> Demo<'p> {
    /// Builds the whole demo on an empty platform.
    pub fn build(platform: &'p Platform) -> Result<Self, Error> {
        let mut demo = Demo { platform, orgs: HashMap::new(), accounts: HashMap::new() };
        demo.organisations()?;
        demo.people()?;
        demo.verifications()?;
        demo.moderation()?;
        Ok(demo)
    }

    /// The id of the organisation with seed key `key` (as in [`ORGANISATIONS`]).
    pub fn org(&self, key: &str) -> Result<OrgId, Error> {
        self.orgs.get(key).copied().ok_or_else(|| Error::not_found("demo organisation", key))
    }

    /// The id of the demo account `pseudonym`.
    pub fn account(&self, pseudonym: &str) -> Result<AccountId, Error> {
        self.accounts.get(pseudonym).copied().ok_or_else(|| Error::not_found("demo account", pseudonym))
    }

    /// Registers the organisations, as the operator.
    fn organisations(&mut self) -> Result<(), Error> {
        for seed in ORGANISATIONS {
            let new = NewOrganisation {
                name: seed.name.into(),
                kind: seed.kind,
                region: seed.city.region.into(),
                city: Some(seed.city.name.into()),
                website: seed.website.map(Into::into),
            };
            let org = self.platform.orgs().create(&Actor::Operator, &new)?;
            self.orgs.insert(seed.key, org.id);
        }
        Ok(())
    }

    /// The operator creates the admin; everyone else signs up and receives their roles.
    fn people(&mut self) -> Result<(), Error> {
        let admin = self.sign_up(&ADMIN, &Actor::Operator)?;
        self.platform.accounts().grant_role(&Actor::Operator, admin, Role::Admin, Some("Demo: platform editor"))?;
        for seed in PEOPLE {
            let id = self.sign_up(seed, &Actor::Anonymous)?;
            for role in seed.roles {
                let (role, grantor) = self.resolve_role(*role)?;
                self.platform.accounts().grant_role(&grantor, id, role, Some("Demo"))?;
            }
        }
        Ok(())
    }

    /// The admin verifies the organisations marked verified.
    fn verifications(&mut self) -> Result<(), Error> {
        let admin = Actor::account(self.account(ADMIN.pseudonym)?);
        for seed in ORGANISATIONS.iter().filter(|s| s.verified) {
            let reason = format!("Demo: checked the {} entry", seed.city.name);
            self.platform.orgs().verify(&admin, self.org(seed.key)?, true, Some(&reason))?;
        }
        Ok(())
    }

    /// Moderators suspend the accounts in [`SUSPENSIONS`].
    fn moderation(&mut self) -> Result<(), Error> {
        for seed in SUSPENSIONS {
            let moderator = Actor::account(self.account(seed.by)?);
            let until = self.platform.now() + Duration::days(seed.days);
            let target = self.account(seed.pseudonym)?;
            self.platform.accounts().restrict(&moderator, target, Restriction::Suspend { until }, seed.reason)?;
        }
        Ok(())
    }

    fn sign_up(&mut self, seed: &PersonSeed, actor: &Actor) -> Result<AccountId, Error> {
        let new = NewAccount {
            pseudonym: seed.pseudonym.into(),
            perspective: seed.perspective,
            // The demo's people chose to show their perspective to members: a trialogue to look at.
            perspective_visibility: PerspectiveVisibility::Members,
            languages: seed.languages.iter().map(|l| l.to_string()).collect(),
            home_region: seed.region.map(Into::into),
            email: seed.email.map(Into::into),
        };
        let id = self.platform.accounts().create(actor, &new)?.id;
        self.accounts.insert(seed.pseudonym, id);
        Ok(id)
    }

    /// The role a seed stands for, and who grants it: the organisation's supervisor for
    /// counsellors where there is one, otherwise the admin.
    fn resolve_role(&self, seed: RoleSeed) -> Result<(Role, Actor), Error> {
        let admin = Actor::account(self.account(ADMIN.pseudonym)?);
        Ok(match seed {
            RoleSeed::Admin => (Role::Admin, admin),
            RoleSeed::Moderator => (Role::Moderator, admin),
            RoleSeed::EmployerStaff(key) => (Role::EmployerStaff { org: self.org(key)? }, admin),
            RoleSeed::Supervisor(key) => (Role::Supervisor { org: self.org(key)? }, admin),
            RoleSeed::Counsellor(key) => {
                let supervisor = self.supervisor_of(key).map(Actor::account).unwrap_or(admin);
                (Role::Counsellor { org: self.org(key)? }, supervisor)
            }
        })
    }

    fn supervisor_of(&self, org_key: &str) -> Option<AccountId> {
        PEOPLE
            .iter()
            .find(|p| p.roles.iter().any(|r| matches!(r, RoleSeed::Supervisor(k) if *k == org_key)))
            .and_then(|p| self.accounts.get(p.pseudonym).copied())
    }
}

/// What the demo contains, read back from the platform.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub db: String,
    pub organisations: usize,
    pub verified: usize,
    pub accounts: usize,
    /// Accounts per perspective.
    pub perspectives: BTreeMap<String, usize>,
    /// Accounts holding each role kind.
    pub roles: BTreeMap<String, usize>,
    /// Suspended accounts with their status.
    pub suspended: Vec<String>,
    /// The job board.
    pub jobs: JobFigures,
    /// The forums.
    pub forums: ForumFigures,
    /// The review queue.
    pub moderation: ModerationFigures,
    /// Counselling.
    pub counselling: CounselFigures,
    /// Published knowledge-base articles.
    pub articles: usize,
    /// The self-help directory.
    pub groups: crate::demo_groups::GroupFigures,
    /// The EX-IN programmes.
    pub programmes: ProgrammeFigures,
}

/// `trialog demo [--fresh]`: builds the demo into `db` and prints a tour.
pub fn run(db: &Path, fresh: bool, out: Output) -> Result<(), Failure> {
    if fresh {
        remove_existing(db)?;
    }
    // The job board grows over past months: its step sets this clock back and forth. Commits
    // wait for the disk only at the end (flush), which keeps the demo quick.
    let clock = TestClock::at(SystemClock.now());
    let options = PlatformOptions { clock: Arc::new(clock.clone()), durability: Durability::Eventual, ..options() };
    let platform = Platform::open(db, options.clone())?;
    refuse_if_not_empty(&platform, db)?;
    drop(platform);
    let options = PlatformOptions { content_key: Some(demo_counsel::demo_key(db, out)?), ..options };
    let platform = Platform::open(db, options)?;
    let demo = Demo::build(&platform)?;
    demo_jobs::build(&platform, &demo, &clock)?;
    demo_forums::build(&platform, &demo, &clock)?;
    demo_moderation::build(&platform, &demo, &clock)?;
    demo_counsel::build(&platform, &demo, &clock)?;
    let articles = crate::demo_knowledge::build(&platform, &demo)?;
    demo_courses::build(&platform, &demo, &clock)?;
    let editions = demo_programmes::build(&platform, &demo, &clock)?;
    let groups = crate::demo_groups::build(&platform, &demo, &clock)?;
    platform.flush()?;
    let summary = Summary { articles, groups, ..summarise(&platform, db, demo.org("jena-verein")?, editions)? };
    if out.json {
        out.json(&summary);
    } else {
        let pending = ORGANISATIONS.iter().find(|o| !o.verified).map(|o| demo.org(o.key)).transpose()?;
        out!("{}", tour(&summary, db, pending.unwrap_or(OrgId(1))));
    }
    Ok(())
}

/// Deletes `db` if it is a trialog file that no other process has open. A file that trialog
/// cannot open is left alone, so `--fresh` never deletes something it does not understand.
fn remove_existing(db: &Path) -> Result<(), Failure> {
    if !db.exists() {
        return Ok(());
    }
    drop(Platform::open(db, options())?);
    std::fs::remove_file(db).map_err(|e| Failure::io(&format!("cannot remove {}", db.display()), e))
}

/// Fails when the platform already holds organisations or accounts.
fn refuse_if_not_empty(platform: &Platform, db: &Path) -> Result<(), Failure> {
    let report = platform.integrity()?;
    if report.organisations == 0 && report.accounts == 0 {
        return Ok(());
    }
    Err(Failure::conflict(
        format!(
            "{} already holds {} organisations and {} accounts",
            db.display(),
            report.organisations,
            report.accounts
        ),
        "pass --fresh to replace it with the demo, or use another file: --db demo.redb",
    ))
}

fn summarise(
    platform: &Platform,
    db: &Path,
    counselling_org: OrgId,
    editions: demo_programmes::Editions,
) -> Result<Summary, Error> {
    let all = PageRequest::first(500);
    let orgs = platform.orgs().list(&Actor::Operator, &OrganisationFilter::default(), &all)?.items;
    let accounts = platform.accounts().list(&Actor::Operator, &AccountFilter::default(), &all)?.items;
    let now = platform.now();
    let mut perspectives = BTreeMap::new();
    let mut roles = BTreeMap::new();
    for account in &accounts {
        *perspectives.entry(account.perspective.to_string()).or_insert(0) += 1;
        for role in &account.roles {
            *roles.entry(role.kind().to_string()).or_insert(0) += 1;
        }
    }
    let suspended = accounts
        .iter()
        .filter(|a| a.status.kind(now) == StatusKind::Suspended)
        .map(|a| format!("{} ({})", a.pseudonym, status(a.status)))
        .collect();
    Ok(Summary {
        db: db.display().to_string(),
        organisations: orgs.len(),
        verified: orgs.iter().filter(|o| o.verified).count(),
        accounts: accounts.len(),
        perspectives,
        roles,
        suspended,
        jobs: demo_jobs::figures(platform, &orgs)?,
        forums: demo_forums::figures(platform)?,
        moderation: demo_moderation::figures(platform)?,
        counselling: demo_counsel::figures(platform, db, counselling_org)?,
        articles: 0,
        groups: Default::default(),
        programmes: demo_programmes::figures(platform, editions)?,
    })
}

/// The guided tour printed after the demo is built.
/// `unverified` is an organisation still waiting for verification, for the `--as` examples.
fn tour(summary: &Summary, db: &Path, unverified: OrgId) -> String {
    let count = |map: &BTreeMap<String, usize>, key: &str| map.get(key).copied().unwrap_or(0);
    let p = &summary.perspectives;
    let r = &summary.roles;
    let (north, south) = span(ORGANISATIONS);
    let trialog = format!("trialog --db {}", shell_quote(&db.display().to_string()));
    format!(
        "\
Demo platform written to {db}

  {orgs} organisations, {verified} verified, from {north} to {south}
  {accounts} accounts: {lived} with lived experience, {relative} relatives, {pro} professionals, {undisclosed} undisclosed
  roles: {admin} admin, {moderators} moderators, {staff} employer staff, {supervisors} supervisors, {counsellors} counsellors
  suspended: {suspended}

Try next:
  {trialog} org list --region DE-TH
  {trialog} org list --unverified
  {trialog} account list --role counsellor
  {trialog} account show Sturmwind_99
  {trialog} --as Kim_aus_Jena org verify {unverified}        # refused: only admins verify
  {trialog} --as Redaktion_Anja org verify {unverified} --reason \"checked\"
  {trialog} audit list --limit 10
  {trialog} check

Job board: {postings} postings ({published} published, {drafts} drafts, {expired} expired, {ended} filled or withdrawn)
  {de} in Germany, {dk} in Denmark, {remote} of them remote; {seekers} seekers ({findable} findable), {interests} interests
  {trialog} job search --at 52.52,13.405 --radius 30
  {trialog} job search --at 50.927,11.586 --radius 60 --exin certified --sort pay --limit 10
  {trialog} job search --at 55.676,12.568 --radius 40 --lang da --min-pay \"30000 DKK/month\"
  {trialog} --as Kim_aus_Jena inbox --unread --limit 5
  {trialog} --as Kim_aus_Jena job interests --mine
  {trialog} --as Kim_aus_Jena match suggest-jobs --limit 3   # why each posting suits Kim
  {trialog} match weights
  {trialog} job show 1 --json-ld

Forums: {boards} boards, {threads} threads, {posts} posts, {pending} waiting for a moderator
  {trialog} forum board list
  {trialog} forum thread list ausbildung-ex-in
  {trialog} --as Kim_aus_Jena forum read 2
  {trialog} --as Mutter_von_M forum thread list angehoerige     # relatives only
  {trialog} --as Kim_aus_Jena forum thread list angehoerige     # refused
  {trialog} forum search \"Portfolio Zeit\"
  {trialog} --as Kim_aus_Jena forum inbox --unread
  {trialog} --as Leuchtturm forum queue
  {trialog} forum stats

Moderation: {review} items in the review queue ({crisis} crisis), {actions} logged action(s)
  {trialog} --as Leuchtturm mod queue
  {trialog} --as Leuchtturm mod show 1
  {trialog} mod log
  {trialog} mod words test \"ich denke an s.u.i.z.i.d\" --lang de
  {trialog} mod resources list
  {trialog} mod settings                  # the rules for new accounts and rate limits

Counselling: {enquiries} enquiries, {jena_queue} waiting for Jena, {urgent} urgent; content key in {key_file}
  {trialog} --as Beraterin_Lea counsel queue --org {jena_org}
  {trialog} --as Beraterin_Lea counsel mine
  {trialog} --as Beraterin_Lea counsel show 1 --content-key-file {key_file}
  {trialog} --as Supervision_Jena counsel pending --org {jena_org}
  {trialog} counsel show 1 --content-key-file {key_file}   # refused: admins see metadata only
  {trialog} counsel stats

Self-help directory: {groups} groups in {group_places} places, {rooms} rooms with {booked} booked slots, {stale} stale entry
  {trialog} groups search --topic depression --postcode 99084 --country DE --radius 40
  {trialog} groups stale --org {erfurt_org}
  {trialog} rooms list
  {trialog} groups export-hsds --out -
EX-IN programmes: course 12 running ({held} of {modules} modules held, {trainees} trainees, {placements} taster placements, {rounds} rounds); course 11 finished
  {trialog} programme list --org {exin_org}
  {trialog} --as Wanderer_Erfurt programme progress {running}
  {trialog} --as Stille_Stimme programme progress {running}
  {trialog} programme rounds {running}
  {trialog} --as Kim_aus_Jena programme progress {graduates}   # completed, with her consent to the EX-IN status
",
        db = db.display(),
        orgs = summary.organisations,
        verified = summary.verified,
        north = place(north),
        south = place(south),
        accounts = summary.accounts,
        lived = count(p, "lived_experience"),
        relative = count(p, "relative"),
        pro = count(p, "professional"),
        undisclosed = count(p, "undisclosed"),
        admin = count(r, "admin"),
        moderators = count(r, "moderator"),
        staff = count(r, "employer_staff"),
        supervisors = count(r, "supervisor"),
        counsellors = count(r, "counsellor"),
        postings = summary.jobs.postings,
        published = count(&summary.jobs.states, "published"),
        drafts = count(&summary.jobs.states, "draft"),
        expired = count(&summary.jobs.states, "expired"),
        ended = count(&summary.jobs.states, "filled") + count(&summary.jobs.states, "withdrawn"),
        de = count(&summary.jobs.countries, "DE"),
        dk = count(&summary.jobs.countries, "DK"),
        remote = summary.jobs.remote,
        seekers = summary.jobs.seekers,
        findable = summary.jobs.findable_seekers,
        interests = summary.jobs.interests,
        boards = summary.forums.boards,
        threads = summary.forums.threads,
        posts = summary.forums.posts,
        pending = summary.forums.pending,
        review = summary.moderation.pending,
        crisis = summary.moderation.crisis,
        actions = summary.moderation.actions,
        enquiries = summary.counselling.enquiries,
        jena_queue = summary.counselling.jena_queue,
        urgent = summary.counselling.urgent,
        key_file = shell_quote(&summary.counselling.key_file),
        jena_org = summary.counselling.jena_org,
        groups = summary.groups.groups,
        group_places = summary.groups.cities,
        rooms = summary.groups.rooms,
        booked = summary.groups.bookings_confirmed,
        stale = summary.groups.stale,
        erfurt_org = summary.groups.erfurt_org,
        held = summary.programmes.held,
        modules = summary.programmes.modules,
        trainees = summary.programmes.trainees,
        placements = summary.programmes.placements,
        rounds = summary.programmes.rounds,
        exin_org = summary.programmes.org,
        running = summary.programmes.running,
        graduates = summary.programmes.graduates,
        suspended = if summary.suspended.is_empty() { "none".into() } else { summary.suspended.join(", ") },
    )
}

/// The northernmost and southernmost cities of the demo organisations.
fn span(seeds: &[OrgSeed]) -> (City, City) {
    let by_lat = |a: &&OrgSeed, b: &&OrgSeed| a.city.lat.total_cmp(&b.city.lat);
    let north = seeds.iter().max_by(by_lat).map_or(crate::demo_data::AALBORG, |s| s.city);
    let south = seeds.iter().min_by(by_lat).map_or(crate::demo_data::MUENCHEN, |s| s.city);
    (north, south)
}

fn place(city: City) -> String {
    format!("{} ({:.2}° N, {:.2}° E)", city.name, city.lat, city.lon)
}
