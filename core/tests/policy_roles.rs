//! Every permission rule, tried through the real operations for every role.

mod common;

use chrono::Duration;
use common::*;
use trialog_core::*;

struct World {
    p: Platform,
    org_a: OrgId,
    admin: Actor,
    moderator: Actor,
    supervisor_a: Actor,
    staff_a: Actor,
    member: Actor,
    silenced: Actor,
    suspended: Actor,
    member_id: AccountId,
    staff_id: AccountId,
    moderator_id: AccountId,
    admin_id: AccountId,
}

fn world() -> World {
    let clock = clock();
    let p = platform_with(&clock);
    let org_a = org(&p, "Genesungsbegleitung Jena", "DE-TH").id;
    let admin = account(&p, "Admina", &[Role::Admin]);
    let moderator = account(&p, "Moderatorin", &[Role::Moderator]);
    let supervisor = account(&p, "Supervisorin", &[Role::Supervisor { org: org_a }]);
    let staff = account(&p, "Personal_A", &[Role::EmployerStaff { org: org_a }]);
    let member = account(&p, "Mitglied", &[]);
    let silenced = account(&p, "Leise", &[]);
    let suspended = account(&p, "Gesperrt", &[Role::Admin]);
    let until = clock.now() + Duration::days(3);
    p.accounts().restrict(&Actor::Operator, silenced.id, Restriction::Silence { until }, "test").unwrap();
    p.accounts().restrict(&Actor::Operator, suspended.id, Restriction::Suspend { until }, "test").unwrap();
    World {
        p,
        org_a,
        admin: Actor::account(admin.id),
        moderator: Actor::account(moderator.id),
        supervisor_a: Actor::account(supervisor.id),
        staff_a: Actor::account(staff.id),
        member: Actor::account(member.id),
        silenced: Actor::account(silenced.id),
        suspended: Actor::account(suspended.id),
        member_id: member.id,
        staff_id: staff.id,
        moderator_id: moderator.id,
        admin_id: admin.id,
    }
}

/// Asserts that exactly the `allowed` actors may do `op` (every other one gets PermissionDenied).
fn only(w: &World, what: &str, allowed: &[&Actor], op: impl Fn(&World, &Actor) -> Result<()>) {
    let everyone = [
        ("operator", &Actor::Operator),
        ("admin", &w.admin),
        ("moderator", &w.moderator),
        ("supervisor", &w.supervisor_a),
        ("staff", &w.staff_a),
        ("member", &w.member),
        ("silenced", &w.silenced),
        ("suspended", &w.suspended),
        ("anonymous", &Actor::Anonymous),
    ];
    for (name, actor) in everyone {
        let result = op(w, actor);
        if allowed.contains(&actor) {
            assert!(result.is_ok(), "{what}: {name} should be allowed, got {result:?}");
        } else {
            assert!(
                matches!(result, Err(Error::PermissionDenied { .. })),
                "{what}: {name} should be denied, got {result:?}"
            );
        }
    }
}

/// Every actor in good standing, signed in or not: who may do what is public.
fn everyone_not_suspended(w: &World) -> Vec<&Actor> {
    vec![
        &Actor::Operator,
        &w.admin,
        &w.moderator,
        &w.supervisor_a,
        &w.staff_a,
        &w.member,
        &w.silenced,
        &Actor::Anonymous,
    ]
}

fn new_org(name: &str) -> NewOrganisation {
    NewOrganisation { name: name.into(), kind: OrgKind::Employer, region: "DE-BE".into(), city: None, website: None }
}

#[test]
fn viewing_organisations_is_public() {
    let w = world();
    let all = everyone_not_suspended(&w);
    only(&w, "view organisations", &all, |w, a| w.p.orgs().get(a, w.org_a).map(|_| ()));
}

#[test]
fn registering_organisations_needs_an_active_account() {
    let w = world();
    let allowed = [&Actor::Operator, &w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member, &w.silenced];
    only(&w, "register organisation", &allowed, |w, a| w.p.orgs().create(a, &new_org("Neue Stelle")).map(|_| ()));
}

#[test]
fn editing_an_organisation_is_for_its_staff_and_admins() {
    let w = world();
    let change = OrganisationUpdate { city: Some("Jena".into()), ..Default::default() };
    only(&w, "edit organisation", &[&Actor::Operator, &w.admin, &w.staff_a], |w, a| {
        w.p.orgs().update(a, w.org_a, &change).map(|_| ())
    });
}

#[test]
fn verifying_organisations_is_for_admins() {
    let w = world();
    only(&w, "verify organisation", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.orgs().verify(a, w.org_a, true, None)?;
        w.p.orgs().verify(&Actor::Operator, w.org_a, false, None).map(|_| ())
    });
}

#[test]
fn creating_accounts_is_sign_up_or_admin() {
    let w = world();
    let n = std::sync::atomic::AtomicU32::new(0);
    only(&w, "create account", &[&Actor::Operator, &w.admin, &Actor::Anonymous], |w, a| {
        let name = format!("neu{}", n.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
        w.p.accounts().create(a, &NewAccount { pseudonym: name, ..Default::default() }).map(|_| ())
    });
}

#[test]
fn viewing_accounts_needs_signing_in() {
    let w = world();
    let allowed = [&Actor::Operator, &w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member, &w.silenced];
    only(&w, "view account", &allowed, |w, a| w.p.accounts().get(a, w.staff_id).map(|_| ()));
}

#[test]
fn listing_accounts_is_for_moderators_and_admins() {
    let w = world();
    only(&w, "list accounts", &[&Actor::Operator, &w.admin, &w.moderator], |w, a| {
        w.p.accounts().list(a, &AccountFilter::default(), &PageRequest::default()).map(|_| ())
    });
}

#[test]
fn editing_an_account_is_for_its_owner_and_admins() {
    let w = world();
    let change = AccountUpdate { languages: Some(vec!["de".into()]), ..Default::default() };
    only(&w, "edit member's account", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        w.p.accounts().update(a, w.member_id, &change).map(|_| ())
    });
}

#[test]
fn granting_platform_roles_is_for_admins() {
    let w = world();
    only(&w, "grant moderator", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.accounts().grant_role(a, w.member_id, Role::Moderator, None)?;
        w.p.accounts().revoke_role(&Actor::Operator, w.member_id, Role::Moderator, None).map(|_| ())
    });
}

