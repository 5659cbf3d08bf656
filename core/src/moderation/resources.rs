//! Crisis resources: where someone in crisis finds help, per country and language, shown to a
//! writer the moment a crisis pattern matches.
//!
//! Every shipped entry carries the public page(s) its number was checked against (`source`)
//! and the day of that check (`checked_on`), so that a person can confirm the list before
//! launch (`trialog mod resources list`). An entry is marked verified only with a source; a
//! wrong crisis number is worse than none, so where no trustworthy source was found the entry
//! stays unverified — a candidate the operator must confirm — and is never shown to writers.
//!
//! Shipped (checked 2026-12-05): Germany's TelefonSeelsorge, Denmark's Livslinien, Austria's
//! TelefonSeelsorge (142) and Rat auf Draht (147), Spain's 024, the Netherlands' 113
//! Zelfmoordpreventie, the children's lines 116 111 in Romania and Bulgaria, and 112 everywhere.
//! Adult lines for Romania and Bulgaria are unverified candidates: only an aggregator or an
//! old campaign article names them.
//!
//! ```
//! use trialog_core::moderation::{CrisisResource, resources_for};
//! let shown = resources_for(&CrisisResource::defaults(), "DE", "de");
//! assert_eq!(shown[0].name, "TelefonSeelsorge");
//! assert!(shown.iter().any(|r| r.contact.as_deref() == Some("112")));
//! assert!(shown.iter().all(|r| r.source.is_some() && r.checked_on.is_some()));
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::screening::Signpost;
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
    /// The public page(s) the contact was checked against, so anyone can check it again.
    #[serde(default)]
    pub source: Option<String>,
    /// The day the entry was last checked against its source, `YYYY-MM-DD`.
    #[serde(default)]
    pub checked_on: Option<String>,
    /// Whether a person confirmed the entry against its source; unverified entries are
    /// candidates or placeholders and are never shown to writers.
    #[serde(default)]
    pub verified: bool,
}

/// The day the shipped entries were checked against their sources.
const SHIPPED_CHECKED_ON: &str = "2026-12-05";

/// A shipped entry as written in [`SHIPPED`].
struct Shipped {
    country: &'static str,
    language: Option<&'static str>,
    name: &'static str,
    detail: &'static str,
    contact: &'static str,
    url: Option<&'static str>,
    source: &'static str,
    verified: bool,
}

