// The self-help directory as Open Referral HSDS 3: a contact point's groups go out as documents
// and come into another platform; a dry run writes nothing; bad documents are refused by field.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.core.GroupAudience
import org.trialog.core.GroupFormat
import org.trialog.core.GroupStatus
import org.trialog.core.HsdsAction
import org.trialog.core.MeetingInput
import org.trialog.core.NewGroup
import org.trialog.core.OrgKind
import org.trialog.core.PageRequest
import org.trialog.core.TrialogException

internal fun onlineGroup(name: String, org: ULong) = NewGroup(
    name = name,
    description = "Wir treffen uns per Video.",
    topics = emptyList(),
    keywords = listOf("trauer"),
    audience = GroupAudience.BOTH,
    ageMin = null,
    ageMax = null,
    languages = listOf("de", "en"),
    status = GroupStatus.ACTIVE,
    format = GroupFormat.ONLINE,
    contactPoint = org,
    contact = null,
    requestsTo = null,
    place = null,
    meetings = listOf(MeetingInput("FREQ=MONTHLY;BYDAY=2TU,4TU", "18:00", "19:30", null, null, emptyList())),
    accessibility = emptyList(),
    accessibilityNotes = null,
)

private fun exportAll(p: Platform): List<String> = p.exportGroupsHsds(PageRequest(null, 500u)).items.map { it.json }

class GroupsHsdsTest {
    @Test
    fun `a directory goes out as HSDS and comes into another platform the same`() = withPlatform { p ->
        val org = p.createOrganisation(newOrg("KISS Online", kind = OrgKind.SELF_HELP_CONTACT_POINT))
        p.createGroup(onlineGroup("Trauer online", org.id))
        p.createGroup(onlineGroup("Angehörige online", org.id))
        val docs = exportAll(p)
        assertEquals(2, docs.size)
        assertTrue(docs[0].contains("\"freq\":\"MONTHLY\"") && docs[0].contains("\"byday\":\"2TU,4TU\""), docs[0])
        assertTrue(docs[0].contains("\"name\":\"KISS Online\""), "the contact point is the organization")
        val file = docs.joinToString(",", "[", "]")

        withPlatform { other ->
            val dry = other.importGroupsHsds(file, true)
            assertTrue(dry.dryRun)
            assertEquals(2u, dry.servicesCreated)
            assertTrue(dry.items.all { it.action == HsdsAction.CREATED && it.localId == null })
            assertTrue(exportAll(other).isEmpty(), "a dry run writes nothing")

            val done = other.importGroupsHsds(file, false)
            assertEquals(1u, done.organizationsCreated)
            assertEquals(docs, exportAll(other), "export, import, export: the same documents")
            assertEquals(3u, other.importGroupsHsds(file, false).unchanged)
        }
    }

    @Test
    fun `a document with a field the directory does not know is refused by name`() = withPlatform { p ->
        val org = p.createOrganisation(newOrg("KISS Online", kind = OrgKind.SELF_HELP_CONTACT_POINT))
        p.createGroup(onlineGroup("Trauer online", org.id))
        val doc = exportAll(p).single().replace("\"freq\":\"MONTHLY\"", "\"freq\":\"MONTHLY\",\"byweekno\":\"41\"")
        val error = assertThrows<TrialogException.InvalidInput> { p.importGroupsHsds(doc, true) }
        assertTrue(error.field.startsWith("services[0].schedules[0]"), error.field)
        val member = p.asAccount(p.signUp("Mitglied").id)
        assertThrows<TrialogException.PermissionDenied> { member.importGroupsHsds(doc, true) }
    }
}
