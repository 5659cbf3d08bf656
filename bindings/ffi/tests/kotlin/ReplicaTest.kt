// A device replica from Kotlin against a `trialog serve` the test starts: sync, read offline,
// queue a reply offline, and after the server is back the reply arrives once.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Replica
import org.trialog.core.QueueState
import org.trialog.core.ReplicaOptions
import org.trialog.core.TrialogException
import org.trialog.core.Writer

private val DE = Writer(language = "de", country = "DE")

/// A platform file with the member Mia_Member (password set) and the board `austausch`.
private fun memberPlatform(dir: java.nio.file.Path): java.nio.file.Path {
    val db = dir.resolve("platform.redb")
    trialogCli(db, "init")
    trialogCli(db, "account", "add", "Mia_Member")
    trialogCli(db, "account", "passwd", "Mia_Member", stdin = SERVER_PASSWORD + "\n")
    trialogCli(db, "forum", "board", "add", "austausch", "--title", "Austausch", "--lang", "de")
    return db
}

class ReplicaTest {
    @Test
    fun aReplyQueuedOfflineArrivesOnceAfterTheServerIsBack() = withTempDir { dir ->
        val db = memberPlatform(dir)
        val file = dir.resolve("replica.redb").toString()
        var server = TrialogServer(db)
        val token = server.signIn("Mia_Member")
        server.post("/v1/save_search", """{"name": "Mias Suche", "query": {}}""", token)
        val thread = Replica.open(file, server.base, token).use { replica ->
            assertTrue(replica.sync().snapshot)
            val board = replica.boards().single { it.board.slug == "austausch" }.board.id
            assertTrue(replica.newThread(board, "Spaziergang", "Wer kommt am Samstag mit?", false, DE).crisisResources.isEmpty())
            assertEquals(1u, replica.sync().sent)
            val thread = replica.threads(board).single()
            assertEquals("Spaziergang", thread.title)

            // Offline: reads answer from the file; a reply waits, shown as pending.
            server.close()
            assertEquals(listOf("Wer kommt am Samstag mit?"), replica.thread(thread.id).posts.map { it.body })
            assertEquals(listOf("Mias Suche"), replica.savedSearches().map { it.name }, "the saved-search bucket")
            val queued = replica.reply(thread.id, "Ich komme gern!", DE)
            val report = replica.sync()
            assertTrue(report.offline && report.sent == 0u && report.retryInMs > 0u, "$report")
            assertTrue(replica.sync().skipped, "a sync within the wait tried the server")
            val pending = replica.pending().single()
            assertEquals(queued.id, pending.id)
            assertEquals(QueueState.Pending, pending.state)
            assertEquals(listOf(queued.id), replica.thread(thread.id).pending.map { it.id })
            // The crisis check runs on the device, before anything is sent.
            val crisis = replica.reply(thread.id, "Ich will nicht mehr leben.", DE)
            assertTrue(crisis.crisisResources.isNotEmpty(), "no crisis resources offline")
            replica.dropQueued(crisis.id)
            thread.id
        }

        // Back online (a new port: the replica is opened again, its queue kept in the file).
        server = TrialogServer(db)
        server.use {
            Replica.open(file, server.base, token).use { replica ->
                val report = replica.sync()
                assertEquals(Triple(1u, 0u, false), Triple(report.sent, report.failed, report.offline))
                assertTrue(replica.pending().isEmpty())
                assertEquals(0u, replica.sync().sent)
                val bodies = replica.thread(thread).posts.map { it.body }
                assertEquals(listOf("Wer kommt am Samstag mit?", "Ich komme gern!"), bodies)
                val onServer = server.post("/v1/thread_page", """{"id": $thread}""", token)
                // Each post carries its body and an excerpt of it: count the bodies.
                assertEquals(1, Regex("\"body\"\\s*:\\s*\"Ich komme gern!\"").findAll(onServer).count(), onServer)

                // A refused write is kept with the server's reason until it is dropped.
                val refused = replica.reply(999_999u, "Ins Leere", DE)
                assertEquals(1u, replica.sync().failed)
                val failed = replica.refusals().single()
                assertEquals(refused.id, failed.id)
                assertTrue((failed.state as QueueState.Failed).reason.isNotEmpty())
                replica.dropQueued(refused.id)
                assertTrue(replica.refusals().isEmpty())
            }
        }
    }

    @Test
    fun aRefusedWriteIsCorrectedAndArrivesOnceUnderANewId() = withTempDir { dir ->
        val db = memberPlatform(dir)
        TrialogServer(db).use { server ->
            Replica.open(dir.resolve("replica.redb").toString(), server.base, server.signIn("Mia_Member")).use { replica ->
                replica.sync()
                val board = replica.boards().single { it.board.slug == "austausch" }.board.id
                replica.newThread(board, "Spaziergang", "Wer kommt mit?", false, DE)
                replica.sync()
                val thread = replica.threads(board).single().id

                // Too long for the server: refused with the field's reason, then corrected.
                val refused = replica.reply(thread, "Sehr lang. ".repeat(2_000), DE)
                assertEquals(1u, replica.sync().failed)
                val failed = replica.refusals().single().state as QueueState.Failed
                assertEquals("invalid_input", failed.kind)
                val title = assertThrows<TrialogException.InvalidInput> { replica.editQueued(refused.id, null, "Titel", DE) }
                assertEquals("title", title.field)
                val edited = replica.editQueued(refused.id, "Kürzer: bis Samstag!", null, DE)
                assertNotEquals(refused.id, edited.id)
                assertTrue(replica.refusals().isEmpty())
                assertEquals(listOf(edited.id), replica.pending().map { it.id })
                assertEquals(1u, replica.sync().sent)
                val bodies = replica.thread(thread).posts.map { it.body }
                assertEquals(listOf("Wer kommt mit?", "Kürzer: bis Samstag!"), bodies)
                assertThrows<TrialogException.NotFound> { replica.editQueued(edited.id, "noch einmal", null, DE) }
            }
        }
    }

