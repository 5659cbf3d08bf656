// A tour of the trialog Kotlin bindings: register and verify an organisation, sign a member
// up, sign in, see the policy at work, and post and find a job. Run it with scripts/test-kotlin.sh, which compiles
// and runs it after the tests; pass a file path to keep the data, or nothing for memory only.
package org.trialog.examples

import org.trialog.Platform
import org.trialog.PlatformConfig
import org.trialog.core.Contract
import org.trialog.core.Hours
import org.trialog.core.JobQuery
import org.trialog.core.JobSort
import org.trialog.core.LocationInput
import org.trialog.core.NewAccount
import org.trialog.core.NewJob
import org.trialog.core.NewOrganisation
import org.trialog.core.OrgKind
import org.trialog.core.OrganisationFilter
import org.trialog.core.Pay
import org.trialog.core.PayUnit
import org.trialog.core.Perspective
import org.trialog.core.PerspectiveVisibility
import org.trialog.core.TrialogException

fun main(args: Array<String>) {
    val platform = args.firstOrNull()?.let { Platform.open(it, PlatformConfig(cacheBytes = 32UL shl 20)) } ?: Platform.inMemory()
    platform.use { operator ->
        val org = operator.createOrganisation(NewOrganisation("Soteria Jena", OrgKind.CLINIC, "DE-TH", city = "Jena"))
        operator.verifyOrganisation(org.id, verified = true, reason = "checked the clinic register")

        val kim = operator.anonymous().use { it.createAccount(NewAccount("Kim_aus_Jena", Perspective.LIVED_EXPERIENCE, PerspectiveVisibility.MEMBERS, listOf("de"))) }
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

        // The job board: the operator posts for the verified clinic; anyone searches around Weimar.
        val jena = LocationInput.Coordinates(latitude = 50.9271, longitude = 11.5892, place = "Jena")
        val pay = Pay(min = 3100.0, max = 3600.0, unit = PayUnit.MONTH, currency = "EUR", agreement = "TV-L", group = "E 7")
        val draft = operator.createJob(
            NewJob(org.id, "Genesungsbegleiter:in (m/w/d)", "Peer-Support auf Station 4.", jena, Contract.PERMANENT, Hours(20u, 30u), pay, languages = listOf("de")),
        )
        val job = operator.publishJob(draft.id)
        operator.anonymous().use { visitor ->
            val weimar = LocationInput.Coordinates(latitude = 50.9795, longitude = 11.3235, place = null)
            val hits = visitor.searchJobs(JobQuery(near = weimar, radiusKm = 30.0, sort = JobSort.DISTANCE)).items
            hits.forEach { println("${it.job.title}: %.1f km away, shown until ${job.expiresOn}".format(it.distanceKm)) }
        }
    }
}