#[test]
fn staff_appoint_staff_and_supervisors_appoint_counsellors_of_their_own_organisation() {
    let w = world();
    let org_a = w.org_a;
    only(&w, "grant staff", &[&Actor::Operator, &w.admin, &w.staff_a], |w, a| {
        w.p.accounts().grant_role(a, w.member_id, Role::EmployerStaff { org: org_a }, None)?;
        w.p.accounts().revoke_role(&Actor::Operator, w.member_id, Role::EmployerStaff { org: org_a }, None).map(|_| ())
    });
    only(&w, "grant counsellor", &[&Actor::Operator, &w.admin, &w.supervisor_a], |w, a| {
        w.p.accounts().grant_role(a, w.member_id, Role::Counsellor { org: org_a }, None)?;
        w.p.accounts().revoke_role(&Actor::Operator, w.member_id, Role::Counsellor { org: org_a }, None).map(|_| ())
    });
    let org_b = org(&w.p, "Andere Stelle", "DK-84").id;
    only(&w, "grant staff of another org", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.accounts().grant_role(a, w.member_id, Role::EmployerStaff { org: org_b }, None)?;
        w.p.accounts().revoke_role(&Actor::Operator, w.member_id, Role::EmployerStaff { org: org_b }, None).map(|_| ())
    });
}

#[test]
fn restricting_members_is_for_moderators_and_admins() {
    let w = world();
    only(&w, "restrict member", &[&Actor::Operator, &w.admin, &w.moderator], |w, a| {
        w.p.accounts().restrict(a, w.member_id, Restriction::Ban, "spam")?;
        w.p.accounts().restrict(&Actor::Operator, w.member_id, Restriction::Reinstate, "test").map(|_| ())
    });
}

#[test]
fn moderators_cannot_restrict_staff_of_the_platform_and_nobody_restricts_themselves() {
    let w = world();
    let err = w.p.accounts().restrict(&w.moderator, w.admin_id, Restriction::Ban, "x").unwrap_err();
    assert!(matches!(&err, Error::PermissionDenied { reason, .. } if reason.contains("admins")), "{err:?}");
    let err = w.p.accounts().restrict(&w.admin, w.admin_id, Restriction::Ban, "x").unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }));
    let err = w.p.accounts().restrict(&w.moderator, w.moderator_id, Restriction::Ban, "x").unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }));
}

#[test]
fn setting_a_password_is_for_its_owner_and_admins() {
    let w = world();
    only(&w, "set password", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        w.p.accounts().set_password(a, w.member_id, "ein langes Passwort")
    });
}

#[test]
fn listing_and_revoking_sign_in_sessions_is_for_the_account_and_admins() {
    let w = world();
    w.p.accounts().set_password(&Actor::Operator, w.member_id, "ein langes Passwort").unwrap();
    only(&w, "list sessions", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        w.p.sessions().list(a, w.member_id).map(|_| ())
    });
    only(&w, "revoke session", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        let signed_in = w.p.sessions().sign_in("Mitglied", "ein langes Passwort", Duration::hours(1), None)?;
        let revoked = w.p.sessions().revoke(a, signed_in.session.id);
        w.p.sessions().sign_out(&signed_in.token).ok();
        revoked.map(|_| ())
    });
}

#[test]
fn choosing_notices_is_for_every_account_in_good_standing_for_itself() {
    let w = world();
    let accounts = [&w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member, &w.silenced];
    only(&w, "read one's notice choice", &accounts, |w, a| w.p.notices().settings(a).map(|_| ()));
    let push = NoticeSettings { email: false, push: true, push_url: Some("https://push.example.org/hook".into()) };
    only(&w, "choose one's notices", &accounts, |w, a| w.p.notices().set_settings(a, &push).map(|_| ()));
}

#[test]
fn claiming_outbound_notices_is_for_the_operator_only() {
    let w = world();
    only(&w, "claim notices", &[&Actor::Operator], |w, a| w.p.notices().claim(a, 10, "https://x.example").map(|_| ()));
}

#[test]
fn syncing_a_replica_is_for_every_signed_in_account_in_good_standing() {
    let w = world();
    let signed_in = [&w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member, &w.silenced];
    only(&w, "sync a replica", &signed_in, |w, a| w.p.syncing().changes(a, None).map(|_| ()));
    only(&w, "send a queued write", &signed_in, |w, a| {
        w.p.syncing().send_once(a, "e0000000-0000-4000-8000-000000000001", || Ok(serde_json::Value::Null)).map(|_| ())
    });
}

#[test]
fn reading_the_audit_log_is_for_admins() {
    let w = world();
    only(&w, "read audit", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.audit().list(a, &AuditFilter::default(), &PageRequest::default()).map(|_| ())
    });
}

#[test]
fn an_unknown_account_actor_is_denied() {
    let w = world();
    let err = w.p.orgs().get(&Actor::account(AccountId(9999)), w.org_a).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
}

#[test]
fn e_mail_is_shown_only_to_its_owner_and_admins() {
    let w = world();
    let change = AccountUpdate { email: Some("mitglied@example.org".into()), ..Default::default() };
    w.p.accounts().update(&w.member, w.member_id, &change).unwrap();
    for (who, sees) in
        [(&w.member, true), (&w.admin, true), (&Actor::Operator, true), (&w.moderator, false), (&w.staff_a, false)]
    {
        let seen = w.p.accounts().get(who, w.member_id).unwrap().email;
        assert_eq!(seen.is_some(), sees, "{who} seeing e-mail");
    }
}

fn verified(w: &World) {
    w.p.orgs().verify(&Actor::Operator, w.org_a, true, None).unwrap();
}

fn draft(w: &World, title: &str) -> Job {
    let new = NewJob {
        org: w.org_a,
        title: title.into(),
        description: "Genesungsbegleitung in der Tagesklinik.".into(),
        location: LocationInput::Coordinates { latitude: 50.93, longitude: 11.59, place: Some("Jena".into()) },
        contract: Contract::FixedTerm,
        hours: Hours { min: 19, max: 25 },
        pay: Some(Pay {
            min: 3300.0,
            max: None,
            unit: PayUnit::Month,
            currency: "EUR".into(),
            agreement: None,
            group: None,
        }),
        requirement: None,
        languages: vec!["de".into()],
        starts_on: None,
        expires_on: None,
        openings: None,
        contact: None,
    };
    w.p.jobs().create(&Actor::Operator, &new).unwrap()
}

#[test]
fn reading_published_jobs_is_public() {
    let w = world();
    verified(&w);
    let job = w.p.jobs().publish(&Actor::Operator, draft(&w, "Genesungsbegleiter:in").id).unwrap();
    let all = [
        &Actor::Operator,
        &w.admin,
        &w.moderator,
        &w.supervisor_a,
        &w.staff_a,
        &w.member,
        &w.silenced,
        &Actor::Anonymous,
    ];
    only(&w, "read a job", &all, |w, a| w.p.jobs().get(a, job.id).map(|_| ()));
    only(&w, "search jobs", &all, |w, a| {
        w.p.jobs().search(a, &JobQuery::default(), &PageRequest::default()).map(|_| ())
    });
    only(&w, "record a view", &all, |w, a| w.p.jobs().record_view(a, job.id));
}

