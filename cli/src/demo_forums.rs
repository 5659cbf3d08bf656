//! The forums of `trialog demo`: six boards — EX-IN training, first jobs and placements,
//! contracts and pay, a relatives-only board, a Danish board and a pre-moderated board for
//! newcomers — with threads written over the past weeks by the demo's people, replies that
//! quote each other, anonymous posts, a pinned and a locked thread, one post waiting for a
//! moderator and one hidden, watchers with notifications, read positions and a month of
//! readers for the statistics.
//!
//! The texts are invented but written as people in these forums write; facts that change
//! (pay tables, pension rules) are phrased as personal experience and point to advice.

use std::collections::BTreeMap;

use chrono::Duration;
use serde::Serialize;
use trialog_core::forums::{ContentState, ModerationAction};
use trialog_core::{
    Actor, Audience, BoardId, Error, ModerationMode, NewBoard, NewReply, NewThread, PageRequest, Perspective, Platform,
    PostId, StatsPeriod, TestClock, ThreadId,
};

use crate::demo::Demo;
use crate::demo_data::ADMIN;

/// A demo board.
struct BoardSeed {
    slug: &'static str,
    title: &'static str,
    description: &'static str,
    language: &'static str,
    audience: Audience,
    moderation: ModerationMode,
}

/// A demo thread: where, by whom, how many days ago, and its replies.
struct ThreadSeed {
    board: &'static str,
    author: &'static str,
    days_ago: i64,
    title: &'static str,
    body: &'static str,
    tags: &'static [&'static str],
    anonymous: bool,
    replies: &'static [ReplySeed],
}

/// A reply, some hours after the thread started; `to` is the index of the post it answers
/// (0 is the first post).
struct ReplySeed {
    author: &'static str,
    hours: i64,
    body: &'static str,
    to: Option<usize>,
    anonymous: bool,
}

const fn reply(author: &'static str, hours: i64, body: &'static str) -> ReplySeed {
    ReplySeed { author, hours, body, to: None, anonymous: false }
}

const fn answer(author: &'static str, hours: i64, to: usize, body: &'static str) -> ReplySeed {
    ReplySeed { author, hours, body, to: Some(to), anonymous: false }
}

const fn anonymous(author: &'static str, hours: i64, body: &'static str) -> ReplySeed {
    ReplySeed { author, hours, body, to: None, anonymous: true }
}

fn boards() -> Vec<BoardSeed> {
    vec![
        BoardSeed {
            slug: "ausbildung-ex-in",
            title: "Ausbildung EX-IN",
            description: "Kurse, Module, Portfolio und Praktika der EX-IN-Qualifizierung.",
            language: "de",
            audience: Audience::Public,
            moderation: ModerationMode::Open,
        },
        BoardSeed {
            slug: "berufseinstieg-praktikum",
            title: "Berufseinstieg & Praktikum",
            description: "Die erste Stelle als Genesungsbegleiter:in, Praktika, Bewerbungen, Teamalltag.",
            language: "de",
            audience: Audience::Members,
            moderation: ModerationMode::Open,
        },
        BoardSeed {
            slug: "vertraege-verdienst",
            title: "Verträge & Verdienst",
            description: "Tarif, Eingruppierung, Teilzeit, Befristung – und was neben einer Rente geht.",
            language: "de",
            audience: Audience::Members,
            moderation: ModerationMode::Open,
        },
        BoardSeed {
            slug: "angehoerige",
            title: "Angehörige",
            description: "Nur für Angehörige und Freund:innen: Austausch unter uns.",
            language: "de",
            audience: Audience::Perspectives { perspectives: vec![Perspective::Relative] },
            moderation: ModerationMode::Open,
        },
        BoardSeed {
            slug: "peerstoette",
            title: "Peerstøtte i praksis",
            description: "Erfaringer med arbejdet som peer-medarbejder, uddannelse og løn i Danmark.",
            language: "da",
            audience: Audience::Public,
            moderation: ModerationMode::Open,
        },
        BoardSeed {
            slug: "neu-hier",
            title: "Neu hier – erste Schritte",
            description: "Stell dich vor! Beiträge werden vor dem Erscheinen kurz angeschaut.",
            language: "de",
            audience: Audience::Members,
            moderation: ModerationMode::PreModerated,
        },
    ]
}

