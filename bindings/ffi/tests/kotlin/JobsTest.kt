// The job board: postings through their lifecycle, permissions, radius search, saved-search
// alerts in the inbox, interest up to hiring, bad input by field, dates, and threads.
package org.trialog.tests

import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.core.Contract
import org.trialog.core.Event
import org.trialog.core.ExInRequirement
import org.trialog.core.Hours
import org.trialog.core.ImportMode
import org.trialog.core.InterestStatus
import org.trialog.core.JobImportRow
import org.trialog.core.JobQuery
import org.trialog.core.JobSort
import org.trialog.core.JobState
import org.trialog.core.JobUpdate
import org.trialog.core.LocationInput
import org.trialog.core.NewJob
import org.trialog.core.OrgKind
import org.trialog.core.PageRequest
import org.trialog.core.Pay
import org.trialog.core.PayUnit
import org.trialog.core.SeekerFilter
import org.trialog.core.SeekerProfileInput
import org.trialog.core.TrialogException

private val BERLIN = 52.5200 to 13.4050
private val POTSDAM = 52.3906 to 13.0645
private val HAMBURG = 53.5511 to 9.9937

private fun at(place: Pair<Double, Double>, name: String? = null) =
    LocationInput.Coordinates(latitude = place.first, longitude = place.second, place = name)

private fun tvl(min: Double = 3100.0, max: Double? = 3600.0) =
    Pay(min = min, max = max, unit = PayUnit.MONTH, currency = "EUR", agreement = "TV-L", group = "E 7")

private fun posting(org: ULong, title: String, place: Pair<Double, Double> = BERLIN) = NewJob(
    org = org,
    title = title,
    description = "Wir suchen Genesungsbegleiter:innen mit EX-IN-Ausbildung für unser Team.",
    location = at(place, "Berlin"),
    contract = Contract.PERMANENT,
    hours = Hours(20u, 30u),
    pay = tvl(),
    requirement = ExInRequirement.TRAINING_ACCEPTED,
    languages = listOf("de"),
)

/** A verified employer with one staff member and one seeker, each with a handle of their own. */
private class Board(val operator: Platform) : AutoCloseable {
    val staffAccount = operator.signUp("personal_wh")
    val staff = operator.asAccount(staffAccount.id)
    val org = staff.createOrganisation(newOrg("Weglaufhaus Berlin", region = "DE-BE", kind = OrgKind.EMPLOYER))
        .also { operator.verifyOrganisation(it.id, true, "checked") }
    val seekerAccount = operator.signUp("Kranich")
    val seeker = operator.asAccount(seekerAccount.id)

    fun post(title: String, place: Pair<Double, Double> = BERLIN) =
        staff.publishJob(staff.createJob(posting(org.id, title, place)).id)

    override fun close() {
        staff.close()
        seeker.close()
    }
}

private fun withBoard(block: (Board) -> Unit) = withPlatform { platform -> Board(platform).use(block) }

private fun near(place: Pair<Double, Double>, radiusKm: Double) = JobQuery(near = at(place), radiusKm = radiusKm)

class JobsTest {
    @Test
    fun `a posting goes from draft to published to filled`() = withBoard { b ->
        val draft = b.staff.createJob(posting(b.org.id, "Genesungsbegleiter:in (m/w/d)"))
        assertEquals(JobState.DRAFT, draft.state)
        assertNull(draft.publishedAt)
        b.operator.anonymous().use { anon ->
            assertTrue(anon.searchJobs(near(BERLIN, 10.0), PageRequest()).items.isEmpty(), "drafts are never found")
            assertThrows<TrialogException.NotFound> { anon.job(draft.id) }
        }

        val published = b.staff.publishJob(draft.id)
        assertEquals(JobState.PUBLISHED, published.state)
        assertNotNull(published.publishedAt)
        assertEquals(LocalDate.now(java.time.ZoneOffset.UTC).plusDays(60), published.expiresOn, "60 days by default")
        assertEquals(listOf(draft.id), b.seeker.searchJobs(near(BERLIN, 10.0), PageRequest()).items.map { it.job.id })
        assertThrows<TrialogException.Conflict> { b.staff.publishJob(draft.id) }

        val filled = b.staff.fillJob(draft.id)
        assertEquals(JobState.FILLED, filled.state)
        assertTrue(b.seeker.searchJobs(near(BERLIN, 10.0)).items.isEmpty(), "filled postings leave the search")
        assertEquals(JobState.FILLED, b.seeker.job(draft.id).state, "but stay readable")
        assertThrows<TrialogException.Conflict> { b.staff.updateJob(draft.id, JobUpdate(title = "Neu")) }
    }

