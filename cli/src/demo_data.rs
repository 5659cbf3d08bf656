//! The data of `trialog demo`, typed in so that the demo needs no files.
//!
//! The cities, their ISO 3166-2 regions and coordinates are real (city centres, WGS 84, to four
//! decimals). Everything else is invented: organisation names end in "(Demo)", web addresses are
//! under the reserved example.org, and pseudonyms are plainly pseudonyms. The coordinates are not
//! stored by the core yet; they are here for the job board and its distance search.

use trialog_core::OrgKind;
use trialog_core::Perspective::{self, LivedExperience, Professional, Relative, Undisclosed};

use RoleSeed::{Admin, Counsellor, EmployerStaff, Moderator, Supervisor};

/// A real city: its name, ISO 3166-2 region, and the coordinates of its centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct City {
    pub name: &'static str,
    pub region: &'static str,
    /// Degrees north.
    pub lat: f64,
    /// Degrees east.
    pub lon: f64,
}

pub const JENA: City = City { name: "Jena", region: "DE-TH", lat: 50.9272, lon: 11.5861 };
pub const ERFURT: City = City { name: "Erfurt", region: "DE-TH", lat: 50.9787, lon: 11.0328 };
pub const BERLIN: City = City { name: "Berlin", region: "DE-BE", lat: 52.5200, lon: 13.4050 };
pub const HAMBURG: City = City { name: "Hamburg", region: "DE-HH", lat: 53.5511, lon: 9.9937 };
pub const MUENCHEN: City = City { name: "München", region: "DE-BY", lat: 48.1374, lon: 11.5755 };
pub const LEIPZIG: City = City { name: "Leipzig", region: "DE-SN", lat: 51.3397, lon: 12.3731 };
pub const KOELN: City = City { name: "Köln", region: "DE-NW", lat: 50.9375, lon: 6.9603 };
pub const BIELEFELD: City = City { name: "Bielefeld", region: "DE-NW", lat: 52.0302, lon: 8.5325 };
pub const KOEBENHAVN: City = City { name: "København", region: "DK-84", lat: 55.6761, lon: 12.5683 };
pub const AARHUS: City = City { name: "Aarhus", region: "DK-82", lat: 56.1629, lon: 10.2039 };
pub const ODENSE: City = City { name: "Odense", region: "DK-83", lat: 55.4038, lon: 10.4024 };
pub const AALBORG: City = City { name: "Aalborg", region: "DK-81", lat: 57.0488, lon: 9.9217 };

/// A demo organisation; `key` is how the rest of the demo data refers to it.
#[derive(Debug, Clone, Copy)]
pub struct OrgSeed {
    pub key: &'static str,
    pub name: &'static str,
    pub kind: OrgKind,
    pub city: City,
    pub website: Option<&'static str>,
    /// Whether the demo admin verifies it.
    pub verified: bool,
}

/// Twelve organisations, one per city: nine verified, three waiting for verification.
pub const ORGANISATIONS: &[OrgSeed] = &[
    OrgSeed {
        key: "jena-verein",
        name: "Verein für Psychiatrie-Erfahrene Jena e.V. (Demo)",
        kind: OrgKind::Association,
        city: JENA,
        website: Some("https://example.org/demo/jena-verein"),
        verified: true,
    },
    OrgSeed {
        key: "erfurt-kontaktstelle",
        name: "Selbsthilfe-Kontaktstelle Erfurt (Demo)",
        kind: OrgKind::SelfHelpContactPoint,
        city: ERFURT,
        website: None,
        verified: true,
    },
    OrgSeed {
        key: "berlin-exin",
        name: "EX-IN Bildungswerk Berlin (Demo)",
        kind: OrgKind::TrainingProvider,
        city: BERLIN,
        website: Some("https://example.org/demo/exin-berlin"),
        verified: true,
    },
    OrgSeed {
        key: "hamburg-genesung",
        name: "Genesungsbegleitung Hamburg gGmbH (Demo)",
        kind: OrgKind::Employer,
        city: HAMBURG,
        website: None,
        verified: true,
    },
    OrgSeed {
        key: "muenchen-tagesklinik",
        name: "Psychiatrische Tagesklinik München-Mitte (Demo)",
        kind: OrgKind::Clinic,
        city: MUENCHEN,
        website: None,
        verified: false,
    },
    OrgSeed {
        key: "leipzig-kontaktstelle",
        name: "Kontakt- und Informationsstelle für Selbsthilfe Leipzig (Demo)",
        kind: OrgKind::SelfHelpContactPoint,
        city: LEIPZIG,
        website: None,
        verified: true,
    },
    OrgSeed {
        key: "koeln-angehoerige",
        name: "Angehörigen-Netzwerk Köln e.V. (Demo)",
        kind: OrgKind::Association,
        city: KOELN,
        website: None,
        verified: true,
    },
    OrgSeed {
        key: "bielefeld-peerarbeit",
        name: "Peer-Arbeit Bielefeld eG (Demo)",
        kind: OrgKind::Employer,
        city: BIELEFELD,
        website: None,
        verified: false,
    },
    OrgSeed {
        key: "koebenhavn-recovery",
        name: "Recoveryskolen København (Demo)",
        kind: OrgKind::TrainingProvider,
        city: KOEBENHAVN,
        website: Some("https://example.org/demo/recoveryskolen"),
        verified: true,
    },
    OrgSeed {
        key: "aarhus-peerguides",
        name: "Peer-guide-netværket Aarhus (Demo)",
        kind: OrgKind::Association,
        city: AARHUS,
        website: None,
        verified: true,
    },
    OrgSeed {
        key: "odense-socialpsykiatri",
        name: "Socialpsykiatrien Odense Kommune (Demo)",
        kind: OrgKind::Municipality,
        city: ODENSE,
        website: None,
        verified: true,
    },
    OrgSeed {
        key: "aalborg-psykiatri",
        name: "Psykiatrisk Afsnit Aalborg (Demo)",
        kind: OrgKind::Clinic,
        city: AALBORG,
        website: None,
        verified: false,
    },
];

