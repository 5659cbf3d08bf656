"""The knowledge base from Python: the editorial flow with four eyes, translations, the due
list, Markdown import, and the topics thesaurus."""

import datetime as dt

import pytest

import trialog


@pytest.fixture
def newsroom(platform):
    """Topics, and two editors each with a handle of their own."""
    p = platform
    p.import_topics(
        [
            {"line": 2, "topic": "peer-support", "lang": "de", "pref": "Genesungsbegleitung", "alt": "Peer-Arbeit", "related": "relatives"},
            {"line": 3, "topic": "relatives", "lang": "da", "pref": "Pårørende", "alt": "", "related": ""},
        ]
    )
    editors = []
    for name in ("Redakteurin", "Zweitleser"):
        account = p.create_account(name)
        p.grant_role(account["id"], "editor")
        editors.append(p.as_account(account["id"]))
    return {"platform": p, "author": editors[0], "reviewer": editors[1]}


def test_an_article_needs_a_second_editor_before_it_is_published(newsroom):
    author, reviewer, p = newsroom["author"], newsroom["reviewer"], newsroom["platform"]
    article = author.create_article("Was ist EX-IN?", body="Ein Kurs.", language="de", topics=["peer-support"])
    assert article["state"] == "draft" and article["revision"] == 1
    author.submit_article(article["id"])
    with pytest.raises(trialog.PermissionDeniedError):
        author.approve_article(article["id"])
    approved = reviewer.approve_article(article["id"], next_check_due=dt.date(2099, 1, 1))
    assert approved["next_check_due"] == dt.date(2099, 1, 1)
    published = author.publish_article(article["id"])
    assert published["state"] == "published"

    danish = author.create_article(
        "Hvad er EX-IN?", body="Et kursus.", language="da", topics=["peer-support"], translation_of=article["id"]
    )
    with pytest.raises(trialog.InvalidInputError) as same_language:
        author.create_article("Noch einmal", body="x", language="de", translation_of=article["id"])
    assert same_language.value.field == "translation_of"
    author.submit_article(danish["id"])
    reviewer.approve_article(danish["id"])
    author.publish_article(danish["id"])

    visitor = p.anonymous()
    listed = list(visitor.iter_articles(language="da"))
    assert [a["id"] for a in listed] == [danish["id"]]
    assert listed[0]["other_languages"] == ["de"]
    detail = visitor.article(article["id"])
    assert [t["language"] for t in detail["translations"]] == ["da"]

    author.edit_article(article["id"], body="Ein Kurs.\nMit Praktikum.")
    diff = author.article_diff(article["id"], 1, 2)
    assert [(l["op"], l["text"]) for l in diff["lines"] if l["op"] != "same"] == [("added", "Mit Praktikum.")]
    # The German version went back to draft with the edit; the Danish one stays due in 12 months.
    assert [a["id"] for a in author.iter_due_articles(on=dt.date(2099, 6, 1))] == [danish["id"]]


def test_markdown_files_import_all_or_nothing(newsroom):
    author = newsroom["author"]
    good = {"path": "de/peer.md", "text": "---\ntitle: Peer\nlanguage: de\ntopics: peer-support\naudience: public\n---\nText."}
    bad = {"path": "de/bad.md", "text": "---\ntitle: Bad\nlanguage: de\naudience: public\ncolour: red\n---\nText."}
    refused = author.import_articles([good, bad])
    assert [(p["file"], p["field"]) for p in refused["problems"]] == [("de/bad.md", "colour"), ("de/bad.md", "topics")]
    assert refused["created"] == []
    assert list(author.iter_articles()) == []
    done = author.import_articles([good], submit=True)
    assert len(done["created"]) == 1
    assert author.article_by_slug("peer")["article"]["state"] == "in_review"
    assert [f["path"] for f in author.export_articles()] == ["de/peer.md"]


def test_topics_are_mutual_and_edited_by_admins_only(newsroom):
    p, author = newsroom["platform"], newsroom["author"]
    assert p.topic("relatives")["related"] == ["peer-support"]
    with pytest.raises(trialog.PermissionDeniedError):
        author.add_topic("x", labels=[{"lang": "de", "pref": "X"}])
    p.add_topic("networking", labels=[{"lang": "de", "pref": "Netzwerkarbeit", "alt": ["Vernetzung"]}])
    assert [t["slug"] for t in p.iter_topics()] == ["peer-support", "relatives", "networking"]
    rows = p.export_topics()
    assert ("networking", "de", "Netzwerkarbeit", "Vernetzung") in [(r["topic"], r["lang"], r["pref"], r["alt"]) for r in rows]
