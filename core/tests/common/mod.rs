//! Shared set-up for the core's integration tests.
#![allow(dead_code)]

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
