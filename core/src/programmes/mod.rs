//! Programmes and placements: an EX-IN curriculum or a Peer2Peer training as an ordered list
//! of course modules (required or elective) run for cohorts of trainees. A trainee's progress
//! comes from the courses they completed; completing an EX-IN programme sets the EX-IN status
//! on their seeker profile only when they themselves consent. A cohort's trainees go into
//! placement rounds: both sides rank, the matching domain's stable matching runs once, and
//! the accepted pairs are recorded on the programme.

mod input;
mod integrity;
mod model;
pub(crate) mod records;
mod rounds;
pub(crate) mod tables;

pub use model::{
    Cohort, CohortId, ModuleProgress, NewCohort, NewProgramme, PlacementOffer, PlacementRound, Programme, ProgrammeId,
    ProgrammeKind, ProgrammeModule, ProgrammePage, ProgrammeProgress, RoundId, RoundPlace, RoundTrainee,
    TraineePlacement,
};

use crate::accounts::AccountId;
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::courses;
use crate::error::{Error, Result};
use crate::jobs::{self, ExInStatus};
use crate::orgs::{self, OrgId};
use crate::page::{PageRequest, cursor_for};
use crate::policy::{self, Action};
use crate::store::{Reader, next_id};
use records::ProgrammeRecord;

/// Programme operations, borrowed from a [`crate::Platform`].
pub struct Programmes<'p> {
    pub(crate) ctx: &'p Context,
}

