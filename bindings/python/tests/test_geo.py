"""The gazetteer from Python: importing GeoNames files, postcodes, place names, distances."""

import math
import pathlib

import pytest

import trialog

SAMPLE = (
    "DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4\n"
    "DE\t80331\tMünchen\tBayern\tBY\tOberbayern\t091\t\t\t48.1374\t11.5755\t4\n"
    "DE\t01945\tKroppen\tBrandenburg\tBB\t\t00\t\t\t51.3833\t13.8\t4\n"
    "DE\t01945\tTettau\tBrandenburg\tBB\t\t00\t\t\t51.4333\t13.7333\t4\n"
    "DE\t01946\tNirgendwo\tBrandenburg\tBB\t\t00\t\t\tnorth\t13.8\t4\n"
    "DK\t8000\tAarhus C\tRegion Midtjylland\t1082\tAarhus Kommune\t751\t\t\t56.1567\t10.2108\t6\n"
)
SHARED_DK = pathlib.Path(__file__).resolve().parents[4] / "shared" / "data" / "geonames" / "DK.txt"


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_import_reports_rows_postcodes_and_problems(platform, sample):
    report = platform.import_gazetteer(sample)
    assert report["countries"] == ["DE", "DK"]
    assert (report["rows"], report["postcodes"]) == (5, 4)
    assert report["problems"] == [{"line": 5, "field": "latitude", "reason": "'north' is not a number"}]
    countries = platform.gazetteer_countries()
    assert [(c["country"], c["postcodes"]) for c in countries] == [("DE", 3), ("DK", 1)]
    assert countries[0]["imported_at"].tzinfo is not None


def test_postcodes_average_their_rows_and_keep_every_name(platform, sample):
    platform.import_gazetteer(str(sample))
    place = platform.lookup_postcode("de", "01945")
    assert place["names"] == ["Kroppen", "Tettau"]
    assert place["rows"] == 2
    assert place["coordinates"]["latitude"] == pytest.approx((51.3833 + 51.4333) / 2)
    assert place["region"] == "Brandenburg"


def test_unknown_postcodes_and_missing_countries_raise_invalid_input(platform, sample):
    platform.import_gazetteer(sample)
    with pytest.raises(trialog.InvalidInputError) as unknown:
        platform.lookup_postcode("DE", "12345")
    assert unknown.value.field == "postcode"
    assert unknown.value.reason == "12345 is not a postcode in the DE gazetteer"
    with pytest.raises(trialog.InvalidInputError) as not_loaded:
        platform.lookup_postcode("AT", "1010")
    assert "trialog geo import AT.txt" in not_loaded.value.reason
    with pytest.raises(trialog.NotFoundError):
        platform.import_gazetteer("/no/such/file.txt")


def test_place_names_are_searched_ignoring_case_and_accents(platform, sample):
    platform.import_gazetteer(sample)
    assert [p["postcode"] for p in platform.search_places("munch")] == ["80331"]
    assert platform.search_places("aarhus", country="DE") == []
    assert len(platform.search_places("k", limit=1)) == 1
    with pytest.raises(trialog.InvalidInputError):
        platform.search_places("  ")
    with pytest.raises(trialog.InvalidInputError) as bad:
        platform.search_places("a", limit=0)
    assert bad.value.field == "limit"


def test_anonymous_may_look_up_but_only_admins_import(platform, sample):
    platform.import_gazetteer(sample)
    anonymous = platform.anonymous()
    assert anonymous.lookup_postcode("DK", "8000")["names"] == ["Aarhus C"]
    with pytest.raises(trialog.PermissionDeniedError):
        anonymous.import_gazetteer(sample)


def test_distance_km_between_cities():
    berlin, hamburg = (52.5200, 13.4050), (53.5511, 9.9937)
    assert trialog.distance_km(berlin, hamburg) == pytest.approx(255, abs=1)
    assert trialog.distance_km(berlin, berlin) == 0
    with pytest.raises(trialog.InvalidInputError) as bad:
        trialog.distance_km((91, 0), berlin)
    assert bad.value.field == "latitude"
    assert not math.isnan(trialog.distance_km((0, 180), (0, -180)))


@pytest.mark.skipif(not SHARED_DK.exists(), reason="shared/data/geonames/DK.txt is missing")
def test_the_real_danish_file(platform):
    report = platform.import_gazetteer(SHARED_DK)
    assert report["problems"] == []
    assert report["postcodes"] > 500
    assert platform.search_places("koben", country="DK", limit=3)
