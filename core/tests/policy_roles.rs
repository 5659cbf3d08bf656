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
fn reading_the_audit_log_is_for_admins() {
    let w = world();
    only(&w, "read audit", &[&Actor::Operator, &w.admin], |w, a| {
        w.p.audit().list(a, &AuditFilter::default(), &PageRequest::default()).map(|_| ())
    });
}

#[test]
fn an_unknown_account_actor_is_denied() {
    let w = world();
    let err = w.p.orgs().get(&Actor::account(9999), w.org_a).unwrap_err();
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
