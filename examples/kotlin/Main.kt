// A tour of the trialog Kotlin bindings: register and verify an organisation, sign a member
// up, sign in, and see the policy at work. Run it with scripts/test-kotlin.sh, which compiles
// and runs it after the tests; pass a file path to keep the data, or nothing for memory only.
package org.trialog.examples

import org.trialog.Platform
import org.trialog.PlatformConfig
import org.trialog.core.NewAccount
import org.trialog.core.NewOrganisation
import org.trialog.core.OrgKind
import org.trialog.core.OrganisationFilter
import org.trialog.core.Perspective
import org.trialog.core.TrialogException

fun main(args: Array<String>) {
    val platform = args.firstOrNull()?.let { Platform.open(it, PlatformConfig(cacheBytes = 32UL shl 20)) } ?: Platform.inMemory()
    platform.use { operator ->
        val org = operator.createOrganisation(NewOrganisation("Soteria Jena", OrgKind.CLINIC, "DE-TH", city = "Jena"))
        operator.verifyOrganisation(org.id, verified = true, reason = "checked the clinic register")

        val kim = operator.anonymous().use { it.createAccount(NewAccount("Kim_aus_Jena", Perspective.LIVED_EXPERIENCE, listOf("de"))) }
        operator.setPassword(kim.id, "correct horse battery")

        operator.signIn("kim_aus_jena", "correct horse battery").use { session ->
            println("signed in as ${session.accountByPseudonym("KIM_AUS_JENA").pseudonym} (${session.actor()})")
            try {
                session.verifyOrganisation(org.id, verified = false)
            } catch (e: TrialogException.PermissionDenied) {
                println("not allowed to ${e.action}: ${e.reason}")
            }
        }

        val verified = operator.listOrganisations(OrganisationFilter(verified = true)).items
        println("verified organisations: ${verified.joinToString { "${it.name} (${it.region}, since ${it.verifiedAt})" }}")
    }
}
