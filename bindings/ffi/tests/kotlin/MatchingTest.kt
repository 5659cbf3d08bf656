// The matching solvers from Kotlin: free functions, no platform needed.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.assignGuides
import org.trialog.assignScoreMatrix
import org.trialog.assignScores
import org.trialog.stableMatch
import org.trialog.core.Applicant
import org.trialog.core.Client
import org.trialog.core.GenderPreference
import org.trialog.core.Guide
import org.trialog.core.GuideAssignmentInput
import org.trialog.core.GuideLocation
import org.trialog.core.Placement
import org.trialog.core.StableInput
import org.trialog.core.TrialogException
import org.trialog.core.UnmatchedReason

class MatchingTest {
    @Test
    fun `a score matrix is assigned for the most matches, then the best total`() {
        val result = assignScores(listOf(listOf(9.0, 1.0), listOf(8.0, null), listOf(null, null)), listOf(1u, 1u))
        assertEquals(listOf(0u to 1u, 1u to 0u), result.pairs.map { it.client to it.guide })
        assertEquals(9.0, result.totalScore)
        assertEquals(2u, result.unmatched.single().client)
        assertEquals(UnmatchedReason.NO_ELIGIBLE_GUIDE, result.unmatched.single().reason)
    }

    @Test
    fun `guides are chosen by attributes and every pair is explained`() {
        val aarhus = GuideLocation(latitude = 56.16, longitude = 10.20)
        val guides = listOf(
            Guide(id = "mette", capacity = 1u, languages = listOf("da"), gender = "female", location = aarhus,
                maxTravelKm = 40.0, topics = listOf("psychosis"), availability = listOf()),
            Guide(id = "jonas", capacity = 1u, languages = listOf("da"), gender = "male", location = aarhus,
                maxTravelKm = 40.0, topics = listOf(), availability = listOf()),
        )
        val clients = listOf(
            Client(id = "c1", languages = listOf("da"), genderPreference = GenderPreference("female", true),
                location = aarhus, topics = listOf("psychosis"), availability = listOf()),
            Client(id = "c2", languages = listOf("da"), genderPreference = GenderPreference("female", true),
                location = null, topics = listOf(), availability = listOf()),
        )
        val result = assignGuides(GuideAssignmentInput(guides = guides, clients = clients, weights = null))
        val pair = result.pairs.single()
        assertEquals("c1" to "mette", pair.client to pair.guide)
        assertEquals(listOf("language", "gender", "distance", "topics", "availability"), pair.breakdown.map { it.criterion })
        assertEquals(pair.score, pair.breakdown.sumOf { it.points }, 1e-9)
        assertEquals(UnmatchedReason.ELIGIBLE_GUIDES_FULL, result.unmatched.single().reason)
    }

    @Test
    fun `a placement round is stable and reports what is left`() {
        val input = StableInput(
            applicants = listOf(Applicant("ana", listOf("clinic", "club")), Applicant("ben", listOf("clinic"))),
            placements = listOf(Placement("clinic", 1u, listOf("ben", "ana")), Placement("club", 2u, listOf("ana"))),
        )
        val result = stableMatch(input)
        assertEquals(listOf("ana" to "club", "ben" to "clinic"), result.pairs.map { it.applicant to it.placement })
        assertTrue(result.unmatchedApplicants.isEmpty())
        assertEquals("club", result.unfilled.single().placement)
        assertEquals(1u, result.unfilled.single().free)
    }

    @Test
    fun `a row-major DoubleArray is assigned like nested lists, NaN forbidding a pair`() {
        val flat = doubleArrayOf(9.0, 1.0, 8.0, Double.NaN, 3.0, 4.0)
        val result = assignScoreMatrix(flat, 3u, 2u, listOf(1u, 1u))
        val nested = assignScores(listOf(listOf(9.0, 1.0), listOf(8.0, null), listOf(3.0, 4.0)), listOf(1u, 1u))
        assertEquals(nested, result)
        assertEquals(listOf(0u to 0u, 2u to 1u), result.pairs.map { it.client to it.guide })
        assertEquals(13.0, result.totalScore)
        assertEquals(UnmatchedReason.ELIGIBLE_GUIDES_FULL, result.unmatched.single().reason)

        // Every pair allowed: the dense path, 300 clients for 100 guides of capacity 2.
        val rows = 300
        val columns = 100
        val dense = DoubleArray(rows * columns) { i -> ((i * 7919) % 101).toDouble() }
        val fromArray = assignScoreMatrix(dense, rows.toUInt(), columns.toUInt(), List(columns) { 2u })
        val fromLists = assignScores(List(rows) { r -> List(columns) { c -> dense[r * columns + c] } }, List(columns) { 2u })
        assertEquals(200, fromArray.pairs.size)
        assertEquals(fromLists.totalScore, fromArray.totalScore)

        val short = assertThrows<TrialogException.InvalidInput> { assignScoreMatrix(doubleArrayOf(1.0), 2u, 2u, listOf(1u, 1u)) }
        assertEquals("scores", short.field)
    }

    @Test
    fun `bad input names the place`() {
        val ragged = assertThrows<TrialogException.InvalidInput> { assignScores(listOf(listOf(1.0, 2.0), listOf(1.0)), listOf(1u, 1u)) }
        assertEquals("scores[1]", ragged.field)
        val nan = assertThrows<TrialogException.InvalidInput> { assignScores(listOf(listOf(Double.NaN)), listOf(1u)) }
        assertEquals("scores[0][0]", nan.field)
        val unknown = assertThrows<TrialogException.InvalidInput> {
            stableMatch(StableInput(listOf(Applicant("ana", listOf("zoo"))), listOf()))
        }
        assertEquals("applicants.ana", unknown.field)
        assertTrue(unknown.reason.contains("zoo"), unknown.reason)
        val noLanguages = assertThrows<TrialogException.InvalidInput> {
            assignGuides(GuideAssignmentInput(listOf(), listOf(Client("c1", listOf(), null, null, listOf(), listOf())), null))
        }
        assertEquals("clients[0].languages", noLanguages.field)
    }
}