#[test]
fn managing_jobs_is_for_staff_of_the_verified_organisation_and_admins() {
    let w = world();
    let managers = [&Actor::Operator, &w.admin, &w.staff_a];
    only(&w, "post while unverified", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.jobs().create(a, &draft_input(w)).map(|_| ())
    });
    verified(&w);
    only(&w, "post", &managers, |w, a| w.p.jobs().create(a, &draft_input(w)).map(|_| ()));
    only(&w, "publish and withdraw", &managers, |w, a| {
        let job = draft(w, "Peer-Beratung");
        w.p.jobs().publish(a, job.id)?;
        w.p.jobs().withdraw(a, job.id, None).map(|_| ())
    });
    let job = w.p.jobs().publish(&Actor::Operator, draft(&w, "Stelle mit Aufrufen").id).unwrap();
    only(&w, "see views and interest", &managers, |w, a| {
        w.p.jobs().views(a, job.id)?;
        w.p.interests().for_job(a, job.id).map(|_| ())
    });
    only(&w, "see own drafts", &managers, |w, a| {
        let own = JobQuery { org: Some(w.org_a), include_unpublished: true, ..Default::default() };
        w.p.jobs().search(a, &own, &PageRequest::default()).map(|_| ())
    });
}

fn draft_input(w: &World) -> NewJob {
    let job = draft(w, "Vorlage");
    NewJob {
        org: job.org,
        title: "Neue Stelle".into(),
        description: job.description,
        location: LocationInput::Remote,
        contract: job.contract,
        hours: job.hours,
        pay: job.pay,
        requirement: None,
        languages: job.languages,
        starts_on: None,
        expires_on: None,
        openings: None,
        contact: None,
    }
}

#[test]
fn seeker_profiles_are_kept_by_their_owner_and_seen_by_verified_employers_after_opt_in() {
    let w = world();
    verified(&w);
    let input = SeekerProfileInput { findable: true, languages: vec!["de".into()], ..Default::default() };
    only(&w, "keep a seeker profile", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        w.p.seekers().set(a, w.member_id, &input).map(|_| ())
    });
    only(&w, "see a findable profile", &[&Actor::Operator, &w.admin, &w.member, &w.staff_a], |w, a| {
        w.p.seekers().get(a, w.member_id).map(|_| ())
    });
    let hidden = SeekerProfileInput { findable: false, ..input.clone() };
    w.p.seekers().set(&Actor::Operator, w.member_id, &hidden).unwrap();
    only(&w, "see a hidden profile", &[&Actor::Operator, &w.admin, &w.member, &w.staff_a], |w, a| {
        w.p.seekers().get(a, w.member_id).map(|_| ()).or_else(|e| match e {
            // Verified staff learn nothing from a hidden profile: it answers as if missing.
            Error::NotFound { .. } if std::ptr::eq(a, &w.staff_a) => Ok(()),
            other => Err(other),
        })
    });
}

#[test]
fn saved_searches_interest_and_inboxes_belong_to_active_accounts() {
    let w = world();
    verified(&w);
    let job = w.p.jobs().publish(&Actor::Operator, draft(&w, "Peer-Support").id).unwrap();
    let accounts = [&w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member, &w.silenced];
    only(&w, "save a search", &accounts, |w, a| {
        let saved = w.p.alerts().add(a, "Jena", &JobQuery::default())?;
        w.p.alerts().remove(a, saved.id)
    });
    only(&w, "read the inbox", &accounts, |w, a| w.p.inbox().list(a, false, &PageRequest::default()).map(|_| ()));
    only(&w, "mark interest", &accounts, |w, a| {
        let interest = w.p.interests().mark(a, job.id, None)?;
        w.p.interests().withdraw(a, interest.id).map(|_| ())
    });
}

#[test]
fn platform_statistics_are_for_admins() {
    let w = world();
    only(&w, "all job views", &[&Actor::Operator, &w.admin], |w, a| w.p.jobs().total_views(a).map(|_| ()));
}
const GAZETTEER_ROW: &str = "DE\t07743\tJena\tThüringen\tTH\t\t00\t\t\t50.9271\t11.5892\t4\n";

#[test]
fn looking_up_postcodes_and_places_is_public() {
    let w = world();
    w.p.geo().import(&Actor::Operator, GAZETTEER_ROW.as_bytes(), &mut |_| {}).unwrap();
    let all = everyone_not_suspended(&w);
    only(&w, "look up postcode", &all, |w, a| w.p.geo().lookup(a, "DE", "07743").map(|_| ()));
    only(&w, "search places", &all, |w, a| w.p.geo().search(a, "jen", None, 5).map(|_| ()));
    only(&w, "list gazetteers", &all, |w, a| w.p.geo().countries(a).map(|_| ()));
}

#[test]
fn importing_a_gazetteer_is_for_admins() {
    let w = world();
    only(&w, "import gazetteer", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.geo().import(a, GAZETTEER_ROW.as_bytes(), &mut |_| {}).map(|_| ())
    });
}

#[test]
fn reading_platform_settings_is_public_and_changing_them_is_for_admins() {
    let w = world();
    let all = everyone_not_suspended(&w);
    only(&w, "read suggestion weights", &all, |w, a| w.p.settings().suggestion_weights(a).map(|_| ()));
    only(&w, "change suggestion weights", &[&Actor::Operator, &w.admin], |w, a| {
        let weights = SuggestionWeights { distance: 40.0, ..SuggestionWeights::default() };
        w.p.settings().set_suggestion_weights(a, &weights)?;
        w.p.settings().reset_suggestion_weights(a).map(|_| ())
    });
}

#[test]
fn job_suggestions_are_for_the_seeker_and_seeker_suggestions_for_the_verified_employer() {
    let w = world();
    verified(&w);
    let job = w.p.jobs().publish(&Actor::Operator, draft(&w, "Genesungsbegleitung").id).unwrap();
    let profile = SeekerProfileInput {
        location: Some(LocationInput::Coordinates { latitude: 50.93, longitude: 11.59, place: None }),
        languages: vec!["de".into()],
        findable: true,
        ..Default::default()
    };
    w.p.seekers().set(&Actor::Operator, w.member_id, &profile).unwrap();
    only(&w, "suggest jobs for a seeker", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        let found = w.p.jobs().suggest_for_seeker(a, w.member_id, None)?;
        assert_eq!(found.len(), 1, "{found:?}");
        Ok(())
    });
    only(&w, "suggest seekers for a job", &[&Actor::Operator, &w.admin, &w.staff_a], |w, a| {
        let found = w.p.seekers().suggest_for_job(a, job.id, None)?;
        assert_eq!(found.len(), 1, "{found:?}");
        Ok(())
    });
}

