//! Organisations and the audit log.

mod common;

use common::*;
use trialog_core::*;

#[test]
fn a_member_who_registers_an_organisation_becomes_its_staff_and_it_starts_unverified() {
    let p = Platform::in_memory().unwrap();
    let kim = account(&p, "Kim_Leipzig", &[]);
    let me = Actor::account(kim.id);
    let new = NewOrganisation {
        name: " Peer-Arbeit Leipzig e.V. ".into(),
        kind: OrgKind::Association,
        region: "de-sn".into(),
        city: Some("Leipzig".into()),
        website: Some("https://peer-leipzig.example".into()),
    };
    let org = p.orgs().create(&me, &new).unwrap();
    assert_eq!(org.name, "Peer-Arbeit Leipzig e.V.");
    assert_eq!(org.region, "DE-SN");
    assert!(!org.verified);
    assert!(p.accounts().get(&me, kim.id).unwrap().has_role(&Role::EmployerStaff { org: org.id }));
    let renamed =
        p.orgs().update(&me, org.id, &OrganisationUpdate { website: Some("".into()), ..Default::default() }).unwrap();
    assert_eq!(renamed.website, None);
}

#[test]
fn organisation_input_errors_name_the_field() {
    let p = Platform::in_memory().unwrap();
    let base =
        NewOrganisation { name: "Ok".into(), kind: OrgKind::Clinic, region: "DE".into(), city: None, website: None };
    let bad = [
        (NewOrganisation { name: "".into(), ..base.clone() }, "name"),
        (NewOrganisation { name: "x".repeat(201), ..base.clone() }, "name"),
        (NewOrganisation { region: "Bayern".into(), ..base.clone() }, "region"),
        (NewOrganisation { website: Some("klinik.de".into()), ..base.clone() }, "website"),
        (NewOrganisation { city: Some("a\u{7}b".into()), ..base.clone() }, "city"),
    ];
    for (org, field) in bad {
        assert_eq!(field_of(p.orgs().create(&Actor::Operator, &org)), field);
    }
    assert_eq!(field_of("hospital".parse::<OrgKind>()), "kind");
}

#[test]
fn listing_filters_by_kind_verification_region_and_name() {
    let p = Platform::in_memory().unwrap();
    let jena = org(&p, "Soteria Jena", "DE-TH");
    org(&p, "Psykiatrifonden Aarhus", "DK-82");
    org(&p, "Selbsthilfe Erfurt", "DE-TH");
    p.orgs().verify(&Actor::Operator, jena.id, true, Some("Vereinsregister geprüft")).unwrap();
    let names = |f: OrganisationFilter| -> Vec<String> {
        p.orgs()
            .list(&Actor::Anonymous, &f, &PageRequest::default())
            .unwrap()
            .items
            .into_iter()
            .map(|o| o.name)
            .collect()
    };
    assert_eq!(names(OrganisationFilter { region: Some("de".into()), ..Default::default() }).len(), 2);
    assert_eq!(names(OrganisationFilter { verified: Some(true), ..Default::default() }), vec!["Soteria Jena"]);
    assert_eq!(
        names(OrganisationFilter { name_contains: Some("AARHUS".into()), ..Default::default() }),
        vec!["Psykiatrifonden Aarhus"]
    );
    assert_eq!(names(OrganisationFilter { kind: Some(OrgKind::Clinic), ..Default::default() }), Vec::<String>::new());
}

#[test]
fn administrative_actions_are_logged_newest_first_with_their_reason() {
    let clock = clock();
    let p = platform_with(&clock);
    let admin = account(&p, "Admina", &[Role::Admin]);
    let o = org(&p, "Klinikum Bielefeld", "DE-NW");
    let a = account(&p, "Peer_Bi", &[]);
    let by = Actor::account(admin.id);
    p.orgs().verify(&by, o.id, true, Some("Träger bekannt")).unwrap();
    p.accounts().grant_role(&by, a.id, Role::EmployerStaff { org: o.id }, Some("Leitung bestätigt")).unwrap();
    p.accounts().set_password(&by, a.id, "geheimes Passwort 1").unwrap();

    let all = p.audit().list(&by, &AuditFilter::default(), &PageRequest::default()).unwrap().items;
    let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(&actions[..3], ["account.password.reset", "account.role.grant", "org.verify"]);
    assert_eq!(all[1].actor, by);
    assert_eq!(all[1].target, format!("account:{}", a.id));
    assert!(all[1].reason.as_deref().unwrap().contains("Leitung bestätigt"));
    assert!(all.iter().all(|e| !format!("{e:?}").contains("geheimes")), "secrets must never reach the log");

    let only_org = AuditFilter { action_prefix: Some("org.".into()), ..Default::default() };
    let org_entries = p.audit().list(&by, &only_org, &PageRequest::default()).unwrap().items;
    assert!(org_entries.iter().all(|e| e.action.starts_with("org.")));
    assert_eq!(org_entries.len(), 2, "create and verify");

    let first = p.audit().list(&by, &AuditFilter::default(), &PageRequest::first(2)).unwrap();
    let rest =
        p.audit().list(&by, &AuditFilter::default(), &PageRequest::after(first.next_cursor.unwrap(), 50)).unwrap();
    assert_eq!(first.items.len() + rest.items.len(), all.len());
    assert!(rest.items[0].id < first.items[1].id);
}

