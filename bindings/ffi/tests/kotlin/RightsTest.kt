// The person's rights from Kotlin: a person exports everything about them and erases their own
// account; nobody else may; their posts stay as "former member" without a link to them.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.core.Audience
import org.trialog.core.AuditFilter
import org.trialog.core.ModerationMode
import org.trialog.core.NewBoard
import org.trialog.core.NewThread
import org.trialog.core.PageRequest
import org.trialog.core.PostFate
import org.trialog.core.RetentionSettings
import org.trialog.core.TrialogException

class RightsTest {
    @Test
    fun `a person exports everything about them, then erases their own account`() = withPlatform { platform ->
        val board = platform.createBoard(NewBoard(slug = "austausch", title = "Austausch", language = "de", audience = Audience.Public, moderation = ModerationMode.OPEN)).id
        val kimAccount = platform.signUp("Kim_aus_Jena")
        val samAccount = platform.signUp("Sam")
        platform.asAccount(kimAccount.id).use { kim ->
            val posted = kim.createThread(NewThread(board = board, title = "Abschied", body = "Mein Leuchtturmtagebuch", anonymous = false))
            platform.asAccount(samAccount.id).use { sam ->
                assertThrows<TrialogException.PermissionDenied> { sam.exportAccount(kimAccount.id) }
                assertThrows<TrialogException.PermissionDenied> { sam.eraseAccount(kimAccount.id, "no", null) }
            }

            val export = kim.exportAccount(kimAccount.id)
            assertEquals(kimAccount.id, export.account)
            val posts = export.documents.single { it.name == "forum_posts.json" }
            assertEquals(1UL, posts.records)
            assertTrue(posts.json.contains("Mein Leuchtturmtagebuch"), posts.json)
            assertTrue(export.documents.single { it.name == "account.json" }.json.contains("Kim_aus_Jena"))
            assertTrue(export.readme.contains("forum_posts.json"))

            val named = assertThrows<TrialogException.InvalidInput> { kim.eraseAccount(kimAccount.id, "Kim_aus_Jena geht", null) }
            assertEquals("reason", named.field)
            val report = kim.eraseAccount(kimAccount.id, "my own wish", PostFate.KEEP_AS_FORMER_MEMBER)
            assertEquals(PostFate.KEEP_AS_FORMER_MEMBER, report.posts)
            assertTrue(report.erased.any { it.what == "account" }, report.erased.toString())

            assertThrows<TrialogException.NotFound> { platform.account(kimAccount.id) }
            val kept = platform.post(posted.post.id)
            assertEquals("Mein Leuchtturmtagebuch", kept.body)
            assertEquals("former member", kept.author.name)
            assertNull(kept.author.account)
            assertFalse(platform.auditLog(AuditFilter(), PageRequest()).items.any { it.reason?.contains("Kim_aus_Jena") == true })
        }
    }

    @Test
    fun `the retention rule is for admins and off by default`() = withPlatform { platform ->
        assertNull(platform.retentionSettings().inactiveMonths)
        val rule = platform.setRetentionSettings(RetentionSettings(inactiveMonths = 12u, graceDays = 30u, posts = PostFate.DELETE))
        assertEquals(12u, rule.inactiveMonths)
        assertEquals(rule, platform.retentionSettings())
        assertTrue(platform.retentionWarnings().isEmpty())
        val bad = assertThrows<TrialogException.InvalidInput> {
            platform.setRetentionSettings(RetentionSettings(inactiveMonths = 12u, graceDays = 0u, posts = PostFate.DELETE))
        }
        assertEquals("grace_days", bad.field)
        val member = platform.signUp("Lou")
        platform.asAccount(member.id).use { lou ->
            assertThrows<TrialogException.PermissionDenied> { lou.retentionSettings() }
        }
    }
}
