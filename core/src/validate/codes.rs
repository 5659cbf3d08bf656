//! The code lists input is checked against: ISO 639-1 languages, ISO 3166-1 countries and
//! the ISO 3166-2 subdivisions of the countries the platform serves.
//!
//! Scope of the subdivision check: the subdivisions of Germany, Austria, Switzerland,
//! Denmark, Spain (autonomous communities and provinces), the Netherlands (provinces, the
//! Caribbean countries and special municipalities), Romania and Bulgaria are listed in full;
//! a country code alone is accepted for every country of ISO 3166-1. A subdivision of any
//! other country is refused (give the country code): trialog cannot tell a real one from a
//! typo there. The lists follow the ISO 3166-2 and ISO 639-1 tables as of 2024; `bh`
//! (Bihari, withdrawn) is kept so that stored data stays readable.

/// Every ISO 639-1 code (184), sorted.
const LANGUAGES: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn",
    "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en",
    "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he",
    "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv",
    "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li",
    "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne",
    "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm",
    "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st",
    "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk",
    "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Every ISO 3166-1 alpha-2 country code (249), sorted.
const COUNTRIES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD",
    "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA",
    "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE",
    "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA",
    "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK",
    "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP",
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT",
    "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
    "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
    "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS",
    "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
    "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
    "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA",
    "ZM", "ZW",
];

/// The subdivision codes (after the `-`) of each country whose subdivisions are checked.
const SUBDIVISIONS: &[(&str, &[&str])] = &[
    ("AT", &["1", "2", "3", "4", "5", "6", "7", "8", "9"]),
    (
        "BG",
        &[
            "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18",
            "19", "20", "21", "22", "23", "24", "25", "26", "27", "28",
        ],
    ),
    (
        "CH",
        &[
            "AG", "AI", "AR", "BE", "BL", "BS", "FR", "GE", "GL", "GR", "JU", "LU", "NE", "NW", "OW", "SG", "SH", "SO",
            "SZ", "TG", "TI", "UR", "VD", "VS", "ZG", "ZH",
        ],
    ),
    ("DE", &["BB", "BE", "BW", "BY", "HB", "HE", "HH", "MV", "NI", "NW", "RP", "SH", "SL", "SN", "ST", "TH"]),
    ("DK", &["81", "82", "83", "84", "85"]),
    (
        "ES",
        &[
            // Autonomous communities and cities.
            "AN", "AR", "AS", "CB", "CE", "CL", "CM", "CN", "CT", "EX", "GA", "IB", "MC", "MD", "ML", "NC", "PV", "RI",
            "VC", // Provinces.
            "A", "AB", "AL", "AV", "B", "BA", "BI", "BU", "C", "CA", "CC", "CO", "CR", "CS", "CU", "GC", "GI", "GR",
            "GU", "H", "HU", "J", "L", "LE", "LO", "LU", "M", "MA", "MU", "NA", "O", "OR", "P", "PM", "PO", "S", "SA",
            "SE", "SG", "SO", "SS", "T", "TE", "TF", "TO", "V", "VA", "VI", "Z", "ZA",
        ],
    ),
    (
        "NL",
        &[
            "AW", "BQ1", "BQ2", "BQ3", "CW", "DR", "FL", "FR", "GE", "GR", "LI", "NB", "NH", "OV", "SX", "UT", "ZE",
            "ZH",
        ],
    ),
    (
        "RO",
        &[
            "AB", "AG", "AR", "B", "BC", "BH", "BN", "BR", "BT", "BV", "BZ", "CJ", "CL", "CS", "CT", "CV", "DB", "DJ",
            "GJ", "GL", "GR", "HD", "HR", "IF", "IL", "IS", "MH", "MM", "MS", "NT", "OT", "PH", "SB", "SJ", "SM", "SV",
            "TL", "TM", "TR", "VL", "VN", "VS",
        ],
    ),
];

/// Whether `code` (lower case) is an ISO 639-1 language code.
pub(super) fn is_language(code: &str) -> bool {
    LANGUAGES.binary_search(&code).is_ok()
}

/// Whether `code` (upper case) is an ISO 3166-1 alpha-2 country code.
pub(super) fn is_country(code: &str) -> bool {
    COUNTRIES.binary_search(&code).is_ok()
}

/// The listed subdivisions of `country`, or `None` when trialog does not check its subdivisions.
pub(super) fn subdivisions(country: &str) -> Option<&'static [&'static str]> {
    SUBDIVISIONS.iter().find(|(c, _)| *c == country).map(|(_, subs)| *subs)
}

/// The countries whose subdivisions are checked, for error messages.
pub(super) fn served_countries() -> impl Iterator<Item = &'static str> {
    SUBDIVISIONS.iter().map(|(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_sorted_complete_and_free_of_repeats() {
        assert_eq!(LANGUAGES.len(), 184);
        assert_eq!(COUNTRIES.len(), 249);
        assert!(LANGUAGES.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats: binary search relies on it");
        assert!(COUNTRIES.windows(2).all(|w| w[0] < w[1]));
        let counts: Vec<usize> = SUBDIVISIONS.iter().map(|(_, s)| s.len()).collect();
        assert_eq!(counts, vec![9, 28, 26, 16, 5, 69, 18, 42]);
        for (country, subs) in SUBDIVISIONS {
            assert!(is_country(country));
            let mut sorted = subs.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), subs.len(), "{country} lists a subdivision twice");
        }
    }
}