const THREADS: &[ThreadSeed] = &[
    ThreadSeed {
        board: "ausbildung-ex-in",
        author: "Leuchtturm",
        days_ago: 60,
        title: "Bitte zuerst lesen: So funktioniert dieses Forum",
        body: "Willkommen im Forum zur EX-IN-Ausbildung!\n\nHier tauscht ihr euch über Kurse, Module, das Portfolio und die Praktika aus. Bitte schreibt respektvoll und denkt daran: Das Forum ist öffentlich lesbar. Wer etwas Persönliches teilen möchte, kann anonym schreiben.\n\nIn einer akuten Krise ist das Forum nicht der richtige Ort – die TelefonSeelsorge ist rund um die Uhr erreichbar: 0800 111 0 111.",
        tags: &["regeln"],
        anonymous: false,
        replies: &[],
    },
    ThreadSeed {
        board: "ausbildung-ex-in",
        author: "Kim_aus_Jena",
        days_ago: 41,
        title: "EX-IN-Kurs in Thüringen – wer hat Erfahrungen?",
        body: "Hallo zusammen,\n\nich überlege, im Herbst mit der EX-IN-Ausbildung anzufangen. Gibt es in Thüringen einen Kurs, oder muss ich nach Leipzig oder Kassel fahren? Und wie viel Zeit nehmen die Module neben einer Teilzeitstelle in Anspruch?",
        tags: &["ex-in", "thueringen", "kurs"],
        anonymous: false,
        replies: &[
            answer(
                "Wanderer_Erfurt",
                5,
                0,
                "> Gibt es in Thüringen einen Kurs?\n\nJa, in Erfurt startet regelmäßig ein Kurs. Ich habe dort letztes Jahr angefangen. Die Module sind meist an Wochenenden, dazu kommen Hausaufgaben fürs Portfolio. Neben 20 Stunden Arbeit war das gut machbar.",
            ),
            reply(
                "Sonnenblume_71",
                26,
                "Ich habe in Leipzig gelernt. Plant für das Portfolio mehr Zeit ein, als ihr denkt – das Schreiben über die eigene Geschichte hat mich manchmal ganz schön aufgewühlt. Die Gruppe hat dabei sehr geholfen.",
            ),
            answer(
                "Kim_aus_Jena",
                30,
                2,
                "Danke euch beiden! Das mit dem Portfolio nehme ich mir zu Herzen. Wisst ihr, ob es Zuschüsse für die Kursgebühr gibt?",
            ),
            answer(
                "Beraterin_Lea",
                52,
                3,
                "Manche Teilnehmende bekommen die Kosten über die Agentur für Arbeit, das Jobcenter oder die Rentenversicherung gefördert. Frag am besten direkt beim Kursträger nach – die kennen die Wege.",
            ),
        ],
    },
    ThreadSeed {
        board: "ausbildung-ex-in",
        author: "Wanderer_Erfurt",
        days_ago: 18,
        title: "Portfolio: Wie persönlich muss der Erfahrungsbericht sein?",
        body: "Ich sitze gerade am Erfahrungsbericht für mein Portfolio und weiß nicht, wie viel ich von meinen Klinikaufenthalten erzählen soll. Die Kursleitung sagt, es geht um das Erfahrungswissen, nicht um die Diagnose. Wie habt ihr das gemacht?",
        tags: &["portfolio"],
        anonymous: false,
        replies: &[
            anonymous(
                "Sonnenblume_71",
                3,
                "Ich habe nur geschrieben, was ich auch einer Kollegin erzählen würde. Die Details gehören mir. Niemand hat mehr verlangt.",
            ),
            answer(
                "Leuchtturm",
                8,
                0,
                "Guter Hinweis der Kursleitung: Es geht darum, was du aus deiner Erfahrung gelernt hast und wie du es weitergeben kannst. Du bestimmst die Grenze.",
            ),
        ],
    },
    ThreadSeed {
        board: "berufseinstieg-praktikum",
        author: "Sonnenblume_71",
        days_ago: 33,
        title: "Erstes Praktikum auf einer Akutstation – Tipps?",
        body: "Nächste Woche beginnt mein Praktikum auf einer Akutstation. Ich bin aufgeregt: Wie stelle ich mich vor? Sage ich den Patient:innen gleich, dass ich selbst Psychiatrie-Erfahrung habe?",
        tags: &["praktikum", "akutstation"],
        anonymous: false,
        replies: &[
            reply(
                "Pflege_Nord",
                4,
                "Aus Sicht der Pflege: Sprich vorher mit der Stationsleitung, wie du vorgestellt wirst. Bei uns sagen die Genesungsbegleiter:innen ihre Erfahrung meist im ersten Gespräch – das öffnet oft Türen.",
            ),
            answer(
                "Kim_aus_Jena",
                20,
                1,
                "Das hat mir auch geholfen. Und nimm dir Pausen! Die Station ist laut, und man nimmt viel mit nach Hause.",
            ),
            reply(
                "Sonnenblume_71",
                170,
                "Update nach der ersten Woche: Es war anstrengend, aber gut. Eine Patientin sagte, es tue gut, mit jemandem zu reden, der weiß, wie sich das anfühlt.",
            ),
        ],
    },
    ThreadSeed {
        board: "berufseinstieg-praktikum",
        author: "Team_Peer_Bielefeld",
        days_ago: 12,
        title: "Wie wir Genesungsbegleiter:innen im Team einarbeiten",
        body: "Wir haben in Bielefeld inzwischen vier Genesungsbegleiter:innen im Team. Was sich bewährt hat: eine feste Ansprechperson in den ersten drei Monaten, Supervision von Anfang an, und Zeit für Austausch unter den Peers. Was habt ihr erlebt – was hat euch gefehlt?",
        tags: &["einarbeitung", "team"],
        anonymous: false,
        replies: &[
            reply(
                "Wanderer_Erfurt",
                6,
                "Mir hat am Anfang gefehlt, dass das Team wusste, was meine Rolle ist. Einige dachten, ich sei eine zusätzliche Pflegekraft.",
            ),
            anonymous(
                "Stille_Stimme",
                30,
                "Bei mir war es ähnlich. Geholfen hat eine Teamsitzung, in der ich meine Rolle selbst vorgestellt habe.",
            ),
        ],
    },
    ThreadSeed {
        board: "vertraege-verdienst",
        author: "Bruder_Tom",
        days_ago: 27,
        title: "Eingruppierung: E 5 oder E 7 TV-L?",
        body: "Meine Partnerin hat ein Angebot als Genesungsbegleiterin in einer Landesklinik bekommen, eingruppiert in E 5 TV-L. Eine Bekannte wurde woanders in E 7 eingruppiert. Woran liegt das – und lohnt es sich nachzuverhandeln?",
        tags: &["tv-l", "eingruppierung"],
        anonymous: false,
        replies: &[
            reply(
                "Personal_Hamburg",
                9,
                "Das hängt davon ab, welche Tätigkeit in der Stellenbeschreibung steht und ob der Abschluss als gleichwertig anerkannt wird. Fragt nach der Tätigkeitsbeschreibung und lasst euch die Eingruppierung schriftlich begründen.",
            ),
            answer(
                "Wanderer_Erfurt",
                14,
                1,
                "> lasst euch die Eingruppierung schriftlich begründen\n\nGenau das. Bei mir ging es nach einem Gespräch mit dem Personalrat von E 5 auf E 6.",
            ),
            reply("Bruder_Tom", 40, "Danke, sie fragt jetzt nach der Tätigkeitsbeschreibung."),
        ],
    },
    ThreadSeed {
        board: "vertraege-verdienst",
        author: "Sonnenblume_71",
        days_ago: 9,
        title: "Hinzuverdienst neben Erwerbsminderungsrente",
        body: "Ich bekomme eine volle Erwerbsminderungsrente und möchte als Genesungsbegleiterin ein paar Stunden arbeiten. Wie viel darf ich dazuverdienen, ohne dass die Rente gekürzt wird? Hat jemand Erfahrungen?",
        tags: &["rente", "teilzeit"],
        anonymous: true,
        replies: &[
            reply(
                "Berater_Jonas",
                3,
                "Die Grenzen ändern sich jedes Jahr, und es kommt auch auf die Stunden an. Bitte lass dich vorher bei der Deutschen Rentenversicherung beraten – die Beratung ist kostenlos, und du bekommst die Auskunft schriftlich.",
            ),
            anonymous(
                "Kim_aus_Jena",
                28,
                "Ich habe es genau so gemacht und mir die Auskunft schriftlich geben lassen. Das hat mir viel Sorge genommen.",
            ),
        ],
    },
    ThreadSeed {
        board: "vertraege-verdienst",
        author: "Wanderer_Erfurt",
        days_ago: 5,
        title: "Befristeter Vertrag über ein Projekt – was passiert danach?",
        body: "Meine Stelle ist über ein Modellprojekt finanziert und auf zwei Jahre befristet. Hat jemand erlebt, dass solche Stellen danach verstetigt wurden?",
        tags: &["befristung"],
        anonymous: false,
        replies: &[reply(
            "Team_Peer_Bielefeld",
            7,
            "Bei uns wurden zwei Projektstellen nach der Laufzeit in den Stellenplan übernommen – weil die Stationen nicht mehr auf die Peers verzichten wollten. Dokumentiert, was ihr bewirkt!",
        )],
    },
    ThreadSeed {
        board: "angehoerige",
        author: "Mutter_von_M",
        days_ago: 22,
        title: "Wie geht ihr mit der Angst vor der nächsten Krise um?",
        body: "Mein Sohn ist seit drei Monaten wieder zu Hause. Es geht ihm besser, aber ich ertappe mich dabei, jede seiner Stimmungen zu deuten. Wie schafft ihr es, nicht ständig in Alarmbereitschaft zu sein?",
        tags: &["krise", "selbstfuersorge"],
        anonymous: false,
        replies: &[
            reply(
                "Zuhörerin_Köln",
                6,
                "Das kenne ich sehr gut. Mir hat ein Krisenplan geholfen, den wir gemeinsam aufgeschrieben haben, als es ihm gut ging: Woran merken wir, dass es kippt, und wer macht dann was? Seitdem muss ich nicht mehr alles allein im Kopf halten.",
            ),
            answer(
                "Bruder_Tom",
                20,
                1,
                "> Krisenplan\n\nDen haben wir auch. Und ich gehe regelmäßig zu einem Trialog-Seminar – dort zu hören, wie Betroffene das erleben, hat meinen Blick verändert.",
            ),
            reply("Mutter_von_M", 44, "Danke euch. Ich spreche ihn am Wochenende auf einen Krisenplan an."),
        ],
    },
    ThreadSeed {
        board: "angehoerige",
        author: "Morgenrot",
        days_ago: 8,
        title: "Trialog-Seminare im Herbst",
        body: "Für alle in Berlin und Umgebung: Im Herbst beginnt wieder eine Reihe von Trialog-Seminaren, in denen Psychiatrie-Erfahrene, Angehörige und Profis auf Augenhöhe sprechen. Wer war schon einmal dabei?",
        tags: &["trialog", "berlin"],
        anonymous: false,
        replies: &[anonymous(
            "Bruder_Tom",
            4,
            "Ich war dabei und kann es sehr empfehlen. Man muss nichts sagen, zuhören reicht am Anfang.",
        )],
    },
    ThreadSeed {
        board: "peerstoette",
        author: "Havblik",
        days_ago: 30,
        title: "Erfaringer med peer-medarbejder uddannelsen?",
        body: "Hej alle,\n\njeg overvejer at tage uddannelsen som peer-medarbejder. Hvordan var undervisningen, og hvor lang tid tog praktikken? Kunne I passe det ved siden af et deltidsjob?",
        tags: &["uddannelse"],
        anonymous: false,
        replies: &[
            reply(
                "Peerguide_Mette",
                5,
                "Jeg tog uddannelsen for to år siden. Undervisningen var meget praksisnær, og vi lærte især at bruge vores egne erfaringer bevidst. Praktikken var krævende, men lærerig.",
            ),
            answer(
                "Søren_K",
                26,
                1,
                "> bruge vores egne erfaringer bevidst\n\nDet er præcis det, der gør forskellen. Jeg arbejder nu som peerstøtte på et distriktspsykiatrisk center.",
            ),
        ],
    },
    ThreadSeed {
        board: "peerstoette",
        author: "Mor_til_Emil",
        days_ago: 14,
        title: "Løn og ansættelse som peer-medarbejder i regionen",
        body: "Min søn er uddannet peer-medarbejder og har fået tilbudt en stilling i regionen. Er lønnen fastsat efter overenskomsten, og kan man forhandle løntrin?",
        tags: &["løn", "ok-24"],
        anonymous: false,
        replies: &[
            reply(
                "HR_Aalborg",
                6,
                "Hos os følger stillingerne overenskomsten, og der er mulighed for tillæg efter erfaring og opgaver. Spørg efter en skriftlig lønaftale.",
            ),
            reply(
                "Psykolog_Anne",
                30,
                "Fra et samarbejdsperspektiv: Peer-medarbejderne er en stor gevinst for vores teams. Det er godt, at lønnen tager højde for deres særlige viden.",
            ),
        ],
    },
    ThreadSeed {
        board: "neu-hier",
        author: "Stille_Stimme",
        days_ago: 6,
        title: "Hallo aus dem Norden",
        body: "Hallo, ich lese schon eine Weile mit und traue mich jetzt, mich vorzustellen. Ich habe selbst Krisen erlebt und überlege, ob EX-IN etwas für mich wäre.",
        tags: &["vorstellung"],
        anonymous: false,
        replies: &[reply(
            "Leuchtturm",
            3,
            "Herzlich willkommen! Schau gern im Board zur EX-IN-Ausbildung vorbei – dort gibt es viele Erfahrungsberichte.",
        )],
    },
];

