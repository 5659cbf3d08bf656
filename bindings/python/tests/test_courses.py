"""Courses from Python: the organiser's lists (registrations and the waitlist into pandas), a
lapsing offer through the scheduler, bad input by field, and calendar files parsed with the
`icalendar` package as a calendar app would read them."""

import datetime

import icalendar
import pandas as pd
import pytest

import trialog

UTC = datetime.timezone.utc


def weekly(start, end, count):
    return {"start": start, "end": end, "time_zone": "Europe/Berlin", "repeat": {"every_days": 7, "count": count}}


class Seminar:
    """A verified contact point, its organiser, and a published online seminar of 2 places."""

    def __init__(self, p, capacity=2):
        self.p = p
        staff = p.create_account("Orga_KISS")
        self.staff = p.as_account(staff["id"])
        self.org = self.staff.create_organisation("KISS Jena", "self_help_contact_point", "DE-TH")
        p.verify_organisation(self.org["id"], True, "checked")
        course = self.staff.create_course(
            self.org["id"],
            "Recht für Selbsthilfegruppen",
            "Vereinsrecht, Datenschutz, Haftung: was Gruppen wissen sollten.",
            topics=["law"],
            language="de",
            audience="self_help_group_members",
            format="online",
            online_link="https://meet.example.org/recht",
            sessions=[weekly("2031-03-04T18:00", "2031-03-04T20:00", 4)],
            capacity=capacity,
            fee={"type": "free"},
        )
        self.course = self.staff.publish_course(course["id"])
        self.people = [p.as_account(p.create_account(f"Gruppe_{i}")["id"]) for i in range(5)]

    def register_all(self):
        return [who.register_for_course(self.course["id"])[0] for who in self.people]


def test_the_organisers_lists_go_into_pandas(platform):
    s = Seminar(platform)
    regs = s.register_all()
    assert [r["state"] for r in regs] == ["confirmed", "confirmed", "waiting", "waiting", "waiting"]
    frame = pd.DataFrame(s.staff.iter_registrations(s.course["id"], page_size=2))
    assert frame.groupby("state").size().to_dict() == {"confirmed": 2, "waiting": 3}
    assert list(frame["id"]) == [r["id"] for r in regs], "every page was read, in id order"
    waitlist = pd.DataFrame(s.staff.course_waitlist(s.course["id"]))
    assert list(waitlist["id"]) == [r["id"] for r in regs[2:]]
    assert waitlist["position"].is_monotonic_increasing
    shown = s.staff.get_course(s.course["id"])
    assert (shown["places_taken"], shown["waiting"]) == (2, 3)
    with pytest.raises(trialog.PermissionDeniedError):
        s.people[0].list_registrations(s.course["id"])


def test_a_freed_place_is_offered_and_lapses_through_the_scheduler(platform):
    s = Seminar(platform)
    regs = s.register_all()
    s.people[0].cancel_registration(regs[0]["id"])
    offered = s.people[2].get_registration(regs[2]["id"])
    assert offered["state"] == "offered"
    assert isinstance(offered["offer_expires_at"], datetime.datetime)
    later = offered["offer_expires_at"] + datetime.timedelta(minutes=1)
    report = platform.tick(later)
    expired = [w for w in report["work"] if w["what"] == "course offers expired"]
    assert expired[0]["count"] == 1
    assert s.people[2].get_registration(regs[2]["id"])["state"] == "expired"
    assert s.people[3].get_registration(regs[3]["id"])["state"] == "offered"
    with pytest.raises(trialog.InvalidInputError) as info:
        s.people[3].register_for_course(s.course["id"])
    assert info.value.field == "course", "registering twice"


@pytest.mark.parametrize(
    "change, field",
    [
        (dict(capacity=0), "capacity"),
        (dict(sessions=[{"start": "2031-03-04T20:00", "end": "2031-03-04T18:00", "time_zone": "Europe/Berlin"}]), "sessions[0].end"),
        (dict(sessions=[{"start": "2031-03-04T18:00", "end": "2031-03-04T20:00", "time_zone": "Mars/Olympus"}]), "sessions[0].time_zone"),
        (dict(language="deutsch"), "language"),
    ],
)
def test_bad_courses_are_refused_by_field(platform, change, field):
    s = Seminar(platform)
    fields = dict(
        topics=[], language="de", audience="everyone", format="online", online_link="https://meet.example.org/x",
        sessions=[weekly("2031-05-04T18:00", "2031-05-04T20:00", 2)], capacity=5, fee={"type": "free"},
    )
    fields.update(change)
    with pytest.raises(trialog.InvalidInputError) as info:
        s.staff.create_course(s.org["id"], "Titel", "Beschreibung", **fields)
    assert info.value.field == field


