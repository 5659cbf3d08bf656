//! Moderators act on anonymous authors without learning who they are. The same random
//! sequence of anonymous posts, reports, moderator actions (hide, remove, warn, silence,
//! suspend, ban — through a review item or straight on the post), appeals, decisions and the
//! passing of time is played in two worlds that differ only in which account stands behind
//! each anonymous author: members, a moderator and an admin trade places. After every step a
//! moderator and a member read every path open to them — account look-ups and listings under
//! every filter, the review queue and items, the moderation log, appeals, boards, threads,
//! search, their inbox — and what they read, their own actions' answers and refusals
//! included, must be the same in both worlds. Anything that differs would tell them who wrote.

mod common;

use std::sync::Arc;

use chrono::Duration;
use common::*;
use proptest::prelude::*;
use trialog_core::moderation::{AppealOutcome, ItemState, ModAction, NewReport, ReportReason, Target};
use trialog_core::*;

/// Anonymous writers: two members, a moderator, an admin. A permutation of these is what
/// differs between the two worlds.
const WRITERS: usize = 4;

#[derive(Debug, Clone)]
enum Op {
    /// Writer `slot` starts a thread or replies in thread `thread`, anonymously.
    Post { slot: usize, thread: Option<usize> },
    /// The observing moderator reports post `post` and acts on its review item.
    Act { post: usize, action: usize },
    /// The observing moderator restricts the author straight through the post.
    Restrict { post: usize, restriction: usize },
    /// Writer `slot` appeals the newest action its inbox tells of.
    Appeal { slot: usize },
    /// The deciding moderator decides the oldest open appeal.
    Decide { overturn: bool },
    /// Time passes (silences and suspensions end).
    Wait { days: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..WRITERS, proptest::option::of(0..8usize)).prop_map(|(slot, thread)| Op::Post { slot, thread }),
        2 => (0..16usize, 0..6usize).prop_map(|(post, action)| Op::Act { post, action }),
        2 => (0..16usize, 0..4usize).prop_map(|(post, restriction)| Op::Restrict { post, restriction }),
        2 => (0..WRITERS).prop_map(|slot| Op::Appeal { slot }),
        1 => any::<bool>().prop_map(|overturn| Op::Decide { overturn }),
        1 => (1..10i64).prop_map(|days| Op::Wait { days }),
    ]
}

struct World {
    p: Platform,
    clock: TestClock,
    board: BoardId,
    /// The account behind each writer slot.
    writers: Vec<Actor>,
    observer: Actor,
    decider: Actor,
    member: Actor,
    threads: Vec<ThreadId>,
    posts: Vec<PostId>,
    /// What the observers were told, step by step.
    trace: Vec<String>,
}

/// A world whose writer slots are the accounts `order` names (0, 1: members; 2: a moderator;
/// 3: an admin). Accounts are created in the same order in every world, so ids agree.
fn world(order: &[usize]) -> World {
    let clock = clock();
    let p = Platform::in_memory_with(PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() }).unwrap();
    let board = NewBoard {
        slug: "austausch".into(),
        title: "Austausch".into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience: Audience::Members,
        moderation: ModerationMode::Open,
    };
    let board = p.forums().create_board(&Actor::Operator, &board).unwrap().id;
    let make = |name: &str, perspective: Perspective, roles: &[Role]| {
        let new = NewAccount { pseudonym: name.into(), perspective, ..Default::default() };
        let mut a = p.accounts().create(&Actor::Operator, &new).unwrap();
        for role in roles {
            a = p.accounts().grant_role(&Actor::Operator, a.id, *role, None).unwrap();
        }
        Actor::account(a.id)
    };
    let accounts = [
        make("Erfahren", Perspective::LivedExperience, &[]),
        make("Angehoerig", Perspective::Relative, &[]),
        make("Zweitmod", Perspective::Undisclosed, &[Role::Moderator]),
        make("Verwaltung", Perspective::Professional, &[Role::Admin]),
    ];
    let observer = make("Beobachtend", Perspective::Undisclosed, &[Role::Moderator]);
    let decider = make("Entscheidend", Perspective::Undisclosed, &[Role::Moderator]);
    let member = make("Mitlesend", Perspective::Relative, &[]);
    let writers = order.iter().map(|i| accounts[*i].clone()).collect();
    World { p, clock, board, writers, observer, decider, member, threads: vec![], posts: vec![], trace: vec![] }
}

