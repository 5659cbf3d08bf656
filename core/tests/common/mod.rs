//! Shared set-up for the core's integration tests.
#![allow(dead_code)]

pub mod corpus;
#[cfg(feature = "postgres")]
pub mod pg;

use std::sync::Arc;

use trialog_core::*;

pub fn clock() -> TestClock {
    TestClock::at("2026-03-02T09:00:00Z".parse().unwrap())
}

pub fn platform_with(clock: &TestClock) -> Platform {
    Platform::in_memory_with(PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() }).unwrap()
}

pub fn org(p: &Platform, name: &str, region: &str) -> Organisation {
    p.orgs()
        .create(
            &Actor::Operator,
            &NewOrganisation {
                name: name.into(),
                kind: OrgKind::Association,
                region: region.into(),
                city: None,
                website: None,
            },
        )
        .unwrap()
}

pub fn account(p: &Platform, pseudonym: &str, roles: &[Role]) -> Account {
    let new = NewAccount { pseudonym: pseudonym.into(), ..Default::default() };
    let mut a = p.accounts().create(&Actor::Operator, &new).unwrap();
    for role in roles {
        a = p.accounts().grant_role(&Actor::Operator, a.id, *role, None).unwrap();
    }
    a
}

pub fn field_of<T: std::fmt::Debug>(r: Result<T>) -> String {
    match r {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

/// A paid, permanent posting of `org` at `location` that accepts EX-IN trainees.
pub fn new_job(org: OrgId, title: &str, location: LocationInput) -> NewJob {
    NewJob {
        org,
        title: title.into(),
        description: "Wir suchen Genesungsbegleiter:innen mit EX-IN-Ausbildung für unser Team.".into(),
        location,
        contract: Contract::Permanent,
        hours: Hours { min: 20, max: 30 },
        pay: Some(Pay {
            min: 3100.0,
            max: Some(3600.0),
            unit: PayUnit::Month,
            currency: "EUR".into(),
            agreement: Some("TV-L".into()),
            group: Some("E 7".into()),
        }),
        requirement: Some(ExInRequirement::TrainingAccepted),
        languages: vec!["de".into()],
        starts_on: None,
        expires_on: None,
        openings: Some(1),
        contact: None,
    }
}

/// A board for members of `slug`, open or pre-moderated.
pub fn members_board(p: &Platform, slug: &str, moderation: ModerationMode) -> Board {
    board(p, slug, slug, Audience::Members, moderation)
}

/// A public, openly moderated German board, created by the operator.
pub fn public_board(p: &Platform, slug: &str, title: &str) -> Board {
    board(p, slug, title, Audience::Public, ModerationMode::Open)
}

fn board(p: &Platform, slug: &str, title: &str, audience: Audience, moderation: ModerationMode) -> Board {
    let new = NewBoard {
        slug: slug.into(),
        title: title.into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience,
        moderation,
    };
    p.forums().create_board(&Actor::Operator, &new).unwrap()
}