/// The shipped entries with their sources (see the module documentation).
const SHIPPED: &[Shipped] = &[
    Shipped {
        country: "DE",
        language: Some("de"),
        name: "TelefonSeelsorge",
        detail: "Anonym, kostenfrei, rund um die Uhr; auch per Chat und E-Mail",
        contact: "0800 111 0 111, 0800 111 0 222, 116 123",
        url: Some("https://www.telefonseelsorge.de"),
        source: "http://ansbach-evangelisch.de/jeder-braucht-mal-hilfe/ https://www.domradio.de/glossar/telefonseelsorge-0",
        verified: true,
    },
    Shipped {
        country: "DK",
        language: Some("da"),
        name: "Livslinien",
        detail: "Anonym rådgivning til mennesker med selvmordstanker",
        contact: "70 201 201",
        url: Some("https://www.livslinien.dk"),
        source: "https://cphpost.dk/2015-10-26/news/suicide-prevention-lifeline-gets-funding-to-stay-open-at-night/ (number; the article is from 2015: confirm opening hours on livslinien.dk)",
        verified: true,
    },
    Shipped {
        country: "AT",
        language: Some("de"),
        name: "TelefonSeelsorge Österreich",
        detail: "Notruf 142: anonym, kostenlos, rund um die Uhr; auch per Chat und E-Mail",
        contact: "142",
        url: Some("https://www.onlineberatung-telefonseelsorge.at"),
        source: "https://www.katholisch.at/telefonseelsorge https://www.ots.at/presseaussendung/OTM_20230425_OTM0006/telefonseelsorge-seit-25-jahren-amtlicher-notruf-fuer-die-seele",
        verified: true,
    },
    Shipped {
        country: "AT",
        language: Some("de"),
        name: "Rat auf Draht",
        detail: "Notruf 147 für Kinder, Jugendliche und ihre Bezugspersonen: anonym, kostenlos, rund um die Uhr",
        contact: "147",
        url: Some("https://www.rataufdraht.at"),
        source: "https://www.rataufdraht.at/pressemitteilungen/25-jahre-notrufnummer-147",
        verified: true,
    },
    Shipped {
        country: "ES",
        language: Some("es"),
        name: "Línea 024 de atención a la conducta suicida",
        detail: "Gratuita, confidencial, las 24 horas todos los días; también para familiares y allegados",
        contact: "024",
        url: None,
        source: "https://www.rtve.es/noticias/20220509/sanidad-presenta-telefono-prevencion-suicidio/2347183.shtml https://soydemadrid.com/noticia-comunidad-de-madrid/cuatro-meses-del-024-mas-de-500-suicidios-identificados-70252.aspx",
        verified: true,
    },
    Shipped {
        country: "NL",
        language: Some("nl"),
        name: "113 Zelfmoordpreventie",
        detail: "Denk je aan zelfdoding? Bel 24/7 gratis en anoniem, of chat op 113.nl",
        contact: "113, 0800-0113",
        url: Some("https://www.113.nl"),
        source: "https://www.upday.com/nl/binnenland/nummer-113-nu-gratis-betere-hulp-bij-zelfdodingsgedachten/pj8neqt https://www.nu.nl/binnenland/6062813/hulplijn-113-nu-ook-rechtstreeks-bereikbaar-voor-zelfmoordpreventie.html",
        verified: true,
    },
    Shipped {
        country: "RO",
        language: Some("ro"),
        name: "Telefonul Copilului",
        detail: "Linia națională de asistență pentru copii și adolescenți",
        contact: "116 111",
        url: None,
        source: "https://www.dcnews.ro/tot-mai-multi-minori-apeleaza-la-linia-unica-de-ajutor-ministerul-sanatatii-incepe-un-parteneriat-cu-asociatia-telefonul-copilului_1032672.html https://evz.ro/ministrul-sanatatii-protocol-de-colaborare-cu-asociatia-telefonul-copilului-pentru-copiii-aflati-in-dificultate.html",
        verified: true,
    },
    Shipped {
        country: "RO",
        language: Some("ro"),
        name: "Alianța Română de Prevenție a Suicidului",
        detail: "CANDIDATE adult line, not confirmed: only an aggregator names this number, and it gives a wrong number for Telefonul Copilului. Confirm with the alliance before marking it verified.",
        contact: "0800 801 200",
        url: None,
        source: "https://progress.guide/atlas/europe/romania (aggregator, not trusted)",
        verified: false,
    },
    Shipped {
        country: "RO",
        language: Some("ro"),
        name: "depreHUB (Metrorex)",
        detail: "CANDIDATE adult line, not confirmed: opened in 2021 for adults and older people, free and 24/7 according to the source; a campaign line, confirm it still answers.",
        contact: "0374 456 420",
        url: None,
        source: "https://www.romania-insider.com/metrorex-suicide-prevention-campaign-oct-2021",
        verified: false,
    },
    Shipped {
        country: "BG",
        language: Some("bg"),
        name: "Национална телефонна линия за деца",
        detail: "Денонощно, безплатно, може анонимно; за деца, юноши, техните родители и близки",
        contact: "116 111",
        url: Some("https://www.116111.bg"),
        source: "https://www.116111.bg/en/node/2577 http://animusassociation.org/programi-uslugi/nacionalna-telefonna-linia-deca/",
        verified: true,
    },
    Shipped {
        country: "BG",
        language: Some("bg"),
        name: "Български Червен кръст",
        detail: "CANDIDATE adult line, not confirmed: only an aggregator names this number. No national adult crisis line was found in public sources (116 123 was announced in 2014, with no sign that it opened).",
        contact: "+359 2 492 30 30",
        url: None,
        source: "https://progress.guide/atlas/europe/bulgaria (aggregator, not trusted); https://novini.bg/bylgariya/obshtestvo/243399 (116 123 announced)",
        verified: false,
    },
    Shipped {
        country: EVERYWHERE,
        language: None,
        name: "112",
        detail: "Emergency number (Notruf, alarmnummer) in every EU country: call it if life is in danger",
        contact: "112",
        url: None,
        source: "https://www.sachsen-fernsehen.de/112-feiert-30-geburtstag-965643/",
        verified: true,
    },
];

