"""The self-help directory as Open Referral HSDS 3 from Python: a contact point's groups go out
as documents and come into another platform the same; a dry run writes nothing; a field the
directory does not know is refused by name, and only admins import."""

import json

import pytest

import trialog


def online_group(name, org):
    return {
        "name": name,
        "description": "Wir treffen uns per Video.",
        "keywords": ["trauer"],
        "audience": "both",
        "languages": ["de", "en"],
        "status": "active",
        "format": "online",
        "contact_point": org,
        "meetings": [{"rule": "FREQ=MONTHLY;BYDAY=2TU,4TU", "starts": "18:00", "ends": "19:30"}],
    }


def export_all(p):
    return [page_item["json"] for page_item in p.iter_groups_hsds()]


def test_a_directory_goes_out_as_hsds_and_comes_into_another_platform_the_same(platform):
    org = platform.create_organisation("KISS Online", "self_help_contact_point", "DE-BE")
    platform.create_group(online_group("Trauer online", org["id"]))
    platform.create_group(online_group("Angehörige online", org["id"]))
    docs = export_all(platform)
    assert len(docs) == 2
    service = json.loads(docs[0])
    assert service["schedules"][0]["freq"] == "MONTHLY" and service["schedules"][0]["byday"] == "2TU,4TU"
    assert service["organization"]["name"] == "KISS Online"
    file = "[" + ",".join(docs) + "]"

    other = trialog.Platform.in_memory()
    dry = other.import_groups_hsds(file, dry_run=True)
    assert dry["dry_run"] and dry["services_created"] == 2
    assert all(item["action"] == "created" and item.get("local_id") is None for item in dry["items"])
    assert export_all(other) == [], "a dry run writes nothing"

    done = other.import_groups_hsds(file)
    assert done["organizations_created"] == 1
    assert export_all(other) == docs, "export, import, export: the same documents"
    assert other.import_groups_hsds(file)["unchanged"] == 3


def test_an_unknown_field_is_refused_by_name_and_only_admins_import(platform):
    org = platform.create_organisation("KISS Online", "self_help_contact_point", "DE-BE")
    platform.create_group(online_group("Trauer online", org["id"]))
    (doc,) = export_all(platform)
    edited = doc.replace('"freq":"MONTHLY"', '"freq":"MONTHLY","byweekno":"41"')
    with pytest.raises(trialog.InvalidInputError) as err:
        platform.import_groups_hsds(edited, dry_run=True)
    assert err.value.field.startswith("services[0].schedules[0]"), err.value.field
    member = platform.as_account(platform.create_account("Mitglied")["id"])
    with pytest.raises(trialog.PermissionDeniedError):
        member.import_groups_hsds(edited, dry_run=True)
