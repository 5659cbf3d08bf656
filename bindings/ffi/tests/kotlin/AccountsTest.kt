// Accounts: sign-up, look-up, roles, restrictions, passwords and paging.
package org.trialog.tests

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.core.AccountFilter
import org.trialog.core.AccountStatus
import org.trialog.core.AccountUpdate
import org.trialog.core.Actor
import org.trialog.core.AuditFilter
import org.trialog.core.PageRequest
import org.trialog.core.Perspective
import org.trialog.core.PerspectiveVisibility
import org.trialog.core.Restriction
import org.trialog.core.Role
import org.trialog.core.RoleKind
import org.trialog.core.StatusKind
import org.trialog.core.TrialogException

class AccountsTest {
    @Test
    fun `sign up and look up by pseudonym ignoring case`() = withPlatform { platform ->
        val kim = platform.anonymous().use {
            it.createAccount(newAccount("Kim_aus_Jena", region = "de-th").copy(email = "kim@example.org"))
        }
        assertEquals("Kim_aus_Jena", kim.pseudonym)
        assertEquals("DE-TH", kim.homeRegion)
        assertEquals(listOf(Role.Member), kim.roles)
        assertEquals(Perspective.LIVED_EXPERIENCE, kim.perspective)
        assertEquals(AccountStatus.Active, kim.status)

        val found = platform.accountByPseudonym("KIM_AUS_JENA")
        assertEquals(kim.id, found.id)
        assertEquals("kim@example.org", found.email)

        // Other members see the profile but not the e-mail address.
        val sam = platform.signUp("Sam_Angehoerige")
        platform.asAccount(sam.id).use { assertNull(it.account(kim.id).email) }
    }

    @Test
    fun `owners update their own account`() = withPlatform { platform ->
        val kim = platform.signUp("Kim_aus_Jena")
        platform.asAccount(kim.id).use { asKim ->
            val changed = asKim.updateAccount(kim.id, AccountUpdate(perspective = Perspective.RELATIVE, languages = listOf("de", "da")))
            assertEquals(Perspective.RELATIVE, changed.perspective)
            assertEquals(listOf("de", "da"), changed.languages)
            assertTrue(changed.updatedAt >= kim.updatedAt)
        }
    }

    @Test
    fun `a perspective is shown only where its owner chose and always to admins`() = withPlatform { platform ->
        val kim = platform.signUp("Kim_aus_Jena")
        assertEquals(PerspectiveVisibility.NOBODY, kim.perspectiveVisibility)
        val sam = platform.signUp("Sam_Angehoerige")
        platform.asAccount(sam.id).use { assertEquals(Perspective.UNDISCLOSED, it.account(kim.id).perspective) }
        assertEquals(Perspective.LIVED_EXPERIENCE, platform.account(kim.id).perspective)
        platform.asAccount(kim.id).use {
            it.updateAccount(kim.id, AccountUpdate(perspectiveVisibility = PerspectiveVisibility.MEMBERS))
        }
        platform.asAccount(sam.id).use { assertEquals(Perspective.LIVED_EXPERIENCE, it.account(kim.id).perspective) }
    }

    @Test
    fun `grant and revoke roles`() = withPlatform { platform ->
        val org = platform.createOrganisation(newOrg("Soteria Jena"))
        val kim = platform.signUp("Kim_aus_Jena")
        val supervisor = platform.grantRole(kim.id, Role.Supervisor(org.id), "trained")
        assertTrue(supervisor.roles.contains(Role.Supervisor(org.id)))
        platform.grantRole(kim.id, Role.Moderator)

        val moderators = platform.listAccounts(AccountFilter(role = RoleKind.MODERATOR), PageRequest())
        assertEquals(listOf(kim.id), moderators.items.map { it.id })

        val revoked = platform.revokeRole(kim.id, Role.Moderator, null)
        assertFalse(revoked.roles.contains(Role.Moderator))
        assertEquals(listOf(Role.Member, Role.Supervisor(org.id)), revoked.roles)

        val log = platform.auditLog(AuditFilter(target = "account:${kim.id}"), PageRequest())
        assertEquals(listOf("account.role.revoke", "account.role.grant", "account.role.grant"), log.items.map { it.action })
        assertTrue(log.items.all { it.actor == Actor.Operator })
    }

    @Test
    fun `moderators restrict members`() = withPlatform { platform ->
        val mod = platform.signUp("Moderatorin_Ute")
        platform.grantRole(mod.id, Role.Moderator, "elected")
        val troll = platform.signUp("Lauter_Gast")
        platform.asAccount(mod.id).use { asMod ->
            val until = Instant.now().plusSeconds(3600)
            val silenced = asMod.restrictAccount(troll.id, Restriction.Silence(until), "insults in the forum")
            val status = silenced.status as AccountStatus.Silenced
            assertEquals(until.epochSecond, status.until.epochSecond)

            val suspended = asMod.restrictAccount(troll.id, Restriction.Suspend(until), "kept going")
            assertTrue(suspended.status is AccountStatus.Suspended)
            val listed = asMod.listAccounts(AccountFilter(status = StatusKind.SUSPENDED), PageRequest())
            assertEquals(listOf(troll.id), listed.items.map { it.id })

            assertEquals(AccountStatus.Banned, asMod.restrictAccount(troll.id, Restriction.Ban, "third time").status)
            assertEquals(AccountStatus.Active, asMod.restrictAccount(troll.id, Restriction.Reinstate, "appeal").status)
        }
    }

    @Test
    fun `sign in with a password set by the operator or the owner`() = withPlatform { platform ->
        val kim = platform.signUp("Kim_aus_Jena")
        platform.setPassword(kim.id, "correct horse battery")
        platform.signIn("kim_aus_jena", "correct horse battery").use { session ->
            assertEquals(Actor.Account(kim.id), session.actor())
            session.setPassword(kim.id, "a new long passphrase")
        }
        assertThrows<TrialogException.PermissionDenied> { platform.signIn("Kim_aus_Jena", "correct horse battery") }
        platform.signIn("Kim_aus_Jena", "a new long passphrase").close()
        assertThrows<TrialogException.PermissionDenied> { platform.signIn("Niemand", "a new long passphrase") }
        val short = assertThrows<TrialogException.InvalidInput> { platform.setPassword(kim.id, "short") }
        assertEquals("password", short.field)

        // A banned account cannot sign in.
        platform.restrictAccount(kim.id, Restriction.Ban, "test")
        assertThrows<TrialogException.PermissionDenied> { platform.signIn("Kim_aus_Jena", "a new long passphrase") }
    }

    @Test
    fun `accounts page with cursors`() = withPlatform { platform ->
        val ids = (1..11).map { platform.signUp("Mitglied_$it").id }
        val seen = mutableListOf<ULong>()
        var cursor: String? = null
        var pages = 0
        do {
            val page = platform.listAccounts(AccountFilter(pseudonymPrefix = "mitglied"), PageRequest(cursor, 4u))
            seen += page.items.map { it.id }
            cursor = page.nextCursor
            pages++
        } while (cursor != null)
        assertEquals(ids, seen)
        assertEquals(3, pages)
    }
}