    @Test
    fun `an expiry date in the past is refused, and a withdrawn posting disappears`() = withBoard { b ->
        val yesterday = LocalDate.now().minusDays(1)
        val past = assertThrows<TrialogException.InvalidInput> {
            b.staff.createJob(posting(b.org.id, "Abgelaufen").copy(expiresOn = yesterday))
        }
        assertEquals("expires_on", past.field)
        val job = b.post("Peer-Begleitung Tagesklinik")
        val withdrawn = b.staff.withdrawJob(job.id, "Stelle intern besetzt")
        assertEquals(JobState.WITHDRAWN, withdrawn.state)
        assertThrows<TrialogException.NotFound> { b.seeker.job(job.id) }
        val own = b.staff.searchJobs(JobQuery(org = b.org.id, includeUnpublished = true), PageRequest())
        assertEquals(listOf(JobState.WITHDRAWN), own.items.map { it.job.state }, "staff still see their own")
    }

    @Test
    fun `only staff of a verified employer manage postings and anyone can search`() = withBoard { b ->
        val newcomer = b.operator.signUp("neu_staff")
        b.operator.asAccount(newcomer.id).use { asNew ->
            val unverified = asNew.createOrganisation(newOrg("Neu e.V.", region = "DE-BE", kind = OrgKind.ASSOCIATION))
            val denied = assertThrows<TrialogException.PermissionDenied> { asNew.createJob(posting(unverified.id, "Peer")) }
            assertTrue(denied.reason.contains("not verified"), denied.reason)
        }
        assertThrows<TrialogException.PermissionDenied> { b.seeker.createJob(posting(b.org.id, "Fremde Stelle")) }
        val job = b.post("Genesungsbegleitung Mitte")
        assertThrows<TrialogException.PermissionDenied> { b.seeker.withdrawJob(job.id) }
        b.operator.anonymous().use { anon ->
            assertEquals(listOf(job.id), anon.searchJobs().items.map { it.job.id })
            anon.recordJobView(job.id)
            assertThrows<TrialogException.PermissionDenied> { anon.jobViews(job.id) }
        }
        b.seeker.recordJobView(job.id)
        assertEquals(2UL, b.staff.jobViews(job.id).sumOf { it.views })
        assertEquals(2UL, b.operator.totalJobViews().sumOf { it.views })
        assertThrows<TrialogException.PermissionDenied> { b.staff.totalJobViews() }
    }

    @Test
    fun `radius search measures distance and sorts by it`() = withBoard { b ->
        val berlin = b.post("Genesungsbegleitung Berlin", BERLIN)
        val potsdam = b.post("Genesungsbegleitung Potsdam", POTSDAM)
        b.post("Genesungsbegleitung Hamburg", HAMBURG)
        val page = b.seeker.searchJobs(JobQuery(near = at(BERLIN), radiusKm = 50.0, sort = JobSort.DISTANCE), PageRequest())
        assertEquals(listOf(berlin.id, potsdam.id), page.items.map { it.job.id })
        assertEquals(0.0, page.items[0].distanceKm!!, 0.01)
        assertEquals(27.0, page.items[1].distanceKm!!, 2.0, "Berlin–Potsdam is about 27 km")
        assertEquals(POTSDAM.first, page.items[1].coordinates!!.latitude, 1e-9)
        assertEquals(3, b.seeker.searchJobs(near(BERLIN, 300.0)).items.size)

        val first = b.seeker.searchJobs(near(BERLIN, 300.0), PageRequest(limit = 2u))
        val rest = b.seeker.searchJobs(near(BERLIN, 300.0), PageRequest(cursor = first.nextCursor, limit = 2u))
        assertEquals(3, (first.items + rest.items).map { it.job.id }.toSet().size)
        assertNull(rest.nextCursor)

        val text = b.seeker.searchJobs(JobQuery(text = "POTSDAM"))
        assertEquals(listOf(potsdam.id), text.items.map { it.job.id })
        assertNotNull(text.items[0].score)
    }