/// A newcomer's introduction that waits for a moderator when the demo ends.
const WAITING: (&str, &str, &str) = (
    "Bruder_Tom",
    "Neu als Angehöriger",
    "Hallo, ich bin Tom. Mein Bruder macht gerade die EX-IN-Ausbildung, und ich möchte verstehen, was ihn erwartet.",
);

/// What the demo's forums hold, for the summary and the tests.
#[derive(Debug, Serialize)]
pub struct ForumFigures {
    pub boards: usize,
    pub threads: usize,
    pub posts: usize,
    /// Threads per board slug.
    pub threads_per_board: BTreeMap<String, usize>,
    /// Posts waiting for a moderator.
    pub pending: usize,
    /// Views this month, over all boards.
    pub views_this_month: u64,
}

/// Builds the forums. `clock` is set back while threads are written and left a second after
/// `now`.
pub fn build(platform: &Platform, demo: &Demo, clock: &TestClock) -> Result<(), Error> {
    let now = platform.now();
    let admin = Actor::account(demo.account(ADMIN.pseudonym)?);
    let forums = platform.forums();
    clock.set(now - Duration::days(90));
    let mut board_ids: BTreeMap<&str, BoardId> = BTreeMap::new();
    for seed in boards() {
        let new = NewBoard {
            slug: seed.slug.into(),
            title: seed.title.into(),
            description: seed.description.into(),
            language: seed.language.into(),
            position: None,
            audience: seed.audience,
            moderation: seed.moderation,
        };
        board_ids.insert(seed.slug, forums.create_board(&admin, &new)?.id);
    }
    watch_boards(platform, demo, &board_ids)?;
    let threads = write_threads(platform, demo, clock, now, &board_ids)?;
    clock.set(now - Duration::days(2));
    moderate(platform, demo, &board_ids, &threads)?;
    clock.set(now - Duration::hours(6));
    readers(platform, demo, &threads)?;
    // The demo's accounts were all created at `now`, so only what happens after it is new to
    // them: two replies a second later.
    clock.set(now + Duration::seconds(1));
    fresh_replies(platform, demo, &threads)?;
    Ok(())
}

