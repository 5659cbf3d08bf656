"""Forums from Python: audiences, anonymity, read tracking, statistics, notifications, search,
moderation, bad input by field, and listings that go straight into pandas."""

import datetime

import pandas as pd
import pytest

import trialog


@pytest.fixture
def forum(platform):
    """Boards for every audience; Kim (lived experience), Ole (relative), a moderator, an admin."""
    p = platform
    boards = {
        "public": p.create_board("ausbildung-ex-in", "Ausbildung EX-IN", "de", audience="public")["id"],
        "members": p.create_board("vertraege-verdienst", "Verträge & Verdienst", "de")["id"],
        "relatives": p.create_board("angehoerige", "Angehörige", "de", audience={"kind": "perspectives", "perspectives": ["relative"]})["id"],
        "new": p.create_board("neu-hier", "Neu hier", "de", moderation="pre_moderated")["id"],
    }
    kim = p.create_account("Kim_aus_Jena", perspective="lived_experience")
    ole = p.create_account("Ole_Angehoerig", perspective="relative")
    mod = p.create_account("Leuchtturm", perspective="lived_experience")
    p.grant_role(mod["id"], "moderator")
    admin = p.create_account("Redaktion", perspective="professional")
    p.grant_role(admin["id"], "admin")
    return {
        "p": p,
        "boards": boards,
        "kim": p.as_account(kim["id"]),
        "kim_id": kim["id"],
        "ole": p.as_account(ole["id"]),
        "mod": p.as_account(mod["id"]),
        "admin": p.as_account(admin["id"]),
        "visitor": p.anonymous(),
    }


def test_audiences_decide_who_reads_in_every_read_and_listing(forum):
    f = forum
    secret = f["ole"].create_thread(f["boards"]["relatives"], "Unter uns", "Nur für Angehörige")["thread"]
    assert [o["board"]["slug"] for o in f["visitor"].boards()] == ["ausbildung-ex-in"]
    assert len(f["kim"].boards()) == 3
    assert len(f["ole"].boards()) == 4
    with pytest.raises(trialog.PermissionDeniedError) as denied:
        f["kim"].thread_page(secret["id"])
    assert "relatives" in denied.value.reason
    with pytest.raises(trialog.PermissionDeniedError):
        f["kim"].board_page(f["boards"]["relatives"])
    with pytest.raises(trialog.PermissionDeniedError):
        f["kim"].reply(secret["id"], "Hallo")
    with pytest.raises(trialog.PermissionDeniedError):
        f["visitor"].board_page(f["boards"]["members"])
    assert f["kim"].search_forums("Angehörige")["items"] == []
    assert len(f["ole"].search_forums("Angehörige")["items"]) == 1
    assert len(f["mod"].board_page(f["boards"]["relatives"])["threads"]) == 1


def test_anonymous_authors_are_known_only_to_admins_and_themselves(forum):
    f = forum
    posted = f["kim"].create_thread(f["boards"]["members"], "Schulden", "Ich weiß nicht weiter.", anonymous=True)
    assert posted["post"]["author"] == {"account": f["kim_id"], "name": "Kim_aus_Jena", "anonymous": True, "yours": True}
    for reader in ("ole", "mod"):
        author = f[reader].thread_page(posted["thread"]["id"])["posts"][0]["author"]
        assert author["account"] is None and author["name"] == "anonymous", reader
    assert f["admin"].thread(posted["thread"]["id"])["author"]["name"] == "Kim_aus_Jena"
    week = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)
    f["mod"].restrict_author(posted["post"]["id"], "silence", until=week, reason="Ton")
    assert f["p"].account(f["kim_id"])["status"]["state"] == "silenced"
    with pytest.raises(trialog.PermissionDeniedError, match="silenced"):
        f["kim"].reply(posted["thread"]["id"], "Noch etwas")
    log = f["p"].audit_log(action_prefix="forum.author")["items"]
    assert log[0]["target"] == f"post:{posted['post']['id']}"


