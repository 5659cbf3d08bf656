// Forums from Kotlin: audiences, anonymity, read tracking, statistics, notifications, search,
// moderation and bad input by field.
package org.trialog.tests

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.core.AccountStatus
import org.trialog.core.Audience
import org.trialog.core.BoardUpdate
import org.trialog.core.ContentState
import org.trialog.core.Event
import org.trialog.core.ForumQuery
import org.trialog.core.ModerationAction
import org.trialog.core.ModerationMode
import org.trialog.core.NewAccount
import org.trialog.core.NewBoard
import org.trialog.core.NewReply
import org.trialog.core.NewThread
import org.trialog.core.PageRequest
import org.trialog.core.Perspective
import org.trialog.core.PerspectiveVisibility
import org.trialog.core.Restriction
import org.trialog.core.Role
import org.trialog.core.StatsPeriod
import org.trialog.core.TrialogException
import org.trialog.postHtml

private fun board(slug: String, audience: Audience, moderation: ModerationMode = ModerationMode.OPEN) =
    NewBoard(slug = slug, title = slug, language = "de", audience = audience, moderation = moderation)

/** Boards for every audience and people of every kind, each with a handle of their own. */
private class Forum(val operator: Platform) : AutoCloseable {
    val public = operator.createBoard(board("ausbildung-ex-in", Audience.Public)).id
    val members = operator.createBoard(board("vertraege-verdienst", Audience.Members)).id
    val relatives = operator.createBoard(board("angehoerige", Audience.Perspectives(listOf(Perspective.RELATIVE)))).id
    val premoderated = operator.createBoard(board("neu-hier", Audience.Members, ModerationMode.PRE_MODERATED)).id

    private fun person(name: String, perspective: Perspective, vararg roles: Role): Platform {
        val account = operator.anonymous().use {
            it.createAccount(NewAccount(pseudonym = name, perspective = perspective, perspectiveVisibility = PerspectiveVisibility.NOBODY, languages = listOf("de")))
        }
        roles.forEach { operator.grantRole(account.id, it, null) }
        return operator.asAccount(account.id)
    }

    val kim = person("Kim_aus_Jena", Perspective.LIVED_EXPERIENCE)
    val ole = person("Ole_Angehoerig", Perspective.RELATIVE)
    val moderator = person("Leuchtturm", Perspective.LIVED_EXPERIENCE, Role.Moderator)
    val admin = person("Redaktion", Perspective.PROFESSIONAL, Role.Admin)
    val visitor = operator.anonymous()

    fun start(who: Platform, board: ULong, title: String, body: String = "Erster Beitrag zu $title", anonymous: Boolean = false) =
        who.createThread(NewThread(board = board, title = title, body = body, anonymous = anonymous))

    override fun close() = listOf(kim, ole, moderator, admin, visitor).forEach { it.close() }
}

private fun withForum(block: (Forum) -> Unit) = withPlatform { platform -> Forum(platform).use(block) }

class ForumsTest {
    @Test
    fun `audiences decide who reads a board, in every read and listing`() = withForum { f ->
        val secret = f.start(f.ole, f.relatives, "Nur unter Angehörigen").thread
        assertEquals(listOf("ausbildung-ex-in"), f.visitor.boards().map { it.board.slug })
        assertEquals(listOf("ausbildung-ex-in", "vertraege-verdienst", "neu-hier"), f.kim.boards().map { it.board.slug })
        assertEquals(4, f.ole.boards().size)
        val denied = assertThrows<TrialogException.PermissionDenied> { f.kim.threadPage(secret.id) }
        assertTrue(denied.reason.contains("relatives"), denied.reason)
        assertThrows<TrialogException.PermissionDenied> { f.kim.boardPage(f.relatives) }
        assertThrows<TrialogException.PermissionDenied> { f.kim.reply(NewReply(thread = secret.id, body = "Hallo")) }
        assertThrows<TrialogException.PermissionDenied> { f.visitor.boardPage(f.members) }
        assertTrue(f.kim.searchForums(ForumQuery(text = "Angehörigen")).items.isEmpty())
        assertEquals(1, f.ole.searchForums(ForumQuery(text = "Angehörigen")).items.size)
        assertEquals(1, f.moderator.boardPage(f.relatives).threads.size, "moderators read every board")
    }

