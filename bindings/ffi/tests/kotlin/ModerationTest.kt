// Moderation from Kotlin: a member reports and appeals; moderators work the review queue, act
// with the optimistic version check and decide appeals; watched words, crisis resources and
// rate limits.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.core.ActionKind
import org.trialog.core.AppealOutcome
import org.trialog.core.Audience
import org.trialog.core.ContentState
import org.trialog.core.CrisisCategory
import org.trialog.core.CrisisLevel
import org.trialog.core.Event
import org.trialog.core.ItemState
import org.trialog.core.ModAction
import org.trialog.core.ModerationMode
import org.trialog.core.ModerationSettings
import org.trialog.core.ModerationTarget
import org.trialog.core.NewBoard
import org.trialog.core.NewReport
import org.trialog.core.NewThread
import org.trialog.core.ReportReason
import org.trialog.core.Role
import org.trialog.core.TrialogException
import org.trialog.core.WatchedWord
import org.trialog.core.WordAction

/** An open and a pre-moderated board, two moderators, an admin and two members. */
private class Safety(val operator: Platform) : AutoCloseable {
    val open = operator.createBoard(NewBoard(slug = "austausch", title = "Austausch", language = "de", audience = Audience.Members, moderation = ModerationMode.OPEN)).id
    val premod = operator.createBoard(
        NewBoard(slug = "neu-hier", title = "Neu hier", language = "de", audience = Audience.Members, moderation = ModerationMode.PRE_MODERATED),
    ).id

    private fun person(name: String, vararg roles: Role): Platform {
        val account = operator.signUp(name)
        roles.forEach { operator.grantRole(account.id, it, null) }
        return operator.asAccount(account.id)
    }

    val kim = person("Kim_aus_Jena")
    val ole = person("Ole")
    val modA = person("Leuchtturm", Role.Moderator)
    val modB = person("Morgenrot", Role.Moderator)
    val admin = person("Redaktion", Role.Admin)

    fun start(who: Platform, board: ULong, body: String) =
        who.createThread(NewThread(board = board, title = "Thema", body = body))

    override fun close() = listOf(kim, ole, modA, modB, admin).forEach { it.close() }
}

private fun withSafety(block: (Safety) -> Unit) = withPlatform { platform -> Safety(platform).use(block) }

class ModerationTest {
    @Test
    fun `a crisis post on a pre-moderated board is held, tops the queue and returns resources`() = withSafety { s ->
        val spam = s.start(s.ole, s.open, "Billig kaufen")
        s.kim.report(NewReport(target = ModerationTarget.Post(spam.post.id), reason = ReportReason.SPAM))
        val crisis = s.start(s.kim, s.premod, "Ich will nicht mehr leben")
        assertNotNull(crisis.held)
        assertEquals("TelefonSeelsorge", crisis.signposts.first().title)
        assertTrue(crisis.signposts.any { it.contact == "112" })
        val queue = s.modA.reviewQueue(ItemState.PENDING)
        assertTrue(queue.items.first().crisis)
        assertEquals(CrisisLevel.HIGH, queue.items.first().level)
        assertEquals(listOf(CrisisCategory.SUICIDAL_THOUGHTS), queue.items.first().categories)
        assertEquals(ModerationTarget.Thread(crisis.thread.id), queue.items.first().target)
        assertThrows<TrialogException.PermissionDenied> { s.kim.reviewQueue(ItemState.PENDING) }
        val item = queue.items.first()
        s.modA.actOnItem(item.id, item.version, ModAction.Approve, "")
        assertEquals(ContentState.VISIBLE, s.ole.thread(crisis.thread.id).state)
    }

    @Test
    fun `two moderators on one item - the second gets a conflict`() = withSafety { s ->
        val posted = s.start(s.ole, s.open, "Werbung")
        s.kim.report(NewReport(target = ModerationTarget.Thread(posted.thread.id), reason = ReportReason.OTHER, detail = "Werbung"))
        val seen = s.modA.reviewQueue(ItemState.PENDING).items.single()
        s.modA.actOnItem(seen.id, seen.version, ModAction.Hide, "Werbung")
        assertThrows<TrialogException.Conflict> { s.modB.actOnItem(seen.id, seen.version, ModAction.Remove, "Spam") }
        val public = s.kim.moderationLog(ModerationTarget.Thread(posted.thread.id))
        assertEquals("Werbung", public.items.single().reason)
        assertNull(public.items.single().moderator, "members do not see who moderated")
        assertNotNull(s.modB.moderationLog(null).items.single().moderator)
    }