fn watch_boards(platform: &Platform, demo: &Demo, boards: &BTreeMap<&str, BoardId>) -> Result<(), Error> {
    for (who, board) in [
        ("Kim_aus_Jena", "ausbildung-ex-in"),
        ("Kim_aus_Jena", "vertraege-verdienst"),
        ("Mutter_von_M", "angehoerige"),
        ("Havblik", "peerstoette"),
        ("Leuchtturm", "neu-hier"),
    ] {
        platform.forums().watch_board(&Actor::account(demo.account(who)?), boards[board], true)?;
    }
    Ok(())
}

/// Writes every thread and reply in the order of their times, so that ids, notifications
/// and inboxes follow the calendar as they would on a real platform.
fn write_threads(
    platform: &Platform,
    demo: &Demo,
    clock: &TestClock,
    now: chrono::DateTime<chrono::Utc>,
    boards: &BTreeMap<&str, BoardId>,
) -> Result<Vec<(ThreadId, Vec<PostId>)>, Error> {
    let mut events: Vec<(chrono::DateTime<chrono::Utc>, usize, Option<usize>)> = Vec::new();
    for (t, seed) in THREADS.iter().enumerate() {
        let started = now - Duration::days(seed.days_ago);
        events.push((started, t, None));
        for (r, reply) in seed.replies.iter().enumerate() {
            events.push((started + Duration::hours(reply.hours), t, Some(r)));
        }
    }
    events.sort_by_key(|(at, t, r)| (*at, *t, r.map_or(0, |r| r + 1)));
    let mut threads: Vec<(ThreadId, Vec<PostId>)> = vec![(ThreadId(0), Vec::new()); THREADS.len()];
    for (at, t, r) in events {
        clock.set(at);
        let seed = &THREADS[t];
        match r {
            None => threads[t] = start_thread(platform, demo, boards, seed)?,
            Some(r) => {
                let post = write_reply(platform, demo, &threads[t], &seed.replies[r])?;
                threads[t].1.push(post);
            }
        }
    }
    for (seed, (thread, _)) in THREADS.iter().zip(&threads) {
        // Authors have read their threads to the end; the others up to their own last reply.
        platform.forums().mark_read(&Actor::account(demo.account(seed.author)?), *thread, None)?;
    }
    Ok(threads)
}