def test_calendar_files_parse_as_calendar_apps_read_them(platform):
    s = Seminar(platform)
    regs = s.register_all()
    sessions = s.course["sessions"]
    s.staff.move_course_session(
        s.course["id"], sessions[1]["id"], {"start": "2031-03-12T17:00", "end": "2031-03-12T19:00", "time_zone": "Europe/Berlin"}
    )
    s.staff.cancel_course_session(s.course["id"], sessions[2]["id"])
    text = s.people[0].registration_calendar(regs[0]["id"])
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n")), "folded at 75 octets"
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["VERSION"] == "2.0"
    events = calendar.walk("VEVENT")
    assert len(events) == 4
    for event in events:
        for field in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS"]:
            assert field in event, field
        assert event.decoded("DTSTART").tzinfo is not None
        assert event.decoded("DTEND") > event.decoded("DTSTART")
        assert str(event["URL"]) == "https://meet.example.org/recht", "a confirmed participant gets the link"
    by_uid = {str(e["UID"]): e for e in events}
    moved = by_uid[f"course-{s.course['id']}-session-{sessions[1]['id']}@trialog"]
    assert moved.decoded("DTSTART") == datetime.datetime(2031, 3, 12, 16, 0, tzinfo=UTC)
    assert int(moved["SEQUENCE"]) == 1 and str(moved["STATUS"]) == "CONFIRMED"
    cancelled = by_uid[f"course-{s.course['id']}-session-{sessions[2]['id']}@trialog"]
    assert int(cancelled["SEQUENCE"]) == 1 and str(cancelled["STATUS"]) == "CANCELLED"
    first = by_uid[f"course-{s.course['id']}-session-{sessions[0]['id']}@trialog"]
    assert str(first["SUMMARY"]) == "Recht für Selbsthilfegruppen (1/3)"
    waiting = icalendar.Calendar.from_ical(s.people[4].registration_calendar(regs[4]["id"]))
    assert all("URL" not in e for e in waiting.walk("VEVENT")), "no link while waiting"
    public = icalendar.Calendar.from_ical(platform.course_calendar(s.course["id"]))
    assert sorted(str(e["UID"]) for e in public.walk("VEVENT")) == sorted(by_uid), "UIDs are stable across files"


def test_a_persons_feed_parses_with_their_confirmed_sessions_in_their_zone(platform):
    s = Seminar(platform)
    regs = s.register_all()
    me, my_id = s.people[0], regs[0]["account"]
    # An in-person day course across Germany's change to summer time (30 March 2031).
    in_person = s.staff.create_course(
        s.org["id"],
        "Gruppen leiten vor Ort",
        "Moderation und Konflikte, ein Tag in Jena.",
        topics=["self-help-groups"],
        language="de",
        audience="everyone",
        format="in_person",
        place={"type": "coordinates", "latitude": 50.9271, "longitude": 11.5892, "venue": "KISS Jena, Markt 3"},
        sessions=[weekly("2031-03-25T10:00", "2031-03-25T16:00", 2)],
        capacity=5,
        fee={"type": "free"},
    )
    in_person = s.staff.publish_course(in_person["id"])
    me.register_for_course(in_person["id"])
    s.staff.cancel_course_session(s.course["id"], s.course["sessions"][3]["id"])

    calendar = icalendar.Calendar.from_ical(me.course_calendar_feed(my_id))
    assert calendar.name == "VCALENDAR" and calendar["METHOD"] == "PUBLISH"
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Berlin"]
    events = calendar.walk("VEVENT")
    assert len(events) == 6, "4 online sessions and 2 in person, one VCALENDAR"
    for event in events:
        for field in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS"]:
            assert field in event, field
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert event["DTEND"].params["TZID"] == "Europe/Berlin"
        assert event.decoded("DTSTART").tzinfo is not None
        assert event.decoded("DTEND") > event.decoded("DTSTART")
        assert "LOCATION" in event or "URL" in event
    by_uid = {str(e["UID"]): e for e in events}
    day = in_person["sessions"]
    before = by_uid[f"course-{in_person['id']}-session-{day[0]['id']}@trialog"]
    after = by_uid[f"course-{in_person['id']}-session-{day[1]['id']}@trialog"]
    assert before.decoded("DTSTART") == datetime.datetime(2031, 3, 25, 9, 0, tzinfo=UTC), "10:00 CET"
    assert after.decoded("DTSTART") == datetime.datetime(2031, 4, 1, 8, 0, tzinfo=UTC), "10:00 CEST"
    assert str(after["LOCATION"]) == "KISS Jena, Markt 3" and "URL" not in after
    cancelled = by_uid[f"course-{s.course['id']}-session-{s.course['sessions'][3]['id']}@trialog"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1
    own_file = icalendar.Calendar.from_ical(me.registration_calendar(regs[0]["id"]))
    assert {str(e["UID"]) for e in own_file.walk("VEVENT")} <= set(by_uid), "the same stable UIDs"

    waiting = icalendar.Calendar.from_ical(s.people[4].course_calendar_feed(regs[4]["account"]))
    assert waiting.walk("VEVENT") == [], "waiting is not a confirmed place"
    with pytest.raises(trialog.PermissionDeniedError):
        s.people[1].course_calendar_feed(my_id)
