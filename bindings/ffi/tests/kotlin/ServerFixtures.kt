// `trialog serve` for the tests that talk to a server over HTTP (ReplicaTest, NoticesServerTest):
// the command line on a platform file, and a server on a free loopback port.
package org.trialog.tests

import java.net.HttpURLConnection
import java.net.ServerSocket
import java.net.URI
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue

val TRIALOG_BIN: String = System.getenv("TRIALOG_BIN") ?: "target/debug/trialog"
const val SERVER_PASSWORD = "correct horse battery staple"

/** Runs `trialog --db db args…`, failing the test when it fails. */
fun trialogCli(db: Path, vararg args: String, stdin: String = "") {
    val process = ProcessBuilder(listOf(TRIALOG_BIN, "--db", db.toString()) + args).redirectErrorStream(true).start()
    process.outputStream.use { it.write(stdin.toByteArray()) }
    val output = process.inputStream.readBytes().decodeToString()
    assertEquals(0, process.waitFor(), "trialog ${args.joinToString(" ")}: $output")
}

/** `trialog serve` over the file `db` on a free loopback port, with `extra` arguments. */
class TrialogServer(db: Path, vararg extra: String) : AutoCloseable {
    val base: String
    private val process: Process

    init {
        val port = ServerSocket(0).use { it.localPort }
        base = "http://127.0.0.1:$port"
        val command = listOf(TRIALOG_BIN, "--db", db.toString(), "serve", "--listen", "127.0.0.1:$port", "--quiet", "--tick-secs", "0") + extra
        process = ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start()
        val started = (1..200).any {
            runCatching { (URI("$base/health").toURL().openConnection() as HttpURLConnection).responseCode == 200 }.getOrDefault(false)
                .also { up -> if (!up) Thread.sleep(50) }
        }
        if (!started) close()
        assertTrue(started, "the server did not start")
    }

    /** POSTs a JSON body, returning the answer's text. */
    fun post(path: String, body: String, token: String? = null): String {
        val connection = URI(base + path).toURL().openConnection() as HttpURLConnection
        connection.requestMethod = "POST"
        connection.doOutput = true
        connection.setRequestProperty("Content-Type", "application/json")
        token?.let { connection.setRequestProperty("Authorization", "Bearer $it") }
        connection.outputStream.use { it.write(body.toByteArray()) }
        assertEquals(200, connection.responseCode, "POST $path")
        return connection.inputStream.readBytes().decodeToString()
    }

    fun signIn(pseudonym: String): String {
        val answer = post("/v1/auth/sign_in", """{"pseudonym": "$pseudonym", "password": "$SERVER_PASSWORD"}""")
        return Regex("\"token\"\\s*:\\s*\"([^\"]+)\"").find(answer)!!.groupValues[1]
    }

    override fun close() {
        process.destroy()
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server did not stop")
    }
}
