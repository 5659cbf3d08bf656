// The gazetteer: importing GeoNames files, postcodes, place names; distances.
package org.trialog.tests

import java.io.File
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.trialog.core.Coordinates
import org.trialog.core.TrialogException
import org.trialog.distanceKm

private val SAMPLE = listOf(
    "DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4",
    "DE\t80331\tMünchen\tBayern\tBY\tOberbayern\t091\t\t\t48.1374\t11.5755\t4",
    "DE\t01945\tKroppen\tBrandenburg\tBB\t\t00\t\t\t51.3833\t13.8\t4",
    "DE\t01945\tTettau\tBrandenburg\tBB\t\t00\t\t\t51.4333\t13.7333\t4",
    "DE\t01946\tNirgendwo\tBrandenburg\tBB\t\t00\t\t\tnorth\t13.8\t4",
    "DK\t8000\tAarhus C\tRegion Midtjylland\t1082\tAarhus Kommune\t751\t\t\t56.1567\t10.2108\t6",
).joinToString("\n", postfix = "\n")

private fun sampleFile(dir: Path): String = dir.resolve("sample.txt").toFile().apply { writeText(SAMPLE) }.path

class GeoTest {
    @Test
    fun `import a GeoNames file and look up postcodes and places`() = withTempDir { dir ->
        withPlatform { platform ->
            val report = platform.importGazetteer(sampleFile(dir))
            assertEquals(listOf("DE", "DK"), report.countries)
            assertEquals(5UL, report.rows)
            assertEquals(4UL, report.postcodes)
            assertEquals(5UL, report.problems.single().line)
            assertEquals("latitude", report.problems.single().field)

            val place = platform.lookupPostcode("de", "01945")
            assertEquals(listOf("Kroppen", "Tettau"), place.names)
            assertEquals(2u, place.rows)
            assertEquals((51.3833 + 51.4333) / 2, place.coordinates.latitude, 1e-9)

            assertEquals(listOf("80331"), platform.searchPlaces("munch").map { it.postcode })
            assertEquals(emptyList<String>(), platform.searchPlaces("aarhus", "DE", 10u).map { it.postcode })
            assertEquals(listOf("DE" to 3UL, "DK" to 1UL), platform.gazetteerCountries().map { it.country to it.postcodes })
        }
    }

    @Test
    fun `unknown postcodes say whether the country is loaded`() = withTempDir { dir ->
        withPlatform { platform ->
            platform.importGazetteer(sampleFile(dir))
            val unknown = assertThrows<TrialogException.InvalidInput> { platform.lookupPostcode("DE", "12345") }
            assertEquals("postcode", unknown.field)
            assertEquals("12345 is not a postcode in the DE gazetteer", unknown.reason)
            val notLoaded = assertThrows<TrialogException.InvalidInput> { platform.lookupPostcode("AT", "1010") }
            assertTrue(notLoaded.reason.contains("trialog geo import AT.txt"), notLoaded.reason)
            assertThrows<TrialogException.NotFound> { platform.importGazetteer(dir.resolve("missing.txt").toString()) }
            platform.anonymous().use { anonymous ->
                assertEquals(listOf("Aarhus C"), anonymous.lookupPostcode("DK", "8000").names)
                assertThrows<TrialogException.PermissionDenied> { anonymous.importGazetteer(sampleFile(dir)) }
            }
        }
    }

    @Test
    fun `distances between cities`() {
        val berlin = Coordinates(52.5200, 13.4050)
        val hamburg = Coordinates(53.5511, 9.9937)
        assertEquals(255.0, distanceKm(berlin, hamburg), 1.0)
        val bad = assertThrows<TrialogException.InvalidInput> { distanceKm(Coordinates(91.0, 0.0), berlin) }
        assertEquals("latitude", bad.field)
    }

    @Test
    fun `the real Danish file imports completely`() = withPlatform { platform ->
        val shared = listOf(File("../shared/data/geonames/DK.txt"), File("/work/shared/data/geonames/DK.txt"))
            .firstOrNull { it.exists() }
        if (shared == null) {
            println("skipped: shared/data/geonames/DK.txt is missing")
            return@withPlatform
        }
        val report = platform.importGazetteer(shared.path)
        assertTrue(report.problems.isEmpty(), report.problems.toString())
        assertTrue(report.postcodes > 500UL)
        assertEquals(3, platform.searchPlaces("koben", "DK", 3u).size)
    }
}
