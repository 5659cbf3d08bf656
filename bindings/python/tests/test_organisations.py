import datetime as dt

import pytest

import trialog


def test_create_get_update_and_verify(platform):
    org = platform.create_organisation("Soteria Jena", "clinic", "de-th", city="Jena")
    assert org["id"] == 1
    assert org["region"] == "DE-TH"
    assert org["kind"] == "clinic"
    assert org["verified"] is False and org["verified_at"] is None
    assert isinstance(org["created_at"], dt.datetime) and org["created_at"].tzinfo is not None
    assert list(org)[:3] == ["id", "name", "kind"], "keys keep the record's field order"

    assert platform.organisation(org["id"]) == org

    changed = platform.update_organisation(org["id"], name="Soteria-Haus Jena", website="https://soteria.example")
    assert changed["name"] == "Soteria-Haus Jena"
    assert changed["website"] == "https://soteria.example"
    assert changed["city"] == "Jena"
    assert changed["updated_at"] >= org["updated_at"]
    cleared = platform.update_organisation(org["id"], website="")
    assert cleared["website"] is None

    verified = platform.verify_organisation(org["id"], reason="checked the register")
    assert verified["verified"] is True
    assert isinstance(verified["verified_at"], dt.datetime)
    unverified = platform.verify_organisation(org["id"], False)
    assert unverified["verified"] is False and unverified["verified_at"] is None

    actions = [e["action"] for e in platform.iter_audit(target=f"org:{org['id']}")]
    assert actions == ["org.unverify", "org.verify", "org.update", "org.update", "org.create"]


def test_list_filters(populated):
    p = populated["platform"]
    p.create_organisation("EX-IN Hamburg", "training_provider", "DE-HH")
    p.verify_organisation(populated["clinic"]["id"])

    def names(**filters):
        return [o["name"] for o in p.list_organisations(**filters)["items"]]

    assert names(region="DE") == ["Soteria Jena", "EX-IN Hamburg"]
    assert names(region="dk") == ["KISS Aarhus"]
    assert names(kind="self_help_contact_point") == ["KISS Aarhus"]
    assert names(verified=True) == ["Soteria Jena"]
    assert names(name_contains="hamburg") == ["EX-IN Hamburg"]
    assert names(kind="employer") == []


def test_member_who_registers_an_organisation_becomes_its_staff(populated):
    p = populated["platform"]
    kim = p.acting_as("Kim_aus_Jena")
    org = kim.create_organisation("Genesungsbegleitung Jena", "association", "DE-TH")
    roles = p.account(populated["kim"]["id"])["roles"]
    assert {"role": "employer_staff", "org": org["id"]} in roles
    assert kim.update_organisation(org["id"], city="Jena")["city"] == "Jena"
    with pytest.raises(trialog.PermissionDeniedError):
        kim.verify_organisation(org["id"])
    with pytest.raises(trialog.PermissionDeniedError):
        kim.update_organisation(populated["clinic"]["id"], city="Weimar")


def test_anonymous_may_read_but_not_register(populated):
    anon = populated["platform"].anonymous()
    assert anon.actor == "anonymous"
    assert len(list(anon.iter_organisations())) == 2
    with pytest.raises(trialog.PermissionDeniedError):
        anon.create_organisation("Nope e.V.", "association", "DE")


def test_missing_organisation(platform):
    with pytest.raises(trialog.NotFoundError) as info:
        platform.organisation(404)
    assert info.value.what == "organisation"
    assert info.value.key == "404"
    assert info.value.kind == "not_found"


def test_bad_kind_and_website_name_their_fields(platform):
    with pytest.raises(trialog.InvalidInputError) as info:
        platform.create_organisation("Haus", "hospital", "DE")
    assert info.value.field == "kind"
    with pytest.raises(trialog.InvalidInputError) as info:
        platform.create_organisation("Haus", "clinic", "DE", website="soteria.example")
    assert info.value.field == "website"
    with pytest.raises(trialog.InvalidInputError) as info:
        platform.list_organisations(region="Deutschland")
    assert info.value.field == "region"