impl World {
    fn apply(&mut self, n: usize, op: &Op) {
        let until = self.clock.now() + Duration::days(3);
        match op {
            Op::Post { slot, thread } => self.post(n, *slot, *thread),
            Op::Act { post, action } if !self.posts.is_empty() => {
                let post = self.posts[post % self.posts.len()];
                let action = [
                    ModAction::Hide,
                    ModAction::Remove,
                    ModAction::Warn,
                    ModAction::Silence { until },
                    ModAction::Suspend { until },
                    ModAction::Ban,
                ][*action]
                    .clone();
                let outcome = self.act(post, &action);
                self.trace.push(format!("act {action:?} on post {post}: {outcome}"));
            }
            Op::Restrict { post, restriction } if !self.posts.is_empty() => {
                let post = self.posts[post % self.posts.len()];
                let restriction = [
                    Restriction::Silence { until },
                    Restriction::Suspend { until },
                    Restriction::Ban,
                    Restriction::Reinstate,
                ][*restriction];
                let outcome = self.p.forums().restrict_author(&self.observer, post, restriction, "Beleidigung");
                self.trace.push(format!("restrict the author of post {post} ({restriction:?}): {outcome:?}"));
            }
            Op::Appeal { slot } => {
                let writer = &self.writers[*slot];
                let inbox = self.p.inbox().list(writer, false, &PageRequest::first(100));
                let newest = inbox.ok().and_then(|page| {
                    page.items.iter().find_map(|n| match n.event {
                        Event::Moderated { action, .. } => Some(action),
                        _ => None,
                    })
                });
                if let Some(action) = newest {
                    let _ = self.p.moderation().appeal(writer, action, "Das war nicht so gemeint.");
                }
            }
            Op::Decide { overturn } => {
                let open = self.p.moderation().appeals(&self.decider, false, &PageRequest::first(1)).unwrap();
                if let Some(appeal) = open.items.first() {
                    let outcome = if *overturn { AppealOutcome::Overturned } else { AppealOutcome::Upheld };
                    let decided = self.p.moderation().decide_appeal(&self.decider, appeal.id, outcome, "Geprüft");
                    self.trace.push(format!("decide appeal {}: {decided:?}", appeal.id));
                }
            }
            Op::Wait { days } => self.clock.advance(Duration::days(*days)),
            _ => {}
        }
    }

    fn post(&mut self, n: usize, slot: usize, thread: Option<usize>) {
        let writer = self.writers[slot].clone();
        let posted = match thread.filter(|_| !self.threads.is_empty()) {
            Some(t) => {
                let reply = NewReply {
                    thread: self.threads[t % self.threads.len()],
                    body: format!("Antwort {n}: ein Gespräch."),
                    reply_to: None,
                    anonymous: true,
                };
                self.p.forums().reply(&writer, &reply)
            }
            None => {
                let new = NewThread {
                    board: self.board,
                    title: format!("Faden {n}"),
                    body: format!("Beitrag {n}: ein Gespräch."),
                    tags: vec![],
                    anonymous: true,
                };
                self.p.forums().create_thread(&writer, &new)
            }
        };
        if let Ok(posted) = &posted {
            if posted.thread.first_post == posted.post.id {
                self.threads.push(posted.thread.id);
            }
            self.posts.push(posted.post.id);
        }
        // Whether a post appeared is what the world shows everyone (a silenced writer's post
        // does not); why it did not is the writer's own business.
        self.trace.push(format!("post by slot {slot}: {:?}", posted.ok().map(|p| p.post.id)));
    }

    /// Reports the post (if not yet) and acts on its item with the version the moderator sees.
    fn act(&self, post: PostId, action: &ModAction) -> String {
        let m = self.p.moderation();
        let report = NewReport { target: Target::Post { id: post }, reason: ReportReason::Harassment, detail: None };
        let item = match m.report(&self.observer, &report) {
            Ok(report) => report.item,
            Err(e) => return format!("report: {e:?}"),
        };
        let detail = m.item(&self.observer, item).unwrap();
        format!("{:?}", m.act(&self.observer, item, detail.item.version, action, "Regelverstoß"))
    }

    /// Everything the observing moderator and the member can read now.
    fn observe(&self) -> String {
        let mut seen = Vec::new();
        for (name, who) in [("moderator", &self.observer), ("member", &self.member)] {
            seen.push(format!("== {name}"));
            self.observe_accounts(who, &mut seen);
            self.observe_moderation(who, &mut seen);
            self.observe_forums(who, &mut seen);
            seen.push(format!("inbox {:?}", self.p.inbox().list(who, false, &PageRequest::first(100))));
        }
        seen.join("\n")
    }

    fn observe_accounts(&self, who: &Actor, seen: &mut Vec<String>) {
        let a = self.p.accounts();
        let mut filters = vec![AccountFilter::default()];
        filters.extend(StatusKind::ALL.iter().map(|s| AccountFilter { status: Some(*s), ..Default::default() }));
        filters.extend(RoleKind::ALL.iter().map(|r| AccountFilter { role: Some(*r), ..Default::default() }));
        filters.extend(Perspective::ALL.iter().map(|p| AccountFilter { perspective: Some(*p), ..Default::default() }));
        for filter in &filters {
            seen.push(format!("list {filter:?}: {:?}", a.list(who, filter, &PageRequest::first(100))));
        }
        for id in 1..=8 {
            let account = a.get(who, AccountId(id));
            seen.push(format!("account {id}: {account:?}"));
            if let Ok(account) = account {
                seen.push(format!("by name: {:?}", a.find_by_pseudonym(who, &account.pseudonym)));
            }
        }
    }