    @Test
    fun `anonymous authors are anonymous to everyone but admins and themselves`() = withForum { f ->
        val posted = f.start(f.kim, f.members, "Schulden nach der Klinik", anonymous = true)
        assertTrue(posted.post.author.yours)
        for (reader in listOf(f.ole, f.moderator)) {
            val author = reader.threadPage(posted.thread.id).posts.single().author
            assertNull(author.account)
            assertEquals("anonymous", author.name)
        }
        assertEquals("Kim_aus_Jena", f.admin.thread(posted.thread.id).author.name)
        f.moderator.restrictAuthor(posted.post.id, Restriction.Silence(until = Instant.now().plusSeconds(86_400)), "Test")
        val kim = f.operator.accountByPseudonym("Kim_aus_Jena")
        assertTrue(kim.status is AccountStatus.Silenced)
        val silenced = assertThrows<TrialogException.PermissionDenied> {
            f.kim.reply(NewReply(thread = posted.thread.id, body = "Noch etwas"))
        }
        assertTrue(silenced.reason.contains("silenced"), silenced.reason)
    }

    @Test
    fun `read positions give unread counts per thread and per board`() = withForum { f ->
        val thread = f.start(f.kim, f.public, "Praktikum").thread
        assertEquals(1u, f.ole.thread(thread.id).unread)
        assertNull(f.visitor.thread(thread.id).unread)
        repeat(3) { f.ole.reply(NewReply(thread = thread.id, body = "Antwort $it")) }
        assertEquals(listOf(3u), f.kim.unreadThreads().map { it.unread }, "the author watches the thread")
        val page = f.kim.readThread(thread.id, PageRequest(limit = 2u))
        assertEquals(2u, page.thread.unread)
        assertEquals(0u, f.kim.markThreadRead(thread.id).unread)
        val board = f.kim.boards().first { it.board.id == f.public }
        assertEquals(0u, board.unreadThreads)
        val bad = assertThrows<TrialogException.InvalidInput> { f.kim.markThreadRead(thread.id, 9_999UL) }
        assertEquals("up_to", bad.field)
    }

    @Test
    fun `statistics count views and unique readers, hiding small numbers`() = withForum { f ->
        val thread = f.start(f.kim, f.public, "Gelesen").thread
        for (token in listOf("a", "b", "c", "d", "e", "a", "b")) {
            f.visitor.readThread(thread.id, visitor = token)
        }
        f.kim.readThread(thread.id)
        val month = f.moderator.forumStats(StatsPeriod.MONTH, f.public).single()
        assertEquals(8UL, month.views)
        assertEquals(6UL, month.readers)
        val quarter = f.admin.forumStats(StatsPeriod.QUARTER).first { it.board == null }
        assertTrue(quarter.period.contains("-Q"), quarter.period)
        assertEquals(6UL, quarter.readers)
        f.operator.createBoard(board("leer", Audience.Public)).also { f.visitor.recordThreadView(f.start(f.kim, it.id, "Still").thread.id, "x") }
        assertNull(f.admin.forumStats(StatsPeriod.MONTH).first { it.board != null && it.board != f.public }.readers, "one reader is not reported")
        assertThrows<TrialogException.PermissionDenied> { f.kim.forumStats(StatsPeriod.MONTH) }
    }

    @Test
    fun `watchers and quoted authors get forum notifications`() = withForum { f ->
        f.ole.watchBoard(f.public, true)
        val started = f.start(f.kim, f.public, "Teilzeit?")
        val thread = f.ole.forumNotifications().items.single().event as Event.ForumThread
        assertEquals(started.thread.id, thread.thread)
        val answer = f.ole.reply(NewReply(thread = started.thread.id, body = "20 Stunden", replyTo = started.post.id))
        val toKim = f.kim.forumNotifications(unreadOnly = true).items.single().event as Event.ForumReplyToYou
        assertEquals(started.post.id, toKim.yourPost)
        assertEquals(answer.post.id, toKim.post)
        assertEquals(listOf(started.thread.id), f.kim.watching().threads)
        assertEquals(1UL, f.kim.markNotificationsRead(emptyList()))
        assertTrue(f.kim.forumNotifications(unreadOnly = true).items.isEmpty())
    }

