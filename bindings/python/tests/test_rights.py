"""The person's rights from Python: an admin exports an account's documents, a person erases
their own account, the retention rule, and who may do what."""

import json

import pytest

import trialog


@pytest.fixture
def people(platform):
    p = platform
    board = p.create_board("vertraege", "Verträge", "de", audience="public")["id"]
    kim = p.create_account("Kim_aus_Jena", perspective="lived_experience", email="kim@example.org")
    sam = p.create_account("Sam_Angehoerig", perspective="relative")
    admin = p.create_account("Redaktion")
    p.grant_role(admin["id"], "admin")
    return {
        "p": p,
        "board": board,
        "kim_id": kim["id"],
        "kim": p.as_account(kim["id"]),
        "sam": p.as_account(sam["id"]),
        "admin": p.as_account(admin["id"]),
    }


def test_an_admin_exports_an_accounts_documents_and_the_export_is_audited(people):
    kim = people["kim"]
    kim.create_thread(people["board"], "Teilzeit", "Mein Zwölfstundenvertrag drückt.")
    kim.create_thread(people["board"], "Geheim", "Nur mit Maske erzählt.", anonymous=True)
    export = people["admin"].export_account(people["kim_id"])
    assert export["account"] == people["kim_id"] and export["format_version"] >= 1
    documents = {d["name"]: d for d in export["documents"]}
    account = json.loads(documents["account.json"]["json"])
    assert account[0]["pseudonym"] == "Kim_aus_Jena" and account[0]["email"] == "kim@example.org"
    posts = json.loads(documents["forum_posts.json"]["json"])
    assert documents["forum_posts.json"]["records"] == len(posts) == 2
    assert {p["body"] for p in posts} == {"Mein Zwölfstundenvertrag drückt.", "Nur mit Maske erzählt."}
    assert [p["anonymous"] for p in sorted(posts, key=lambda p: p["id"])] == [False, True]
    assert "forum_posts.json" in export["readme"]
    audit = people["p"].audit_log(action_prefix="account.export")["items"]
    assert [e["target"] for e in audit] == [f"account:{people['kim_id']}"]


def test_nobody_else_exports_or_erases_an_account(people):
    with pytest.raises(trialog.PermissionDeniedError):
        people["sam"].export_account(people["kim_id"])
    with pytest.raises(trialog.PermissionDeniedError):
        people["sam"].erase_account(people["kim_id"], "unwanted")
    with pytest.raises(trialog.NotFoundError):
        people["admin"].export_account(999)


def test_a_person_erases_their_account_and_their_posts_stay_as_former_member(people):
    p, kim = people["p"], people["kim"]
    started = kim.create_thread(people["board"], "Abschied", "Ich gehe jetzt.")
    with pytest.raises(trialog.InvalidInputError) as named:
        kim.erase_account(people["kim_id"], "Kim_aus_Jena will weg")
    assert named.value.field == "reason"
    report = kim.erase_account(people["kim_id"], "my own wish")
    assert report["posts"] == "keep_as_former_member" and report["account"] == people["kim_id"]
    assert {c["what"] for c in report["erased"]} >= {"account"}
    with pytest.raises(trialog.NotFoundError):
        p.account(people["kim_id"])
    post = p.post(started["post"]["id"])
    assert post["body"] == "Ich gehe jetzt." and post["author"].get("account") is None
    with pytest.raises(trialog.NotFoundError):
        p.account_by_pseudonym("Kim_aus_Jena")


def test_deleted_posts_lose_their_text(people):
    p, kim = people["p"], people["kim"]
    started = kim.create_thread(people["board"], "Weg damit", "Dieser Text soll verschwinden.")
    report = people["admin"].erase_account(people["kim_id"], "request by letter", posts="delete")
    assert report["posts"] == "delete"
    assert "verschwinden" not in json.dumps(p.post(started["post"]["id"]), default=str)
    with pytest.raises(trialog.InvalidInputError) as bad:
        people["admin"].erase_account(people["kim_id"], "again", posts="shred")
    assert bad.value.field == "posts"


def test_retention_rule_is_for_admins_and_validated(people):
    admin = people["admin"]
    assert admin.retention_settings()["inactive_months"] is None
    rule = admin.set_retention_settings(inactive_months=18, grace_days=14, posts="delete")
    assert (rule["inactive_months"], rule["grace_days"], rule["posts"]) == (18, 14, "delete")
    assert admin.retention_settings() == rule
    assert admin.retention_warnings() == []
    with pytest.raises(trialog.InvalidInputError) as bad:
        admin.set_retention_settings(inactive_months=0)
    assert bad.value.field == "inactive_months"
    with pytest.raises(trialog.PermissionDeniedError):
        people["kim"].retention_settings()
