//! Crisis resources: where someone in crisis finds help, per country and language, shown to a
//! writer the moment a crisis pattern matches.
//!
//! The defaults are numbers checked against the services' own pages: the German
//! TelefonSeelsorge (0800 111 0 111, 0800 111 0 222, 116 123), the Danish Livslinien
//! (70 201 201) and the European emergency number 112, which works everywhere in the EU.
//! Countries trialog's programmes reach without a verified entry (Bulgaria, Spain, Romania, the
//! Netherlands, Austria) carry a placeholder marked `verified: false` that tells the operator
//! to fill it in: a wrong crisis number is worse than none, so none is invented.
//!
//! ```
//! use trialog_core::moderation::{CrisisResource, resources_for};
//! let shown = resources_for(&CrisisResource::defaults(), "DE", "de");
//! assert_eq!(shown[0].name, "TelefonSeelsorge");
//! assert!(shown.iter().any(|r| r.contact.as_deref() == Some("112")));
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::forums::Signpost;
use crate::validate;

/// The country code of resources that apply everywhere.
pub const EVERYWHERE: &str = "*";

/// One place to turn to in a crisis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CrisisResource {
    /// ISO 3166-1 alpha-2 (`DE`), or `*` for everywhere.
    pub country: String,
    /// ISO 639-1 language the service answers in; `None` for any.
    #[serde(default)]
    pub language: Option<String>,
    pub name: String,
    /// What it offers and when, in the service's language.
    pub detail: String,
    /// Telephone numbers or other ways in; `None` while the entry waits for the operator.
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// Whether an operator or trialog checked the entry; unverified entries are placeholders
    /// and are never shown to writers.
    #[serde(default)]
    pub verified: bool,
}

impl CrisisResource {
    /// The shipped resources (see the module documentation).
    pub fn defaults() -> Vec<CrisisResource> {
        let mut all = vec![
            CrisisResource {
                country: "DE".into(),
                language: Some("de".into()),
                name: "TelefonSeelsorge".into(),
                detail: "Anonym, kostenfrei, rund um die Uhr; auch per Chat und E-Mail".into(),
                contact: Some("0800 111 0 111, 0800 111 0 222, 116 123".into()),
                url: Some("https://www.telefonseelsorge.de".into()),
                verified: true,
            },
            CrisisResource {
                country: "DK".into(),
                language: Some("da".into()),
                name: "Livslinien".into(),
                detail: "Anonym rådgivning til mennesker med selvmordstanker".into(),
                contact: Some("70 201 201".into()),
                url: Some("https://www.livslinien.dk".into()),
                verified: true,
            },
            CrisisResource {
                country: EVERYWHERE.into(),
                language: None,
                name: "112".into(),
                detail: "Emergency number (Notruf, alarmnummer) in every EU country: call it if life is in danger"
                    .into(),
                contact: Some("112".into()),
                url: None,
                verified: true,
            },
        ];
        for (country, language) in [("AT", "de"), ("BG", "bg"), ("ES", "es"), ("RO", "ro"), ("NL", "nl")] {
            all.push(CrisisResource {
                country: country.into(),
                language: Some(language.into()),
                name: "to be filled in by the operator".into(),
                detail:
                    "No verified crisis line is on file for this country yet: add one with `trialog mod resources set`"
                        .into(),
                contact: None,
                url: None,
                verified: false,
            });
        }
        all
    }

    /// The entry cleaned up, or `InvalidInput` naming the field.
    pub fn validated(&self) -> Result<CrisisResource> {
        let country = self.country.trim().to_ascii_uppercase();
        if !(country == EVERYWHERE || (country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()))) {
            return Err(Error::invalid("country", format!("'{}' is not a two-letter country code or *", self.country)));
        }
        let language = match self.language.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(l) if l.len() == 2 && l.bytes().all(|b| b.is_ascii_alphabetic()) => Some(l.to_ascii_lowercase()),
            Some(l) => return Err(Error::invalid("language", format!("'{l}' is not a two-letter language code"))),
        };
        let name = validate::required_line("name", &self.name, 100)?;
        let detail = validate::optional_line("detail", Some(&self.detail), 500)?.unwrap_or_default();
        let contact = validate::optional_line("contact", self.contact.as_deref(), 200)?;
        let url = validate::optional_line("url", self.url.as_deref(), 300)?;
        if self.verified && contact.is_none() && url.is_none() {
            return Err(Error::invalid("contact", "a verified resource needs a contact or an address"));
        }
        Ok(CrisisResource { country, language, name, detail, contact, url, verified: self.verified })
    }

    /// The resource as help shown with a response.
    pub fn signpost(&self) -> Signpost {
        Signpost {
            title: self.name.clone(),
            detail: self.detail.clone(),
            contact: self.contact.clone(),
            url: self.url.clone(),
        }
    }
}

/// The verified resources for someone in `country` writing in `language`: the country's own
/// (those in the language first), then those for everywhere. A country without verified
/// entries gets those for everywhere (112) only.
pub fn resources_for(all: &[CrisisResource], country: &str, language: &str) -> Vec<CrisisResource> {
    let country = country.trim().to_ascii_uppercase();
    let country = country.split('-').next().unwrap_or_default();
    let language = language.trim().to_ascii_lowercase();
    let mut own: Vec<&CrisisResource> = all.iter().filter(|r| r.verified && r.country == country).collect();
    own.sort_by_key(|r| r.language.as_deref() != Some(language.as_str()));
    let everywhere = all.iter().filter(|r| r.verified && r.country == EVERYWHERE);
    own.into_iter().chain(everywhere).cloned().collect()
}

/// The country a writer most likely is in, from their home region (`DE-TH` → `DE`) or else
/// their language (`da` → `DK`); `*` when neither tells.
pub fn country_of(home_region: Option<&str>, language: &str) -> String {
    if let Some(region) = home_region.and_then(|r| r.split('-').next()).filter(|c| c.len() == 2) {
        return region.to_ascii_uppercase();
    }
    let country = match language.trim().to_ascii_lowercase().as_str() {
        "de" => "DE",
        "da" => "DK",
        "bg" => "BG",
        "es" => "ES",
        "ro" => "RO",
        "nl" => "NL",
        _ => EVERYWHERE,
    };
    country.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn germany_gets_telefonseelsorge_then_112() {
        let shown = resources_for(&CrisisResource::defaults(), "de-th", "de");
        let names: Vec<&str> = shown.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["TelefonSeelsorge", "112"]);
        assert!(shown[0].contact.as_deref().unwrap().contains("116 123"));
    }

    #[test]
    fn countries_without_verified_entries_get_112_only_and_are_marked() {
        let all = CrisisResource::defaults();
        let shown = resources_for(&all, "BG", "bg");
        assert_eq!(shown.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["112"]);
        assert!(all.iter().any(|r| r.country == "BG" && !r.verified && r.contact.is_none()));
    }

    #[test]
    fn bad_resources_name_the_field() {
        let mut r = CrisisResource::defaults()[0].clone();
        r.country = "Germany".into();
        assert!(matches!(r.validated(), Err(Error::InvalidInput { field, .. }) if field == "country"));
        let mut r = CrisisResource::defaults()[0].clone();
        r.contact = None;
        r.url = None;
        assert!(matches!(r.validated(), Err(Error::InvalidInput { field, .. }) if field == "contact"));
    }

    #[test]
    fn the_country_comes_from_the_region_or_the_language() {
        assert_eq!(country_of(Some("DE-TH"), "en"), "DE");
        assert_eq!(country_of(None, "da"), "DK");
        assert_eq!(country_of(None, "fr"), "*");
    }
}
