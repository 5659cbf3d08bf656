import datetime as dt

import pytest

import trialog

UTC = dt.timezone.utc


def test_create_and_look_up(platform):
    kim = platform.create_account(
        "Kim_aus_Jena", perspective="lived_experience", languages=("DE", "da", "de"), home_region="de-th",
        email="Kim@Example.ORG",
    )
    assert kim["id"] == 1
    assert kim["perspective"] == "lived_experience"
    assert kim["languages"] == ["de", "da"]
    assert kim["home_region"] == "DE-TH"
    assert kim["email"] == "Kim@example.org"
    assert kim["roles"] == [{"role": "member"}]
    assert kim["status"] == {"state": "active"}
    assert list(kim)[:3] == ["id", "pseudonym", "perspective"]
    assert kim["created_at"].tzinfo is not None

    assert platform.account(1) == kim
    assert platform.account_by_pseudonym("kim_AUS_jena")["id"] == 1
    with pytest.raises(trialog.ConflictError) as info:
        platform.create_account("KIM_aus_jena")
    assert "taken" in info.value.reason


def test_defaults_and_update(platform):
    sam = platform.create_account("Sam")
    assert sam["perspective"] == "undisclosed"
    assert sam["languages"] == [] and sam["email"] is None
    changed = platform.update_account(sam["id"], perspective="relative", languages=["da"], home_region="DK-84")
    assert (changed["perspective"], changed["languages"], changed["home_region"]) == ("relative", ["da"], "DK-84")
    cleared = platform.update_account(sam["id"], home_region="")
    assert cleared["home_region"] is None
    with pytest.raises(trialog.InvalidInputError) as info:
        platform.update_account(sam["id"], languages=["dansk"])
    assert info.value.field == "languages"
    with pytest.raises(trialog.InvalidInputError) as text:
        platform.create_account("Sam2", languages="da")  # a string is not a list of codes
    assert text.value.field == "languages"


def test_email_is_shown_to_owner_and_admins_only(populated):
    p = populated["platform"]
    kim_id = populated["kim"]["id"]
    assert p.as_account(kim_id).account(kim_id)["email"] == "kim@example.org"
    assert p.acting_as("Admin_Anna").account(kim_id)["email"] == "kim@example.org"
    assert p.acting_as("Sam").account(kim_id)["email"] is None
    assert p.acting_as("Mod_Mads").account(kim_id)["email"] is None


def test_handles(populated):
    p = populated["platform"]
    kim = p.acting_as("kim_aus_jena")
    assert kim.actor == f"account:{populated['kim']['id']}"
    assert kim.account_id == populated["kim"]["id"]
    assert p.actor == "operator" and p.account_id is None
    assert "account:" in repr(kim)
    with pytest.raises(trialog.NotFoundError):
        p.acting_as("Nobody_here")
    with pytest.raises(trialog.NotFoundError):
        p.as_account(999)
    anon = p.anonymous()
    with pytest.raises(trialog.PermissionDeniedError):
        anon.account(populated["kim"]["id"])
    signed_up = anon.create_account("Neu_hier")  # sign-up is open to anyone
    assert signed_up["roles"] == [{"role": "member"}]


def test_roles(populated):
    p = populated["platform"]
    clinic = populated["clinic"]["id"]
    kim = populated["kim"]["id"]
    granted = p.grant_role(kim, "counsellor", org=clinic, reason="EX-IN trained")
    assert {"role": "counsellor", "org": clinic} in granted["roles"]
    assert p.grant_role(kim, {"role": "counsellor", "org": clinic}) == granted, "granting twice changes nothing"
    counsellors = p.list_accounts(role="counsellor", org=clinic)["items"]
    assert [a["pseudonym"] for a in counsellors] == ["Kim_aus_Jena"]
    revoked = p.revoke_role(kim, "counsellor", org=clinic)
    assert revoked["roles"] == [{"role": "member"}]

    for bad, org, field in [("wizard", None, "role"), ("counsellor", None, "org"), ("counsellor", "x", "org")]:
        with pytest.raises(trialog.InvalidInputError) as info:
            p.grant_role(kim, bad, org=org)
        assert info.value.field == field, bad
    with pytest.raises(trialog.NotFoundError):
        p.grant_role(kim, "counsellor", org=999)

    entry = next(p.iter_audit(action_prefix="account.role"))
    assert entry["action"] == "account.role.revoke"
    assert entry["actor"] == {"kind": "operator"}
    assert entry["target"] == f"account:{kim}"
    assert isinstance(entry["at"], dt.datetime)


