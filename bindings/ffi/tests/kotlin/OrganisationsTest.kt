// Organisations: register, list with filters and cursors, update, verify.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.core.AuditFilter
import org.trialog.core.OrgKind
import org.trialog.core.OrganisationFilter
import org.trialog.core.OrganisationUpdate
import org.trialog.core.PageRequest
import org.trialog.core.Role

class OrganisationsTest {
    @Test
    fun `create, list and verify organisations`() = withPlatform { platform ->
        val soteria = platform.createOrganisation(newOrg("Soteria Jena"))
        platform.createOrganisation(newOrg("Psykiatrifonden", region = "DK-84", kind = OrgKind.ASSOCIATION))
        assertFalse(soteria.verified)
        assertEquals("DE-TH", soteria.region)

        val german = platform.listOrganisations(OrganisationFilter(region = "DE"), PageRequest())
        assertEquals(listOf("Soteria Jena"), german.items.map { it.name })
        assertNull(german.nextCursor)

        val verified = platform.verifyOrganisation(soteria.id, true, "checked the registry")
        assertTrue(verified.verified)
        assertNotNull(verified.verifiedAt)
        val onlyVerified = platform.listOrganisations(OrganisationFilter(verified = true), PageRequest())
        assertEquals(listOf(soteria.id), onlyVerified.items.map { it.id })
        assertEquals(2, platform.listOrganisations().items.size)

        val log = platform.auditLog(AuditFilter(actionPrefix = "org.verify"), PageRequest())
        assertEquals("checked the registry", log.items.single().reason)
        assertEquals("org:${soteria.id}", log.items.single().target)
    }

    @Test
    fun `a member who registers an organisation becomes its staff and may edit it`() = withPlatform { platform ->
        val kim = platform.signUp("Kim_aus_Jena")
        platform.asAccount(kim.id).use { asKim ->
            val org = asKim.createOrganisation(newOrg("Genesungsbegleitung Jena", kind = OrgKind.EMPLOYER))
            assertTrue(asKim.account(kim.id).roles.contains(Role.EmployerStaff(org.id)))
            val moved = asKim.updateOrganisation(org.id, OrganisationUpdate(city = "Weimar", website = "https://example.org"))
            assertEquals("Weimar", moved.city)
            assertEquals("https://example.org", moved.website)
        }
    }

    @Test
    fun `organisations page with cursors`() = withPlatform { platform ->
        val ids = (1..7).map { platform.createOrganisation(newOrg("Kontaktstelle $it", kind = OrgKind.SELF_HELP_CONTACT_POINT)).id }
        val seen = mutableListOf<ULong>()
        val sizes = mutableListOf<Int>()
        var page = PageRequest(limit = 3u)
        while (true) {
            val result = platform.listOrganisations(OrganisationFilter(), page)
            seen += result.items.map { it.id }
            sizes += result.items.size
            val next = result.nextCursor ?: break
            page = PageRequest(cursor = next, limit = 3u)
        }
        assertEquals(ids, seen)
        assertEquals(listOf(3, 3, 1), sizes)
    }
}
