// Outbound notices from Kotlin: the choice through the binding (bad hooks name the field), and
// through a `trialog serve` the test starts: a reply to Kim's post reaches her app's push hook — a
// small HTTP listener in the test — carrying no content, while her notice list on the platform
// holds the notice itself.
package org.trialog.tests

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.core.NoticeSettings
import org.trialog.core.TrialogException

private const val TITLE = "Nachts kommen die Stimmen"
private const val BODY = "Seit der Klinik nehme ich Quetiapin."
private const val REPLY = "Mir hilft Musik gegen die Angst."

/** One request the push hook received. */
private data class Call(val method: String, val path: String, val contentType: String?, val body: String)

/** A push hook on a free loopback port: answers 204 and keeps every request. */
private class PushHook : AutoCloseable {
    val calls = LinkedBlockingQueue<Call>()
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    val url: String get() = "http://127.0.0.1:${server.address.port}/hook/kim"

    init {
        server.createContext("/hook/") { exchange ->
            val body = exchange.requestBody.readBytes().decodeToString()
            calls.add(Call(exchange.requestMethod, exchange.requestURI.path, exchange.requestHeaders.getFirst("Content-Type"), body))
            exchange.sendResponseHeaders(204, -1)
            exchange.close()
        }
        server.start()
    }

    override fun close() = server.stop(0)
}

class NoticesServerTest {
    @Test
    fun noticesAreOffUntilChosenAndABadHookNamesTheField() = withPlatform { platform ->
        val kim = platform.signUp("Kim_aus_Jena")
        platform.asAccount(kim.id).use { asKim ->
            assertEquals(NoticeSettings(email = false, push = false, pushUrl = null), asKim.noticeSettings())
            for (url in listOf("http://app.example/hook", "https://user:pw@app.example/hook", null)) {
                val bad = assertThrows<TrialogException.InvalidInput> {
                    asKim.setNoticeSettings(NoticeSettings(email = false, push = true, pushUrl = url))
                }
                assertEquals("push_url", bad.field, "$url")
            }
            // E-mail needs an address on the account.
            val noAddress = assertThrows<TrialogException.InvalidInput> {
                asKim.setNoticeSettings(NoticeSettings(email = true, push = false, pushUrl = null))
            }
            assertEquals("email", noAddress.field)
            val chosen = asKim.setNoticeSettings(NoticeSettings(email = false, push = true, pushUrl = "https://app.example/hook"))
            assertEquals(chosen, asKim.noticeSettings())
        }
        platform.anonymous().use { anonymous ->
            assertThrows<TrialogException.PermissionDenied> {
                anonymous.setNoticeSettings(NoticeSettings(email = false, push = false, pushUrl = null))
            }
        }
    }

    @Test
    fun aReplyReachesThePushHookWithoutContentAndTheNoticeListHoldsIt() = withTempDir { dir ->
        val db = dir.resolve("platform.redb")
        trialogCli(db, "init")
        for (name in listOf("Kim_aus_Jena", "Ole_Nord", "Antwortende")) {
            trialogCli(db, "account", "add", name)
            trialogCli(db, "account", "passwd", name, stdin = SERVER_PASSWORD + "\n")
        }
        trialogCli(db, "forum", "board", "add", "austausch", "--title", "Austausch", "--lang", "de")
        // Nobody chooses e-mail here: the relay's port has no listener and is never called.
        val noRelay = ServerSocket(0).use { it.localPort }
        PushHook().use { hook ->
            TrialogServer(
                db, "--smtp", "127.0.0.1:$noRelay", "--smtp-from", "notices@peers.example", "--push", "--notice-secs", "1",
            ).use { server ->
                val kim = server.signIn("Kim_aus_Jena")
                val ole = server.signIn("Ole_Nord")
                val replier = server.signIn("Antwortende")
                val chosen = server.post("/v1/set_notice_settings", """{"settings": {"push": true, "push_url": "${hook.url}"}}""", kim)
                assertTrue(chosen.contains("\"push\":true"), chosen)
                val board = idIn(server.post("/v1/board_by_slug", """{"slug": "austausch"}""", kim))
                startAndAnswer(server, kim, replier, board)
                startAndAnswer(server, ole, replier, board) // Ole chose nothing: no call for him

                val call = hook.calls.poll(30, TimeUnit.SECONDS)
                assertNotNull(call, "the push hook was not called within 30 s")
                call!!
                assertEquals("POST", call.method)
                assertEquals("/hook/kim", call.path)
                assertEquals("application/json", call.contentType)
                assertEquals("""{"notices":"you have new notices","unread":1}""", call.body)
                for (leak in listOf("Stimmen", "Klinik", "Quetiapin", "Musik", "Angst", "Antwortende", "Austausch")) {
                    assertFalse(call.body.contains(leak), "the push says '$leak': ${call.body}")
                }
                assertNull(hook.calls.poll(3, TimeUnit.SECONDS), "a second push (for Ole, or again for Kim)")

                // The notice list on the platform: one unread notice, about the reply in Kim's thread.
                val inbox = server.post("/v1/inbox", "{}", kim)
                assertTrue(inbox.contains("\"unread\":1"), inbox)
                assertTrue(inbox.contains(TITLE), inbox)
                assertFalse(inbox.contains(REPLY), "the notice list quotes the reply: $inbox")
            }
        }
    }

    /** `author` starts a thread in `board`; `replier` answers its first post. */
    private fun startAndAnswer(server: TrialogServer, author: String, replier: String, board: Long) {
        val posted = server.post("/v1/create_thread", """{"new": {"board": $board, "title": "$TITLE", "body": "$BODY"}}""", author)
        val thread = idIn(posted, "thread")
        val post = idIn(posted, "post")
        server.post("/v1/reply", """{"new": {"thread": $thread, "body": "$REPLY", "reply_to": $post}}""", replier)
    }

    /**
     * The `id` member of the object under `key` in a server's JSON answer (or of the answer
     * itself when `key` is null): members of nested objects are skipped by counting braces.
     */
    private fun idIn(json: String, key: String? = null): Long {
        var at = if (key == null) json.indexOf('{') else json.indexOf("\"$key\":{").let { if (it < 0) it else it + key.length + 3 }
        assertTrue(at >= 0, "no object '$key' in $json")
        var depth = 0
        var inString = false
        while (at < json.length) {
            val c = json[at]
            when {
                inString && c == '\\' -> at++
                c == '"' -> {
                    if (!inString && depth == 1 && json.startsWith("\"id\":", at)) {
                        return Regex("\\d+").find(json, at + 5)!!.value.toLong()
                    }
                    inString = !inString
                }
                !inString && c == '{' -> depth++
                !inString && c == '}' -> if (--depth == 0) break
            }
            at++
        }
        throw AssertionError("no id in '$key' of $json")
    }
}
