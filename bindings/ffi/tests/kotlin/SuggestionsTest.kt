// Suggestions between postings and seekers, the weights setting, and stored match runs with
// re-matching, from Kotlin.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.core.Applicant
import org.trialog.core.Client
import org.trialog.core.Contract
import org.trialog.core.ExInRequirement
import org.trialog.core.ExInStatus
import org.trialog.core.Guide
import org.trialog.core.GuideAssignmentInput
import org.trialog.core.Hours
import org.trialog.core.LocationInput
import org.trialog.core.MatchRunFilter
import org.trialog.core.MinPay
import org.trialog.core.NewJob
import org.trialog.core.OrgKind
import org.trialog.core.PageRequest
import org.trialog.core.PairDecision
import org.trialog.core.Pay
import org.trialog.core.PayUnit
import org.trialog.core.Placement
import org.trialog.core.Role
import org.trialog.core.RunInput
import org.trialog.core.SeekerProfileInput
import org.trialog.core.StableInput
import org.trialog.core.SuggestionWeights
import org.trialog.core.TrialogException

private fun coordinates(lat: Double, lon: Double) = LocationInput.Coordinates(latitude = lat, longitude = lon, place = null)

private fun job(org: ULong, title: String, lat: Double, lon: Double) = NewJob(
    org = org,
    title = title,
    description = "Genesungsbegleitung im multiprofessionellen Team.",
    location = coordinates(lat, lon),
    contract = Contract.PERMANENT,
    hours = Hours(20u, 30u),
    pay = Pay(min = 3100.0, max = 3600.0, unit = PayUnit.MONTH, currency = "EUR", agreement = "TV-L", group = "E 7"),
    requirement = ExInRequirement.TRAINING_ACCEPTED,
    languages = listOf("de"),
)

private fun seekerProfile(findable: Boolean) = SeekerProfileInput(
    location = coordinates(52.52, 13.405),
    maxDistanceKm = 40u,
    hours = Hours(20u, 30u),
    contracts = listOf(Contract.PERMANENT),
    exin = ExInStatus.IN_TRAINING,
    languages = listOf("de"),
    findable = findable,
    minPay = MinPay(amount = 3000.0, unit = PayUnit.MONTH, currency = "EUR"),
)

class SuggestionsTest {
    @Test
    fun `suggestions go both ways, explain every point and respect opt-in`() = withPlatform { operator ->
        val staffAccount = operator.signUp("personal_sugg")
        val seekerAccount = operator.signUp("Suchende")
        operator.asAccount(staffAccount.id).use { staff ->
            operator.asAccount(seekerAccount.id).use { seeker ->
                val org = staff.createOrganisation(newOrg("Peer-Netz Berlin", region = "DE-BE", kind = OrgKind.EMPLOYER))
                operator.verifyOrganisation(org.id, true, null)
                val berlin = staff.publishJob(staff.createJob(job(org.id, "Genesungsbegleitung Mitte", 52.52, 13.40)).id)
                staff.publishJob(staff.createJob(job(org.id, "Peer-Arbeit Hamburg", 53.55, 9.99)).id)
                seeker.setSeekerProfile(seekerAccount.id, seekerProfile(findable = false))

                val found = seeker.suggestJobs(seekerAccount.id)
                assertEquals(listOf(berlin.id), found.map { it.job.id }, "Hamburg is beyond 40 km")
                val best = found.single()
                assertEquals(listOf("distance", "hours", "pay", "requirement", "recency"), best.breakdown.map { it.criterion })
                assertEquals(best.score, best.breakdown.sumOf { it.points }, 1e-9)
                assertTrue(best.breakdown.all { it.reason.isNotEmpty() })

                assertTrue(staff.suggestSeekers(berlin.id).isEmpty(), "not findable: never suggested")
                seeker.setSeekerProfile(seekerAccount.id, seekerProfile(findable = true))
                assertEquals(listOf("Suchende"), staff.suggestSeekers(berlin.id).map { it.seeker.pseudonym })
                assertThrows<TrialogException.PermissionDenied> { seeker.suggestSeekers(berlin.id) }
                assertThrows<TrialogException.PermissionDenied> { staff.suggestJobs(seekerAccount.id) }
                val limit = assertThrows<TrialogException.InvalidInput> { seeker.suggestJobs(seekerAccount.id, 0u) }
                assertEquals("limit", limit.field)

                assertEquals(SuggestionWeights(30.0, 20.0, 20.0, 15.0, 15.0), seeker.suggestionWeights())
                assertThrows<TrialogException.PermissionDenied> { seeker.setSuggestionWeights(SuggestionWeights(1.0, 1.0, 1.0, 1.0, 1.0)) }
                operator.setSuggestionWeights(SuggestionWeights(distance = 10.0, hours = 0.0, pay = 0.0, requirement = 0.0, recency = 0.0))
                assertEquals(10.0, seeker.suggestJobs(seekerAccount.id).single().score, 0.1, "only distance counts: 0.3 km of 40")
                val bad = assertThrows<TrialogException.InvalidInput> {
                    operator.setSuggestionWeights(SuggestionWeights(-1.0, 0.0, 0.0, 0.0, 0.0))
                }
                assertEquals("weights.distance", bad.field)
                operator.resetSuggestionWeights()
            }
        }
    }