#[test]
fn matchings_are_run_and_decided_by_supervisors_and_admins() {
    use trialog_core::matching::{Applicant, Placement, StableInput};
    let w = world();
    let input = RunInput::Placements {
        input: StableInput {
            applicants: vec![Applicant { id: "ana".into(), preferences: vec!["klinik".into()] }],
            placements: vec![Placement { id: "klinik".into(), capacity: 1, ranking: vec!["ana".into()] }],
        },
    };
    let coordinators = [&Actor::Operator, &w.admin, &w.supervisor_a];
    only(&w, "run a matching", &coordinators, |w, a| w.p.match_runs().run(a, "Jena", &input).map(|_| ()));
    only(&w, "list runs", &coordinators, |w, a| {
        w.p.match_runs().list(a, &MatchRunFilter::default(), &PageRequest::default()).map(|_| ())
    });
    only(&w, "show a run", &coordinators, |w, a| w.p.match_runs().get(a, 1).map(|_| ()));
    only(&w, "accept and decline pairs", &coordinators, |w, a| {
        // A cohort per actor: a pair declined in a cohort is never proposed there again.
        let run = w.p.match_runs().run(&Actor::Operator, &format!("accept {a}"), &input)?;
        w.p.match_runs().accept(a, run.id, "ana", None)?;
        let run = w.p.match_runs().run(&Actor::Operator, &format!("decline {a}"), &input)?;
        w.p.match_runs().decline(a, run.id, "ana", None).map(|_| ())
    });
}

fn forum_board(w: &World, slug: &str, audience: Audience) -> BoardId {
    let new = NewBoard {
        slug: slug.into(),
        title: slug.into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience,
        moderation: ModerationMode::Open,
    };
    w.p.forums().create_board(&Actor::Operator, &new).unwrap().id
}

fn forum_thread(w: &World, board: BoardId) -> Posted {
    let new = NewThread { board, title: "Frage".into(), body: "Text".into(), tags: vec![], anonymous: false };
    w.p.forums().create_thread(&w.member, &new).unwrap()
}

#[test]
fn reading_a_public_board_is_for_everyone_in_good_standing() {
    let w = world();
    let board = forum_board(&w, "offen", Audience::Public);
    let thread = forum_thread(&w, board).thread.id;
    let all = everyone_not_suspended(&w);
    only(&w, "board page", &all, |w, a| w.p.forums().board_page(a, board, &PageRequest::default()).map(|_| ()));
    only(&w, "thread page", &all, |w, a| w.p.forums().thread_page(a, thread, &PageRequest::default()).map(|_| ()));
    only(&w, "read and count a view", &all, |w, a| {
        w.p.forums().read_thread(a, thread, &PageRequest::default(), None).map(|_| ())
    });
    only(&w, "search", &all, |w, a| {
        w.p.forums()
            .search(a, &ForumQuery { text: "Frage".into(), board: Some(board) }, &PageRequest::default())
            .map(|_| ())
    });
}

#[test]
fn reading_a_members_board_needs_an_account() {
    let w = world();
    let board = forum_board(&w, "mitglieder", Audience::Members);
    let allowed = [&Actor::Operator, &w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member, &w.silenced];
    only(&w, "members board", &allowed, |w, a| w.p.forums().board_page(a, board, &PageRequest::default()).map(|_| ()));
}

#[test]
fn reading_a_perspectives_board_is_for_that_perspective_and_moderators() {
    let w = world();
    let board = forum_board(&w, "angehoerige", Audience::Perspectives { perspectives: vec![Perspective::Relative] });
    only(&w, "relatives board", &[&Actor::Operator, &w.admin, &w.moderator], |w, a| {
        w.p.forums().board(a, board).map(|_| ())
    });
    let relative = AccountUpdate { perspective: Some(Perspective::Relative), ..Default::default() };
    w.p.accounts().update(&Actor::Operator, w.member_id, &relative).unwrap();
    only(
        &w,
        "relatives board, member is a relative",
        &[&Actor::Operator, &w.admin, &w.moderator, &w.member],
        |w, a| w.p.forums().board(a, board).map(|_| ()),
    );
}

#[test]
fn reading_an_organisation_board_is_for_people_of_the_organisation_and_moderators() {
    let w = world();
    let board = forum_board(&w, "team", Audience::Organisation { org: w.org_a });
    let allowed = [&Actor::Operator, &w.admin, &w.moderator, &w.supervisor_a, &w.staff_a];
    only(&w, "organisation board", &allowed, |w, a| w.p.forums().board(a, board).map(|_| ()));
}

#[test]
fn posting_needs_an_account_that_is_not_silenced() {
    let w = world();
    let board = forum_board(&w, "offen", Audience::Public);
    let thread = forum_thread(&w, board).thread.id;
    let posters = [&w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member];
    only(&w, "start a thread", &posters, |w, a| {
        let new = NewThread { board, title: "Neu".into(), body: "Text".into(), tags: vec![], anonymous: false };
        w.p.forums().create_thread(a, &new).map(|_| ())
    });
    only(&w, "reply", &posters, |w, a| {
        let new = NewReply { thread, body: "Antwort".into(), reply_to: None, anonymous: true };
        w.p.forums().reply(a, &new).map(|_| ())
    });
}

#[test]
fn managing_boards_is_for_admins() {
    let w = world();
    let board = forum_board(&w, "verwaltet", Audience::Members);
    only(&w, "edit a board", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.forums().update_board(a, board, &BoardUpdate { position: Some(3), ..Default::default() }).map(|_| ())
    });
    only(&w, "archive a board", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.forums().archive_board(a, board, true)?;
        w.p.forums().archive_board(&Actor::Operator, board, false).map(|_| ())
    });
}