    @Test
    fun `search finds word forms, marks matches and respects states`() = withForum { f ->
        val t = f.start(f.kim, f.public, "Verträge für Genesungsbegleiter", "Welche Verträge habt ihr?").thread
        f.ole.reply(NewReply(thread = t.id, body = "Mein Vertrag ist befristet."))
        val hits = f.visitor.searchForums(ForumQuery(text = "VERTRAG"))
        assertEquals(2, hits.items.size)
        assertTrue(hits.items[0].firstPost)
        assertEquals(listOf("Verträge"), hits.items[0].title.filter { it.matched }.map { it.text })
        f.moderator.moderateThread(t.id, ModerationAction.HIDE, "Test")
        assertTrue(f.visitor.searchForums(ForumQuery(text = "Vertrag")).items.isEmpty(), "hidden threads are never found")
        val none = assertThrows<TrialogException.InvalidInput> { f.visitor.searchForums(ForumQuery(text = " ")) }
        assertEquals("text", none.field)
    }

    @Test
    fun `moderation holds, approves, hides and edits keep history`() = withForum { f ->
        val held = f.start(f.kim, f.premoderated, "Hallo")
        assertTrue(held.held!!.contains("pre-moderated"))
        assertEquals(ContentState.PENDING, held.thread.state)
        assertTrue(f.ole.boardPage(f.premoderated).threads.isEmpty())
        assertEquals(held.post.id, f.moderator.moderationQueue().items.single().post.id)
        assertThrows<TrialogException.PermissionDenied> { f.kim.moderationQueue() }
        f.moderator.moderatePost(held.post.id, ModerationAction.APPROVE, null)
        assertEquals(1, f.ole.boardPage(f.premoderated).threads.size)

        val edited = f.kim.editPost(held.post.id, "Hallo zusammen!", "Hallo aus Jena")
        assertEquals("Hallo aus Jena", edited.thread.title)
        assertEquals(1, f.kim.postHistory(held.post.id).size, "an edit right away merges into its version")
        assertThrows<TrialogException.PermissionDenied> { f.ole.postHistory(held.post.id) }
        val deleted = f.kim.deletePost(held.post.id)
        assertTrue(deleted.deleted)
        assertEquals("", f.ole.post(held.post.id).body)

        f.moderator.lockThread(held.thread.id, true)
        assertThrows<TrialogException.Conflict> { f.ole.reply(NewReply(thread = held.thread.id, body = "x")) }
        f.moderator.moveThread(held.thread.id, f.public)
        assertEquals(f.public, f.visitor.thread(held.thread.id).board)
        f.operator.archiveBoard(f.members, true)
        assertThrows<TrialogException.Conflict> { f.start(f.kim, f.members, "Zu spät") }
        assertTrue(f.operator.updateBoard(f.members, BoardUpdate(title = "Archiv")).archived)
    }

    @Test
    fun `bad input names the field`() = withForum { f ->
        assertEquals("title", assertThrows<TrialogException.InvalidInput> { f.start(f.kim, f.public, " ") }.field)
        assertEquals("body", assertThrows<TrialogException.InvalidInput> { f.start(f.kim, f.public, "Titel", "x".repeat(20_001)) }.field)
        assertEquals("slug", assertThrows<TrialogException.InvalidInput> { f.operator.createBoard(board("Mit Leerzeichen", Audience.Public)) }.field)
        assertThrows<TrialogException.NotFound> { f.kim.reply(NewReply(thread = 999UL, body = "x")) }
        val a = f.start(f.kim, f.public, "A")
        val b = f.start(f.kim, f.public, "B")
        val across = assertThrows<TrialogException.InvalidInput> {
            f.ole.reply(NewReply(thread = a.thread.id, body = "x", replyTo = b.post.id))
        }
        assertEquals("reply_to", across.field)
        assertThrows<TrialogException.PermissionDenied> { f.operator.createThread(NewThread(board = f.public, title = "T", body = "B")) }
        assertFalse(postHtml("<b>fett</b> [x](javascript:alert(1))").contains("<b>"))
        assertEquals("<blockquote><p>Zitat</p></blockquote><p>Antwort</p>", postHtml("> Zitat\n\nAntwort"))
    }
}
