//! What the busiest course operations write. Each table a redb commit writes costs a copy of a
//! path of its B-tree (and the checksums and page writes of that path), so a registration and
//! a promotion are held to the tables they need; a new index or bookkeeping table on these
//! paths has to show up here.

use crate::store::rows::{self, Touched};
use crate::*;

/// Tables every notifying write touches besides the domain's own: the notification, its id
/// sequence and the change feed for device replicas (which watches the inbox).
const NOTIFYING: [&str; 3] = ["inbox", "sequences", "store_changes"];

fn sorted(mut names: Vec<&'static str>) -> Vec<&'static str> {
    names.sort_unstable();
    names
}

/// A platform on the test clock with a published one-place course and `people` accounts.
fn course_of_one_place(people: usize) -> (Platform, CourseId, Vec<Actor>) {
    let (p, _) = fixtures::platform_at("2026-03-02T09:00:00Z");
    let org = fixtures::association(&p, "Bildungswerk Thüringen");
    let new = fixtures::online_course(org, "2026-04-07T18:00", "2026-04-07T20:00", None, 1);
    let course = p.courses().create(&Actor::Operator, &new).unwrap().id;
    p.courses().publish(&Actor::Operator, course).unwrap();
    let people = (0..people)
        .map(|i| {
            let new = NewAccount { pseudonym: format!("Teilnehmende{i}"), ..Default::default() };
            Actor::account(p.accounts().create(&Actor::Operator, &new).unwrap().id)
        })
        .collect();
    (p, course, people)
}

#[test]
fn registering_and_promoting_write_only_the_tables_they_need() {
    let (p, course, people) = course_of_one_place(4);
    let register = |who: &Actor| p.courses().register(who, course, &[]).unwrap().remove(0);
    // Only the in-memory backend can tell which tables a commit wrote.
    let Some((confirmed, written)) = p.store().tables_written(|| register(&people[0])) else { return };
    // A new registration: its record in the course's book (with the reports' count of the
    // month, `courses::figures`), its course by id and the person's registration for the
    // course. The course's first registration of the month also enters the reports' index of
    // the month; the counters' own tree (`course_counts`) is not written since schema 35.
    let own = ["course_book", "course_registration_courses", "course_registrations_by_account"];
    let registering = [own.as_slice(), &NOTIFYING].concat();
    let first = [registering.as_slice(), &["course_registration_months"]].concat();
    assert_eq!(written, sorted(first), "the course's first registration of the month");
    let (waiting, written) = p.store().tables_written(|| register(&people[1])).unwrap();
    assert_eq!(written.len(), 6, "a registration writes six trees: {written:?}");
    assert_eq!(written, sorted(registering), "a registration onto the waitlist");
    let next = register(&people[2]);
    register(&people[3]);

    // The course's first offer also puts the course into the scheduler's index.
    let (_, written) =
        p.store().tables_written(|| p.courses().cancel_registration(&people[0], confirmed.id).unwrap()).unwrap();
    assert_eq!(written, sorted([&["course_book", "course_offer_checks"][..], &NOTIFYING].concat()), "a first offer");
    let offered = p.courses().registration(&people[1], waiting.id).unwrap();
    assert_eq!(offered.state, RegistrationState::Offered, "and it promoted");

    let (accepted, written) =
        p.store().tables_written(|| p.courses().answer_offer(&people[1], waiting.id, true).unwrap()).unwrap();
    assert_eq!(written, sorted([&["course_book"][..], &NOTIFYING].concat()), "an acceptance");
    // Later offers lapse no earlier than the scheduler's look already due: the course's book and
    // the notices only.
    let (_, written) =
        p.store().tables_written(|| p.courses().cancel_registration(&people[1], accepted.id).unwrap()).unwrap();
    assert_eq!(written, sorted([&["course_book"][..], &NOTIFYING].concat()), "a promotion");
    assert_eq!(p.courses().registration(&people[2], next.id).unwrap().state, RegistrationState::Offered);
}

/// The trees a promotion writes in the bench's loop (`benches/courses.rs`: promote, the head
/// accepts, one more person joins the line), after its first round: each costs a commit the
/// copy and checksums of a path of its B-tree. Seven until schema 33 (`course_registrations`,
/// `course_registrations_by_account` and `course_offers_due` besides these); a new table on
/// this path has to be argued for here.
#[test]
fn a_promotion_writes_four_trees() {
    let (p, course, people) = course_of_one_place(8);
    let courses = p.courses();
    let register = |who: usize| courses.register(&people[who], course, &[]).unwrap().remove(0);
    let mut confirmed = register(0);
    let mut holder = 0;
    for who in 1..=4 {
        register(who);
    }
    for (round, next) in (5..8).enumerate() {
        let head = courses.waitlist(&Actor::Operator, course).unwrap().remove(0);
        let cancel = || courses.cancel_registration(&people[holder], confirmed.id).unwrap();
        let Some((_, written)) = p.store().tables_written(cancel) else { return };
        if round > 0 {
            assert_eq!(written.len(), 4, "round {round}: a promotion wrote {written:?}");
        }
        holder = people.iter().position(|a| *a == Actor::account(head.account)).unwrap();
        confirmed = courses.answer_offer(&people[holder], head.id, true).unwrap();
        register(next);
    }
}

/// The rows one promotion (cancelling the course's one confirmed place, which offers it to the
/// head of the line) and one registration onto the end of the line read and write, on a
/// course with `waiting` people in line after `rounds` rounds of the bench's loop: promote,
/// the head accepts, one more person joins the end.
fn rows_of_promotion_and_registration(waiting: usize, rounds: usize) -> (Touched, Touched) {
    let (p, course, people) = course_of_one_place(waiting + rounds + 2);
    let courses = p.courses();
    let register = |who: usize| courses.register(&people[who], course, &[]).unwrap().remove(0);
    let mut confirmed = register(0);
    let mut holder = 0;
    for who in 1..=waiting {
        register(who);
    }
    let mut next = waiting + 1;
    let mut promote = || {
        let head = courses.waitlist(&Actor::Operator, course).unwrap().remove(0);
        let (_, promotion) = rows::touched(|| courses.cancel_registration(&people[holder], confirmed.id).unwrap());
        holder = people.iter().position(|a| *a == Actor::account(head.account)).unwrap();
        confirmed = courses.answer_offer(&people[holder], head.id, true).unwrap();
        let (_, registration) = rows::touched(|| register(next));
        next += 1;
        (promotion, registration)
    };
    for _ in 0..rounds {
        promote();
    }
    promote()
}

/// A promotion and a registration touch the same rows whatever the length of the waitlist and
/// however many promotions came before (from the second on: the course's first offer also
/// puts it into the scheduler's index): their cost grows with the tables only through the
/// depth of the B-trees, never with a scan.
#[test]
fn a_promotion_touches_as_many_rows_on_a_waitlist_of_1000_as_on_one_of_50() {
    let short = rows_of_promotion_and_registration(50, 1);
    assert_eq!(rows_of_promotion_and_registration(1_000, 1), short, "(promotion, registration) on 1,000 waiting");
    assert_eq!(rows_of_promotion_and_registration(50, 40), short, "after 40 promotions");
    let (promotion, registration) = short;
    assert!(promotion.read <= 40 && promotion.written <= 16, "a promotion touched {promotion:?}");
    assert!(registration.read <= 30 && registration.written <= 12, "a registration touched {registration:?}");
}
