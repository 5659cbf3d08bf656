// The Platform handle: files, actors, panics and threads.
package org.trialog.tests

import java.time.Duration
import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.PlatformConfig
import org.trialog.core.AccountFilter
import org.trialog.core.Actor
import org.trialog.core.Durability
import org.trialog.core.PageRequest
import org.trialog.core.TrialogException
import org.trialog.triggerPanicForTests

class PlatformTest {
    @Test
    fun `a file platform keeps its data across close and reopen`() = withTempDir { dir ->
        val path = dir.resolve("kept.redb").toString()
        val id = Platform.open(path, SMALL).use { platform ->
            assertEquals(Actor.Operator, platform.actor())
            platform.createOrganisation(newOrg("Soteria Jena")).id
        }
        Platform.open(path).use { platform ->
            assertEquals("Soteria Jena", platform.organisation(id).name)
            val report = platform.integrity()
            assertEquals(1UL, report.organisations)
            assertTrue(report.problems.isEmpty(), "problems: ${report.problems}")
        }
    }

    @Test
    fun `opening an open file throws DatabaseInUse until every handle is closed`() = withTempDir { dir ->
        val path = dir.resolve("busy.redb").toString()
        val first = Platform.open(path, SMALL)
        val derived = first.anonymous()
        val busy = assertThrows<TrialogException.DatabaseInUse> { Platform.open(path, SMALL) }
        assertTrue(busy.path.endsWith("busy.redb"), busy.path)
        first.close()
        // The derived handle still holds the database open.
        assertThrows<TrialogException.DatabaseInUse> { Platform.open(path, SMALL) }
        derived.close()
        Platform.open(path, SMALL).use { it.integrity() }
    }

    @Test
    fun `open with create false refuses a missing file and leaves none behind`() = withTempDir { dir ->
        val path = dir.resolve("missing.redb")
        val err = assertThrows<TrialogException.NotFound> { Platform.open(path.toString(), PlatformConfig(create = false)) }
        assertTrue(err.key.endsWith("missing.redb"), err.key)
        assertTrue(!path.toFile().exists())
    }

    @Test
    fun `eventual durability commits and flush makes them durable`() = withTempDir { dir ->
        val config = PlatformConfig(cacheBytes = 16UL * 1024UL * 1024UL, durability = Durability.EVENTUAL)
        val path = dir.resolve("batch.redb").toString()
        Platform.open(path, config).use { platform ->
            repeat(20) { platform.createOrganisation(newOrg("Verein $it", kind = org.trialog.core.OrgKind.ASSOCIATION)) }
            platform.flush()
        }
        Platform.open(path, SMALL).use { assertEquals(20UL, it.integrity().organisations) }
    }

    @Test
    fun `the operator compacts the file and members may not`() = withTempDir { dir ->
        Platform.open(dir.resolve("compact.redb").toString(), SMALL).use { platform ->
            assertEquals(0UL, platform.purgeEnquiries(false).purged)
            val report = platform.compact()
            assertTrue(report.passes >= 1u, "no compaction pass: $report")
            assertTrue(report.bytesAfter!! <= report.bytesBefore!!, "compaction grew the file: $report")
            val kim = platform.signUp("Kim_verdichtet")
            platform.asAccount(kim.id).use { assertThrows<TrialogException.PermissionDenied> { it.compact() } }
        }
    }

    @Test
    fun `in-memory platforms start empty and act as the operator`() {
        Platform.inMemory().use { platform ->
            assertEquals(Actor.Operator, platform.actor())
            assertEquals(0UL, platform.integrity().accounts)
            platform.anonymous().use { assertEquals(Actor.Anonymous, it.actor()) }
        }
    }

    @Test
    fun `handles act as the chosen account`() = withPlatform { platform ->
        val kim = platform.signUp("Kim_aus_Jena")
        platform.actingAs("kim_AUS_jena").use { assertEquals(Actor.Account(kim.id), it.actor()) }
        platform.asAccount(kim.id).use { assertEquals(Actor.Account(kim.id), it.actor()) }
        assertThrows<TrialogException.NotFound> { platform.actingAs("Niemand") }
        assertThrows<TrialogException.NotFound> { platform.asAccount(4711UL) }
    }

    @Test
    fun `timestamps are java time instants`() = withPlatform { platform ->
        val before = Instant.now().minusSeconds(5)
        val org = platform.createOrganisation(newOrg("Zeitpunkt e.V."))
        val createdAt: Instant = org.createdAt
        assertTrue(createdAt.isAfter(before) && createdAt.isBefore(Instant.now().plus(Duration.ofSeconds(5))))
        assertEquals(null, org.verifiedAt)
    }

    @Test
    fun `a panic in Rust becomes an Internal exception and the library keeps working`() {
        val error = assertThrows<TrialogException.Internal> { triggerPanicForTests() }
        assertTrue(error.detail.contains("trigger_panic_for_tests"), error.detail)
        // Twice, to show the first panic left nothing broken behind.
        assertThrows<TrialogException.Internal> { triggerPanicForTests() }
        withPlatform { platform ->
            platform.signUp("Nach_der_Panik")
            assertEquals(1UL, platform.integrity().accounts)
        }
    }

    @Test
    fun `threads can share one platform`() = withPlatform { platform ->
        val threads = 8
        val perThread = 10
        inParallel(threads) { t ->
            repeat(perThread) { i -> platform.createAccount(newAccount("Faden$t-Nr$i")) }
            platform.listAccounts(AccountFilter(), PageRequest(limit = 5u))
        }
        val report = platform.integrity()
        assertEquals((threads * perThread).toULong(), report.accounts)
        assertTrue(report.problems.isEmpty(), "problems: ${report.problems}")
    }
}