/// A role in the demo, naming organisations by their seed key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleSeed {
    Admin,
    Moderator,
    EmployerStaff(&'static str),
    Supervisor(&'static str),
    /// Granted by the organisation's supervisor where it has one, otherwise by the admin.
    Counsellor(&'static str),
}

/// A demo account.
#[derive(Debug, Clone, Copy)]
pub struct PersonSeed {
    pub pseudonym: &'static str,
    pub perspective: Perspective,
    pub languages: &'static [&'static str],
    pub region: Option<&'static str>,
    pub email: Option<&'static str>,
    pub roles: &'static [RoleSeed],
}

const fn person(
    pseudonym: &'static str,
    perspective: Perspective,
    languages: &'static [&'static str],
    region: Option<&'static str>,
    roles: &'static [RoleSeed],
) -> PersonSeed {
    PersonSeed { pseudonym, perspective, languages, region, email: None, roles }
}

/// The admin comes first: the demo creates the admin as the operator, and the admin does the rest.
pub const ADMIN: PersonSeed = PersonSeed {
    pseudonym: "Redaktion_Anja",
    perspective: Professional,
    languages: &["de", "en"],
    region: Some("DE-TH"),
    email: Some("redaktion@example.org"),
    roles: &[Admin],
};

/// Twenty-four people besides the admin: 8 with lived experience, 6 relatives, 7 professionals
/// and 3 undisclosed. Supervisors come before the counsellors they appoint.
pub const PEOPLE: &[PersonSeed] = &[
    person("Leuchtturm", LivedExperience, &["de"], Some("DE-HH"), &[Moderator]),
    person("Fyrtårn", LivedExperience, &["da", "en"], Some("DK-84"), &[Moderator]),
    person("Morgenrot", Relative, &["de"], Some("DE-BE"), &[Moderator]),
    person("Personal_Hamburg", Professional, &["de"], Some("DE-HH"), &[EmployerStaff("hamburg-genesung")]),
    person("Team_Peer_Bielefeld", Professional, &["de"], Some("DE-NW"), &[EmployerStaff("bielefeld-peerarbeit")]),
    person("HR_Aalborg", Professional, &["da"], Some("DK-81"), &[EmployerStaff("aalborg-psykiatri")]),
    person("Supervision_Jena", Professional, &["de"], Some("DE-TH"), &[Supervisor("jena-verein")]),
    person("Beraterin_Lea", LivedExperience, &["de", "en"], Some("DE-TH"), &[Counsellor("jena-verein")]),
    person("Berater_Jonas", Relative, &["de"], Some("DE-TH"), &[Counsellor("jena-verein")]),
    person("Supervisor_Aarhus", Professional, &["da", "en"], Some("DK-82"), &[Supervisor("aarhus-peerguides")]),
    person("Peerguide_Mette", LivedExperience, &["da"], Some("DK-82"), &[Counsellor("aarhus-peerguides")]),
    person("Zuhörerin_Köln", Relative, &["de", "tr"], Some("DE-NW"), &[Counsellor("koeln-angehoerige")]),
    person("Kim_aus_Jena", LivedExperience, &["de"], Some("DE-TH"), &[]),
    person("Sonnenblume_71", LivedExperience, &["de"], Some("DE-SN"), &[]),
    person("Wanderer_Erfurt", LivedExperience, &["de", "en"], Some("DE-TH"), &[]),
    person("Mutter_von_M", Relative, &["de"], Some("DE-BY"), &[]),
    person("Bruder_Tom", Relative, &["de", "en"], Some("DE-BE"), &[]),
    person("Havblik", LivedExperience, &["da"], Some("DK-83"), &[]),
    person("Mor_til_Emil", Relative, &["da"], Some("DK-81"), &[]),
    person("Søren_K", Undisclosed, &["da", "de"], Some("DK-84"), &[]),
    person("Psykolog_Anne", Professional, &["da", "en"], Some("DK-84"), &[]),
    person("Pflege_Nord", Professional, &["de"], Some("DE-HH"), &[]),
    person("Stille_Stimme", Undisclosed, &["de"], None, &[]),
    person("Sturmwind_99", Undisclosed, &["de"], Some("DE-BY"), &[]),
];

/// A suspension a moderator imposes in the demo.
#[derive(Debug, Clone, Copy)]
pub struct SuspensionSeed {
    pub pseudonym: &'static str,
    pub by: &'static str,
    pub days: i64,
    pub reason: &'static str,
}

/// The one suspended account.
pub const SUSPENSIONS: &[SuspensionSeed] = &[SuspensionSeed {
    pseudonym: "Sturmwind_99",
    by: "Leuchtturm",
    days: 14,
    reason: "Demo: wiederholt abwertende Beiträge im Forum trotz Hinweis",
}];