    @Test
    fun anErasedAccountsReplicaThrowsAccountErasedAndEmptiesItsQueue() = withTempDir { dir ->
        val db = memberPlatform(dir)
        val file = dir.resolve("replica.redb").toString()
        val token = TrialogServer(db).use { server ->
            val token = server.signIn("Mia_Member")
            Replica.open(file, server.base, token).use { replica ->
                replica.sync()
                val board = replica.boards().single { it.board.slug == "austausch" }.board.id
                replica.newThread(board, "Mias Frage", "Noch nicht gesendet", false, DE)
            }
            token
        }
        trialogCli(db, "account", "erase", "Mia_Member", "--reason", "auf eigenen Wunsch")
        TrialogServer(db).use { server ->
            Replica.open(file, server.base, token).use { replica ->
                assertEquals(1, replica.pending().size)
                val erased = assertThrows<TrialogException.AccountErased> { replica.sync() }
                assertTrue(erased.reason.isNotEmpty())
                assertTrue(replica.pending().isEmpty(), "the send queue was not emptied")
            }
        }
    }

    @Test
    fun badInputNamesTheField() = withTempDir { dir ->
        val file = dir.resolve("replica.redb").toString()
        val url = assertThrows<TrialogException.InvalidInput> { Replica.open(file, "ftp://example.org", "t0ken") }
        assertEquals("server_url", url.field)
        // Plain HTTP beyond this device would send the token readable: refused unless allowed.
        val plain = assertThrows<TrialogException.InvalidInput> { Replica.open(file, "http://10.0.2.2:8080", "t0ken") }
        assertEquals("server_url", plain.field)
        val lan = dir.resolve("lan.redb").toString()
        Replica.open(lan, "http://10.0.2.2:8080", "t0ken", ReplicaOptions(allowPlainHttp = true)).close()
        val ca = assertThrows<TrialogException.InvalidInput> {
            Replica.open(file, "https://localhost", "t0ken", ReplicaOptions(extraCaPem = "not a certificate"))
        }
        assertEquals("extra_ca_pem", ca.field)
        Replica.open(file, "http://127.0.0.1:9", "t0ken").use { replica ->
            assertEquals("body", assertThrows<TrialogException.InvalidInput> { replica.reply(1u, "  ", DE) }.field)
            assertThrows<TrialogException.NotFound> { replica.thread(1u) }
            assertNull(replica.inbox())
            assertFalse(replica.boards().isNotEmpty())
        }
    }

    @Test
    fun olderThreadsArriveOnDemandAndSyncNowCutsTheWaitShort() = withTempDir { dir ->
        val db = memberPlatform(dir)
        // Two older pages beyond a snapshot's 40 threads (20 and 2): both come in one call.
        for (i in 0 until 62) {
            trialogCli(db, "--as", "Mia_Member", "forum", "thread", "new", "austausch", "--title", "Thema $i", "--body", "Inhalt $i")
        }
        val server = TrialogServer(db)
        val replica = Replica.open(dir.resolve("replica.redb").toString(), server.base, server.signIn("Mia_Member"))
        replica.use {
            val board = server.use {
                assertTrue(replica.sync().snapshot)
                val board = replica.boards().single { it.board.slug == "austausch" }.board.id
                assertEquals(40, replica.threads(board).size)
                val tooMany = assertThrows<TrialogException.InvalidInput> { replica.olderThreads(board, 6u) }
                assertEquals("pages", tooMany.field)
                val older = replica.olderThreads(board, 2u)
                assertFalse(older.more || older.offline, "$older")
                assertEquals((0 until 22).map { "Thema $it" }.sorted(), older.threads.map { it.title }.sorted())
                assertEquals(62, replica.threads(board).size)
                val oldest = older.threads.single { it.title == "Thema 0" }
                assertEquals(listOf("Inhalt 0"), replica.thread(oldest.id).posts.map { it.body })
                assertTrue(replica.olderThreads(board, 1u).threads.isEmpty())
                board
            }
            // Offline: a failed sync waits; the app, told the network is back, cuts it short.
            val failed = replica.sync()
            assertTrue(failed.offline && failed.retryInMs > 0u, "$failed")
            assertTrue(replica.sync().skipped)
            val now = replica.syncNow()
            assertTrue(now.offline && !now.skipped, "$now")
            assertTrue(replica.olderThreads(board + 1u, 1u).offline)
        }
    }
}
