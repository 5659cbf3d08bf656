//! Field rules shared by several domains. Each returns the cleaned value or an
//! [`Error::InvalidInput`] that names the field.

use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

mod codes;

/// Trims and NFC-normalises a required single-line text of at most `max` characters.
pub fn required_line(field: &str, value: &str, max: usize) -> Result<String> {
    let clean: String = value.trim().nfc().collect();
    if clean.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if clean.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must be a single line without control characters"));
    }
    let len = clean.chars().count();
    if len > max {
        return Err(Error::invalid(field, format!("is {len} characters long; at most {max} are allowed")));
    }
    Ok(clean)
}

/// Trims and NFC-normalises a required text that may span lines (tabs and line breaks are
/// kept; other control characters are refused), of at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String> {
    let clean: String = value.trim().nfc().collect();
    if clean.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if clean.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    let len = clean.chars().count();
    if len > max {
        return Err(Error::invalid(field, format!("is {len} characters long; at most {max} are allowed")));
    }
    Ok(clean)
}

/// Like [`required_line`], but an absent or blank value means "none".
pub fn optional_line(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required_line(field, v, max).map(Some),
    }
}

/// A region code in ISO 3166 form that exists: a country (`DE`) or a subdivision (`DE-TH`,
/// `DK-84`) of a country whose subdivisions trialog lists (see `codes`).
/// Lower case is accepted and upper-cased.
pub fn region(field: &str, value: &str) -> Result<String> {
    let code = value.trim().to_ascii_uppercase();
    let (country, sub) = match code.split_once('-') {
        Some((c, s)) => (c, Some(s)),
        None => (code.as_str(), None),
    };
    let country_ok = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
    let sub_ok = sub.is_none_or(|s| (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !country_ok || !sub_ok {
        return Err(Error::invalid(
            field,
            format!("'{value}' is not an ISO 3166 region code such as DE, DE-TH or DK-84"),
        ));
    }
    if !codes::is_country(country) {
        return Err(Error::invalid(field, format!("'{value}': {country} is not an ISO 3166-1 country code")));
    }
    if let Some(sub) = sub {
        let Some(known) = codes::subdivisions(country) else {
            let served = codes::served_countries().collect::<Vec<_>>().join(", ");
            return Err(Error::invalid(
                field,
                format!("'{value}': trialog knows the subdivisions of {served} only; give the country, {country}"),
            ));
        };
        if !known.contains(&sub) {
            return Err(Error::invalid(field, format!("'{value}' is not an ISO 3166-2 subdivision of {country}")));
        }
    }
    Ok(code)
}

/// Language codes (ISO 639-1, two letters), lower-cased, de-duplicated, order kept; at most 12.
pub fn languages(field: &str, values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let code = value.trim().to_ascii_lowercase();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(Error::invalid(
                field,
                format!("'{value}' is not a two-letter ISO 639-1 language code such as de, da or en"),
            ));
        }
        if !codes::is_language(&code) {
            return Err(Error::invalid(field, format!("'{value}' is not an ISO 639-1 language code")));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    if out.len() > 12 {
        return Err(Error::invalid(field, "at most 12 languages are allowed"));
    }
    Ok(out)
}

/// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, at most 254 bytes.
/// Delivery is what really validates an address; this only catches typing mistakes.
pub fn email(field: &str, value: &str) -> Result<String> {
    let addr = value.trim();
    let bad = |why: &str| Err(Error::invalid(field, format!("'{addr}' {why}")));
    if addr.len() > 254 {
        return bad("is longer than 254 characters");
    }
    let Some((local, domain)) = addr.split_once('@') else {
        return bad("has no @");
    };
    if local.is_empty() || domain.contains('@') || addr.chars().any(char::is_whitespace) {
        return bad("is not an e-mail address");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return bad("has no valid domain after the @");
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// A web address starting with `https://` (a plain `http://` page can be changed on its way to
/// the person reading it, and the platform vouches for the organisations it lists).
pub fn website(field: &str, value: &str) -> Result<String> {
    let url = required_line(field, value, 200)?;
    let rest = url.strip_prefix("https://");
    match rest {
        Some(host) if host.contains('.') && !host.contains(' ') => Ok(url),
        _ => Err(Error::invalid(field, format!("'{url}' is not a web address starting with https://"))),
    }
}

/// A web address someone gave (a push hook, a replica's server), split where the rules for
/// sending a secret to it look: whether it is `https://`, and its host (`host`, `host:port`,
/// `[::1]:port`). `InvalidInput` naming `field` for another scheme, a user name or password in
/// the address, or no host.
pub(crate) struct WebAddress<'a> {
    pub secure: bool,
    pub host: &'a str,
}

impl<'a> WebAddress<'a> {
    pub(crate) fn parse(field: &str, url: &'a str) -> Result<WebAddress<'a>> {
        let (secure, rest) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
            (Some(rest), _) => (true, rest),
            (None, Some(rest)) => (false, rest),
            _ => return Err(Error::invalid(field, "must start with https://")),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            return Err(Error::invalid(field, "must not carry a user name or password"));
        }
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => authority.split(':').next().unwrap_or(""),
        };
        if host.is_empty() {
            return Err(Error::invalid(field, "has no host"));
        }
        Ok(WebAddress { secure, host })
    }

    /// Whether the host is this machine (`localhost`, `127.0.0.0/8`, `::1`): the one place
    /// plain `http://` may carry a secret, since it never crosses a network.
    pub(crate) fn is_this_machine(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self.host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<impl std::fmt::Debug>) -> String {
        match r {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn region_accepts_countries_and_subdivisions() {
        assert_eq!(region("r", "de-th").unwrap(), "DE-TH");
        assert_eq!(region("r", "DK").unwrap(), "DK");
        assert_eq!(field_of(region("home_region", "Germany")), "home_region");
        assert_eq!(field_of(region("r", "D-TH")), "r");
        assert_eq!(field_of(region("r", "DE-ABCD")), "r");
    }

    #[test]
    fn regions_must_exist() {
        for good in ["AT-9", "BG-28", "CH-ZH", "es-m", "ES-PV", "NL-BQ1", "RO-B", "RO-IF", "FR", "us"] {
            assert!(region("r", good).is_ok(), "{good} exists");
        }
        for bad in
            ["DE-XX", "DE-TT", "DK-86", "AT-10", "ES-QQ", "NL-BQ4", "RO-XX", "BG-29", "CH-XY", "XK", "ZZ", "FR-75"]
        {
            assert_eq!(field_of(region("home_region", bad)), "home_region", "{bad} should be refused");
        }
    }

    #[test]
    fn languages_must_exist() {
        assert_eq!(languages("l", &["ro".into(), "BG".into(), "nl".into()]).unwrap(), vec!["ro", "bg", "nl"]);
        for bad in ["xx", "qq", "zz", "jp", "dk"] {
            assert_eq!(field_of(languages("languages", &[bad.into()])), "languages", "{bad} should be refused");
        }
    }

    #[test]
    fn languages_are_normalised_and_deduplicated() {
        let langs = languages("languages", &["DE".into(), "da".into(), "de".into()]).unwrap();
        assert_eq!(langs, vec!["de", "da"]);
        assert_eq!(field_of(languages("languages", &["deu".into()])), "languages");
    }

    #[test]
    fn email_needs_an_at_and_a_domain() {
        assert_eq!(email("email", "Kim@Example.ORG").unwrap(), "Kim@example.org");
        for bad in ["kim", "kim@", "@x.org", "kim@localhost", "k m@x.org", "a@b@c.de"] {
            assert_eq!(field_of(email("email", bad)), "email", "{bad} should be rejected");
        }
    }

    #[test]
    fn lines_are_trimmed_bounded_and_single() {
        assert_eq!(required_line("name", "  Haus  ", 10).unwrap(), "Haus");
        assert_eq!(field_of(required_line("name", "   ", 10)), "name");
        assert_eq!(field_of(required_line("name", "a\nb", 10)), "name");
        assert_eq!(field_of(required_line("name", "abcdefghijk", 10)), "name");
        assert_eq!(optional_line("city", Some(" "), 10).unwrap(), None);
    }
}
