// A person's calendar of several self-help groups: their next meeting dates in one call, in the
// order asked, summer time included; a repeated id is refused by field.
package org.trialog.tests

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.trialog.core.MeetingInput
import org.trialog.core.OrgKind
import org.trialog.core.TrialogException

class GroupsDatesTest {
    @Test
    fun `the next dates of several groups come in one call in the order asked`() = withPlatform { p ->
        val org = p.createOrganisation(newOrg("KISS Online", kind = OrgKind.SELF_HELP_CONTACT_POINT))
        val tuesdays = p.createGroup(onlineGroup("Trauer online", org.id))
        val mondays = p.createGroup(
            onlineGroup("Angehörige online", org.id).copy(
                meetings = listOf(MeetingInput("FREQ=WEEKLY;BYDAY=MO", "19:00", "21:00", null, null, emptyList())),
            ),
        )
        // The schedules hold from today: ask about March 2030, when summer time begins on the 31st.
        val person = p.asAccount(p.signUp("Suchende").id)
        val dates = person.nextMeetingsOfGroups(listOf(mondays.id, tuesdays.id), 3u, Instant.parse("2030-03-18T00:00:00Z"))
        assertEquals(listOf(mondays.id, tuesdays.id), dates.map { it.group })
        // Mondays 18 and 25 March at 19:00 CET (18:00 UTC), 1 April at 19:00 CEST (17:00 UTC).
        assertEquals(
            listOf("2030-03-18T18:00:00Z", "2030-03-25T18:00:00Z", "2030-04-01T17:00:00Z").map(Instant::parse),
            dates[0].dates.map { it.start },
        )
        // The 4th Tuesday of March (26th) at 18:00 CET; the 2nd and 4th of April (9th, 23rd) in CEST.
        assertEquals(
            listOf("2030-03-26T17:00:00Z", "2030-04-09T16:00:00Z", "2030-04-23T16:00:00Z").map(Instant::parse),
            dates[1].dates.map { it.start },
        )
        val error = assertThrows<TrialogException.InvalidInput> {
            person.nextMeetingsOfGroups(listOf(mondays.id, mondays.id), 1u, null)
        }
        assertEquals("ids", error.field)
    }
}
