// Programmes: an EX-IN curriculum of course modules with a cohort, a trainee's progress, the
// EX-IN status set only by the trainee's own consent, a placement round's stable pairs, and bad
// input refused naming the field.
package org.trialog.tests

import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.core.CourseAudience
import org.trialog.core.ExInStatus
import org.trialog.core.NewCohort
import org.trialog.core.NewProgramme
import org.trialog.core.OrgKind
import org.trialog.core.PlacementOffer
import org.trialog.core.ProgrammeKind
import org.trialog.core.ProgrammeModule
import org.trialog.core.Role
import org.trialog.core.SessionInput
import org.trialog.core.TraineePlacement
import org.trialog.core.TrialogException

private fun day(date: String) = SessionInput("${date}T09:00", "${date}T16:00", "Europe/Berlin", null)

private fun module(org: ULong, title: String, date: String) = onlineCourse(
    org = org,
    title = title,
    description = "Ein Modul der EX-IN-Qualifizierung: drei Tage in der Gruppe.",
    topic = "ex-in",
    audience = CourseAudience.Everyone,
    link = "https://meet.example.org/exin",
    sessions = listOf(day(date)),
    capacity = 16u,
)

/** A verified EX-IN provider with two required modules, an EX-IN programme of them and a cohort. */
private class Curriculum(val p: Platform) : AutoCloseable {
    val staff: Platform = p.asAccount(p.signUp("Kursleitung_EXIN").id)
    val org = staff.createOrganisation(newOrg("EX-IN Thüringen", kind = OrgKind.TRAINING_PROVIDER)).id
    val modules: List<ULong>
    val trainees: List<ULong> = listOf("Ada_EXIN", "Ben_EXIN").map { p.signUp(it).id }
    val handles: Map<ULong, Platform> = trainees.associateWith { p.asAccount(it) }
    val programme: ULong
    val cohort: ULong

    init {
        p.verifyOrganisation(org, true, "checked")
        val titles = listOf("Gesundheit und Wohlbefinden (Salutogenese)", "Empowerment")
        modules = titles.mapIndexed { i, title ->
            staff.publishCourse(staff.createCourse(module(org, title, "2031-0${i + 4}-10")).id).id
        }
        val created = staff.createProgramme(
            NewProgramme(org, "EX-IN Qualifizierung Jena", ProgrammeKind.EX_IN, modules.map { ProgrammeModule(it, false) }),
        )
        val withCohort = staff.addProgrammeCohort(created.id, NewCohort("Jena 2031", LocalDate.of(2031, 4, 1), trainees))
        programme = withCohort.id
        cohort = withCohort.cohorts.single().id
    }

    /**
     * Everyone registers for every module; each module then took place (its day moved into the
     * past, as an organiser records a module already held) with `present[i]` attending module i,
     * and the scheduler completes the modules.
     */
    fun hold(present: List<List<ULong>>) {
        handles.values.forEach { h -> modules.forEach { h.registerForCourse(it, emptyList()) } }
        modules.forEachIndexed { i, course ->
            val session = staff.getCourse(course).sessions.single().id
            staff.moveCourseSession(course, session, day("2025-0${i + 4}-10"))
            staff.recordAttendance(course, session, present[i])
        }
        val done = p.tick(null).work.filter { it.what == "courses started or completed" }
        assertTrue(done.single().count >= modules.size.toULong(), "$done")
    }

    override fun close() {
        staff.close()
        handles.values.forEach { it.close() }
    }
}

