// Counselling from Kotlin: a client app (anonymous enquiry, case code + secret) and a counsellor
// app (queue, claim, read, reply, notes, approval, handover, close), with the typed errors.
package org.trialog.tests

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.Platform
import org.trialog.PlatformConfig
import org.trialog.core.CloseReason
import org.trialog.core.CounselOffer
import org.trialog.core.CounsellorProfileUpdate
import org.trialog.core.Gender
import org.trialog.core.EnquiryState
import org.trialog.core.NewEnquiry
import org.trialog.core.CrisisLevel
import org.trialog.core.Priority
import org.trialog.core.Role
import org.trialog.core.TrialogException
import org.trialog.generateContentKey

/** A partner organisation offering German with two counsellors, a trainee and a supervisor. */
private class Counselling(val operator: Platform) : AutoCloseable {
    val org = operator.createOrganisation(newOrg("Beratung Jena")).id
    val other = operator.createOrganisation(newOrg("Rådgivning", region = "DK")).id

    init {
        operator.setCounselOffer(CounselOffer(org, listOf(), listOf("de"), listOf(), 48u, false))
        operator.setCounselOffer(CounselOffer(other, listOf(), listOf("da"), listOf(), 48u, false))
    }

    private fun person(name: String, role: Role): Platform {
        val account = operator.signUp(name)
        operator.grantRole(account.id, role, null)
        return operator.asAccount(account.id)
    }

    val anna = person("Anna_Beraterin", Role.Counsellor(org))
    val ben = person("Ben_Berater", Role.Counsellor(org))
    val tom = person("Tom_in_Ausbildung", Role.Counsellor(org))
    val sabine = person("Sabine_Supervision", Role.Supervisor(org))
    val dana = person("Dana_Raadgiver", Role.Counsellor(other))
    val app = operator.anonymous()

    fun id(p: Platform) = (p.actor() as org.trialog.core.Actor.Account).id

    override fun close() = listOf(anna, ben, tom, sabine, dana, app).forEach { it.close() }
}

private fun withCounselling(block: (Counselling) -> Unit) = withTempDir { dir ->
    val config = PlatformConfig(cacheBytes = 16UL * 1024UL * 1024UL, contentKey = generateContentKey())
    Platform.open(dir.resolve("counsel.redb").toString(), config).use { p -> Counselling(p).use(block) }
}

private fun enquiry(text: String, language: String = "de") =
    NewEnquiry(topic = "contracts_and_pay", language = language, postcode = null, preferLivedExperience = false, preferGender = null, text = text)

class CounselTest {
    @Test
    fun aClientAndACounsellorTalk() = withCounselling { c ->
        val opened = c.app.enquire(enquiry("Ist E 7 der richtige Tarif?"))
        assertTrue(Regex("[A-Z2-9]{4}-[A-Z2-9]{4}").matches(opened.caseCode), opened.caseCode)
        assertEquals(Priority.NORMAL, opened.priority)
        val queue = c.anna.counselQueue(c.org)
        assertEquals(1, queue.items.size)
        val id = queue.items[0].enquiry
        c.anna.claimEnquiry(id)
        assertThrows<TrialogException.Conflict> { c.ben.claimEnquiry(id) }
        assertEquals(1u, c.anna.counselCase(id).unread)
        c.anna.counselNote(id, "intern: Tarifvertrag prüfen")
        c.anna.counselReply(id, "Das hängt vom Tarifvertrag ab.")
        val seen = c.app.clientCase(opened.caseCode, opened.secret)
        assertEquals(2, seen.messages.size, "the note stays hidden")
        assertEquals(1u, seen.unread)
        assertEquals(EnquiryState.AWAITING_CLIENT, seen.state)
        c.app.clientReply(opened.caseCode, opened.secret, "Danke, und die Probezeit?")
        assertEquals(4, c.anna.counselCase(id).messages.size)
        assertEquals(1, c.anna.myCases().size)
        c.anna.closeEnquiry(id, CloseReason.ANSWERED)
        assertEquals(EnquiryState.IN_PROGRESS, c.app.clientReopen(opened.caseCode, opened.secret).state)
        c.app.clientClose(opened.caseCode, opened.secret)
    }

