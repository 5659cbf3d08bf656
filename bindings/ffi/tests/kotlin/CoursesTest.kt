// Courses, the participant's flow: find a course with a free place, register (or wait), accept
// an offered place, download the calendar file; and a bad course refused by field.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.core.CourseAudience
import org.trialog.core.CourseFilter
import org.trialog.core.OrgKind
import org.trialog.core.PageRequest
import org.trialog.core.RegistrationState
import org.trialog.core.Repeat
import org.trialog.core.SessionInput
import org.trialog.core.TrialogException

private fun seminar(org: ULong, capacity: UInt) = onlineCourse(
    org = org,
    title = "Methoden und Medien",
    description = "Moderationsmethoden und Online-Werkzeuge für Selbsthilfegruppen.",
    topic = "methods",
    audience = CourseAudience.SelfHelpGroupMembers,
    link = "https://meet.example.org/methoden",
    sessions = listOf(SessionInput("2031-03-04T18:00", "2031-03-04T20:00", "Europe/Berlin", Repeat(7u, 2u))),
    capacity = capacity,
)

class CoursesTest {
    @Test
    fun `a participant finds a course, waits, accepts an offered place and gets the calendar`() = withPlatform { p ->
        val staff = p.asAccount(p.signUp("Orga_Methoden").id)
        val org = staff.createOrganisation(newOrg("Selbsthilfe Thüringen", kind = OrgKind.SELF_HELP_CONTACT_POINT))
        p.verifyOrganisation(org.id, true, "checked")
        val course = staff.publishCourse(staff.createCourse(seminar(org.id, 1u)).id)
        val first = p.asAccount(p.signUp("Erste").id)
        val me = p.asAccount(p.signUp("Ich").id)

        val found = me.listCourses(CourseFilter(freePlaces = true), PageRequest()).items
        assertEquals(listOf(course.id), found.map { it.id })
        assertEquals(RegistrationState.CONFIRMED, first.registerForCourse(course.id, emptyList()).single().state)
        assertTrue(me.listCourses(CourseFilter(freePlaces = true), PageRequest()).items.isEmpty(), "now full")

        val mine = me.registerForCourse(course.id, emptyList()).single()
        assertEquals(RegistrationState.WAITING, mine.state)
        assertNull(me.getCourse(course.id).onlineLink, "no link while waiting")
        first.cancelRegistration(first.myRegistrations().single().id)
        val offered = me.myRegistrations().single()
        assertEquals(RegistrationState.OFFERED, offered.state)
        assertEquals(RegistrationState.CONFIRMED, me.answerCourseOffer(offered.id, true).state)
        assertEquals("https://meet.example.org/methoden", me.getCourse(course.id).onlineLink)

        val ics = me.registrationCalendar(offered.id)
        assertTrue(ics.startsWith("BEGIN:VCALENDAR\r\n"))
        assertEquals(2, Regex("BEGIN:VEVENT").findAll(ics).count())
        assertTrue(ics.contains("URL:https://meet.example.org/methoden"))
        assertTrue(ics.contains("DTSTART;TZID=Europe/Berlin:20310304T180000"), "18:00 Berlin wall-clock time, with its zone")
        assertTrue(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"))
        listOf(staff, first, me).forEach { it.close() }
    }

    @Test
    fun `a course without places is refused naming the field`() = withPlatform { p ->
        val staff = p.asAccount(p.signUp("Orga_Kurs").id)
        val org = staff.createOrganisation(newOrg("Kontaktstelle Jena", kind = OrgKind.SELF_HELP_CONTACT_POINT))
        val error = assertThrows<TrialogException.InvalidInput> { staff.createCourse(seminar(org.id, 0u)) }
        assertEquals("capacity", error.field)
        staff.close()
    }
}