impl Programmes<'_> {
    /// Creates a programme of `org` with its modules in order (the organisation's staff).
    pub fn create(&self, actor: &Actor, new: &NewProgramme) -> Result<Programme> {
        let title = input::title(&new.title)?;
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageProgrammes { org: new.org }, now)?;
            orgs::load(txn, new.org)?;
            let modules = input::modules(txn, &new.modules)?;
            let id = ProgrammeId(next_id(txn, "programmes")?);
            let programme = Programme {
                id,
                org: new.org,
                title: title.clone(),
                kind: new.kind,
                modules,
                cohorts: Vec::new(),
                placements: Vec::new(),
                created_at: now,
                updated_at: now,
            };
            records::save_programme(txn, &ProgrammeRecord { programme: programme.clone(), exin_consents: Vec::new() })?;
            audit::append(txn, now, actor, "programme.create", &target(id), None)?;
            Ok(programme)
        })
    }

    /// A programme: its staff and its trainees.
    pub fn get(&self, actor: &Actor, id: ProgrammeId) -> Result<Programme> {
        self.ctx.read(actor, |txn, subject, now| {
            let record = records::load_programme(txn, id)?;
            let trainees = record.trainees();
            policy::check(
                subject,
                Action::ViewProgramme { org: record.programme.org, trainees: &trainees, hosts: &[] },
                now,
            )?;
            Ok(record.programme)
        })
    }

    /// An organisation's programmes in id order (its staff).
    pub fn list(&self, actor: &Actor, org: OrgId, page: &PageRequest) -> Result<ProgrammePage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageProgrammes { org }, now)?;
            let limit = page.limit()?;
            let ids = records::org_programme_ids(txn, org, page.first_id()?)?;
            let mut items = Vec::new();
            for id in ids.iter().take(limit) {
                items.push(records::load_programme(txn, ProgrammeId(*id))?.programme);
            }
            let next_cursor = (ids.len() > limit).then(|| cursor_for(ids[limit - 1]));
            Ok(ProgrammePage { items, next_cursor })
        })
    }

    /// Adds a cohort with its first trainees (the programme's staff).
    pub fn add_cohort(&self, actor: &Actor, id: ProgrammeId, new: &NewCohort) -> Result<Programme> {
        let name = crate::validate::required_line("name", &new.name, 200)?;
        self.change(actor, id, "programme.cohort.add", |txn, record, now| {
            input::trainees(txn, record, &new.trainees)?;
            let cohort = CohortId(next_id(txn, "programme_cohorts")?);
            record.programme.cohorts.push(Cohort {
                id: cohort,
                name: name.clone(),
                start: new.start,
                trainees: new.trainees.clone(),
            });
            record.programme.updated_at = now;
            Ok(())
        })
    }

    /// Enrols more trainees in a cohort (the programme's staff). A trainee is in at most one
    /// cohort of a programme.
    pub fn enrol(&self, actor: &Actor, id: ProgrammeId, cohort: CohortId, trainees: &[AccountId]) -> Result<Programme> {
        if trainees.is_empty() {
            return Err(Error::invalid("trainees", "name at least one account"));
        }
        self.change(actor, id, "programme.enrol", |txn, record, now| {
            record.cohort(cohort)?;
            input::trainees(txn, record, trainees)?;
            let c = record.programme.cohorts.iter_mut().find(|c| c.id == cohort);
            c.ok_or_else(|| Error::not_found("cohort", cohort))?.trainees.extend_from_slice(trainees);
            record.programme.updated_at = now;
            Ok(())
        })
    }

    /// A trainee's completed and missing modules (the trainee and the programme's staff).
    pub fn progress(&self, actor: &Actor, id: ProgrammeId, trainee: AccountId) -> Result<ProgrammeProgress> {
        self.ctx.read(actor, |txn, subject, now| {
            let record = records::load_programme(txn, id)?;
            policy::check(subject, Action::ViewProgress { org: record.programme.org, trainee }, now)?;
            progress_of(txn, &record, trainee)
        })
    }

    /// The trainee's own consent to have the EX-IN status "certified" set on their seeker
    /// profile from a completed EX-IN programme; the status is set in the same step. Nobody can
    /// consent for someone else, admins included; without this call nothing changes.
    pub fn consent_exin_status(&self, actor: &Actor, id: ProgrammeId, trainee: AccountId) -> Result<ProgrammeProgress> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ConsentExInStatus { account: trainee }, now)?;
            let mut record = records::load_programme(txn, id)?;
            if record.programme.kind != ProgrammeKind::ExIn {
                return Err(Error::invalid(
                    "programme",
                    format!("programme {id} is not an EX-IN curriculum; only those set the EX-IN status"),
                ));
            }
            let progress = progress_of(txn, &record, trainee)?;
            if !progress.complete {
                let missing: Vec<String> = progress.missing.iter().map(ToString::to_string).collect();
                return Err(Error::invalid(
                    "programme",
                    format!("not complete yet: required modules among courses {} are missing", missing.join(", ")),
                ));
            }
            if record.consent_of(trainee).is_none() {
                record.exin_consents.push((trainee, now));
                records::save_programme(txn, &record)?;
            }
            jobs::record_exin(txn, trainee, ExInStatus::Certified, now)?;
            audit::append(txn, now, actor, "programme.exin_consent", &target(id), None)?;
            progress_of(txn, &record, trainee)
        })
    }

    /// Opens a placement round for a cohort with the places hosts offer (the programme's
    /// staff). Rankings come next from both sides.
    pub fn open_round(
        &self,
        actor: &Actor,
        id: ProgrammeId,
        cohort: CohortId,
        places: &[PlacementOffer],
    ) -> Result<PlacementRound> {
        self.ctx.write(actor, |txn, subject, now| {
            let record = records::load_programme(txn, id)?;
            policy::check(subject, Action::ManageProgrammes { org: record.programme.org }, now)?;
            let cohort = record.cohort(cohort)?;
            if cohort.trainees.is_empty() {
                return Err(Error::invalid("cohort", format!("cohort {} has no trainees yet", cohort.id)));
            }
            let round = PlacementRound {
                id: RoundId(next_id(txn, "programme_rounds")?),
                programme: id,
                cohort: cohort.id,
                places: input::places(txn, places)?,
                trainees: cohort.trainees.iter().map(|t| RoundTrainee { trainee: *t, preferences: None }).collect(),
                created_at: now,
                run_at: None,
                pairs: Vec::new(),
                unplaced: Vec::new(),
            };
            records::save_round(txn, &round)?;
            audit::append(txn, now, actor, "programme.round.open", &round_target(round.id), None)?;
            Ok(round)
        })
    }

    /// A trainee's ranking of a round's hosts, best first (the trainee, or the programme's
    /// staff entering it for them). Hosts left out are ones the trainee would not go to.
    pub fn rank_hosts(
        &self,
        actor: &Actor,
        round: RoundId,
        trainee: AccountId,
        preferences: &[OrgId],
    ) -> Result<PlacementRound> {
        self.change_round(actor, round, |txn, subject, r, now| {
            let org = records::load_programme(txn, r.programme)?.programme.org;
            policy::check(subject, Action::RankPlacements { org, trainee }, now)?;
            rounds::still_open(r)?;
            input::in_round(r, trainee)?;
            let hosts: Vec<OrgId> = r.places.iter().map(|p| p.org).collect();
            let ranked = input::ranking("preferences", preferences, &hosts, "organisation")?;
            if let Some(t) = r.trainees.iter_mut().find(|t| t.trainee == trainee) {
                t.preferences = Some(ranked);
            }
            Ok(())
        })
    }

    /// A host's ranking of a round's trainees, best first (the host's staff, or the programme's
    /// staff entering it for them). Trainees left out are ones the host would not take.
    pub fn rank_trainees(
        &self,
        actor: &Actor,
        round: RoundId,
        host: OrgId,
        ranking: &[AccountId],
    ) -> Result<PlacementRound> {
        self.change_round(actor, round, |txn, subject, r, now| {
            let org = records::load_programme(txn, r.programme)?.programme.org;
            policy::check(subject, Action::RankTrainees { org, host }, now)?;
            rounds::still_open(r)?;
            let at = input::host_in_round(r, host)?;
            let trainees: Vec<AccountId> = r.trainees.iter().map(|t| t.trainee).collect();
            r.places[at].ranking = Some(input::ranking("ranking", ranking, &trainees, "account")?);
            Ok(())
        })
    }

    /// Runs a round once every trainee and host ranked: stable matching, its pairs recorded on
    /// the round and the programme (the programme's staff). A round runs once.
    pub fn run_round(&self, actor: &Actor, round: RoundId) -> Result<PlacementRound> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut r = records::load_round(txn, round)?;
            let mut record = records::load_programme(txn, r.programme)?;
            policy::check(subject, Action::ManageProgrammes { org: record.programme.org }, now)?;
            rounds::run(&mut r, now)?;
            record.programme.placements.extend_from_slice(&r.pairs);
            record.programme.updated_at = now;
            records::save_round(txn, &r)?;
            records::save_programme(txn, &record)?;
            audit::append(txn, now, actor, "programme.round.run", &round_target(round), None)?;
            Ok(r)
        })
    }

    /// A placement round: the programme's staff see all of it; a host's staff and a trainee
    /// see the round with only their own rankings.
    pub fn round(&self, actor: &Actor, round: RoundId) -> Result<PlacementRound> {
        self.ctx.read(actor, |txn, subject, now| {
            let r = records::load_round(txn, round)?;
            let org = records::load_programme(txn, r.programme)?.programme.org;
            visible_round(subject, org, r, now)
        })
    }

    /// A programme's placement rounds in the order they were opened (as [`Self::round`] shows
    /// each; rounds the actor may not see are left out).
    pub fn rounds(&self, actor: &Actor, id: ProgrammeId) -> Result<Vec<PlacementRound>> {
        self.ctx.read(actor, |txn, subject, now| {
            let record = records::load_programme(txn, id)?;
            let org = record.programme.org;
            let trainees = record.trainees();
            policy::check(subject, Action::ViewProgramme { org, trainees: &trainees, hosts: &[] }, now)?;
            let mut out = Vec::new();
            for round in records::programme_round_ids(txn, id)? {
                match visible_round(subject, org, records::load_round(txn, RoundId(round))?, now) {
                    Ok(r) => out.push(r),
                    Err(Error::PermissionDenied { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        })
    }

    /// One write transaction changing a programme record (the programme's staff).
    fn change(
        &self,
        actor: &Actor,
        id: ProgrammeId,
        action: &str,
        work: impl Fn(&crate::store::WriteTxn, &mut ProgrammeRecord, Timestamp) -> Result<()>,
    ) -> Result<Programme> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut record = records::load_programme(txn, id)?;
            policy::check(subject, Action::ManageProgrammes { org: record.programme.org }, now)?;
            work(txn, &mut record, now)?;
            records::save_programme(txn, &record)?;
            audit::append(txn, now, actor, action, &target(id), None)?;
            Ok(record.programme)
        })
    }

    /// One write transaction changing a round; `work` checks the policy.
    fn change_round(
        &self,
        actor: &Actor,
        round: RoundId,
        work: impl Fn(&crate::store::WriteTxn, &Subject, &mut PlacementRound, Timestamp) -> Result<()>,
    ) -> Result<PlacementRound> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut r = records::load_round(txn, round)?;
            work(txn, subject, &mut r, now)?;
            records::save_round(txn, &r)?;
            let org = records::load_programme(txn, r.programme)?.programme.org;
            visible_round(subject, org, r, now)
        })
    }
}