    @Test
    fun aCrisisIsUrgentAndReturnsCrisisLinesAtOnce() = withCounselling { c ->
        c.app.enquire(enquiry("Frage zum Vertrag"))
        val crisis = c.app.enquire(enquiry("Ich denke an Suizid"))
        assertEquals(Priority.URGENT, crisis.priority)
        assertTrue(crisis.resources.any { it.contact?.contains("0800 111 0 111") == true })
        assertEquals(Priority.URGENT, c.anna.counselQueue(c.org).items[0].priority)
    }

    @Test
    fun theQueuePutsAnImminentCrisisBeforeAnOlderHighOne() = withCounselling { c ->
        c.app.enquire(enquiry("Ich will nicht mehr leben."))
        c.app.enquire(enquiry("Ich habe meine Tabletten gesammelt, heute Nacht ist es so weit."))
        val items = c.anna.counselQueue(c.org).items
        assertEquals(listOf(CrisisLevel.IMMINENT, CrisisLevel.HIGH), items.map { it.crisisLevel })
        assertTrue(items[0].crisisReasons.isNotEmpty())
        assertTrue(items[0].enquiry > items[1].enquiry)
    }

    @Test
    fun aProfileChangeKeepsWhatItDoesNotName() = withCounselling { c ->
        val tom = c.id(c.tom)
        c.sabine.updateCounsellorProfile(tom, CounsellorProfileUpdate(capacity = 3u, inTraining = true, gender = Gender.MALE))
        val changed = c.sabine.updateCounsellorProfile(tom, CounsellorProfileUpdate(capacity = 6u))
        assertEquals(6u, changed.capacity)
        assertTrue(changed.inTraining)
        assertEquals(Gender.MALE, changed.gender)
        assertEquals(changed, c.sabine.counsellorProfile(tom))
    }

    @Test
    fun traineeRepliesWaitForTheSupervisorAndHandoverNeedsConsent() = withCounselling { c ->
        c.sabine.updateCounsellorProfile(c.id(c.tom), CounsellorProfileUpdate(capacity = 5u, inTraining = true))
        val opened = c.app.enquire(enquiry("Erste Frage"))
        val id = c.sabine.counselQueue(c.org).items[0].enquiry
        c.sabine.assignEnquiry(id, c.id(c.tom))
        assertTrue(c.tom.counselReply(id, "Entwurf").awaitingApproval)
        assertEquals(1, c.app.clientCase(opened.caseCode, opened.secret).messages.size)
        val pending = c.sabine.pendingReplies(c.org)
        c.sabine.approveReply(id, pending[0].messageId)
        assertEquals(2, c.app.clientCase(opened.caseCode, opened.secret).messages.size)
        val outside = assertThrows<TrialogException.InvalidInput> { c.tom.proposeHandover(id, c.id(c.dana)) }
        assertEquals("counsellor", outside.field)
        c.tom.proposeHandover(id, c.id(c.anna))
        assertTrue(c.app.clientCase(opened.caseCode, opened.secret).handoverProposed)
        c.app.clientAnswerHandover(opened.caseCode, opened.secret, true)
        assertEquals(2, c.anna.counselCase(id).messages.size)
        assertThrows<TrialogException.PermissionDenied> { c.tom.counselCase(id) }
    }

    @Test
    fun badInputIsTypedAndAdminsSeeNoContent() = withCounselling { c ->
        val opened = c.app.enquire(enquiry("Vertraulich"))
        assertThrows<TrialogException.PermissionDenied> { c.app.clientCase(opened.caseCode, "WRONG-SECRET") }
        assertThrows<TrialogException.PermissionDenied> { c.app.clientCase("2222-2222", "WRONG-SECRET") }
        assertEquals("topic", assertThrows<TrialogException.InvalidInput> { c.app.enquire(enquiry("x").copy(topic = "astro")) }.field)
        assertEquals("language", assertThrows<TrialogException.InvalidInput> { c.app.enquire(enquiry("x", language = "xx")) }.field)
        assertEquals("message", assertThrows<TrialogException.InvalidInput> { c.app.enquire(enquiry("  ")) }.field)
        val id = c.anna.counselQueue(c.org).items[0].enquiry
        c.anna.claimEnquiry(id)
        assertThrows<TrialogException.PermissionDenied> { c.operator.counselCase(id) }
        assertFalse(c.operator.enquiry(id).breached)
        Platform.inMemory().use { keyless ->
            val noKey = assertThrows<TrialogException.InvalidInput> { keyless.anonymous().use { it.enquire(enquiry("Hallo")) } }
            assertEquals("content_key", noKey.field)
        }
    }
}