#[test]
fn moderating_the_forums_is_for_moderators_and_admins() {
    let w = world();
    let board = forum_board(&w, "moderiert", Audience::Members);
    let other = forum_board(&w, "anderes", Audience::Members);
    let moderators = [&Actor::Operator, &w.admin, &w.moderator];
    only(&w, "pin", &moderators, |w, a| {
        let thread = forum_thread(w, board).thread.id;
        w.p.forums().pin_thread(a, thread, true).map(|_| ())
    });
    only(&w, "lock", &moderators, |w, a| {
        let thread = forum_thread(w, board).thread.id;
        w.p.forums().lock_thread(a, thread, true).map(|_| ())
    });
    only(&w, "move", &moderators, |w, a| {
        let thread = forum_thread(w, board).thread.id;
        w.p.forums().move_thread(a, thread, other).map(|_| ())
    });
    only(&w, "hide and restore", &moderators, |w, a| {
        let post = forum_thread(w, board).post.id;
        w.p.forums().moderate_post(a, post, ModerationAction::Hide, None)?;
        w.p.forums().moderate_post(a, post, ModerationAction::Restore, None).map(|_| ())
    });
    only(&w, "the queue", &moderators, |w, a| w.p.forums().queue(a, &PageRequest::default()).map(|_| ()));
    only(&w, "restrict an author through a post", &moderators, |w, a| {
        let post = forum_thread(w, board).post.id;
        w.p.forums().restrict_author(a, post, Restriction::Ban, "Test")?;
        w.p.accounts().restrict(&Actor::Operator, w.member_id, Restriction::Reinstate, "Test").map(|_| ())
    });
    only(&w, "forum statistics", &moderators, |w, a| w.p.forums().stats(a, StatsPeriod::Month, None).map(|_| ()));
}

#[test]
fn editing_and_deleting_a_post_is_for_its_author_and_admins_and_its_history_also_for_moderators() {
    let w = world();
    let board = forum_board(&w, "eigenes", Audience::Members);
    let post = forum_thread(&w, board).post.id;
    only(&w, "edit a post", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        w.p.forums().edit_post(a, post, "Neuer Text", None).map(|_| ())
    });
    only(&w, "see its history", &[&Actor::Operator, &w.admin, &w.moderator, &w.member], |w, a| {
        w.p.forums().history(a, post).map(|_| ())
    });
    only(&w, "delete a post", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        let post = forum_thread(w, board).post.id;
        w.p.forums().delete_post(a, post).map(|_| ())
    });
}

#[test]
fn watching_and_read_positions_belong_to_accounts() {
    let w = world();
    let board = forum_board(&w, "beobachtet", Audience::Members);
    let thread = forum_thread(&w, board).thread.id;
    let accounts = [&w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member, &w.silenced];
    only(&w, "watch a thread", &accounts, |w, a| w.p.forums().watch_thread(a, thread, true));
    only(&w, "watch a board", &accounts, |w, a| w.p.forums().watch_board(a, board, true));
    only(&w, "mark read", &accounts, |w, a| w.p.forums().mark_read(a, thread, None).map(|_| ()));
    only(&w, "unread counts", &accounts, |w, a| w.p.forums().unread(a).map(|_| ()));
    only(&w, "forum notifications", &accounts, |w, a| {
        w.p.forums().notifications(a, false, &PageRequest::default()).map(|_| ())
    });
}

#[test]
fn only_admins_the_operator_and_the_author_learn_who_wrote_an_anonymous_post() {
    let w = world();
    let board = forum_board(&w, "anonym", Audience::Members);
    let new = NewThread { board, title: "Anonym".into(), body: "Text".into(), tags: vec![], anonymous: true };
    let thread = w.p.forums().create_thread(&w.member, &new).unwrap().thread.id;
    let readers = [
        (&Actor::Operator, true),
        (&w.admin, true),
        (&w.member, true),
        (&w.moderator, false),
        (&w.supervisor_a, false),
        (&w.staff_a, false),
        (&w.silenced, false),
    ];
    for (who, learns) in readers {
        let author = w.p.forums().thread(who, thread).unwrap().author;
        assert_eq!(author.account == Some(w.member_id), learns, "{who}: {author:?}");
    }
}

#[test]
fn reporting_is_for_signed_in_accounts_in_good_standing() {
    let w = world();
    let allowed = [&Actor::Operator, &w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member, &w.silenced];
    only(&w, "report", &allowed, |w, a| {
        let new = NewReport { target: Target::Account { id: w.staff_id }, reason: ReportReason::Spam, detail: None };
        w.p.moderation().report(a, &new).map(|_| ())
    });
}

#[test]
fn the_review_queue_and_word_tests_are_for_moderators_and_admins() {
    let w = world();
    let allowed = [&Actor::Operator, &w.admin, &w.moderator];
    only(&w, "review queue", &allowed, |w, a| {
        w.p.moderation().queue(a, ItemState::Pending, &PageRequest::default()).map(|_| ())
    });
    only(&w, "appeals queue", &allowed, |w, a| w.p.moderation().appeals(a, false, &PageRequest::default()).map(|_| ()));
    only(&w, "test watched words", &allowed, |w, a| w.p.moderation().test_words(a, "suizid", "de").map(|_| ()));
    only(&w, "list watched words", &allowed, |w, a| w.p.moderation().words(a).map(|_| ()));
}

#[test]
fn watched_words_crisis_resources_and_rules_are_edited_by_admins() {
    let w = world();
    let allowed = [&Actor::Operator, &w.admin];
    only(&w, "edit watched words", &allowed, |w, a| {
        w.p.moderation().add_word(a, &WatchedWord::new("de", "werbung", WordAction::Flag)).map(|_| ())
    });
    let resource = CrisisResource {
        country: "AT".into(),
        language: Some("de".into()),
        name: "Telefonseelsorge Österreich".into(),
        detail: "rund um die Uhr".into(),
        contact: Some("142".into()),
        url: None,
        source: Some("https://www.katholisch.at/telefonseelsorge".into()),
        checked_on: Some("2026-12-05".into()),
        verified: true,
    };
    only(&w, "edit crisis resources", &allowed, |w, a| w.p.moderation().set_resource(a, &resource).map(|_| ()));
    only(&w, "change moderation rules", &allowed, |w, a| {
        w.p.moderation().set_settings(a, &ModerationSettings::default()).map(|_| ())
    });
}

#[test]
fn the_moderation_log_is_public_but_names_moderators_only_to_moderators() {
    let w = world();
    let all = everyone_not_suspended(&w);
    only(&w, "read the moderation log", &all, |w, a| {
        w.p.moderation().log(a, None, &PageRequest::default()).map(|_| ())
    });
}
fn counsel_offer(org: OrgId) -> trialog_core::counsel::CounselOffer {
    trialog_core::counsel::CounselOffer {
        org,
        topics: vec![],
        languages: vec!["de".into()],
        regions: vec![],
        first_response_hours: 48,
        business_days: false,
    }
}

#[test]
fn counselling_topics_are_public_and_enquiring_needs_no_account() {
    let w = world();
    let all = everyone_not_suspended(&w);
    only(&w, "counselling topics", &all, |w, a| w.p.counsel().topics(a).map(|_| ()));
}