def test_read_positions_give_unread_counts(forum):
    f = forum
    thread = f["kim"].create_thread(f["boards"]["public"], "Praktikum", "Erster Beitrag")["thread"]
    assert f["ole"].thread(thread["id"])["unread"] == 1
    assert f["visitor"].thread(thread["id"])["unread"] is None
    for n in range(3):
        f["ole"].reply(thread["id"], f"Antwort {n}")
    unread = f["kim"].unread_threads()
    assert [(u["thread"], u["unread"]) for u in unread] == [(thread["id"], 3)]
    assert isinstance(unread[0]["last_activity"], datetime.datetime)
    page = f["kim"].read_thread(thread["id"], limit=2)
    assert page["thread"]["unread"] == 2
    assert f["kim"].mark_thread_read(thread["id"])["unread"] == 0
    assert f["kim"].boards()[0]["unread_threads"] == 0
    assert f["p"].create_account("Spaet")  # a newcomer: threads quiet since it joined count as read
    with pytest.raises(trialog.InvalidInputError) as bad:
        f["kim"].mark_thread_read(thread["id"], up_to=9_999)
    assert bad.value.field == "up_to"
    assert f["ole"].mark_board_read(f["boards"]["public"]) == 1


def test_statistics_count_views_and_readers_and_hide_small_numbers(forum):
    f = forum
    thread = f["kim"].create_thread(f["boards"]["public"], "Gelesen", "Text")["thread"]
    for token in ["a", "b", "c", "d", "e", "a"]:
        f["visitor"].read_thread(thread["id"], visitor=token)
    f["kim"].read_thread(thread["id"])
    month = f["mod"].forum_stats("month", board=f["boards"]["public"])
    assert [(m["views"], m["readers"]) for m in month] == [(7, 6)]
    quarter = f["admin"].forum_stats("quarter")
    total = next(q for q in quarter if q["board"] is None)
    assert "-Q" in total["period"] and total["readers"] == 6
    other = f["kim"].create_thread(f["boards"]["members"], "Still", "Text")["thread"]
    f["ole"].record_thread_view(other["id"])
    rows = f["admin"].forum_stats("month", board=f["boards"]["members"])
    assert rows[0]["readers"] is None, "one reader is not reported"
    with pytest.raises(trialog.PermissionDeniedError):
        f["kim"].forum_stats("month")
    with pytest.raises(trialog.InvalidInputError) as bad:
        f["admin"].forum_stats("week")
    assert bad.value.field == "period"
    frame = pd.DataFrame(f["admin"].forum_stats("month"))
    assert list(frame.columns) == ["board", "period", "views", "readers"]


def test_watchers_and_quoted_authors_get_notifications(forum):
    f = forum
    f["ole"].watch_board(f["boards"]["public"])
    started = f["kim"].create_thread(f["boards"]["public"], "Teilzeit?", "Wie viele Stunden arbeitet ihr?")
    note = f["ole"].forum_notifications()["items"][0]
    assert note["event"]["type"] == "forum_thread" and note["event"]["thread"] == started["thread"]["id"]
    answer = f["ole"].reply(started["thread"]["id"], "20 Stunden", reply_to=started["post"]["id"])
    kim = f["kim"].forum_notifications(unread_only=True)
    assert kim["unread"] == 1
    event = kim["items"][0]["event"]
    assert (event["type"], event["your_post"], event["post"]) == (
        "forum_reply_to_you",
        started["post"]["id"],
        answer["post"]["id"],
    )
    assert f["kim"].watching() == {"boards": [], "threads": [started["thread"]["id"]]}
    assert f["kim"].mark_notifications_read() == 1
    assert f["kim"].forum_notifications(unread_only=True)["items"] == []
    f["ole"].watch_board(f["boards"]["public"], on=False)
    assert f["ole"].watching()["boards"] == []


def test_search_finds_word_forms_marks_matches_and_respects_states(forum):
    f = forum
    t = f["kim"].create_thread(f["boards"]["public"], "Verträge für Genesungsbegleiter", "Welche Verträge habt ihr?")
    f["ole"].reply(t["thread"]["id"], "Mein Vertrag ist befristet.")
    hits = f["visitor"].search_forums("VERTRAG")["items"]
    assert len(hits) == 2 and hits[0]["first_post"]
    assert [part["text"] for part in hits[0]["title"] if part["matched"]] == ["Verträge"]
    assert len(list(f["visitor"].iter_forum_search("vertrag", page_size=1))) == 2
    f["mod"].moderate_thread(t["thread"]["id"], "hide", reason="Test")
    assert f["visitor"].search_forums("Vertrag")["items"] == []
    with pytest.raises(trialog.InvalidInputError) as bad:
        f["visitor"].search_forums("  ")
    assert bad.value.field == "text"


