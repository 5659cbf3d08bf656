"""Shared fixtures: an in-memory platform with a few organisations and accounts."""

import pytest

import trialog

PASSWORD = "lange Nacht am Meer"


@pytest.fixture
def platform():
    return trialog.Platform.in_memory()


@pytest.fixture
def populated(platform):
    """Two organisations, an admin, a moderator and three members of different perspectives."""
    p = platform
    clinic = p.create_organisation("Soteria Jena", "clinic", "DE-TH", city="Jena", website="https://soteria.example")
    contact = p.create_organisation("KISS Aarhus", "self_help_contact_point", "dk-82", city="Aarhus")
    admin = p.create_account("Admin_Anna", perspective="professional", languages=["de", "en"])
    p.grant_role(admin["id"], "admin", reason="platform team")
    moderator = p.create_account("Mod_Mads", perspective="relative", languages=["da"])
    p.grant_role(moderator["id"], "moderator")
    kim = p.create_account("Kim_aus_Jena", perspective="lived_experience", languages=["de"], email="kim@example.org")
    sam = p.create_account("Sam", perspective="relative", home_region="DK-84")
    lou = p.create_account("Lou 42")
    return {
        "platform": p,
        "clinic": clinic,
        "contact": contact,
        "admin": admin,
        "moderator": moderator,
        "kim": kim,
        "sam": sam,
        "lou": lou,
    }