#[test]
fn counselling_offers_are_for_the_organisations_supervisors_and_admins() {
    let w = world();
    only(&w, "counselling offer", &[&Actor::Operator, &w.admin, &w.supervisor_a], |w, a| {
        w.p.counsel().set_offer(a, &counsel_offer(w.org_a)).map(|_| ())
    });
}

#[test]
fn counselling_queues_are_for_the_organisations_counsellors_supervisors_and_admins() {
    let w = world();
    only(&w, "counselling queue", &[&Actor::Operator, &w.admin, &w.supervisor_a], |w, a| {
        w.p.counsel().queue(a, w.org_a, &PageRequest::default()).map(|_| ())
    });
}

#[test]
fn counselling_statistics_are_for_supervisors_and_admins() {
    let w = world();
    only(&w, "counselling statistics", &[&Actor::Operator, &w.admin, &w.supervisor_a], |w, a| {
        w.p.counsel().stats(a, "2026-03").map(|_| ())
    });
}

#[test]
fn counselling_administration_is_for_admins() {
    let w = world();
    let admins = [&Actor::Operator, &w.admin];
    only(&w, "purge", &admins, |w, a| w.p.counsel().purge(a, true).map(|_| ()));
    only(&w, "SLA sweep", &admins, |w, a| w.p.counsel().escalate(a).map(|_| ()));
    only(&w, "all overdue cases", &admins, |w, a| w.p.counsel().overdue(a, None).map(|_| ()));
    only(&w, "retention", &admins, |w, a| w.p.counsel().retention_days(a).map(|_| ()));
}

#[test]
fn compacting_the_database_is_for_admins() {
    let w = world();
    only(&w, "compact", &[&Actor::Operator, &w.admin], |w, a| w.p.compact(a).map(|_| ()));
}

#[test]
fn the_platform_report_is_for_supervisors_and_admins() {
    let w = world();
    only(&w, "platform report", &[&Actor::Operator, &w.admin, &w.supervisor_a], |w, a| {
        w.p.reports().platform(a, "2026-Q1").map(drop)
    });
}

#[test]
fn an_organisation_report_is_for_its_supervisors_staff_and_admins() {
    let w = world();
    let allowed = [&Actor::Operator, &w.admin, &w.supervisor_a, &w.staff_a];
    only(&w, "organisation report", &allowed, |w, a| w.p.reports().org(a, w.org_a, "2026-Q1").map(drop));
    let org_b = w.p.orgs().create(&Actor::Operator, &new_org("Anderer Träger")).unwrap().id;
    only(&w, "another organisation's report", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.reports().org(a, org_b, "2026").map(drop)
    });
}

#[test]
fn the_disclosure_threshold_is_read_by_all_and_set_by_admins() {
    let w = world();
    let readers = everyone_not_suspended(&w);
    only(&w, "read the disclosure threshold", &readers, |w, a| w.p.settings().disclosure_threshold(a).map(drop));
    only(&w, "set the disclosure threshold", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.settings().set_disclosure_threshold(a, 5).map(drop)
    });
}

/// Makes org A a self-help contact point and adds an online group of it whose own contact
/// person is the member; lifts the daily request limit.
fn directory(w: &World) -> GroupId {
    let change = OrganisationUpdate { kind: Some(OrgKind::SelfHelpContactPoint), ..Default::default() };
    w.p.orgs().update(&Actor::Operator, w.org_a, &change).unwrap();
    let many = GroupSettings { requests_per_day: 1000, ..w.p.groups().settings(&Actor::Operator).unwrap() };
    w.p.groups().set_settings(&Actor::Operator, &many).unwrap();
    online_group(w)
}

fn online_group(w: &World) -> GroupId {
    let new = NewGroup {
        name: "Online-Gruppe".into(),
        description: String::new(),
        topics: vec![],
        keywords: vec![],
        audience: GroupAudience::Both,
        age_min: None,
        age_max: None,
        languages: vec!["de".into()],
        status: GroupStatus::Active,
        format: GroupFormat::Online,
        contact_point: Some(w.org_a),
        contact: Some(w.member_id),
        requests_to: None,
        place: None,
        meetings: vec![],
        accessibility: vec![],
        accessibility_notes: None,
    };
    w.p.groups().create(&Actor::Operator, &new).unwrap().id
}

/// A fresh request of the staff member to a fresh group (so every attempt finds one open).
fn fresh_request(w: &World) -> ContactRequestId {
    let group = online_group(w);
    let ask = NewContactRequest { group, message: "Hallo".into(), reach: "Inbox".into() };
    w.p.groups().ask_to_join(&w.staff_a, &ask).unwrap().id
}

#[test]
fn the_directory_is_open_to_everyone_but_the_suspended() {
    let w = world();
    let group = directory(&w);
    let all = [
        &Actor::Operator,
        &w.admin,
        &w.moderator,
        &w.supervisor_a,
        &w.staff_a,
        &w.member,
        &w.silenced,
        &Actor::Anonymous,
    ];
    only(&w, "search groups", &all, |w, a| {
        w.p.groups().search(a, &GroupQuery::default(), &PageRequest::default()).map(|_| ())
    });
    only(&w, "show a group", &all, |w, a| w.p.groups().get(a, group).map(|_| ()));
}

#[test]
fn the_directory_is_exported_by_everyone_but_the_suspended_and_imported_by_admins() {
    let w = world();
    directory(&w);
    let readers = everyone_not_suspended(&w);
    only(&w, "export the directory as HSDS", &readers, |w, a| {
        w.p.groups().export_hsds(a, &PageRequest::default()).map(drop)
    });
    let file = w.p.groups().export_hsds(&Actor::Operator, &PageRequest::default()).unwrap().items[0].json.clone();
    only(&w, "import HSDS documents", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.groups().import_hsds(a, &file, true).map(drop)
    });
}

#[test]
fn groups_are_kept_by_their_contact_points_staff_and_their_own_contact() {
    let w = world();
    let group = directory(&w);
    let keepers = [&Actor::Operator, &w.admin, &w.staff_a, &w.member];
    only(&w, "confirm a group", &keepers, |w, a| w.p.groups().confirm(a, group).map(|_| ()));
    only(&w, "edit a group", &keepers, |w, a| {
        w.p.groups().update(a, group, &GroupUpdate { name: Some("Neu".into()), ..Default::default() }).map(|_| ())
    });
}