fn start_thread(
    platform: &Platform,
    demo: &Demo,
    boards: &BTreeMap<&str, BoardId>,
    seed: &ThreadSeed,
) -> Result<(ThreadId, Vec<PostId>), Error> {
    let new = NewThread {
        board: boards[seed.board],
        title: seed.title.into(),
        body: seed.body.into(),
        tags: seed.tags.iter().map(|t| t.to_string()).collect(),
        anonymous: seed.anonymous,
    };
    let posted = platform.forums().create_thread(&Actor::account(demo.account(seed.author)?), &new)?;
    approve_if_waiting(platform, demo, posted.post.id, posted.post.state)?;
    Ok((posted.thread.id, vec![posted.post.id]))
}

fn write_reply(
    platform: &Platform,
    demo: &Demo,
    (thread, posts): &(ThreadId, Vec<PostId>),
    seed: &ReplySeed,
) -> Result<PostId, Error> {
    let new = NewReply {
        thread: *thread,
        body: seed.body.into(),
        reply_to: seed.to.map(|i| posts[i]),
        anonymous: seed.anonymous,
    };
    let post = platform.forums().reply(&Actor::account(demo.account(seed.author)?), &new)?.post;
    approve_if_waiting(platform, demo, post.id, post.state)?;
    Ok(post.id)
}

