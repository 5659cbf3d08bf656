"""Programmes from Python: an EX-IN curriculum of course modules with a cohort, the trainees'
progress (into pandas), the EX-IN status set only by the trainee's own consent, a placement
round's accepted pairs, and bad input refused by field."""

import datetime

import pandas as pd
import pytest

import trialog

UTC = datetime.timezone.utc
# Three modules of the EX-IN basic course; the last is taken as an elective here.
MODULES = ["Gesundheit und Wohlbefinden (Salutogenese)", "Empowerment", "Erfahrung und Teilhabe"]


def day(date, start="09:00", end="16:00"):
    return {"start": f"{date}T{start}", "end": f"{date}T{end}", "time_zone": "Europe/Berlin"}


class Curriculum:
    """A verified EX-IN training provider, its course leader, three published modules and an
    EX-IN programme of them (the third elective) with a cohort of three trainees."""

    def __init__(self, p):
        self.p = p
        leader = p.create_account("Kursleitung_EXIN")
        self.staff = p.as_account(leader["id"])
        self.org = self.staff.create_organisation("EX-IN Thüringen", "training_provider", "DE-TH")
        p.verify_organisation(self.org["id"], True, "checked")
        self.modules = [self.module(title, f"2031-0{i + 4}-10") for i, title in enumerate(MODULES)]
        self.ids = [m["id"] for m in self.modules]
        names = ["Ada_EXIN", "Ben_EXIN", "Cem_EXIN"]
        self.trainees = [p.create_account(name)["id"] for name in names]
        self.as_trainee = {t: p.as_account(t) for t in self.trainees}
        programme = self.staff.create_programme(
            self.org["id"],
            "EX-IN Qualifizierung Jena",
            "ex_in",
            [{"course": self.ids[0]}, {"course": self.ids[1]}, {"course": self.ids[2], "elective": True}],
        )
        self.programme = self.staff.add_programme_cohort(
            programme["id"], "Jena 2031", datetime.date(2031, 4, 1), self.trainees
        )
        self.cohort = self.programme["cohorts"][0]["id"]

    def module(self, title, date):
        course = self.staff.create_course(
            self.org["id"],
            title,
            "Ein Modul der EX-IN-Qualifizierung: drei Tage in der Gruppe.",
            topics=["ex-in"],
            language="de",
            audience="everyone",
            format="online",
            online_link="https://meet.example.org/exin",
            sessions=[day(date)],
            capacity=16,
            fee={"type": "free"},
        )
        return self.staff.publish_course(course["id"])

    def hold(self, present_by_module):
        """Every trainee registers for every module; each module then took place (its day moved
        into the past, as an organiser records a module already held), attendance is recorded
        and the scheduler completes the modules."""
        for who in self.as_trainee.values():
            for course in self.ids:
                who.register_for_course(course)
        for i, (course, present) in enumerate(zip(self.modules, present_by_module)):
            session = course["sessions"][0]["id"]
            self.staff.move_course_session(course["id"], session, **day(f"2025-0{i + 4}-10"))
            self.staff.record_attendance(course["id"], session, present)
        report = self.p.tick()
        done = [w for w in report["work"] if w["what"] == "courses started or completed"]
        assert done and done[0]["count"] >= len(self.modules)


def test_progress_shows_completed_and_missing_modules_and_loads_into_pandas(platform):
    c = Curriculum(platform)
    ada, ben, cem = c.trainees
    assert c.programme["kind"] == "ex_in"
    assert [m["course"] for m in c.programme["modules"]] == c.ids
    assert c.programme["cohorts"][0]["trainees"] == c.trainees
    before = c.as_trainee[ada].programme_progress(c.programme["id"], ada)
    assert (before["completed"], before["missing"], before["complete"]) == ([], c.ids, False)

    # Ada attends every module, Ben skips the elective, Cem misses the required Empowerment.
    c.hold([[ada, ben, cem], [ada, ben], [ada, cem]])
    rows = []
    for t in c.trainees:
        progress = c.staff.programme_progress(c.programme["id"], t)
        rows += [dict(m, trainee=t, complete=progress["complete"]) for m in progress["modules"]]
    frame = pd.DataFrame(rows)
    assert list(frame.columns[:4]) == ["course", "course_title", "elective", "completed"]
    assert frame.groupby("trainee")["completed"].sum().to_dict() == {ada: 3, ben: 2, cem: 2}
    complete = frame.drop_duplicates("trainee").set_index("trainee")["complete"].to_dict()
    assert complete == {ada: True, ben: True, cem: False}, "an elective does not hold completion"
    assert frame.loc[frame["course"] == c.ids[1], "course_title"].unique().tolist() == ["Empowerment"]
    cem_progress = c.as_trainee[cem].programme_progress(c.programme["id"], cem)
    assert cem_progress["missing"] == [c.ids[1]]
    with pytest.raises(trialog.PermissionDeniedError):
        c.as_trainee[cem].programme_progress(c.programme["id"], ada)