    @Test
    fun `a declined pair is not proposed again in the cohort`() = withPlatform { operator ->
        val clinic = operator.createOrganisation(newOrg("Psykiatrien Aarhus", region = "DK-82"))
        val coordinatorAccount = operator.signUp("Koordinatorin")
        operator.grantRole(coordinatorAccount.id, Role.Supervisor(clinic.id), null)
        val memberAccount = operator.signUp("Medlem")
        val guide = { id: String, topics: List<String> ->
            Guide(id = id, capacity = 1u, languages = listOf("da"), gender = null, location = null,
                maxTravelKm = null, topics = topics, availability = listOf())
        }
        val input = RunInput.Guides(GuideAssignmentInput(
            guides = listOf(guide("mette", listOf("psychosis")), guide("jonas", listOf("work"))),
            clients = listOf(Client("c1", listOf("da"), null, null, listOf("psychosis"), listOf())),
            weights = null,
        ))
        operator.asAccount(coordinatorAccount.id).use { coordinator ->
            val first = coordinator.runMatching("Aarhus forår", input)
            assertEquals(listOf("c1" to "mette"), first.pairs.map { it.person to it.partner })
            val declined = coordinator.declinePair(first.id, "c1", "they know each other")
            assertEquals(PairDecision.DECLINED, declined.pairs.single().decision)
            assertThrows<TrialogException.Conflict> { coordinator.acceptPair(first.id, "c1") }

            val second = coordinator.runMatching("Aarhus forår", input)
            assertEquals(listOf("c1" to "jonas"), second.pairs.map { it.person to it.partner })
            assertEquals("mette", second.excluded.single().partner)
            coordinator.acceptPair(second.id, "c1")

            val round = coordinator.runMatching("Praktik", RunInput.Placements(StableInput(
                applicants = listOf(Applicant("ana", listOf("klinik"))),
                placements = listOf(Placement("klinik", 1u, listOf("ana"))),
            )))
            assertEquals(null, round.pairs.single().score, "a placement round ranks, it does not score")

            val page = coordinator.matchRuns(MatchRunFilter(cohort = "Aarhus forår"), PageRequest(limit = 1u))
            assertEquals(listOf(second.id), page.items.map { it.id }, "newest first")
            val rest = coordinator.matchRuns(MatchRunFilter(cohort = "Aarhus forår"), PageRequest(cursor = page.nextCursor, limit = 1u))
            assertEquals(listOf(first.id), rest.items.map { it.id })
            assertEquals(1u, rest.items.single().declined)
            assertEquals(3, coordinator.matchRuns().items.size)
            assertEquals(PairDecision.ACCEPTED, coordinator.matchRun(second.id).pairs.single().decision)
        }
        operator.asAccount(memberAccount.id).use { member ->
            assertThrows<TrialogException.PermissionDenied> { member.runMatching("Aarhus forår", input) }
            assertThrows<TrialogException.PermissionDenied> { member.matchRuns() }
        }
        val blank = assertThrows<TrialogException.InvalidInput> { operator.runMatching(" ", input) }
        assertEquals("cohort", blank.field)
    }
}