#[test]
fn a_contact_points_data_inbox_and_stale_list_are_for_its_staff() {
    let w = world();
    directory(&w);
    let staff = [&Actor::Operator, &w.admin, &w.staff_a];
    only(&w, "contact data", &staff, |w, a| {
        w.p.groups().set_org_contact(a, w.org_a, &OrgContactInput::default()).map(|_| ())
    });
    only(&w, "request inbox", &staff, |w, a| {
        w.p.groups().requests(a, w.org_a, None, &PageRequest::default()).map(|_| ())
    });
    only(&w, "stale list", &staff, |w, a| w.p.groups().stale(a, w.org_a, &PageRequest::default()).map(|_| ()));
}

#[test]
fn accounts_ask_to_join_and_only_the_contact_point_answers() {
    let w = world();
    directory(&w);
    let accounts = [&w.admin, &w.moderator, &w.supervisor_a, &w.staff_a, &w.member, &w.silenced];
    only(&w, "ask to join", &accounts, |w, a| {
        let group = online_group(w);
        let ask = NewContactRequest { group, message: "Hallo".into(), reach: "Inbox".into() };
        w.p.groups().ask_to_join(a, &ask).map(|_| ())
    });
    only(&w, "decline a request", &[&Actor::Operator, &w.admin, &w.staff_a], |w, a| {
        let id = fresh_request(w);
        w.p.groups().decline_request(a, id, None).map(|_| ())
    });
    only(&w, "forward a request", &[&Actor::Operator, &w.admin, &w.staff_a], |w, a| {
        let id = fresh_request(w);
        w.p.groups().forward_request(a, id).map(|_| ())
    });
    // Once forwarded, the group's contact person (the member) may connect it too.
    only(&w, "connect a forwarded request", &[&Actor::Operator, &w.admin, &w.staff_a, &w.member], |w, a| {
        let id = fresh_request(w);
        w.p.groups().forward_request(&Actor::Operator, id)?;
        w.p.groups().connect_request(a, id, None).map(|_| ())
    });
    only(&w, "withdraw a request", &[&Actor::Operator, &w.admin, &w.staff_a], |w, a| {
        let id = fresh_request(w);
        w.p.groups().withdraw_request(a, id).map(|_| ())
    });
}

/// A room of org A (a clinic of staff A) on Tuesday evenings; the directory of `directory`.
fn room(w: &World) -> RoomId {
    let new = NewRoom {
        org: w.org_a,
        name: "Raum 1".into(),
        place: GroupPlaceInput {
            country: "DE".into(),
            postcode: "07743".into(),
            venue: None,
            street: None,
            confidential: false,
        },
        capacity: 10,
        accessibility: vec![],
        accessibility_notes: None,
        windows: vec![OpeningHours { day: Weekday::Tuesday, opens: "08:00".into(), closes: "23:00".into() }],
    };
    w.p.groups().offer_room(&Actor::Operator, &new).unwrap().id
}

/// A fresh requested booking of a fresh group (the member is its contact) in a fresh room.
fn fresh_booking(w: &World) -> BookingId {
    let new = NewBooking {
        room: room(w),
        group: online_group(w),
        day: Weekday::Tuesday,
        starts: "18:00".into(),
        ends: "20:00".into(),
        valid_from: None,
        valid_until: None,
        people: 5,
    };
    w.p.groups().book_room(&Actor::Operator, &new).unwrap().id
}

fn place_jena(w: &World) {
    let gazetteer = "DE\t07743\tJena\tThüringen\tTH\t\t00\tJena\t16053\t50.9271\t11.5892\t4\n";
    w.p.geo().import(&Actor::Operator, gazetteer.as_bytes(), &mut |_| {}).unwrap();
}

#[test]
fn rooms_are_seen_by_everyone_and_offered_and_answered_by_their_organisations_staff() {
    let w = world();
    directory(&w);
    place_jena(&w);
    let id = room(&w);
    let all = everyone_not_suspended(&w);
    only(&w, "show a room", &all, |w, a| w.p.groups().room(a, id).map(drop));
    only(&w, "list rooms", &all, |w, a| w.p.groups().rooms(a, None, &PageRequest::default()).map(drop));
    let staff = [&Actor::Operator, &w.admin, &w.staff_a];
    let like = new_room_like(&w.p.groups().room(&Actor::Operator, id).unwrap());
    only(&w, "offer a room", &staff, |w, a| w.p.groups().offer_room(a, &like).map(drop));
    only(&w, "edit a room", &staff, |w, a| {
        w.p.groups().update_room(a, id, &RoomUpdate { capacity: Some(9), ..Default::default() }).map(drop)
    });
    only(&w, "a room's bookings", &staff, |w, a| w.p.groups().room_bookings(a, id, &PageRequest::default()).map(drop));
    only(&w, "confirm a booking", &staff, |w, a| w.p.groups().confirm_booking(a, fresh_booking(w), None).map(drop));
    only(&w, "decline a booking", &staff, |w, a| w.p.groups().decline_booking(a, fresh_booking(w), None).map(drop));
}

/// The input that offers a room like `room`.
fn new_room_like(room: &Room) -> NewRoom {
    NewRoom {
        org: room.org,
        name: room.name.clone(),
        place: GroupPlaceInput {
            country: room.place.country.clone(),
            postcode: room.place.postcode.clone(),
            venue: None,
            street: None,
            confidential: false,
        },
        capacity: room.capacity,
        accessibility: vec![],
        accessibility_notes: None,
        windows: room.windows.clone(),
    }
}

#[test]
fn groups_book_rooms_through_their_keepers_and_either_side_cancels() {
    let w = world();
    directory(&w);
    place_jena(&w);
    // Staff A is staff of the contact point and of the room's organisation; the member is the
    // group's own contact.
    let keepers = [&Actor::Operator, &w.admin, &w.staff_a, &w.member];
    only(&w, "book a room", &keepers, |w, a| {
        let new = NewBooking {
            room: room(w),
            group: online_group(w),
            day: Weekday::Tuesday,
            starts: "18:00".into(),
            ends: "20:00".into(),
            valid_from: None,
            valid_until: None,
            people: 5,
        };
        w.p.groups().book_room(a, &new).map(drop)
    });
    only(&w, "a group's bookings", &keepers, |w, a| w.p.groups().group_bookings(a, online_group(w)).map(drop));
    only(&w, "cancel a booking", &keepers, |w, a| w.p.groups().cancel_booking(a, fresh_booking(w), None).map(drop));
    only(&w, "the room overview", &[&Actor::Operator, &w.admin, &w.staff_a], |w, a| {
        w.p.groups().room_overview(a, w.org_a, false, &PageRequest::default()).map(drop)
    });
}