def test_only_the_trainee_consents_to_the_ex_in_status(platform):
    c = Curriculum(platform)
    ada, ben, _ = c.trainees
    c.hold([[ada, ben], [ada], [ada, ben]])
    pid = c.programme["id"]
    # Nobody consents for Ada: not the programme's staff, not the operator, not a fellow trainee.
    for other in [c.staff, platform, c.as_trainee[ben]]:
        with pytest.raises(trialog.PermissionDeniedError):
            other.consent_exin_status(pid, ada)
    with pytest.raises(trialog.NotFoundError):
        c.as_trainee[ada].seeker_profile(ada)
    assert c.staff.programme_progress(pid, ada).get("exin_consented_at") is None
    # Ben has not completed (he missed Empowerment): his consent is refused by field.
    with pytest.raises(trialog.InvalidInputError) as info:
        c.as_trainee[ben].consent_exin_status(pid, ben)
    assert info.value.field == "programme"
    # Ada's own consent sets the status on her (new, private) seeker profile.
    progress = c.as_trainee[ada].consent_exin_status(pid, ada)
    assert isinstance(progress["exin_consented_at"], datetime.datetime)
    assert progress["complete"] is True
    profile = c.as_trainee[ada].seeker_profile(ada)
    assert profile["exin"] == "certified"
    assert profile["findable"] is False, "consenting to the status does not make the profile findable"


def test_a_placement_round_records_its_stable_pairs_on_the_programme(platform):
    c = Curriculum(platform)
    ada, ben, cem = c.trainees
    pid = c.programme["id"]
    clinic = platform.create_organisation("Klinikum Jena", "clinic", "DE-TH")["id"]
    centre = platform.create_organisation("Beratungsstelle Weimar", "employer", "DE-TH")["id"]
    mentor = platform.create_account("Praxisanleitung_Klinik")["id"]
    platform.grant_role(mentor, "employer_staff", org=clinic)
    clinic_staff = platform.as_account(mentor)
    places = [{"org": clinic, "capacity": 1}, {"org": centre, "capacity": 1}]
    round_ = c.staff.open_placement_round(pid, c.cohort, places)
    assert [t["trainee"] for t in round_["trainees"]] == c.trainees
    assert round_.get("run_at") is None
    # Ada would go to the clinic first, Ben only to the clinic, Cem to the centre first.
    c.as_trainee[ada].rank_placement_hosts(round_["id"], ada, [clinic, centre])
    c.as_trainee[ben].rank_placement_hosts(round_["id"], ben, [clinic])
    c.as_trainee[cem].rank_placement_hosts(round_["id"], cem, [centre, clinic])
    with pytest.raises(trialog.PermissionDeniedError):
        c.as_trainee[ada].rank_placement_hosts(round_["id"], ben, [centre])
    clinic_staff.rank_placement_trainees(round_["id"], clinic, [ben, ada, cem])
    c.staff.rank_placement_trainees(round_["id"], centre, [ada, cem])
    seen = c.as_trainee[ada].get_placement_round(round_["id"])
    assert [t.get("preferences") is not None for t in seen["trainees"]] == [True, False, False], "own ranking only"

    run = c.staff.run_programme_round(round_["id"])
    pairs = pd.DataFrame(run["pairs"])
    assert sorted(zip(pairs["trainee"], pairs["org"])) == sorted([(ada, centre), (ben, clinic)])
    assert set(pairs["round"]) == {round_["id"]}
    assert run["unplaced"] == [cem]
    assert isinstance(run["run_at"], datetime.datetime)
    assert c.as_trainee[ada].get_programme(pid)["placements"] == run["pairs"], "trainees see their programme"
    with pytest.raises(trialog.ConflictError):
        c.staff.run_programme_round(round_["id"])
    rounds = pd.DataFrame(c.staff.placement_rounds(pid))
    assert list(rounds["id"]) == [round_["id"]]
    assert list(pd.DataFrame(c.staff.iter_programmes(c.org["id"]))["id"]) == [pid]


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda c: c.staff.create_programme(c.org["id"], " ", "ex_in", [{"course": c.ids[0]}]), "title"),
        (
            lambda c: c.staff.create_programme(
                c.org["id"], "Doppelt", "ex_in", [{"course": c.ids[0]}, {"course": c.ids[0], "elective": True}]
            ),
            "modules[1].course",
        ),
        (lambda c: c.staff.create_programme(c.org["id"], "Leer", "ex_in", [{"course": 424242}]), "modules[0].course"),
        (
            lambda c: c.staff.add_programme_cohort(c.programme["id"], "Weimar 2031", "2031-09-01", [c.trainees[0]]),
            "trainees[0]",
        ),
        (lambda c: c.staff.open_placement_round(c.programme["id"], c.cohort, [{"org": c.org["id"], "capacity": 0}]), "places[0].capacity"),
        (lambda c: c.staff.open_placement_round(c.programme["id"], c.cohort, []), "places"),
    ],
    ids=["blank title", "module twice", "not a course", "trainee in two cohorts", "capacity 0", "no places"],
)
def test_bad_input_is_refused_naming_the_field(platform, call, field):
    c = Curriculum(platform)
    with pytest.raises(trialog.InvalidInputError) as info:
        call(c)
    assert info.value.field == field