/// A moderator approves what the pre-moderated board held (all but the one left waiting).
fn approve_if_waiting(platform: &Platform, demo: &Demo, post: PostId, state: ContentState) -> Result<(), Error> {
    if state == ContentState::Pending {
        let moderator = Actor::account(demo.account("Leuchtturm")?);
        platform.forums().moderate_post(&moderator, post, ModerationAction::Approve, Some("Demo: willkommen"))?;
    }
    Ok(())
}

/// The moderators pin and lock the rules, hide a reply written in the wrong board, and a
/// newcomer's introduction waits in the queue.
fn moderate(
    platform: &Platform,
    demo: &Demo,
    boards: &BTreeMap<&str, BoardId>,
    threads: &[(ThreadId, Vec<PostId>)],
) -> Result<(), Error> {
    let forums = platform.forums();
    let moderator = Actor::account(demo.account("Leuchtturm")?);
    forums.pin_thread(&moderator, threads[0].0, true)?;
    forums.lock_thread(&moderator, threads[0].0, true)?;
    let eingruppierung = &threads[5];
    let off_topic = NewReply {
        thread: eingruppierung.0,
        body: "I Danmark er det helt anderledes: her følger lønnen overenskomsten OK-24.".into(),
        reply_to: None,
        anonymous: false,
    };
    let misplaced = forums.reply(&Actor::account(demo.account("Søren_K")?), &off_topic)?.post;
    let reason = "Demo: bitte im dänischen Board peerstoette weiterschreiben";
    forums.moderate_post(&moderator, misplaced.id, ModerationAction::Hide, Some(reason))?;
    let (who, title, body) = WAITING;
    let new =
        NewThread { board: boards["neu-hier"], title: title.into(), body: body.into(), tags: vec![], anonymous: false };
    forums.create_thread(&Actor::account(demo.account(who)?), &new)?;
    Ok(())
}

