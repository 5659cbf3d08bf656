// The one search from Kotlin: articles and threads in one ranked list for whom may see them,
// thesaurus expansion, facets and typed errors.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.core.Audience
import org.trialog.core.ModerationMode
import org.trialog.core.NewArticle
import org.trialog.core.NewBoard
import org.trialog.core.NewThread
import org.trialog.core.NewTopic
import org.trialog.core.PageRequest
import org.trialog.core.Role
import org.trialog.core.SearchKind
import org.trialog.core.SearchQuery
import org.trialog.core.TopicLabel
import org.trialog.core.TrialogException

class SearchTest {
    private fun editor(operator: Platform, name: String): Platform {
        val account = operator.createAccount(newAccount(name))
        operator.grantRole(account.id, Role.Editor, null)
        return operator.asAccount(account.id)
    }

    private fun board(slug: String, audience: Audience) =
        NewBoard(slug = slug, title = slug, language = "de", audience = audience, moderation = ModerationMode.OPEN)

    @Test
    fun `one query finds the article and the threads the reader may see`() = withPlatform { operator ->
        operator.addTopic(NewTopic(slug = "cooperation", labels = listOf(TopicLabel(lang = "de", pref = "Kooperation", alt = listOf("Vernetzung")))))
        val articleId = editor(operator, "Redakteurin").use { author ->
            editor(operator, "Zweitleser").use { reviewer ->
                val a = author.createArticle(NewArticle(title = "Kooperation zwischen Selbsthilfe und Klinik", body = "Kontaktstellen und Kliniken.", language = "de", topics = listOf("cooperation")))
                author.submitArticle(a.id)
                reviewer.approveArticle(a.id, null)
                author.publishArticle(a.id)
                a.id
            }
        }
        val member = operator.createAccount(newAccount("Leserin"))
        val public = operator.createBoard(board("offen", Audience.Public)).id
        val members = operator.createBoard(board("intern", Audience.Members)).id
        val (open, inner) = operator.asAccount(member.id).use { m ->
            Pair(
                m.createThread(NewThread(board = public, title = "Selbsthilfegruppe in der Klinik", body = "Wer kennt das?")).thread.id,
                m.createThread(NewThread(board = members, title = "Klinik intern", body = "Nur für Mitglieder.")).thread.id,
            )
        }
        operator.anonymous().use { visitor ->
            val page = visitor.search(SearchQuery(text = "Kooperation Selbsthilfe Klinik"), PageRequest())
            val hits = page.items.map { Pair(it.kind, it.id) }
            assertEquals(Pair(SearchKind.ARTICLE, articleId), hits.first())
            assertTrue(hits.contains(Pair(SearchKind.THREAD, open)))
            assertFalse(hits.contains(Pair(SearchKind.THREAD, inner)), "a members' board is not shown to visitors")
            assertEquals(2UL, page.total)
            assertTrue(page.totalExact, "two hits are counted exactly")
            val synonym = visitor.search(SearchQuery(text = "Vernetzung"), PageRequest())
            assertTrue(synonym.items.single().matched.contains("topic:cooperation"))
        }
        val tooLong = assertThrows<TrialogException.InvalidInput> { operator.search(SearchQuery(text = "Klinik ".repeat(1500)), PageRequest()) }
        assertEquals("text", tooLong.field)
    }
}