#[test]
fn the_directorys_settings_are_for_admins() {
    let w = world();
    only(&w, "directory settings", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.groups().set_settings(a, &GroupSettings::default()).map(|_| ())
    });
}

#[test]
fn exporting_an_account_is_for_the_person_and_admins() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let n = std::sync::atomic::AtomicU32::new(0);
    only(&w, "export", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        let out = dir.path().join(format!("{}.zip", n.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
        w.p.rights().export(a, w.member_id, &out).map(|_| ())
    });
    only(&w, "export as documents", &[&Actor::Operator, &w.admin, &w.member], |w, a| {
        w.p.rights().export_documents(a, w.member_id).map(|_| ())
    });
}

#[test]
fn erasing_an_account_is_for_the_person_and_admins() {
    let names =
        ["operator", "admin", "moderator", "supervisor", "staff", "member", "silenced", "suspended", "anonymous"];
    for name in names {
        let w = world();
        let actor = match name {
            "operator" => Actor::Operator,
            "admin" => w.admin.clone(),
            "moderator" => w.moderator.clone(),
            "supervisor" => w.supervisor_a.clone(),
            "staff" => w.staff_a.clone(),
            "member" => w.member.clone(),
            "silenced" => w.silenced.clone(),
            "suspended" => w.suspended.clone(),
            _ => Actor::Anonymous,
        };
        let result = w.p.rights().erase(&actor, w.member_id, None, "on request");
        if ["operator", "admin", "member"].contains(&name) {
            assert!(result.is_ok(), "erase: {name} should be allowed, got {result:?}");
        } else {
            assert!(
                matches!(result, Err(Error::PermissionDenied { .. })),
                "erase: {name} should be denied, got {result:?}"
            );
        }
    }
}

#[test]
fn the_retention_rule_is_for_admins() {
    let w = world();
    only(&w, "read retention", &[&Actor::Operator, &w.admin], |w, a| w.p.rights().retention(a).map(|_| ()));
    only(&w, "list warnings", &[&Actor::Operator, &w.admin], |w, a| w.p.rights().warnings(a).map(|_| ()));
    let rule = RetentionSettings { inactive_months: Some(24), ..Default::default() };
    only(&w, "set retention", &[&Actor::Operator, &w.admin], |w, a| w.p.rights().set_retention(a, &rule).map(|_| ()));
}

/// An EX-IN programme of organisation A with one elective module (so it is complete from the
/// start) and the member as its only trainee.
fn programme(w: &World) -> Programme {
    let course = NewCourse {
        org: w.org_a,
        title: "Trialog".into(),
        description: "Ein Modul.".into(),
        topics: vec![],
        language: "de".into(),
        audience: CourseAudience::Everyone,
        format: CourseFormat::Online,
        place: None,
        online_link: Some("https://meet.example.org/trialog".into()),
        sessions: vec![SessionInput {
            start: "2026-05-04T10:00".into(),
            end: "2026-05-04T12:00".into(),
            time_zone: "Europe/Berlin".into(),
            repeat: None,
        }],
        capacity: 10,
        fee: Fee::Free,
        registration_opens: None,
        registration_closes: None,
        prerequisites: vec![],
        trialogic: false,
        settings: None,
    };
    let course = w.p.courses().create(&w.staff_a, &course).unwrap();
    let new = NewProgramme {
        org: w.org_a,
        title: "EX-IN".into(),
        kind: ProgrammeKind::ExIn,
        modules: vec![ProgrammeModule { course: course.id, elective: true }],
    };
    let p = w.p.programmes().create(&w.staff_a, &new).unwrap();
    let cohort = NewCohort { name: "Kurs 1".into(), start: "2026-05-01".parse().unwrap(), trainees: vec![w.member_id] };
    w.p.programmes().add_cohort(&w.staff_a, p.id, &cohort).unwrap()
}

#[test]
fn programmes_are_run_by_their_staff_seen_by_their_trainees_and_consent_is_the_trainees_alone() {
    let w = world();
    let host = w.p.orgs().create(&Actor::Operator, &new_org("Klinikum")).unwrap().id;
    let p = programme(&w);
    let cohort = p.cohorts[0].id;
    let places = [PlacementOffer { org: host, capacity: 1 }];
    let organisers = [&Actor::Operator, &w.admin, &w.staff_a];
    only(&w, "create a programme", &organisers, |w, a| {
        let new = NewProgramme {
            org: w.org_a,
            title: "Peer2Peer".into(),
            kind: ProgrammeKind::Peer2Peer,
            modules: p.modules.clone(),
        };
        w.p.programmes().create(a, &new).map(drop)
    });
    only(&w, "list programmes", &organisers, |w, a| {
        w.p.programmes().list(a, w.org_a, &PageRequest::first(10)).map(drop)
    });
    only(&w, "add a cohort", &organisers, |w, a| {
        let cohort = NewCohort { name: "Kurs 2".into(), start: "2026-09-01".parse().unwrap(), trainees: vec![] };
        w.p.programmes().add_cohort(a, p.id, &cohort).map(drop)
    });
    only(&w, "open a round", &organisers, |w, a| w.p.programmes().open_round(a, p.id, cohort, &places).map(drop));
    let trainee_or_staff = [&Actor::Operator, &w.admin, &w.staff_a, &w.member];
    only(&w, "see the programme", &trainee_or_staff, |w, a| w.p.programmes().get(a, p.id).map(drop));
    only(&w, "see progress", &trainee_or_staff, |w, a| w.p.programmes().progress(a, p.id, w.member_id).map(drop));
    let round = w.p.programmes().open_round(&w.staff_a, p.id, cohort, &places).unwrap();
    only(&w, "see a round", &trainee_or_staff, |w, a| w.p.programmes().round(a, round.id).map(drop));
    only(&w, "rank hosts", &trainee_or_staff, |w, a| {
        w.p.programmes().rank_hosts(a, round.id, w.member_id, &[host]).map(drop)
    });
    only(&w, "rank trainees", &organisers, |w, a| {
        w.p.programmes().rank_trainees(a, round.id, host, &[w.member_id]).map(drop)
    });
    only(&w, "run a round", &organisers, |w, a| {
        let ps = w.p.programmes();
        let round = ps.open_round(&w.staff_a, p.id, cohort, &places)?;
        ps.rank_hosts(&w.staff_a, round.id, w.member_id, &[host])?;
        ps.rank_trainees(&w.staff_a, round.id, host, &[w.member_id])?;
        ps.run_round(a, round.id).map(drop)
    });
    only(&w, "consent to the EX-IN status", &[&w.member], |w, a| {
        w.p.programmes().consent_exin_status(a, p.id, w.member_id).map(drop)
    });
}
