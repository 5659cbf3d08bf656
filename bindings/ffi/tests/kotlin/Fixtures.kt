// Helpers shared by the Kotlin tests of the trialog bindings.
package org.trialog.tests

import java.nio.file.Files
import java.nio.file.Path
import java.util.Collections
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertTrue
import org.trialog.Platform
import org.trialog.PlatformConfig
import org.trialog.core.Account
import org.trialog.core.CourseAudience
import org.trialog.core.CourseFormat
import org.trialog.core.Fee
import org.trialog.core.NewCourse
import org.trialog.core.NewAccount
import org.trialog.core.NewOrganisation
import org.trialog.core.OrgKind
import org.trialog.core.Perspective
import org.trialog.core.PerspectiveVisibility
import org.trialog.core.SessionInput

/** Small caches keep the tests light; the default (256 MiB) is for servers. */
val SMALL = PlatformConfig(cacheBytes = 16UL * 1024UL * 1024UL)

// The helpers below return Unit on purpose: tests are written `fun name() = withPlatform { … }`,
// and JUnit silently skips a test method that returns anything but void.

/** A fresh directory for one test's database files, deleted afterwards. */
fun withTempDir(block: (Path) -> Unit) {
    val dir = Files.createTempDirectory("trialog-kotlin")
    try {
        block(dir)
    } finally {
        dir.toFile().deleteRecursively()
    }
}

/** Opens a platform on a new file in a temporary directory, closing both afterwards. */
fun withPlatform(block: (Platform) -> Unit) = withTempDir { dir ->
    Platform.open(dir.resolve("trialog.redb").toString(), SMALL).use(block)
}

fun newAccount(pseudonym: String, region: String? = null) =
    NewAccount(pseudonym = pseudonym, perspective = Perspective.LIVED_EXPERIENCE, perspectiveVisibility = PerspectiveVisibility.NOBODY, languages = listOf("de"), homeRegion = region)

fun newOrg(name: String, region: String = "DE-TH", kind: OrgKind = OrgKind.CLINIC) =
    NewOrganisation(name = name, kind = kind, region = region, city = "Jena")

/** A free online course of `org` (a draft until published), with no registration window. */
fun onlineCourse(
    org: ULong,
    title: String,
    description: String,
    topic: String,
    audience: CourseAudience,
    link: String,
    sessions: List<SessionInput>,
    capacity: UInt,
) = NewCourse(
    org = org,
    title = title,
    description = description,
    topics = listOf(topic),
    language = "de",
    audience = audience,
    format = CourseFormat.ONLINE,
    place = null,
    onlineLink = link,
    sessions = sessions,
    capacity = capacity,
    fee = Fee.Free,
    registrationOpens = null,
    registrationCloses = null,
    prerequisites = emptyList(),
    trialogic = false,
    settings = null,
)

/** Signs a new account up through an anonymous handle, as an app would. */
fun Platform.signUp(pseudonym: String): Account = anonymous().use { it.createAccount(newAccount(pseudonym)) }

/**
 * JUnit's `assertThrows` with a reified type (the Kotlin flavour is not in Debian's JUnit jar).
 * The block may end in a value; it is ignored.
 */
inline fun <reified T : Throwable> assertThrows(noinline block: () -> Unit): T =
    org.junit.jupiter.api.Assertions.assertThrows(T::class.java) { block() }

/** Runs `work(0)` … `work(threads - 1)` on as many threads at once; fails with every error thrown. */
fun inParallel(threads: Int, work: (Int) -> Unit) {
    val pool = Executors.newFixedThreadPool(threads)
    val errors = Collections.synchronizedList(mutableListOf<Throwable>())
    repeat(threads) { t ->
        pool.submit {
            try {
                work(t)
            } catch (e: Throwable) {
                errors.add(e)
            }
        }
    }
    pool.shutdown()
    assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS), "threads did not finish")
    assertTrue(errors.isEmpty(), "errors: $errors")
}
