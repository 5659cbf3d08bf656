//! Sign-in sessions: tokens stored only as hashes, expiring, revocable, listed per account,
//! swept by the scheduler and checked by the integrity check.

mod common;

use chrono::Duration;
use common::*;
use trialog_core::*;

const PASSWORD: &str = "ein langes Passwort";

fn setup() -> (TestClock, Platform, AccountId) {
    let clock = clock();
    let p = platform_with(&clock);
    let kim = account(&p, "Kim_aus_Jena", &[]);
    p.accounts().set_password(&Actor::Operator, kim.id, PASSWORD).unwrap();
    (clock, p, kim.id)
}

#[test]
fn signing_in_gives_a_token_that_resolves_to_the_account() {
    let (_, p, kim) = setup();
    let signed_in = p.sessions().sign_in("kim_aus_jena", PASSWORD, Duration::days(1), Some("Telefon")).unwrap();
    assert!(signed_in.token.starts_with("trialog_") && signed_in.token.len() == 72);
    assert_eq!(p.sessions().resolve(&signed_in.token).unwrap().account, kim);
    assert_eq!(signed_in.session.label.as_deref(), Some("Telefon"));
    let other = p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(1), None).unwrap();
    assert_ne!(other.token, signed_in.token);
    let listed = p.sessions().list(&Actor::account(kim), kim).unwrap();
    assert_eq!(listed.iter().map(|s| s.id).collect::<Vec<_>>(), [signed_in.session.id, other.session.id]);
    let report = p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn wrong_passwords_and_bad_input_are_refused() {
    let (_, p, _) = setup();
    assert!(matches!(
        p.sessions().sign_in("Kim_aus_Jena", "falsch", Duration::days(1), None),
        Err(Error::PermissionDenied { .. })
    ));
    assert_eq!(field_of(p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::seconds(5), None)), "lifetime");
    assert_eq!(field_of(p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(1), Some("a\u{7}b"))), "label");
    let long = "x".repeat(61);
    assert_eq!(field_of(p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(1), Some(&long))), "label");
    for token in ["", "trialog_", "Bearer x", &format!("trialog_{}", "f".repeat(64))] {
        assert!(matches!(p.sessions().resolve(token), Err(Error::PermissionDenied { .. })), "{token}");
    }
}

#[test]
fn signing_out_and_revoking_end_a_session_at_once() {
    let (_, p, kim) = setup();
    let a = p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(1), None).unwrap();
    let b = p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(1), None).unwrap();
    p.sessions().sign_out(&a.token).unwrap();
    assert!(p.sessions().resolve(&a.token).is_err());
    assert!(p.sessions().sign_out(&a.token).is_err());
    p.sessions().revoke(&Actor::account(kim), b.session.id).unwrap();
    assert!(p.sessions().resolve(&b.token).is_err());
    assert!(p.sessions().list(&Actor::account(kim), kim).unwrap().is_empty());
    assert!(matches!(p.sessions().revoke(&Actor::Operator, b.session.id), Err(Error::NotFound { .. })));
}

#[test]
fn sessions_expire_and_the_scheduler_deletes_them() {
    let (clock, p, kim) = setup();
    let short = p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::hours(1), None).unwrap();
    let long = p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(2), None).unwrap();
    clock.advance(Duration::hours(1));
    let expired = p.sessions().resolve(&short.token).unwrap_err();
    assert!(matches!(&expired, Error::PermissionDenied { reason, .. } if reason.contains("expired")), "{expired:?}");
    assert!(p.sessions().resolve(&long.token).is_ok());
    let report = p.tick(&Actor::Operator, p.now()).unwrap();
    let swept: u64 = report.work.iter().filter(|w| w.domain == "sessions").map(|w| w.count).sum();
    assert_eq!(swept, 1, "{report:?}");
    assert_eq!(p.sessions().list(&Actor::Operator, kim).unwrap().len(), 1);
    assert!(p.integrity().unwrap().problems.is_empty());
}