def test_moderation_edits_and_deletion(forum):
    f = forum
    held = f["kim"].create_thread(f["boards"]["new"], "Hallo", "Ich bin neu.")
    assert "pre-moderated" in held["held"]
    assert held["thread"]["state"] == "pending"
    assert f["ole"].board_page(f["boards"]["new"])["threads"] == []
    queue = f["mod"].moderation_queue()["items"]
    assert [item["post"]["id"] for item in queue] == [held["post"]["id"]]
    with pytest.raises(trialog.PermissionDeniedError):
        f["kim"].moderation_queue()
    f["mod"].moderate_post(held["post"]["id"], "approve")
    assert len(f["ole"].board_page(f["boards"]["new"])["threads"]) == 1

    edited = f["kim"].edit_post(held["post"]["id"], "Hallo zusammen!", title="Hallo aus Jena")
    assert edited["thread"]["title"] == "Hallo aus Jena"
    assert len(f["kim"].post_history(held["post"]["id"])) == 1
    with pytest.raises(trialog.PermissionDeniedError):
        f["ole"].post_history(held["post"]["id"])
    assert f["kim"].delete_post(held["post"]["id"])["deleted"]
    assert f["ole"].post(held["post"]["id"])["body"] == ""

    thread = held["thread"]["id"]
    assert f["mod"].pin_thread(thread)["pinned"]
    f["mod"].lock_thread(thread)
    with pytest.raises(trialog.ConflictError, match="locked"):
        f["ole"].reply(thread, "x")
    assert f["mod"].move_thread(thread, f["boards"]["public"])["board"] == f["boards"]["public"]
    f["p"].archive_board(f["boards"]["members"])
    with pytest.raises(trialog.ConflictError, match="archived"):
        f["kim"].create_thread(f["boards"]["members"], "Zu spät", "Text")
    assert f["p"].update_board(f["boards"]["members"], title="Archiv")["archived"]
    with pytest.raises(trialog.InvalidInputError) as bad:
        f["mod"].moderate_post(held["post"]["id"], "vanish")
    assert bad.value.field == "action"


def test_bad_input_names_the_field(forum):
    f = forum
    for kwargs, field in [
        ({"title": " ", "body": "x"}, "title"),
        ({"title": "Titel", "body": "x" * 20_001}, "body"),
        ({"title": "Titel", "body": "x", "tags": ["nicht ok!"]}, "tags"),
    ]:
        with pytest.raises(trialog.InvalidInputError) as bad:
            f["kim"].create_thread(f["boards"]["public"], **kwargs)
        assert bad.value.field == field
    with pytest.raises(trialog.InvalidInputError) as bad:
        f["p"].create_board("Mit Leerzeichen", "X", "de")
    assert bad.value.field == "slug"
    with pytest.raises(trialog.InvalidInputError) as bad:
        f["p"].create_board("neu", "X", "de", audience="alle")
    assert bad.value.field == "audience.kind"
    with pytest.raises(trialog.NotFoundError):
        f["kim"].reply(999, "x")
    with pytest.raises(trialog.NotFoundError):
        f["kim"].board_page(999999)
    with pytest.raises(trialog.InvalidInputError) as not_an_id:
        f["kim"].board_page(1.5)
    assert not_an_id.value.field == "board"
    a = f["kim"].create_thread(f["boards"]["public"], "A", "x")
    b = f["kim"].create_thread(f["boards"]["public"], "B", "x")
    with pytest.raises(trialog.InvalidInputError) as across:
        f["ole"].reply(a["thread"]["id"], "x", reply_to=b["post"]["id"])
    assert across.value.field == "reply_to"
    with pytest.raises(trialog.PermissionDeniedError):
        f["p"].create_thread(f["boards"]["public"], "T", "B")


def test_listings_go_into_pandas_and_markup_renders_safely(forum):
    f = forum
    for n in range(5):
        t = f["kim"].create_thread(f["boards"]["public"], f"Faden {n}", "Text")["thread"]
        f["ole"].reply(t["id"], f"Antwort {n}")
    threads = pd.DataFrame(list(f["visitor"].iter_threads(f["boards"]["public"], page_size=2)))
    assert len(threads) == 5
    assert threads["reply_count"].tolist() == [1] * 5
    assert str(threads["last_activity"].dtype).startswith("datetime64"), threads.dtypes
    posts = list(f["visitor"].iter_posts(int(threads["id"][0]), page_size=1))
    assert [p["seq"] for p in posts] == [1, 2]
    assert trialog.post_html("> Zitat\n\nAntwort") == "<blockquote><p>Zitat</p></blockquote><p>Antwort</p>"
    assert "<b>" not in trialog.post_html("<b>fett</b> [x](javascript:alert(1))")
