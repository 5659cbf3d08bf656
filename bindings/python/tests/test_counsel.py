"""Counselling from Python: statistics and administration (offers, profiles, topics,
assignment, absence, overdue cases, retention and purge), with typed errors."""

import datetime

import pytest

import trialog


@pytest.fixture
def counselling():
    p = trialog.Platform.in_memory(content_key=trialog.generate_content_key())
    jena = p.create_organisation("Beratung Jena", "association", "DE-TH")
    dk = p.create_organisation("Rådgivning", "association", "DK")
    p.set_counsel_offer(jena["id"], ["de", "en"])
    p.set_counsel_offer(dk["id"], ["da"], topics=["job_and_career"], regions=["DK"], first_response_hours=24)
    anna = p.create_account("Anna_Beraterin")
    ben = p.create_account("Ben_Berater")
    sabine = p.create_account("Sabine_Supervision")
    for account, role in [(anna, {"role": "counsellor", "org": jena["id"]}), (ben, {"role": "counsellor", "org": jena["id"]}), (sabine, {"role": "supervisor", "org": jena["id"]})]:
        p.grant_role(account["id"], role)
    return {"p": p, "jena": jena["id"], "dk": dk["id"], "anna": anna, "ben": ben, "sabine": sabine}


def test_offers_profiles_and_topics_are_administered(counselling):
    p = counselling["p"]
    offers = p.counsel_offers()
    assert [o["languages"] for o in offers] == [["de", "en"], ["da"]]
    assert offers[1]["regions"] == ["DK"]
    profile = p.update_counsellor_profile(counselling["anna"]["id"], capacity=3, in_training=True, gender="female")
    assert (profile["capacity"], profile["in_training"], profile["gender"]) == (3, True, "female")
    changed = p.update_counsellor_profile(counselling["anna"]["id"], capacity=4)
    assert (changed["capacity"], changed["in_training"], changed["gender"]) == (4, True, "female")
    assert p.counsellor_profile(counselling["anna"]["id"]) == changed
    cleared = p.update_counsellor_profile(counselling["anna"]["id"], clear_gender=True, in_training=False)
    assert (cleared["capacity"], cleared["in_training"], cleared["gender"]) == (4, False, None)
    assert "contracts_and_pay" in p.counsel_topics()
    assert p.set_counsel_topics(["other", "housing"]) == ["other", "housing"]
    with pytest.raises(trialog.InvalidInputError) as bad:
        p.set_counsel_offer(counselling["jena"], ["xx"])
    assert bad.value.field == "languages"
    with pytest.raises(trialog.InvalidInputError) as bad:
        p.update_counsellor_profile(counselling["anna"]["id"], gender="robot")
    assert bad.value.field == "gender"


def test_enquiries_are_assigned_and_overdue_ones_escalate(counselling):
    p = counselling["p"]
    for i in range(3):
        p.anonymous().enquire("contracts_and_pay", "de", f"Frage {i}")
    urgent = p.anonymous().enquire("other", "de", "Ich denke an Suizid")
    assert urgent["priority"] == "urgent"
    assert any(r["contact"] == "112" for r in urgent["resources"])
    queue = p.counsel_queue(counselling["jena"], limit=2)
    assert queue["items"][0]["priority"] == "urgent"
    assert queue["items"][0]["crisis_level"] in ("concern", "high", "imminent")
    assert any("rule" in r or "model" in r for r in queue["items"][0]["crisis_reasons"])
    assert queue["items"][1]["crisis_level"] is None
    assert queue["next_cursor"]
    p.update_counsellor_profile(counselling["anna"]["id"], capacity=5)
    first = queue["items"][0]["enquiry"]
    assert p.auto_assign_enquiry(first)["counsellor"] == counselling["anna"]["id"]
    second = queue["items"][1]["enquiry"]
    assert p.assign_enquiry(second, counselling["ben"]["id"])["counsellor"] == counselling["ben"]["id"]
    with pytest.raises(trialog.ConflictError):
        p.assign_enquiry(second, counselling["anna"]["id"])
    until = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    now = datetime.datetime.now(datetime.timezone.utc)
    absence = {"from": now, "until": until, "substitute": counselling["ben"]["id"]}
    absent = p.set_absence(counselling["anna"]["id"], absence)
    assert absent["absence"]["substitute"] == counselling["ben"]["id"]
    # Times are recognised by the field's type, not its name: `from` and `until` are datetimes.
    assert absent["absence"]["from"] == now and absent["absence"]["until"] == until
    assert all(isinstance(absent["absence"][k], datetime.datetime) for k in ("from", "until"))
    assert p.overdue_enquiries() == []
    assert p.escalate_overdue() == {"breached": 0, "overflowed": []}
    meta = p.enquiry(first)
    assert "text" not in meta and meta["state"] == "in_progress"


