// Every core error arrives in Kotlin as a typed TrialogException with its fields.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.core.AccountFilter
import org.trialog.core.OrganisationFilter
import org.trialog.core.PageRequest
import org.trialog.core.TrialogException

class ErrorsTest {
    @Test
    fun `invalid input names the field`() = withPlatform { platform ->
        val pseudonym = assertThrows<TrialogException.InvalidInput> { platform.createAccount(newAccount("x")) }
        assertEquals("pseudonym", pseudonym.field)
        assertTrue(pseudonym.reason.contains("3 to 32"), pseudonym.reason)

        val reserved = assertThrows<TrialogException.InvalidInput> { platform.createAccount(newAccount("Admin")) }
        assertEquals("pseudonym", reserved.field)

        val region = assertThrows<TrialogException.InvalidInput> { platform.createOrganisation(newOrg("Irgendwo", region = "Thüringen")) }
        assertEquals("region", region.field)

        val homeRegion = assertThrows<TrialogException.InvalidInput> { platform.createAccount(newAccount("Kim_aus_Jena", region = "Jena")) }
        assertEquals("home_region", homeRegion.field)

        val limit = assertThrows<TrialogException.InvalidInput> { platform.listOrganisations(OrganisationFilter(), PageRequest(limit = 0u)) }
        assertEquals("limit", limit.field)
        val cursor = assertThrows<TrialogException.InvalidInput> { platform.listAccounts(AccountFilter(), PageRequest(cursor = "42")) }
        assertEquals("cursor", cursor.field)
    }

    @Test
    fun `a member may not verify an organisation`() = withPlatform { platform ->
        val org = platform.createOrganisation(newOrg("Soteria Jena"))
        val kim = platform.signUp("Kim_aus_Jena")
        val denied = platform.asAccount(kim.id).use { asKim ->
            assertThrows<TrialogException.PermissionDenied> { asKim.verifyOrganisation(org.id, true, null) }
        }
        assertEquals("verify an organisation", denied.action)
        assertEquals("only admins", denied.reason)
        assertTrue(denied.message!!.contains("verify"))
        // Anonymous visitors may not list accounts either.
        platform.anonymous().use { anon ->
            assertThrows<TrialogException.PermissionDenied> { anon.listAccounts(AccountFilter(), PageRequest()) }
        }
    }

    @Test
    fun `a taken pseudonym is a conflict, whatever its case`() = withPlatform { platform ->
        platform.signUp("Sonne")
        val conflict = assertThrows<TrialogException.Conflict> { platform.signUp("SONNE") }
        assertTrue(conflict.reason.contains("taken"), conflict.reason)
    }

    @Test
    fun `missing records are not found`() = withPlatform { platform ->
        val org = assertThrows<TrialogException.NotFound> { platform.organisation(999UL) }
        assertEquals("organisation", org.kind)
        assertEquals("999", org.key)
        val account = assertThrows<TrialogException.NotFound> { platform.accountByPseudonym("Niemand") }
        assertEquals("account", account.kind)
    }

    @Test
    fun `every exception is a TrialogException`() = withPlatform { platform ->
        val caught: TrialogException = assertThrows<TrialogException> { platform.organisation(1UL) }
        assertTrue(caught is TrialogException.NotFound)
    }
}
