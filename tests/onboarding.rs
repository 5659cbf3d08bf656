//! A whole onboarding story across organisations, accounts, roles, restrictions and audit,
//! through the root `trialog` crate as a host application would use it.

use std::sync::Arc;

use chrono::Duration;
use trialog::*;

#[test]
fn an_employer_joins_is_verified_staffs_up_and_a_moderator_keeps_the_peace() {
    let clock = TestClock::at("2026-09-01T08:00:00Z".parse().unwrap());
    let p = Platform::in_memory_with(PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() }).unwrap();
    let ops = Actor::Operator;

    // The operator appoints an admin and a moderator.
    let admin =
        p.accounts().create(&ops, &NewAccount { pseudonym: "Plattform_Admin".into(), ..Default::default() }).unwrap();
    p.accounts().grant_role(&ops, admin.id, Role::Admin, Some("Betreiberin")).unwrap();
    let moderator =
        p.accounts().create(&ops, &NewAccount { pseudonym: "Mod_Nord".into(), ..Default::default() }).unwrap();
    p.accounts().grant_role(&Actor::account(admin.id), moderator.id, Role::Moderator, None).unwrap();

    // A professional signs up and registers her clinic; she becomes its staff.
    let lead = p
        .accounts()
        .create(
            &Actor::Anonymous,
            &NewAccount {
                pseudonym: "Stationsleitung_HH".into(),
                perspective: Perspective::Professional,
                languages: vec!["de".into()],
                home_region: Some("DE-HH".into()),
                email: Some("leitung@klinik.example".into()),
                ..Default::default()
            },
        )
        .unwrap();
    p.accounts().set_password(&Actor::account(lead.id), lead.id, "Elbphilharmonie 2026").unwrap();
    let lead_actor =
        Actor::account(p.accounts().authenticate("stationsleitung_hh", "Elbphilharmonie 2026").unwrap().id);
    let clinic = p
        .orgs()
        .create(
            &lead_actor,
            &NewOrganisation {
                name: "Klinik Nord, Psychiatrie".into(),
                kind: OrgKind::Clinic,
                region: "DE-HH".into(),
                city: Some("Hamburg".into()),
                website: None,
            },
        )
        .unwrap();
    assert!(!clinic.verified);

    // Only an admin can verify it.
    assert!(matches!(p.orgs().verify(&lead_actor, clinic.id, true, None), Err(Error::PermissionDenied { .. })));
    p.orgs().verify(&Actor::account(admin.id), clinic.id, true, Some("Handelsregister geprüft")).unwrap();

    // The staff member appoints a colleague with lived experience.
    let peer = p
        .accounts()
        .create(
            &Actor::Anonymous,
            &NewAccount {
                pseudonym: "Genesungsbegleiter_Jo".into(),
                perspective: Perspective::LivedExperience,
                ..Default::default()
            },
        )
        .unwrap();
    p.accounts().grant_role(&lead_actor, peer.id, Role::EmployerStaff { org: clinic.id }, None).unwrap();
    let staff = p
        .accounts()
        .list(&ops, &AccountFilter { org: Some(clinic.id), ..Default::default() }, &PageRequest::default())
        .unwrap();
    assert_eq!(staff.items.iter().map(|a| a.id).collect::<Vec<_>>(), vec![lead.id, peer.id]);

    // A troll is suspended for a week by the moderator, and is back afterwards.
    let troll = p
        .accounts()
        .create(&Actor::Anonymous, &NewAccount { pseudonym: "Laut123".into(), ..Default::default() })
        .unwrap();
    let until = clock.now() + Duration::days(7);
    p.accounts()
        .restrict(&Actor::account(moderator.id), troll.id, Restriction::Suspend { until }, "Beleidigungen")
        .unwrap();
    assert!(
        p.orgs().create(&Actor::account(troll.id), &NewOrganisation { name: "X".into(), ..clinic_like() }).is_err()
    );
    clock.advance(Duration::days(8));
    assert!(p.orgs().create(&Actor::account(troll.id), &NewOrganisation { name: "X".into(), ..clinic_like() }).is_ok());

    // Everything administrative is in the log, and the lead's e-mail is not.
    let log =
        p.audit().list(&Actor::account(admin.id), &AuditFilter::default(), &PageRequest::first(100)).unwrap().items;
    let actions: Vec<&str> = log.iter().rev().map(|e| e.action.as_str()).collect();
    for expected in ["account.role.grant", "org.create", "org.verify", "account.suspend"] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    assert!(log.iter().all(|e| !format!("{e:?}").contains("klinik.example")));
    assert!(p.integrity().unwrap().problems.is_empty());
}

fn clinic_like() -> NewOrganisation {
    NewOrganisation { name: String::new(), kind: OrgKind::Employer, region: "DE".into(), city: None, website: None }
}