#[test]
fn self_service_changes_are_not_administrative_and_stay_out_of_the_log() {
    let p = Platform::in_memory().unwrap();
    let a = p
        .accounts()
        .create(&Actor::Anonymous, &NewAccount { pseudonym: "Selbst".into(), ..Default::default() })
        .unwrap();
    let me = Actor::account(a.id);
    p.accounts()
        .update(&me, a.id, &AccountUpdate { languages: Some(vec!["de".into()]), ..Default::default() })
        .unwrap();
    p.accounts().set_password(&me, a.id, "mein eigenes Passwort").unwrap();
    assert!(
        p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::default()).unwrap().items.is_empty()
    );
}

#[test]
fn staff_who_rename_move_or_recast_a_verified_organisation_lose_the_badge_until_an_admin_checks_again() {
    let p = Platform::in_memory().unwrap();
    let admin = Actor::account(account(&p, "Verwaltung", &[Role::Admin]).id);
    let changes = [
        OrganisationUpdate { name: Some("Ganz anderer Name".into()), ..Default::default() },
        OrganisationUpdate { region: Some("DE-BY".into()), ..Default::default() },
        OrganisationUpdate { kind: Some(OrgKind::Employer), ..Default::default() },
    ];
    for (n, change) in changes.iter().enumerate() {
        let o = org(&p, &format!("Verein {n}"), "DE-TH");
        let staff = account(&p, &format!("Personal_{n}"), &[Role::EmployerStaff { org: o.id }]);
        p.orgs().verify(&admin, o.id, true, None).unwrap();
        let kept = p.orgs().update(
            &Actor::account(staff.id),
            o.id,
            &OrganisationUpdate { city: Some("Jena".into()), ..Default::default() },
        );
        assert!(kept.unwrap().verified, "a new city alone keeps the verification");
        let changed = p.orgs().update(&Actor::account(staff.id), o.id, change).unwrap();
        assert!(!changed.verified && changed.verified_at.is_none(), "{change:?} should withdraw the verification");
        let log = p.audit().list(&admin, &AuditFilter::default(), &PageRequest::first(50)).unwrap();
        let target = format!("org:{}", o.id);
        assert!(log.items.iter().any(|e| e.action == "org.unverify" && e.target == target), "audited");
        let inbox = p.inbox().list(&Actor::account(staff.id), true, &PageRequest::default()).unwrap();
        assert!(
            inbox.items.iter().any(|n| matches!(&n.event, Event::OrganisationUnverified { org, .. } if *org == o.id)),
            "staff are told: {inbox:?}"
        );
        p.orgs().verify(&admin, o.id, true, Some("neu geprüft")).unwrap();
        let by_admin =
            p.orgs().update(&admin, o.id, &OrganisationUpdate { name: Some(format!("Neu {n}")), ..Default::default() });
        assert!(by_admin.unwrap().verified, "an admin's own change keeps the verification");
    }
}

/// Found by the `cursors` fuzz target: a cursor at the largest id overflowed `id + 1` (a panic
/// in debug builds, in release a wrap back to the first page).
#[test]
fn a_cursor_at_the_largest_id_gives_an_empty_page_in_every_ascending_listing() {
    let p = Platform::in_memory().unwrap();
    org(&p, "Weglaufhaus Berlin", "DE-BE");
    let last = PageRequest::after(format!("k{}", u64::MAX), 5);
    let orgs = p.orgs().list(&Actor::Operator, &OrganisationFilter::default(), &last).unwrap();
    assert!(orgs.items.is_empty() && orgs.next_cursor.is_none(), "{orgs:?}");
    let accounts = p.accounts().list(&Actor::Operator, &AccountFilter::default(), &last).unwrap();
    assert!(accounts.items.is_empty() && accounts.next_cursor.is_none(), "{accounts:?}");
}