/// Visitors and members read threads this month, so the statistics have something to show.
fn readers(platform: &Platform, demo: &Demo, threads: &[(ThreadId, Vec<PostId>)]) -> Result<(), Error> {
    let forums = platform.forums();
    let public = [threads[0].0, threads[1].0, threads[2].0, threads[10].0, threads[11].0];
    for visitor in 0..24 {
        let token = format!("demo-visitor-{visitor:02}");
        for thread in public.iter().take(1 + visitor % public.len()) {
            forums.record_view(&Actor::Anonymous, *thread, Some(&token))?;
        }
    }
    for (who, thread) in [("Kim_aus_Jena", 3), ("Kim_aus_Jena", 5), ("Wanderer_Erfurt", 1), ("Mutter_von_M", 9)] {
        forums.read_thread(&Actor::account(demo.account(who)?), threads[thread].0, &PageRequest::first(50), None)?;
    }
    Ok(())
}

/// Two replies just now, so that the tour's people have something unread.
fn fresh_replies(platform: &Platform, demo: &Demo, threads: &[(ThreadId, Vec<PostId>)]) -> Result<(), Error> {
    for (who, thread, body) in [
        (
            "Wanderer_Erfurt",
            1,
            "Nachtrag: Der nächste Kurs in Erfurt hat noch freie Plätze, die Infoveranstaltung ist in zwei Wochen.",
        ),
        ("Zuhörerin_Köln", 8, "Wie ist das Gespräch über den Krisenplan gelaufen? Ich denke an dich."),
    ] {
        let new = NewReply { thread: threads[thread].0, body: body.into(), reply_to: None, anonymous: false };
        platform.forums().reply(&Actor::account(demo.account(who)?), &new)?;
    }
    Ok(())
}

/// Counts what the forums hold.
pub fn figures(platform: &Platform) -> Result<ForumFigures, Error> {
    let forums = platform.forums();
    let boards = forums.boards(&Actor::Operator)?;
    let mut threads_per_board = BTreeMap::new();
    for o in &boards {
        threads_per_board.insert(o.board.slug.clone(), o.threads as usize);
    }
    let pending = forums.queue(&Actor::Operator, &PageRequest::first(500))?.items.len();
    let month = forums.stats(&Actor::Operator, StatsPeriod::Month, None)?;
    let views_this_month = month.iter().rev().find(|s| s.board.is_none()).map_or(0, |s| s.views);
    Ok(ForumFigures {
        boards: boards.len(),
        threads: boards.iter().map(|o| o.threads as usize).sum(),
        posts: boards.iter().map(|o| o.posts as usize).sum(),
        threads_per_board,
        pending,
        views_this_month,
    })
}
