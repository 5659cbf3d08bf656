"""The one search from Python: articles and forum threads in one ranked list, each shown only
to readers who may see it, thesaurus expansion, facets, paging and typed errors."""

import pytest

import trialog


@pytest.fixture
def library(platform):
    """A thesaurus topic, a published article on it, and threads on a public and a members' board."""
    p = platform
    p.import_topics(
        [
            {"line": 2, "topic": "cooperation", "lang": "de", "pref": "Kooperation", "alt": "Vernetzung", "related": ""},
        ]
    )
    editors = []
    for name in ("Redakteurin", "Zweitleser"):
        account = p.create_account(name)
        p.grant_role(account["id"], "editor")
        editors.append(p.as_account(account["id"]))
    author, reviewer = editors
    article = author.create_article(
        "Kooperation zwischen Selbsthilfe und Klinik",
        body="Kontaktstellen und Kliniken arbeiten zusammen.",
        language="de",
        topics=["cooperation"],
    )
    author.submit_article(article["id"])
    reviewer.approve_article(article["id"])
    author.publish_article(article["id"])
    member = p.as_account(p.create_account("Leserin")["id"])
    public = p.create_board("offen", "Offen", "de", audience="public")["id"]
    members = p.create_board("intern", "Intern", "de")["id"]
    open_thread = member.create_thread(public, "Selbsthilfegruppe in der Klinik", "Wer kennt das?")["thread"]["id"]
    inner_thread = member.create_thread(members, "Klinik intern", "Nur für Mitglieder.")["thread"]["id"]
    return {"p": p, "member": member, "article": article["id"], "open": open_thread, "inner": inner_thread}


def hits(page):
    return [(h["kind"], h["id"]) for h in page["items"]]


def test_one_ranked_list_holds_articles_and_the_threads_the_reader_may_see(library):
    p, member = library["p"], library["member"]
    page = p.anonymous().search("Kooperation Selbsthilfe Klinik")
    assert hits(page)[0] == ("article", library["article"])
    assert ("thread", library["open"]) in hits(page)
    assert ("thread", library["inner"]) not in hits(page), "a members' board is not shown to visitors"
    assert ("thread", library["inner"]) in hits(member.search("Klinik"))
    kinds = {f["value"]: f["count"] for f in page["facets"] if f["facet"] == "kind"}
    assert kinds == {"article": 1, "thread": 1}
    assert page["total"] == 2 and page["total_exact"] and page["next_cursor"] is None


def test_a_synonym_finds_the_topic_and_pages_walk_every_hit(library):
    p = library["p"]
    page = p.search("Vernetzung")
    assert hits(page) == [("article", library["article"])]
    assert "topic:cooperation" in page["items"][0]["matched"]
    assert [h["kind"] for h in p.search("Klinik", kinds=["thread"])["items"]] == ["thread", "thread"]
    walked = [(h["kind"], h["id"]) for h in p.iter_search("Klinik", page_size=1)]
    assert sorted(walked) == sorted(hits(p.search("Klinik")))


def test_bad_queries_are_typed_errors_naming_the_field(library):
    p = library["p"]
    with pytest.raises(trialog.InvalidInputError) as long:
        p.search("Klinik " * 1500)
    assert long.value.field == "text"
    with pytest.raises(trialog.InvalidInputError) as topic:
        p.search("Klinik", topic="no-such-topic")
    assert topic.value.field == "topic"