#[test]
fn suspended_accounts_cannot_sign_in() {
    let (clock, p, kim) = setup();
    let until = clock.now() + Duration::days(3);
    p.accounts().restrict(&Actor::Operator, kim, Restriction::Suspend { until }, "test").unwrap();
    assert!(matches!(
        p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(1), None),
        Err(Error::PermissionDenied { .. })
    ));
}

#[test]
fn signing_up_makes_the_account_and_its_password_at_once() {
    let (_, p, kim) = setup();
    let new = NewAccount { pseudonym: "Neu_Hier".into(), ..Default::default() };
    let (account, signed_in) =
        p.sessions().sign_up(&Actor::Anonymous, &new, PASSWORD, Duration::days(1), Some("Telefon")).unwrap();
    assert_eq!(p.sessions().resolve(&signed_in.token).unwrap().account, account.id);
    assert_eq!(signed_in.session.label.as_deref(), Some("Telefon"));
    p.sessions().sign_in("neu_hier", PASSWORD, Duration::days(1), None).unwrap();
    // A member may not create accounts; a refused password or a taken pseudonym leaves none.
    let other = NewAccount { pseudonym: "Noch_Jemand".into(), ..Default::default() };
    let refused = p.sessions().sign_up(&Actor::account(kim), &other, PASSWORD, Duration::days(1), None);
    assert!(matches!(refused, Err(Error::PermissionDenied { .. })), "{refused:?}");
    let short = p.sessions().sign_up(&Actor::Anonymous, &other, "kurz", Duration::days(1), None);
    assert!(matches!(&short, Err(Error::InvalidInput { field, .. }) if field == "password"), "{short:?}");
    let taken = p.sessions().sign_up(&Actor::Anonymous, &new, PASSWORD, Duration::days(1), None);
    assert!(matches!(taken, Err(Error::Conflict { .. })), "{taken:?}");
    let anyone = p.accounts().find_by_pseudonym(&Actor::Operator, "Noch_Jemand");
    assert!(matches!(anyone, Err(Error::NotFound { .. })), "{anyone:?}");
    let report = p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn an_erased_accounts_tokens_answer_account_erased_until_they_expire_then_are_swept() {
    let (clock, p, kim) = setup();
    let month = p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(30), Some("Telefon")).unwrap();
    let day = p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(1), None).unwrap();
    p.rights().erase(&Actor::account(kim), kim, None, "auf eigenen Wunsch").unwrap();
    for token in [&month.token, &day.token] {
        let erased = p.sessions().resolve(token).unwrap_err();
        assert_eq!(erased.kind(), "account_erased", "{erased:?}");
        assert!(matches!(p.sessions().sign_out(token), Err(Error::AccountErased { .. })));
    }
    assert!(p.sessions().list(&Actor::Operator, kim).unwrap().is_empty(), "a tombstone is no one's session");
    assert!(p.integrity().unwrap().problems.is_empty());

    let swept = |p: &Platform| -> u64 {
        let report = p.tick(&Actor::Operator, p.now()).unwrap();
        report.work.iter().filter(|w| w.domain == "sessions").map(|w| w.count).sum()
    };
    clock.advance(Duration::days(1));
    let expired = p.sessions().resolve(&day.token).unwrap_err();
    assert!(matches!(&expired, Error::PermissionDenied { reason, .. } if reason.contains("expired")), "{expired:?}");
    assert_eq!(swept(&p), 1, "the day's tombstone is swept at its expiry");
    assert!(matches!(p.sessions().resolve(&month.token), Err(Error::AccountErased { .. })), "the month's is not yet");
    clock.advance(Duration::days(29));
    assert_eq!(swept(&p), 1);
    assert!(matches!(p.sessions().resolve(&month.token), Err(Error::PermissionDenied { .. })));
    assert!(p.integrity().unwrap().problems.is_empty());
}
