//! Page cursors: any string handed back as a cursor is a page or `InvalidInput` on `cursor`,
//! for single-key (organisations, accounts, audit) and composite (board pages) cursors alike.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trialog_core::{
    AccountFilter, Actor, Audience, AuditFilter, BoardId, Error, ModerationMode, NewBoard, OrganisationFilter,
    PageRequest, Platform,
};

fn platform() -> &'static (Platform, BoardId) {
    static PLATFORM: OnceLock<(Platform, BoardId)> = OnceLock::new();
    PLATFORM.get_or_init(|| {
        let platform = Platform::in_memory().expect("an in-memory platform");
        let board = NewBoard {
            slug: "austausch".into(),
            title: "Austausch".into(),
            description: String::new(),
            language: "de".into(),
            position: None,
            audience: Audience::Public,
            moderation: ModerationMode::Open,
        };
        let board = platform.forums().create_board(&Actor::Operator, &board).expect("a board").id;
        (platform, board)
    })
}

fuzz_target!(|cursor: &str| {
    let (p, board) = platform();
    let page = PageRequest::after(cursor, 5);
    let outcomes = [
        p.orgs().list(&Actor::Operator, &OrganisationFilter::default(), &page).map(drop),
        p.accounts().list(&Actor::Operator, &AccountFilter::default(), &page).map(drop),
        p.audit().list(&Actor::Operator, &AuditFilter::default(), &page).map(drop),
        p.forums().board_page(&Actor::Anonymous, *board, &page).map(drop),
    ];
    for outcome in outcomes {
        match outcome {
            Ok(()) | Err(Error::InvalidInput { .. }) => {}
            Err(other) => panic!("cursor {cursor:?} gave {other:?}"),
        }
    }
});