    @Test
    fun `an appeal overturns a removal and is decided by another moderator`() = withSafety { s ->
        val posted = s.start(s.ole, s.open, "Meine Erfahrung mit der Klinik")
        s.kim.report(NewReport(target = ModerationTarget.Thread(posted.thread.id), reason = ReportReason.MISINFORMATION))
        val item = s.modA.reviewQueue(ItemState.PENDING).items.single()
        val removal = s.modA.actOnItem(item.id, item.version, ModAction.Remove, "Falschinformation")
        val told = s.ole.inbox(false).items.map { it.event }.filterIsInstance<Event.Moderated>().single()
        assertEquals(removal.id, told.action)
        assertTrue(told.appeal.contains("appeal"))
        assertThrows<TrialogException.PermissionDenied> { s.kim.appeal(removal.id, "nicht meins") }
        val appeal = s.ole.appeal(removal.id, "Das ist mein Erfahrungsbericht")
        assertThrows<TrialogException.Conflict> { s.ole.appeal(removal.id, "nochmal") }
        assertThrows<TrialogException.PermissionDenied> { s.modA.decideAppeal(appeal.id, AppealOutcome.OVERTURNED, "ok") }
        val decided = s.modB.decideAppeal(appeal.id, AppealOutcome.OVERTURNED, "Erfahrungsbericht")
        assertEquals(AppealOutcome.OVERTURNED, decided.outcome)
        assertEquals(ContentState.VISIBLE, s.kim.thread(posted.thread.id).state)
        val kinds = s.kim.moderationLog(ModerationTarget.Thread(posted.thread.id)).items.map { it.action }
        assertEquals(listOf(ActionKind.OVERTURN, ActionKind.REMOVE), kinds)
    }

    @Test
    fun `watched words see through obfuscation and malformed patterns name the field`() = withSafety { s ->
        val found = s.modA.testWatchedWords("Ich denke an S.U.I.Z.I.D", "de")
        assertEquals(CrisisLevel.HIGH, found.level)
        assertEquals(listOf(CrisisCategory.SUICIDAL_THOUGHTS), found.categories)
        assertEquals("S.U.I.Z.I.D", found.findings.single().matched)
        assertTrue(found.matches.isEmpty(), "no watched words are seeded: the detector found it")
        val plan = s.modA.testWatchedWords("Ich habe meine Schlaftabletten gesammelt", "de")
        assertEquals(CrisisLevel.IMMINENT, plan.level)
        s.admin.addWatchedWord(WatchedWord(language = "de", pattern = "casino*", action = WordAction.BLOCK))
        val refused = assertThrows<TrialogException.InvalidInput> { s.start(s.kim, s.open, "Bestes C-a-s-i-n-o") }
        assertEquals("body", refused.field)
        val bad = assertThrows<TrialogException.InvalidInput> {
            s.admin.addWatchedWord(WatchedWord(language = "de", pattern = "su*zid", action = WordAction.FLAG))
        }
        assertEquals("pattern", bad.field)
        assertThrows<TrialogException.PermissionDenied> {
            s.modA.addWatchedWord(WatchedWord(language = "de", pattern = "werbung", action = WordAction.FLAG))
        }
        assertTrue(s.kim.crisisResourcesFor("DK", "da").first().name == "Livslinien")
    }

    @Test
    fun `rate limits throw RateLimited with the time to wait`() = withSafety { s ->
        s.admin.setModerationSettings(ModerationSettings(trustPosts = 0U, rateLimits = true, firstDayThreads = 3U, firstDayReplies = 10U,
            hourlyThreads = 10U, hourlyReplies = 60U, hourlyReports = 20U, minSecondsBetweenPosts = 10UL))
        s.start(s.kim, s.open, "Erster")
        val limited = assertThrows<TrialogException.RateLimited> { s.start(s.kim, s.open, "Zweiter") }
        assertTrue(limited.retryAfterSecs in 1UL..10UL, "${limited.retryAfterSecs}")
        val crisis = s.start(s.kim, s.open, "Ich will nicht mehr leben")
        assertTrue(crisis.signposts.isNotEmpty(), "a crisis post is never rate-limited")
    }
}