impl CrisisResource {
    /// The shipped resources (see the module documentation).
    pub fn defaults() -> Vec<CrisisResource> {
        SHIPPED
            .iter()
            .map(|s| CrisisResource {
                country: s.country.into(),
                language: s.language.map(Into::into),
                name: s.name.into(),
                detail: s.detail.into(),
                contact: Some(s.contact.into()),
                url: s.url.map(Into::into),
                source: Some(s.source.into()),
                checked_on: Some(SHIPPED_CHECKED_ON.into()),
                verified: s.verified,
            })
            .collect()
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
        let source = validate::optional_line("source", self.source.as_deref(), 500)?;
        let checked_on = checked_on(self.checked_on.as_deref())?;
        if self.verified {
            if contact.is_none() && url.is_none() {
                return Err(Error::invalid("contact", "a verified resource needs a contact or an address"));
            }
            if source.is_none() {
                return Err(Error::invalid(
                    "source",
                    "a verified resource needs the public page it was checked against",
                ));
            }
            if checked_on.is_none() {
                return Err(Error::invalid("checked_on", "a verified resource needs the day it was checked"));
            }
        }
        Ok(CrisisResource {
            country,
            language,
            name,
            detail,
            contact,
            url,
            source,
            checked_on,
            verified: self.verified,
        })
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

/// The check date as `YYYY-MM-DD`, or `InvalidInput` on `checked_on`.
fn checked_on(value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(day) => chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(|d| Some(d.format("%Y-%m-%d").to_string()))
            .map_err(|_| Error::invalid("checked_on", format!("'{day}' is not a date like 2026-12-05"))),
    }
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
    fn unverified_candidates_are_never_shown_to_writers() {
        let all = CrisisResource::defaults();
        let shown = resources_for(&all, "BG", "bg");
        let names: Vec<&str> = shown.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Национална телефонна линия за деца", "112"]);
        assert!(all.iter().any(|r| r.country == "BG" && !r.verified), "the adult candidate waits for the operator");
        let ro = resources_for(&all, "RO", "ro");
        assert!(ro.iter().all(|r| r.verified), "{ro:?}");
    }

    #[test]
    fn every_partner_country_has_a_verified_line_and_112() {
        let all = CrisisResource::defaults();
        for (country, language) in
            [("DE", "de"), ("AT", "de"), ("DK", "da"), ("ES", "es"), ("NL", "nl"), ("RO", "ro"), ("BG", "bg")]
        {
            let shown = resources_for(&all, country, language);
            assert!(shown.len() >= 2 && shown[0].country == country, "{country}: {shown:?}");
            assert_eq!(shown.last().unwrap().contact.as_deref(), Some("112"), "{country}");
        }
    }

    #[test]
    fn every_shipped_entry_names_its_source_and_day_and_validates() {
        for r in CrisisResource::defaults() {
            assert_eq!(r.validated().as_ref(), Ok(&r), "{}", r.name);
            assert!(r.source.as_deref().is_some_and(|s| s.contains("https://") || s.contains("http://")), "{}", r.name);
            assert_eq!(r.checked_on.as_deref(), Some(SHIPPED_CHECKED_ON), "{}", r.name);
        }
    }

    #[test]
    fn bad_resources_name_the_field() {
        let invalid = |change: fn(&mut CrisisResource)| {
            let mut r = CrisisResource::defaults()[0].clone();
            change(&mut r);
            match r.validated() {
                Err(Error::InvalidInput { field, .. }) => field,
                other => panic!("expected a field error, got {other:?}"),
            }
        };
        assert_eq!(invalid(|r| r.country = "Germany".into()), "country");
        assert_eq!(
            invalid(|r| {
                r.contact = None;
                r.url = None;
            }),
            "contact"
        );
        assert_eq!(invalid(|r| r.source = None), "source", "verified only with a source");
        assert_eq!(invalid(|r| r.checked_on = None), "checked_on");
        assert_eq!(invalid(|r| r.checked_on = Some("5.12.2026".into())), "checked_on");
    }

    #[test]
    fn an_unverified_candidate_needs_no_source() {
        let mut r = CrisisResource::defaults()[0].clone();
        (r.verified, r.source, r.checked_on) = (false, None, None);
        assert!(r.validated().is_ok());
    }

    #[test]
    fn the_country_comes_from_the_region_or_the_language() {
        assert_eq!(country_of(Some("DE-TH"), "en"), "DE");
        assert_eq!(country_of(None, "da"), "DK");
        assert_eq!(country_of(None, "fr"), "*");
    }
}
