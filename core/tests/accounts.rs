//! Accounts: sign-up rules, uniqueness, listing, restrictions, passwords.

mod common;

use chrono::Duration;
use common::*;
use trialog_core::*;

fn new(pseudonym: &str) -> NewAccount {
    NewAccount { pseudonym: pseudonym.into(), ..Default::default() }
}

#[test]
fn pseudonyms_are_unique_regardless_of_case_and_unicode_form() {
    let p = Platform::in_memory().unwrap();
    p.accounts().create(&Actor::Anonymous, &new("Jürgen_HH")).unwrap();
    for clash in ["jürgen_hh", "JU\u{308}RGEN_HH", "  Jürgen_HH "] {
        let err = p.accounts().create(&Actor::Anonymous, &new(clash)).unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{clash}: {err:?}");
    }
    let found = p.accounts().find_by_pseudonym(&Actor::Operator, "JÜRGEN_hh").unwrap();
    assert_eq!(found.pseudonym, "Jürgen_HH");
}

#[test]
fn new_accounts_are_members_with_validated_details() {
    let p = Platform::in_memory().unwrap();
    let a = p
        .accounts()
        .create(
            &Actor::Anonymous,
            &NewAccount {
                pseudonym: "Sofie.Aarhus".into(),
                perspective: Perspective::Relative,
                languages: vec!["DA".into(), "en".into()],
                home_region: Some("dk-82".into()),
                email: Some("sofie@Example.DK".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(a.roles, vec![Role::Member]);
    assert_eq!(a.languages, vec!["da", "en"]);
    assert_eq!(a.home_region.as_deref(), Some("DK-82"));
    assert_eq!(a.email.as_deref(), Some("sofie@example.dk"));
    assert_eq!(a.status, AccountStatus::Active);
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let p = Platform::in_memory().unwrap();
    let cases = [
        (NewAccount { pseudonym: "x".into(), ..Default::default() }, "pseudonym"),
        (
            NewAccount { pseudonym: "gut_genug".into(), languages: vec!["deutsch".into()], ..Default::default() },
            "languages",
        ),
        (
            NewAccount { pseudonym: "gut_genug".into(), home_region: Some("Thüringen".into()), ..Default::default() },
            "home_region",
        ),
        (NewAccount { pseudonym: "gut_genug".into(), email: Some("kein-at".into()), ..Default::default() }, "email"),
    ];
    for (account, field) in cases {
        assert_eq!(field_of(p.accounts().create(&Actor::Anonymous, &account)), field);
    }
    let first = p.accounts().create(&Actor::Anonymous, &new("gut_genug")).unwrap();
    assert_eq!(first.id, AccountId(1), "failed attempts must not use up ids");
    assert_eq!(p.integrity().unwrap().accounts, 1);
}

#[test]
fn listing_walks_every_match_exactly_once_across_pages() {
    let p = Platform::in_memory().unwrap();
    for i in 0..23 {
        let perspective = if i % 3 == 0 { Perspective::Professional } else { Perspective::LivedExperience };
        p.accounts()
            .create(
                &Actor::Operator,
                &NewAccount { pseudonym: format!("peer{i:02}"), perspective, ..Default::default() },
            )
            .unwrap();
    }
    let filter = AccountFilter { perspective: Some(Perspective::LivedExperience), ..Default::default() };
    let mut seen = Vec::new();
    let mut page = PageRequest::first(4);
    loop {
        let got = p.accounts().list(&Actor::Operator, &filter, &page).unwrap();
        assert!(got.items.len() <= 4);
        seen.extend(got.items.iter().map(|a| a.pseudonym.clone()));
        match got.next_cursor {
            Some(c) => page = PageRequest::after(c, 4),
            None => break,
        }
    }
    let expected: Vec<String> = (0..23).filter(|i| i % 3 != 0).map(|i| format!("peer{i:02}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn listing_filters_by_role_organisation_status_and_prefix() {
    let clock = clock();
    let p = platform_with(&clock);
    let o = org(&p, "Kontaktstelle Erfurt", "DE-TH");
    let c = account(&p, "Beraterin1", &[Role::Counsellor { org: o.id }]);
    account(&p, "Beraterin2", &[Role::Moderator]);
    let list = |f: AccountFilter| -> Vec<AccountId> {
        p.accounts().list(&Actor::Operator, &f, &PageRequest::default()).unwrap().items.iter().map(|a| a.id).collect()
    };
    assert_eq!(list(AccountFilter { role: Some(RoleKind::Counsellor), ..Default::default() }), vec![c.id]);
    assert_eq!(list(AccountFilter { org: Some(o.id), ..Default::default() }), vec![c.id]);
    assert_eq!(list(AccountFilter { pseudonym_prefix: Some("BERATERIN".into()), ..Default::default() }).len(), 2);
    let until = clock.now() + Duration::hours(1);
    p.accounts().restrict(&Actor::Operator, c.id, Restriction::Suspend { until }, "Pause").unwrap();
    assert_eq!(list(AccountFilter { status: Some(StatusKind::Suspended), ..Default::default() }), vec![c.id]);
    clock.advance(Duration::hours(2));
    assert!(list(AccountFilter { status: Some(StatusKind::Suspended), ..Default::default() }).is_empty());
}

#[test]
fn suspension_ends_by_the_clock_and_must_lie_in_the_future() {
    let clock = clock();
    let p = platform_with(&clock);
    let a = account(&p, "Pausiert", &[]);
    let past = clock.now() - Duration::minutes(1);
    assert_eq!(
        field_of(p.accounts().restrict(&Actor::Operator, a.id, Restriction::Suspend { until: past }, "x")),
        "until"
    );
    assert_eq!(field_of(p.accounts().restrict(&Actor::Operator, a.id, Restriction::Ban, "  ")), "reason");
    let until = clock.now() + Duration::days(7);
    p.accounts().restrict(&Actor::Operator, a.id, Restriction::Suspend { until }, "Regelverstoß").unwrap();
    let me = Actor::account(a.id);
    assert!(matches!(p.orgs().get(&me, OrgId(1)), Err(Error::PermissionDenied { .. }) | Err(Error::NotFound { .. })));
    assert!(matches!(
        p.accounts().update(&me, a.id, &AccountUpdate::default()),
        Err(Error::PermissionDenied { reason, .. }) if reason.contains("suspended until")
    ));
    clock.advance(Duration::days(7));
    p.accounts().update(&me, a.id, &AccountUpdate::default()).unwrap();
    assert_eq!(p.accounts().get(&me, a.id).unwrap().status, AccountStatus::Active);
}

#[test]
fn sign_in_checks_the_password_and_throttles_guessing() {
    let clock = clock();
    let p = platform_with(&clock);
    let a = account(&p, "Lotte", &[]);
    p.accounts().set_password(&Actor::account(a.id), a.id, "Morgenrot über Jena").unwrap();
    assert_eq!(p.accounts().authenticate("lotte", "Morgenrot über Jena").unwrap().id, a.id);

    let wrong_password = p.accounts().authenticate("Lotte", "falsch falsch").unwrap_err();
    let unknown_name = p.accounts().authenticate("Niemand", "falsch falsch").unwrap_err();
    assert_eq!(wrong_password, unknown_name, "a wrong pseudonym must look like a wrong password");

    for _ in 1..trialog_core::accounts::FREE_ATTEMPTS {
        assert!(matches!(p.accounts().authenticate("Lotte", "falsch falsch"), Err(Error::PermissionDenied { .. })));
    }
    let throttled = p.accounts().authenticate("Lotte", "Morgenrot über Jena").unwrap_err();
    assert_eq!(throttled, Error::RateLimited { retry_after_secs: 30 });
    clock.advance(Duration::seconds(31));
    assert_eq!(p.accounts().authenticate("Lotte", "Morgenrot über Jena").unwrap().id, a.id);
}

#[test]
fn banned_accounts_cannot_sign_in_even_with_the_right_password() {
    let p = Platform::in_memory().unwrap();
    let a = account(&p, "Störer", &[]);
    p.accounts().set_password(&Actor::Operator, a.id, "richtig richtig").unwrap();
    p.accounts().restrict(&Actor::Operator, a.id, Restriction::Ban, "wiederholte Beleidigungen").unwrap();
    let err = p.accounts().authenticate("Störer", "richtig richtig").unwrap_err();
    assert!(matches!(&err, Error::PermissionDenied { reason, .. } if reason.contains("banned")), "{err:?}");
}

#[test]
fn roles_bound_to_an_organisation_need_the_organisation_to_exist() {
    let p = Platform::in_memory().unwrap();
    let a = account(&p, "Anna_B", &[]);
    let err = p.accounts().grant_role(&Actor::Operator, a.id, Role::Counsellor { org: OrgId(42) }, None).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[test]
fn concurrent_sign_ups_from_many_threads_all_land_with_distinct_ids() {
    let p = Platform::in_memory().unwrap();
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let p = p.clone();
            std::thread::spawn(move || {
                (0..25)
                    .map(|i| p.accounts().create(&Actor::Anonymous, &new(&format!("t{t}n{i}"))).unwrap().id)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut ids: Vec<AccountId> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 200);
    assert!(p.integrity().unwrap().problems.is_empty());
}

#[test]
fn a_perspective_is_shown_only_where_its_owner_chose_and_always_to_admins() {
    let p = Platform::in_memory().unwrap();
    let create = |name: &str, visibility| {
        let new = NewAccount {
            pseudonym: name.into(),
            perspective: Perspective::Relative,
            perspective_visibility: visibility,
            ..Default::default()
        };
        p.accounts().create(&Actor::Operator, &new).unwrap()
    };
    let default = p
        .accounts()
        .create(
            &Actor::Anonymous,
            &NewAccount { pseudonym: "Neu_hier".into(), perspective: Perspective::Relative, ..Default::default() },
        )
        .unwrap();
    assert_eq!(default.perspective_visibility, PerspectiveVisibility::Nobody, "new accounts show it to nobody");
    let members = create("Zeigt_Mitgliedern", PerspectiveVisibility::Members);
    let public = create("Zeigt_allen", PerspectiveVisibility::Public);
    let viewer = Actor::account(account(&p, "Neugierig", &[]).id);
    let moderator = Actor::account(account(&p, "Moderierend", &[Role::Moderator]).id);
    let admin = Actor::account(account(&p, "Verwaltend", &[Role::Admin]).id);
    let seen = |who: &Actor, id| p.accounts().get(who, id).unwrap().perspective;
    for who in [&viewer, &moderator] {
        assert_eq!(seen(who, default.id), Perspective::Undisclosed, "{who} sees a hidden perspective");
        assert_eq!(seen(who, members.id), Perspective::Relative, "{who}");
        assert_eq!(seen(who, public.id), Perspective::Relative, "{who}");
        let by_name = p.accounts().find_by_pseudonym(who, "Neu_hier").unwrap();
        assert_eq!(by_name.perspective, Perspective::Undisclosed);
    }
    for who in [&admin, &Actor::Operator, &Actor::account(default.id)] {
        assert_eq!(seen(who, default.id), Perspective::Relative, "{who} always sees it");
    }
    let relatives = AccountFilter { perspective: Some(Perspective::Relative), ..Default::default() };
    let listed: Vec<_> = p
        .accounts()
        .list(&moderator, &relatives, &PageRequest::first(50))
        .unwrap()
        .items
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(listed, vec![members.id, public.id], "a filter cannot find a hidden perspective");
    let listed = p.accounts().list(&admin, &relatives, &PageRequest::first(50)).unwrap().items.len();
    assert_eq!(listed, 3);

    let change = AccountUpdate { perspective_visibility: Some(PerspectiveVisibility::Members), ..Default::default() };
    p.accounts().update(&Actor::account(default.id), default.id, &change).unwrap();
    assert_eq!(seen(&viewer, default.id), Perspective::Relative, "shown once chosen");
}

#[test]
fn a_hidden_perspective_still_opens_the_board_for_its_perspective() {
    let p = Platform::in_memory().unwrap();
    let relative = p
        .accounts()
        .create(
            &Actor::Operator,
            &NewAccount { pseudonym: "Angehoerige".into(), perspective: Perspective::Relative, ..Default::default() },
        )
        .unwrap();
    let board = NewBoard {
        slug: "angehoerige".into(),
        title: "Angehörige".into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience: Audience::Perspectives { perspectives: vec![Perspective::Relative] },
        moderation: ModerationMode::Open,
    };
    let board = p.forums().create_board(&Actor::Operator, &board).unwrap();
    assert!(p.forums().board_page(&Actor::account(relative.id), board.id, &PageRequest::first(10)).is_ok());
}

#[test]
fn look_alike_pseudonyms_are_taken_and_mixed_scripts_refused() {
    let p = Platform::in_memory().unwrap();
    account(&p, "Kim_aus_Jena", &[]);
    for twin in ["Kim aus Jena", "Kim.aus.Jena", "Kirn_aus_Jena", "KIM-AUS-JENA"] {
        let new = NewAccount { pseudonym: twin.into(), ..Default::default() };
        let refused = p.accounts().create(&Actor::Anonymous, &new);
        assert!(matches!(&refused, Err(Error::Conflict { reason }) if reason.contains("taken")), "{twin}: {refused:?}");
    }
    let cyrillic_e = NewAccount { pseudonym: "Kim_aus_J\u{435}na".into(), ..Default::default() };
    assert_eq!(field_of(p.accounts().create(&Actor::Anonymous, &cyrillic_e)), "pseudonym");
    let found = p.accounts().find_by_pseudonym(&Actor::Operator, "kim aus jena").unwrap();
    assert_eq!(found.pseudonym, "Kim_aus_Jena");
    account(&p, "Kim_aus_Gera", &[]);
}
