// Reports for funders from Kotlin: an organisation's own figures, withheld cells as null with
// a flag, and who may read them.
package org.trialog.tests

import java.time.YearMonth
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.core.Contract
import org.trialog.core.ExInRequirement
import org.trialog.core.FigureRow
import org.trialog.core.Hours
import org.trialog.core.LocationInput
import org.trialog.core.NewJob
import org.trialog.core.OrgKind
import org.trialog.core.Span
import org.trialog.core.TrialogException

private fun volunteering(org: ULong) = NewJob(
    org = org,
    title = "Genesungsbegleitung im Ehrenamt",
    description = "Wir suchen Menschen mit Erfahrung, die andere begleiten möchten.",
    location = LocationInput.Coordinates(latitude = 50.93, longitude = 11.59, place = "Jena"),
    contract = Contract.VOLUNTEER,
    hours = Hours(2u, 6u),
    requirement = ExInRequirement.NONE,
    languages = listOf("de"),
)

/** An organisation with one staff member and one published posting viewed `views` times. */
private fun Platform.orgWithViews(name: String, staffName: String, views: Int): Pair<ULong, Platform> {
    val staff = asAccount(signUp(staffName).id)
    val org = staff.createOrganisation(newOrg(name, kind = OrgKind.ASSOCIATION)).id
    verifyOrganisation(org, true, "checked")
    val job = staff.publishJob(staff.createJob(volunteering(org)).id)
    anonymous().use { anon -> repeat(views) { anon.recordJobView(job.id) } }
    return org to staff
}

private fun List<FigureRow>.of(figure: String, period: String) =
    single { it.figure == figure && it.period == period && it.category == null }

class ReportsTest {
    @Test
    fun `an organisation reads its own figures and not another's`() = withPlatform { platform ->
        val (jena, jenaStaff) = platform.orgWithViews("Selbsthilfe Jena", "jena_staff", 12)
        val (gera, geraStaff) = platform.orgWithViews("Selbsthilfe Gera", "gera_staff", 6)
        val month = YearMonth.now(ZoneOffset.UTC).toString()
        val rows = jenaStaff.orgReport(jena, month)
        assertTrue(rows.all { it.org == jena && it.period == month && it.span == Span.MONTH }, "$rows")
        assertEquals(12.0, rows.of("job_views", month).value)
        // One posting is a count of 1 to k: withheld, in total and in its breakdown, with the flag set.
        val postings = rows.of("job_postings", month)
        assertNull(postings.value)
        assertTrue(postings.withheld)
        assertTrue(rows.first { it.figure == "job_postings" && it.category == "contract:volunteer" }.withheld)
        assertTrue(rows.all { it.withheld == (it.value == null) })
        assertThrows<TrialogException.PermissionDenied> { jenaStaff.orgReport(gera, month) }
        assertThrows<TrialogException.PermissionDenied> { jenaStaff.platformReport(month) }
        assertEquals(6.0, geraStaff.orgReport(gera, month).of("job_views", month).value)
        val bad = assertThrows<TrialogException.InvalidInput> { jenaStaff.orgReport(jena, "2026-13") }
        assertEquals("period", bad.field)
        jenaStaff.close()
        geraStaff.close()
    }
}