    @Test
    fun `a saved search puts an alert into the inbox`() = withBoard { b ->
        val search = b.seeker.saveSearch("Berlin unbefristet", JobQuery(near = at(BERLIN), radiusKm = 30.0, contracts = listOf(Contract.PERMANENT)))
        assertEquals(listOf(search.id), b.seeker.savedSearches().map { it.id })
        val job = b.post("Genesungsbegleitung Mitte", BERLIN)
        b.post("Genesungsbegleitung Hamburg", HAMBURG)

        val inbox = b.seeker.inbox()
        assertEquals(1UL, inbox.unread)
        val alert = inbox.items.single().event as Event.JobAlert
        assertEquals(search.id, alert.search)
        assertEquals("Berlin unbefristet", alert.searchName)
        assertEquals(job.id, alert.job)
        assertEquals(1UL, b.seeker.markNotificationsRead(listOf(inbox.items.single().id)))
        assertTrue(b.seeker.inbox(unreadOnly = true).items.isEmpty())

        b.seeker.removeSavedSearch(search.id)
        b.post("Noch eine Stelle in Mitte", BERLIN)
        assertTrue(b.seeker.inbox(unreadOnly = true).items.isEmpty(), "no alerts after removal")
        b.operator.anonymous().use { anon ->
            assertThrows<TrialogException.PermissionDenied> { anon.saveSearch("x", JobQuery()) }
        }
    }

    @Test
    fun `interest moves to hired and fills the posting`() = withBoard { b ->
        val job = b.post("Genesungsbegleiter:in Station 4")
        val interest = b.seeker.markInterest(job.id, "Ich habe das EX-IN-Zertifikat seit 2024.")
        assertEquals(InterestStatus.NEW, interest.status)
        assertThrows<TrialogException.Conflict> { b.seeker.markInterest(job.id) }
        assertThrows<TrialogException.PermissionDenied> { b.seeker.interestsForJob(job.id) }
        assertEquals("Kranich", b.staff.interestsForJob(job.id).single().pseudonym)

        b.staff.advanceInterest(interest.id, InterestStatus.CONTACTED)
        b.staff.advanceInterest(interest.id, InterestStatus.INTERVIEWING)
        val backwards = assertThrows<TrialogException.InvalidInput> { b.staff.advanceInterest(interest.id, InterestStatus.CONTACTED) }
        assertEquals("status", backwards.field)
        assertEquals(InterestStatus.HIRED, b.staff.advanceInterest(interest.id, InterestStatus.HIRED).status)
        assertEquals(JobState.FILLED, b.seeker.job(job.id).state, "one opening, one hire")
        assertEquals(listOf(InterestStatus.HIRED), b.seeker.myInterests().map { it.status })
        val updates = b.seeker.inbox().items.map { (it.event as Event.InterestUpdated).status }
        assertEquals(listOf(InterestStatus.HIRED, InterestStatus.INTERVIEWING, InterestStatus.CONTACTED), updates, "newest first")

        val other = b.post("Zweite Stelle")
        val second = b.seeker.markInterest(other.id)
        assertEquals(InterestStatus.WITHDRAWN, b.seeker.withdrawInterest(second.id).status)
    }

    @Test
    fun `bad input names the field`() = withBoard { b ->
        fun field(block: () -> Unit) = assertThrows<TrialogException.InvalidInput>(block).field
        val base = posting(b.org.id, "Genesungsbegleiter:in")
        assertEquals("pay.min", field { b.staff.createJob(base.copy(pay = tvl(min = 4000.0, max = 3600.0))) })
        assertEquals("hours.min", field { b.staff.createJob(base.copy(hours = Hours(0u, 10u))) })
        assertEquals("hours.max", field { b.staff.createJob(base.copy(hours = Hours(10u, 61u))) })
        assertEquals("title", field { b.staff.createJob(base.copy(title = "  ")) })
        assertEquals("languages", field { b.staff.createJob(base.copy(languages = emptyList())) })
        assertEquals("radius_km", field { b.seeker.searchJobs(near(BERLIN, 0.0)) })
        assertEquals("radius_km", field { b.seeker.searchJobs(near(BERLIN, 1000.5)) })
        assertEquals("near", field { b.seeker.searchJobs(JobQuery(near = LocationInput.Remote)) })
        assertEquals("cursor", field { b.seeker.searchJobs(JobQuery(), PageRequest(cursor = "nonsense")) })
        val own = b.staff.searchJobs(JobQuery(org = b.org.id, includeUnpublished = true))
        assertTrue(own.items.isEmpty(), "nothing was written")
    }

    @Test
    fun `dates cross as LocalDate`() = withBoard { b ->
        val start = LocalDate.now().plusMonths(1).withDayOfMonth(1)
        val end = start.plusDays(45)
        val job = b.staff.createJob(posting(b.org.id, "Ab nächstem Monat").copy(startsOn = start, expiresOn = end))
        assertEquals(start, job.startsOn)
        assertEquals(end, job.expiresOn)
        val moved = b.staff.updateJob(job.id, JobUpdate(expiresOn = end.plusDays(10)))
        assertEquals(end.plusDays(10), moved.expiresOn)
        val wrongWay = assertThrows<TrialogException.InvalidInput> {
            b.staff.updateJob(job.id, JobUpdate(expiresOn = start.minusDays(1)))
        }
        assertEquals("expires_on", wrongWay.field)
    }