    fn observe_moderation(&self, who: &Actor, seen: &mut Vec<String>) {
        let m = self.p.moderation();
        let page = PageRequest::first(100);
        for state in ItemState::ALL {
            let queue = m.queue(who, *state, &page);
            if let Ok(queue) = &queue {
                for item in &queue.items {
                    seen.push(format!("item {}: {:?}", item.id, m.item(who, item.id)));
                }
            }
            seen.push(format!("queue {state}: {queue:?}"));
        }
        seen.push(format!("log: {:?}", m.log(who, None, &page)));
        seen.push(format!("open appeals: {:?}", m.appeals(who, false, &page)));
        seen.push(format!("decided appeals: {:?}", m.appeals(who, true, &page)));
    }

    fn observe_forums(&self, who: &Actor, seen: &mut Vec<String>) {
        let f = self.p.forums();
        let page = PageRequest::first(100);
        seen.push(format!("board: {:?}", f.board_page(who, self.board, &page)));
        for thread in &self.threads {
            seen.push(format!("thread {thread}: {:?}", f.thread_page(who, *thread, &page)));
        }
        let query = ForumQuery { text: "Gespräch".into(), board: None };
        seen.push(format!("search: {:?}", f.search(who, &query, &page)));
        seen.push(format!("held: {:?}", f.queue(who, &page)));
    }
}

/// Plays `ops` in both worlds, comparing what the observers read after every step.
fn same_for_both(ops: &[Op], order: &[usize]) -> Result<(), TestCaseError> {
    let mut a = world(&[0, 1, 2, 3]);
    let mut b = world(order);
    for (n, op) in ops.iter().enumerate() {
        a.apply(n, op);
        b.apply(n, op);
        prop_assert_eq!(&a.trace, &b.trace, "the answers to step {} ({:?}) differ", n, op);
        let (seen_a, seen_b) = (a.observe(), b.observe());
        if seen_a != seen_b {
            let (la, lb) = seen_a.lines().zip(seen_b.lines()).find(|(x, y)| x != y).unwrap_or_default();
            prop_assert!(
                false,
                "after step {} ({:?}) the observers read\n  {}\nin one world and\n  {}\nin the other",
                n,
                op,
                la,
                lb
            );
        }
    }
    Ok(())
}

/// 24 cases, or 4 on PostgreSQL (`TRIALOG_MEMORY_BACKEND=postgres`), where each of a case's
/// two worlds is a schema of some 150 tables created and dropped: 24 cases took over 5 minutes
/// there. The backend's semantics are the model test's business; here a few cases show the
/// policy holds on it too. `TRIALOG_LEAK_CASES=N` is the long mode (run by hand).
fn cases() -> u32 {
    if let Some(n) = std::env::var("TRIALOG_LEAK_CASES").ok().and_then(|n| n.parse().ok()) {
        return n;
    }
    if std::env::var("TRIALOG_MEMORY_BACKEND").as_deref() == Ok("postgres") { 4 } else { 24 }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn nobody_but_admins_learns_who_is_behind_an_anonymous_post(
        ops in proptest::collection::vec(op(), 1..24),
        order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
    ) {
        same_for_both(&ops, &order)?;
    }
}

/// The three leaks found by hand, as fixed cases: a restriction through an anonymous post
/// showed in the account listing, appeals named the appellant, and restricting refused
/// exactly when the author was staff.
#[test]
fn the_leaks_found_by_hand_stay_closed() {
    let ops = [
        Op::Post { slot: 0, thread: None },
        Op::Post { slot: 2, thread: Some(0) },
        Op::Restrict { post: 0, restriction: 0 },
        Op::Act { post: 1, action: 5 },
        Op::Appeal { slot: 0 },
        Op::Appeal { slot: 2 },
        Op::Decide { overturn: true },
        Op::Decide { overturn: false },
        Op::Wait { days: 4 },
    ];
    for order in [[2, 1, 0, 3], [3, 1, 2, 0], [1, 0, 3, 2]] {
        same_for_both(&ops, &order).unwrap();
    }
}

/// Found by the property in CI: a silence through an anonymous post, lifted straight through
/// the post, then overturned on appeal — the overturn moved the author's `updated_at`.
#[test]
fn an_overturn_after_a_lifted_restriction_does_not_name_the_author() {
    let ops = [
        Op::Post { slot: 3, thread: None },
        Op::Act { post: 0, action: 3 },
        Op::Restrict { post: 0, restriction: 3 },
        Op::Appeal { slot: 3 },
        Op::Wait { days: 1 },
        Op::Decide { overturn: true },
    ];
    same_for_both(&ops, &[0, 2, 3, 1]).unwrap();
}