def test_a_moderator_may_not_grant_roles(populated):
    mod = populated["platform"].acting_as("Mod_Mads")
    with pytest.raises(trialog.PermissionDeniedError) as info:
        mod.grant_role(populated["kim"]["id"], "moderator")
    assert info.value.kind == "permission_denied"
    assert "moderator" in info.value.action


def test_restrictions_with_datetimes(populated):
    p = populated["platform"]
    kim = populated["kim"]["id"]
    until = dt.datetime.now(UTC).replace(microsecond=0) + dt.timedelta(days=3)

    silenced = p.restrict_account(kim, "silence", until=until, reason="heated thread")
    assert silenced["status"] == {"state": "silenced", "until": until}
    assert silenced["status"]["until"].tzinfo is not None

    # An ISO string with another offset names the same instant.
    cet = until.astimezone(dt.timezone(dt.timedelta(hours=1)))
    suspended = p.restrict_account(kim, "suspend", until=cet.isoformat(), reason="repeated")
    assert suspended["status"] == {"state": "suspended", "until": until}
    zulu = p.restrict_account(kim, "suspend", until=until.strftime("%Y-%m-%dT%H:%M:%SZ"), reason="again")
    assert zulu["status"]["until"] == until
    assert [a["id"] for a in p.list_accounts(status="suspended")["items"]] == [kim]

    with pytest.raises(trialog.PermissionDeniedError):
        p.as_account(kim).account(kim)  # a suspended account may do nothing

    assert p.restrict_account(kim, "ban", reason="threats")["status"] == {"state": "banned"}
    assert p.restrict_account(kim, "reinstate", reason="appeal upheld")["status"] == {"state": "active"}
    actions = [e["action"] for e in p.iter_audit(target=f"account:{kim}")]
    assert actions[:5] == ["account.reinstate", "account.ban", "account.suspend", "account.suspend", "account.silence"]


@pytest.mark.parametrize(
    "restriction, until, field",
    [
        ("silence", None, "until"),
        ("suspend", dt.datetime(2030, 1, 1), "until"),  # naive: no time zone
        ("suspend", dt.datetime(2001, 1, 1, tzinfo=UTC), "until"),  # in the past
        ("suspend", "next tuesday", "until"),
        ("suspend", 1234567890, "until"),
        ("mute", None, "restriction"),
    ],
)
def test_bad_restrictions_name_their_field(populated, restriction, until, field):
    p = populated["platform"]
    with pytest.raises(trialog.InvalidInputError) as info:
        p.restrict_account(populated["kim"]["id"], restriction, until=until, reason="test")
    assert info.value.field == field


def test_a_reason_is_required(populated):
    p = populated["platform"]
    with pytest.raises(TypeError):
        p.restrict_account(populated["kim"]["id"], "ban")  # reason is a required keyword
    with pytest.raises(trialog.InvalidInputError) as info:
        p.restrict_account(populated["kim"]["id"], "ban", reason="  ")
    assert info.value.field == "reason"


def test_moderators_restrict_members_but_not_admins(populated):
    p = populated["platform"]
    mod = p.acting_as("Mod_Mads")
    until = dt.datetime.now(UTC) + dt.timedelta(hours=1)
    assert mod.restrict_account(populated["sam"]["id"], "silence", until=until, reason="spam")["status"]["state"] == "silenced"
    with pytest.raises(trialog.PermissionDeniedError):
        mod.restrict_account(populated["admin"]["id"], "ban", reason="coup")


def test_perspective_is_shown_only_where_its_owner_chose(populated):
    p = populated["platform"]
    kim_id = populated["kim"]["id"]
    assert populated["kim"]["perspective_visibility"] == "nobody"
    assert p.acting_as("Sam").account(kim_id)["perspective"] == "undisclosed"
    assert p.acting_as("Mod_Mads").account(kim_id)["perspective"] == "undisclosed"
    assert p.acting_as("Admin_Anna").account(kim_id)["perspective"] == "lived_experience"
    p.as_account(kim_id).update_account(kim_id, perspective_visibility="members")
    assert p.acting_as("Sam").account(kim_id)["perspective"] == "lived_experience"
    shown = p.create_account("Offen_Olga", perspective="relative", perspective_visibility="public")
    assert p.acting_as("Sam").account(shown["id"])["perspective"] == "relative"
    with pytest.raises(trialog.InvalidInputError) as info:
        p.create_account("Falsch_Fritz", perspective_visibility="friends")
    assert info.value.field == "perspective_visibility"
