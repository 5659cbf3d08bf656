// The knowledge base from Kotlin: four-eyes editorial flow, translations, review dates, topics.
package org.trialog.tests

import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.core.ArticleFilter
import org.trialog.core.ArticleState
import org.trialog.core.NewArticle
import org.trialog.core.NewTopic
import org.trialog.core.PageRequest
import org.trialog.core.Role
import org.trialog.core.TopicLabel
import org.trialog.core.TrialogException

class KnowledgeTest {
    private fun editor(operator: Platform, name: String): Platform {
        val account = operator.createAccount(newAccount(name))
        operator.grantRole(account.id, Role.Editor, null)
        return operator.asAccount(account.id)
    }

    private fun article(title: String, language: String, translationOf: ULong? = null) =
        NewArticle(title = title, body = "Text zu $title", language = language, topics = listOf("peer-support"), translationOf = translationOf)

    @Test
    fun `a second editor approves before an article is published, and readers get their language`() = withPlatform { operator ->
        operator.addTopic(NewTopic(slug = "peer-support", labels = listOf(TopicLabel(lang = "de", pref = "Genesungsbegleitung", alt = listOf("Peer-Arbeit")))))
        editor(operator, "Redakteurin").use { author ->
            editor(operator, "Zweitleser").use { reviewer ->
                val de = author.createArticle(article("Was ist EX-IN?", "de"))
                author.submitArticle(de.id)
                val own = assertThrows<TrialogException.PermissionDenied> { author.approveArticle(de.id, null) }
                assertTrue(own.reason.contains("author"))
                val approved = reviewer.approveArticle(de.id, LocalDate.parse("2099-01-01"))
                assertEquals(LocalDate.parse("2099-01-01"), approved.nextCheckDue)
                assertEquals(ArticleState.PUBLISHED, author.publishArticle(de.id).state)

                val da = author.createArticle(article("Hvad er EX-IN?", "da", translationOf = de.id))
                val twice = assertThrows<TrialogException.InvalidInput> { author.createArticle(article("Zweimal", "de", translationOf = de.id)) }
                assertEquals("translation_of", twice.field)
                author.submitArticle(da.id)
                reviewer.approveArticle(da.id, null)
                author.publishArticle(da.id)

                operator.anonymous().use { visitor ->
                    val danish = visitor.listArticles(ArticleFilter(language = "da"), PageRequest())
                    assertEquals(listOf(da.id), danish.items.map { it.id })
                    assertEquals(listOf("de"), danish.items.single().otherLanguages)
                }
                val due = author.dueArticles(LocalDate.parse("2099-06-01"), PageRequest())
                assertEquals(listOf(da.id, de.id), due.items.map { it.id }, "the default check (12 months) falls due first")
            }
        }
    }
}