    @Test
    fun `import reports bad rows by line, and export gives JSON-LD`() = withBoard { b ->
        val rows = listOf(
            JobImportRow(2UL, posting(b.org.id, "Import eins"), publish = true),
            JobImportRow(3UL, posting(b.org.id, "Import zwei").copy(hours = Hours(0u, 10u)), publish = true),
            JobImportRow(4UL, posting(b.org.id, "Import drei"), publish = false),
        )
        val dry = b.staff.importJobs(rows, ImportMode.SKIP_BAD_ROWS, dryRun = true)
        assertEquals(2UL, dry.validRows)
        assertTrue(dry.created.isEmpty())
        val refused = b.staff.importJobs(rows, ImportMode.ALL_OR_NOTHING, dryRun = false)
        assertTrue(refused.created.isEmpty())
        assertEquals(listOf(3UL to "hours.min"), refused.problems.map { it.line to it.field })

        val report = b.staff.importJobs(rows, ImportMode.SKIP_BAD_ROWS, dryRun = false)
        assertEquals(2, report.created.size)
        assertEquals(1UL, report.published)
        assertEquals(listOf("Import eins"), b.seeker.exportJobs().map { it.title })
        assertEquals(2, b.staff.exportJobs(b.org.id, includeUnpublished = true).size)
        assertThrows<TrialogException.PermissionDenied> { b.seeker.exportJobs(b.org.id, includeUnpublished = true) }

        val ld = b.seeker.exportJobsJsonLd()
        assertTrue(ld.startsWith("[{"), ld)
        assertTrue(ld.contains("\"@type\":\"JobPosting\""), ld)
        assertTrue(ld.contains("Weglaufhaus Berlin"), ld)
    }

    @Test
    fun `an import again updates the postings its refs name`() = withBoard { b ->
        val row = { line: ULong, title: String -> JobImportRow(line, posting(b.org.id, title), publish = true, reference = "R-$line") }
        val first = b.staff.importJobs(listOf(row(1UL, "Eins"), row(2UL, "Zwei")), ImportMode.SKIP_BAD_ROWS, dryRun = false)
        val again = b.staff.importJobs(listOf(row(1UL, "Eins neu"), row(2UL, "Zwei")), ImportMode.SKIP_BAD_ROWS, dryRun = false)
        assertTrue(again.created.isEmpty())
        assertEquals(first.created, again.updated)
        assertEquals(listOf("Eins neu", "Zwei"), b.seeker.exportJobs().map { it.title }.sorted())
    }

    @Test
    fun `seeker profiles are private until the seeker opts in`() = withBoard { b ->
        val input = SeekerProfileInput(
            location = at(BERLIN, "Berlin"),
            maxDistanceKm = 40u,
            hours = Hours(15u, 25u),
            contracts = listOf(Contract.PERMANENT),
            languages = listOf("de"),
        )
        val profile = b.seeker.setSeekerProfile(b.seekerAccount.id, input)
        assertTrue(!profile.findable, "off by default")
        assertThrows<TrialogException.NotFound> { b.staff.seekerProfile(b.seekerAccount.id) } // a hidden profile answers like a missing one
        assertTrue(b.staff.listFindableSeekers().items.isEmpty())

        b.seeker.setSeekerProfile(b.seekerAccount.id, input.copy(findable = true))
        assertEquals("Kranich", b.staff.seekerProfile(b.seekerAccount.id).pseudonym)
        assertEquals(1, b.staff.listFindableSeekers(SeekerFilter(near = at(POTSDAM)), PageRequest()).items.size)
        assertTrue(b.staff.listFindableSeekers(SeekerFilter(near = at(HAMBURG)), PageRequest()).items.isEmpty())
        val zero = assertThrows<TrialogException.InvalidInput> {
            b.seeker.setSeekerProfile(b.seekerAccount.id, input.copy(maxDistanceKm = 0u))
        }
        assertEquals("max_distance_km", zero.field)
    }

    @Test
    fun `threads can post, search and count views at once`() = withBoard { b ->
        val job = b.post("Genesungsbegleitung für alle")
        val threads = 6
        val perThread = 5
        inParallel(threads) { t ->
            repeat(perThread) { i ->
                b.post("Stelle $t-$i", POTSDAM)
                b.seeker.recordJobView(job.id)
                b.seeker.searchJobs(near(BERLIN, 100.0), PageRequest(limit = 5u))
            }
        }
        assertEquals((threads * perThread).toULong(), b.staff.jobViews(job.id).sumOf { it.views })
        assertEquals(threads * perThread + 1, b.seeker.exportJobs().size)
    }
}