class ProgrammesTest {
    @Test
    fun `progress shows completed and missing modules and only the trainee consents to the EX-IN status`() =
        withPlatform { p ->
            Curriculum(p).use { c ->
                val (ada, ben) = c.trainees
                val programme = c.staff.getProgramme(c.programme)
                assertEquals(ProgrammeKind.EX_IN, programme.kind)
                assertEquals(c.modules, programme.modules.map { it.course })
                assertEquals(c.trainees, programme.cohorts.single().trainees)
                assertEquals(c.modules, c.handles[ada]!!.programmeProgress(c.programme, ada).missing)

                // Ada attends both modules, Ben only the first.
                c.hold(listOf(listOf(ada, ben), listOf(ada)))
                val adas = c.handles[ada]!!.programmeProgress(c.programme, ada)
                assertEquals(c.modules, adas.completed)
                assertTrue(adas.complete)
                assertEquals(listOf("Gesundheit und Wohlbefinden (Salutogenese)", "Empowerment"), adas.modules.map { it.courseTitle })
                val bens = c.staff.programmeProgress(c.programme, ben)
                assertEquals(listOf(c.modules[1]), bens.missing)
                assertFalse(bens.complete)
                assertThrows<TrialogException.PermissionDenied> { c.handles[ben]!!.programmeProgress(c.programme, ada) }

                // Nobody consents for Ada: not the programme's staff, not the operator, not Ben.
                for (other in listOf(c.staff, p, c.handles[ben]!!)) {
                    assertThrows<TrialogException.PermissionDenied> { other.consentExinStatus(c.programme, ada) }
                }
                assertThrows<TrialogException.NotFound> { c.handles[ada]!!.seekerProfile(ada) }
                assertNull(c.staff.programmeProgress(c.programme, ada).exinConsentedAt)
                val notDone = assertThrows<TrialogException.InvalidInput> { c.handles[ben]!!.consentExinStatus(c.programme, ben) }
                assertEquals("programme", notDone.field, "Ben has not completed")
                // Ada's own consent sets the status on her (private) seeker profile.
                assertNotNull(c.handles[ada]!!.consentExinStatus(c.programme, ada).exinConsentedAt)
                val profile = c.handles[ada]!!.seekerProfile(ada)
                assertEquals(ExInStatus.CERTIFIED, profile.exin)
                assertFalse(profile.findable, "consenting to the status does not make the profile findable")
            }
        }

    @Test
    fun `a placement round records its stable pairs on the programme`() = withPlatform { p ->
        Curriculum(p).use { c ->
            val (ada, ben) = c.trainees
            val clinic = p.createOrganisation(newOrg("Klinikum Jena")).id
            val centre = p.createOrganisation(newOrg("Beratungsstelle Weimar", kind = OrgKind.EMPLOYER)).id
            val mentor = p.signUp("Praxisanleitung_Klinik").id
            p.grantRole(mentor, Role.EmployerStaff(clinic), "mentor")
            val round = c.staff.openPlacementRound(c.programme, c.cohort, listOf(PlacementOffer(clinic, 1u), PlacementOffer(centre, 1u)))
            assertNull(round.runAt)
            // Both would go to the clinic first; the clinic prefers Ben.
            c.handles[ada]!!.rankPlacementHosts(round.id, ada, listOf(clinic, centre))
            c.handles[ben]!!.rankPlacementHosts(round.id, ben, listOf(clinic, centre))
            assertThrows<TrialogException.PermissionDenied> { c.handles[ada]!!.rankPlacementHosts(round.id, ben, listOf(centre)) }
            p.asAccount(mentor).use { it.rankPlacementTrainees(round.id, clinic, listOf(ben, ada)) }
            c.staff.rankPlacementTrainees(round.id, centre, listOf(ada, ben))

            val run = c.staff.runProgrammeRound(round.id)
            val pairs = listOf(TraineePlacement(ada, centre, round.id), TraineePlacement(ben, clinic, round.id))
            assertEquals(pairs.sortedBy { it.trainee }, run.pairs.sortedBy { it.trainee })
            assertTrue(run.unplaced.isEmpty())
            assertNotNull(run.runAt)
            assertEquals(run.pairs, c.handles[ben]!!.getProgramme(c.programme).placements, "trainees see their programme")
            assertThrows<TrialogException.Conflict> { c.staff.runProgrammeRound(round.id) }
            assertEquals(listOf(round.id), c.staff.placementRounds(c.programme).map { it.id })
        }
    }

    @Test
    fun `bad programmes and rounds are refused naming the field`() = withPlatform { p ->
        Curriculum(p).use { c ->
            val twice = NewProgramme(c.org, "Doppelt", ProgrammeKind.EX_IN, listOf(ProgrammeModule(c.modules[0], false), ProgrammeModule(c.modules[0], true)))
            assertEquals("modules[1].course", assertThrows<TrialogException.InvalidInput> { c.staff.createProgramme(twice) }.field)
            val again = NewCohort("Weimar 2031", LocalDate.of(2031, 9, 1), listOf(c.trainees[0]))
            assertEquals("trainees[0]", assertThrows<TrialogException.InvalidInput> { c.staff.addProgrammeCohort(c.programme, again) }.field)
            val none = assertThrows<TrialogException.InvalidInput> {
                c.staff.openPlacementRound(c.programme, c.cohort, listOf(PlacementOffer(c.org, 0u)))
            }
            assertEquals("places[0].capacity", none.field)
        }
    }
}
