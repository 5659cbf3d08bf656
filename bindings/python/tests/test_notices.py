"""Outbound notices from Python: off until a person chooses them, e-mail only to the account's
own address, a push hook only over https (or to this machine), each account for itself."""

import pytest

import trialog


@pytest.fixture
def people(platform):
    p = platform
    kim = p.create_account("Kim_aus_Jena", perspective="lived_experience", email="kim@example.org")
    sam = p.create_account("Sam_Angehoerig", perspective="relative")
    return {"p": p, "kim": p.as_account(kim["id"]), "sam": p.as_account(sam["id"])}


def test_notices_are_off_until_the_person_turns_them_on(people):
    kim = people["kim"]
    assert kim.notice_settings() == {"email": False, "push": False, "push_url": None}
    chosen = kim.set_notice_settings({"email": True, "push": True, "push_url": "https://app.example/hook"})
    assert chosen == {"email": True, "push": True, "push_url": "https://app.example/hook"}
    assert kim.notice_settings() == chosen
    kim.set_notice_settings({"email": False})
    assert kim.notice_settings() == {"email": False, "push": False, "push_url": None}


def test_bad_choices_name_the_field(people):
    with pytest.raises(trialog.InvalidInputError) as no_address:
        people["sam"].set_notice_settings({"email": True})
    assert no_address.value.field == "email"
    for url in ["http://app.example/hook", "https://user:pw@app.example/hook", None]:
        with pytest.raises(trialog.InvalidInputError) as bad_hook:
            people["kim"].set_notice_settings({"push": True, "push_url": url})
        assert bad_hook.value.field == "push_url", url


def test_nobody_chooses_notices_without_an_account(people):
    with pytest.raises(trialog.PermissionDeniedError):
        people["p"].anonymous().set_notice_settings({"email": True})