/// A trainee's progress from the courses they completed.
fn progress_of(txn: &impl Reader, record: &ProgrammeRecord, trainee: AccountId) -> Result<ProgrammeProgress> {
    let p = &record.programme;
    if record.cohort_of(trainee).is_none() {
        return Err(Error::invalid("trainee", format!("account {trainee} is not enrolled in programme {}", p.id)));
    }
    let mut modules = Vec::with_capacity(p.modules.len());
    for m in &p.modules {
        let (_, course_title) = courses::org_and_title(txn, m.course)?;
        let completed = courses::has_completed(txn, trainee, m.course)?;
        modules.push(ModuleProgress { course: m.course, course_title, elective: m.elective, completed });
    }
    let pick = |done: bool| modules.iter().filter(|m| m.completed == done).map(|m| m.course).collect();
    Ok(ProgrammeProgress {
        programme: p.id,
        trainee,
        completed: pick(true),
        missing: pick(false),
        complete: modules.iter().all(|m| m.completed || m.elective),
        exin_consented_at: record.consent_of(trainee),
        modules,
    })
}

/// The round as `subject` may see it: everything for the programme's staff; for a host's staff
/// or a trainee, only their own rankings (the other side's choices stay private).
fn visible_round(subject: &Subject, org: OrgId, mut r: PlacementRound, now: Timestamp) -> Result<PlacementRound> {
    let trainees: Vec<AccountId> = r.trainees.iter().map(|t| t.trainee).collect();
    let hosts: Vec<OrgId> = r.places.iter().map(|p| p.org).collect();
    policy::check(subject, Action::ViewProgramme { org, trainees: &trainees, hosts: &hosts }, now)?;
    if policy::allows(subject, Action::ManageProgrammes { org }, now) {
        return Ok(r);
    }
    for t in &mut r.trainees {
        if !policy::allows(subject, Action::RankPlacements { org, trainee: t.trainee }, now) {
            t.preferences = None;
        }
    }
    for p in &mut r.places {
        if !policy::allows(subject, Action::RankTrainees { org, host: p.org }, now) {
            p.ranking = None;
        }
    }
    Ok(r)
}

fn target(id: ProgrammeId) -> String {
    format!("programme:{id}")
}

fn round_target(id: RoundId) -> String {
    format!("placement_round:{id}")
}

/// Registration of the programmes domain: its tables, integrity check and personal data.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "programmes",
    tables: tables::TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |txn, found| {
        let (programmes, rounds) = integrity::check(txn, &mut found.problems)?;
        found.count("programmes", programmes);
        found.count("placement rounds", rounds);
        Ok(())
    },
    tick: crate::store::Domain::nothing_due,
    figures: None,
    personal: Some(records::PERSONAL),
};