def test_stats_withhold_one_to_k_and_what_recovers_them_and_purge_keeps_them(counselling):
    p = counselling["p"]
    for i in range(5):
        p.anonymous().enquire("contracts_and_pay", "de", f"Frage {i}")
    p.anonymous().enquire("job_and_career", "da", "Hej")
    month = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m")
    assert p.disclosure_threshold() == 4
    stats = p.counsel_stats(month)
    assert stats["enquiries"] == 6
    rows = {(r["dimension"], r["key"]): r["count"] for r in stats["rows"]}
    # One enquiry (1 <= k = 4) is withheld; 5 would be shown alone, but 6 - 5 gives the 1 back,
    # so its topic and its language are withheld as the complement (secondary suppression).
    assert rows[("topic", "job_and_career")] is None
    assert rows[("language", "da")] is None
    assert rows[("topic", "contracts_and_pay")] is None
    assert rows[("language", "de")] is None
    for i in range(5):
        p.anonymous().enquire("job_and_career", "da", f"Hej {i}")
    rows = {(r["dimension"], r["key"]): r["count"] for r in p.counsel_stats(month)["rows"]}
    assert rows[("topic", "job_and_career")] == 6 and rows[("topic", "contracts_and_pay")] == 5
    assert p.counsel_retention_days() == 90
    assert p.set_counsel_retention_days(30) == 30
    assert p.purge_enquiries(dry_run=True) == {"dry_run": True, "purged": 0, "retention_days": 30}
    assert p.counsel_stats(month)["enquiries"] == 11
    with pytest.raises(trialog.InvalidInputError) as bad:
        p.counsel_stats("März")
    assert bad.value.field == "month"


def test_stats_follow_the_platforms_disclosure_threshold(counselling):
    p = counselling["p"]
    for i in range(6):
        p.anonymous().enquire("contracts_and_pay", "de", f"Frage {i}")
    month = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m")
    assert p.counsel_stats(month)["enquiries"] == 6
    assert p.set_disclosure_threshold(7) == 7
    assert p.counsel_stats(month)["enquiries"] is None
    with pytest.raises(trialog.InvalidInputError) as bad:
        p.set_disclosure_threshold(0)
    assert bad.value.field == "disclosure_threshold"


def test_only_admins_and_supervisors_administer_and_keys_are_required(counselling):
    p = counselling["p"]
    anna = p.as_account(counselling["anna"]["id"])
    with pytest.raises(trialog.PermissionDeniedError):
        anna.purge_enquiries(dry_run=True)
    with pytest.raises(trialog.PermissionDeniedError):
        anna.compact()
    with pytest.raises(trialog.PermissionDeniedError):
        anna.counsel_stats("2026-03")
    sabine = p.as_account(counselling["sabine"]["id"])
    # A month without enquiries shows zero: zero names nobody (only 1 to k are withheld).
    assert sabine.counsel_stats("2026-03")["enquiries"] == 0
    keyless = trialog.Platform.in_memory()
    with pytest.raises(trialog.InvalidInputError) as bad:
        keyless.anonymous().enquire("other", "de", "Hallo")
    assert bad.value.field == "content_key"
    with pytest.raises(trialog.InvalidInputError) as bad:
        trialog.Platform.in_memory(content_key=b"short")
    assert bad.value.field == "content_key"
    assert len(trialog.generate_content_key()) == 32


def test_an_operator_compacts_the_file_after_a_purge(tmp_path):
    p = trialog.Platform.open(str(tmp_path / "compact.redb"))
    assert p.purge_enquiries() == {"dry_run": False, "purged": 0, "retention_days": 90}
    report = p.compact()
    assert report["passes"] >= 1
    assert report["bytes_after"] is not None and report["bytes_after"] <= report["bytes_before"], report
    assert trialog.Platform.in_memory().compact()["bytes_before"] is None


def test_the_queue_puts_an_imminent_crisis_before_an_older_high_one(counselling):
    p = counselling["p"]
    p.anonymous().enquire("other", "de", "Ich will nicht mehr leben.")
    p.anonymous().enquire("other", "de", "Ich habe meine Tabletten gesammelt, heute Nacht ist es so weit.")
    items = p.counsel_queue(counselling["jena"])["items"]
    assert [i["crisis_level"] for i in items] == ["imminent", "high"]
    assert items[0]["enquiry"] > items[1]["enquiry"], "the newer, more urgent case first"
