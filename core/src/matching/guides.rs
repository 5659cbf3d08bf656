//! Peer-guide assignment from attributes: which guide suits which client, and why.
//!
//! Hard constraints remove a pair: no shared language, a hard gender preference the guide does
//! not meet, a client farther away than the guide travels, or no weekly slot in common (when
//! both give slots; an empty list means "any time"). Every remaining pair is scored on five
//! criteria, each worth up to its weight in points (see [`ScoreWeights`] for the defaults), and
//! the optimal assignment picks the pairs: as many clients as possible, then the highest total
//! score ([`super::assign_sparse`]'s solver, or the dense path when every pair is allowed).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::assign::UnmatchedReason;
use super::dense::assign_lists;
use crate::error::{Error, Result};

/// Without a travel limit, distance points fall to zero at this distance.
pub const DEFAULT_DISTANCE_SCALE_KM: f64 = 50.0;

/// A peer-guide and what they offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Guide {
    pub id: String,
    /// How many clients the guide takes on.
    pub capacity: u32,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub gender: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub location: Option<Location>,
    /// How far the guide travels to meet a client; no limit when absent.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub max_travel_km: Option<f64>,
    /// Lived-experience topics (`psychosis`, `depression`, `work`, ...).
    #[serde(default)]
    pub topics: Vec<String>,
    /// Weekly slots such as `mon-am`, `thu-pm`; empty means any time.
    #[serde(default)]
    pub availability: Vec<String>,
}

/// A client (a newly discharged person) looking for a peer-guide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Client {
    pub id: String,
    /// ISO 639-1 codes, first language first.
    pub languages: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub gender_preference: Option<GenderPreference>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub location: Option<Location>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub availability: Vec<String>,
}

/// The guide's gender a client asks for; `hard` makes it a requirement, else a wish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GenderPreference {
    pub gender: String,
    #[serde(default)]
    pub hard: bool,
}

/// A point on the earth in degrees. Named `GuideLocation` across UniFFI, where the job
/// board's `Location` (on-site or remote) shares the namespace.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "GuideLocation"))]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
}

/// The most points each criterion can give a pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScoreWeights {
    /// Full points when the guide speaks the client's first language, half for another shared one (default 10).
    pub language: f64,
    /// Full points when a soft gender preference is met (default 10).
    pub gender: f64,
    /// Full points at distance 0, falling linearly to 0 at the guide's travel limit (default 20).
    pub distance: f64,
    /// Shared lived-experience topics, as the share of the client's topics (default 30).
    pub topics: f64,
    /// Weekly slots in common, as the share of the client's slots (default 10).
    pub availability: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights { language: 10.0, gender: 10.0, distance: 20.0, topics: 30.0, availability: 10.0 }
    }
}

/// Guides, clients and optionally other weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuideAssignmentInput {
    pub guides: Vec<Guide>,
    pub clients: Vec<Client>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub weights: Option<ScoreWeights>,
}

/// The chosen pairs with their explanations, and who is left without a guide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuideAssignment {
    /// In client order.
    pub pairs: Vec<GuidePair>,
    pub total_score: f64,
    /// In client order.
    pub unmatched: Vec<UnmatchedGuideClient>,
}

/// A client, the guide proposed, the score and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuidePair {
    pub client: String,
    pub guide: String,
    pub score: f64,
    pub breakdown: Vec<ScorePart>,
}

/// One criterion's contribution to a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScorePart {
    /// `language`, `gender`, `distance`, `topics` or `availability`.
    pub criterion: String,
    pub points: f64,
    pub reason: String,
}

/// A client left without a guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnmatchedGuideClient {
    pub client: String,
    pub reason: UnmatchedReason,
}

impl GuideAssignmentInput {
    /// Reads the JSON form `{"guides": [...], "clients": [...], "weights": {...}}`, naming the
    /// place of a negative capacity (`guides[2].capacity`) and of any other malformed value.
    pub fn from_json(value: &Value) -> Result<GuideAssignmentInput> {
        if let Some(guides) = value.get("guides").and_then(Value::as_array) {
            for (i, guide) in guides.iter().enumerate() {
                if let Some(c) = guide.get("capacity").and_then(Value::as_i64).filter(|c| *c < 0) {
                    return Err(Error::invalid(format!("guides[{i}].capacity"), format!("is {c}; must be 0 or more")));
                }
            }
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let reason = e.inner().to_string();
            let path = e.path().to_string();
            let unknown = reason.strip_prefix("unknown field `").and_then(|r| r.split_once('`')).map(|(f, _)| f);
            let field = match (path.as_str(), unknown) {
                (".", Some(key)) => key.to_string(),
                (".", None) => "input".to_string(),
                (path, Some(key)) if !path.ends_with(key) => format!("{path}.{key}"),
                (path, _) => path.to_string(),
            };
            Error::invalid(field, reason)
        })
    }
}

/// Finds the optimal assignment of clients to guides and explains every pair.
///
/// ```
/// use trialog_core::matching::{Client, Guide, GuideAssignmentInput, assign_guides};
/// let guide = |id: &str, lang: &str| Guide {
///     id: id.into(), capacity: 1, languages: vec![lang.into()], gender: None, location: None,
///     max_travel_km: None, topics: vec![], availability: vec![],
/// };
/// let client = Client {
///     id: "c1".into(), languages: vec!["da".into()], gender_preference: None, location: None,
///     topics: vec![], availability: vec![],
/// };
/// let input = GuideAssignmentInput { guides: vec![guide("g1", "de"), guide("g2", "da")], clients: vec![client], weights: None };
/// let result = assign_guides(&input).unwrap();
/// assert_eq!(result.pairs[0].guide, "g2");
/// ```
pub fn assign_guides(input: &GuideAssignmentInput) -> Result<GuideAssignment> {
    assign_guides_excluding(input, &|_, _| false)
}

/// Like [`assign_guides`], with the pairs for which `excluded(client id, guide id)` holds not
/// allowed (a coordinator declined them in an earlier run of the cohort).
pub(crate) fn assign_guides_excluding(
    input: &GuideAssignmentInput,
    excluded: &dyn Fn(&str, &str) -> bool,
) -> Result<GuideAssignment> {
    let weights = input.weights.unwrap_or_default();
    check_weights(&weights)?;
    let guides: Vec<Prepared> =
        input.guides.iter().enumerate().map(|(i, g)| Prepared::guide(i, g)).collect::<Result<_>>()?;
    let clients: Vec<Prepared> =
        input.clients.iter().enumerate().map(|(i, c)| Prepared::client(i, c)).collect::<Result<_>>()?;
    unique_ids(input.guides.iter().map(|g| g.id.as_str()), "guides")?;
    unique_ids(input.clients.iter().map(|c| c.id.as_str()), "clients")?;

    let mut breakdowns: Vec<Vec<(u32, Vec<ScorePart>)>> = Vec::with_capacity(clients.len());
    for (c, client) in input.clients.iter().enumerate() {
        let parts = input
            .guides
            .iter()
            .enumerate()
            .filter(|(_, guide)| !excluded(&client.id, &guide.id))
            .filter_map(|(g, guide)| explain(client, &clients[c], guide, &guides[g], &weights).map(|p| (g as u32, p)))
            .collect();
        breakdowns.push(parts);
    }
    let eligible: Vec<Vec<(u32, f64)>> =
        breakdowns.iter().map(|pairs| pairs.iter().map(|(g, parts)| (*g, total(parts))).collect()).collect();
    let capacities: Vec<u32> = input.guides.iter().map(|g| g.capacity).collect();
    let solved = assign_lists(&eligible, &capacities)?;

    let pairs = solved
        .pairs
        .iter()
        .map(|pair| {
            let (_, parts) = breakdowns[pair.client as usize]
                .iter()
                .find(|(g, _)| *g == pair.guide)
                .expect("an assigned pair was eligible");
            GuidePair {
                client: input.clients[pair.client as usize].id.clone(),
                guide: input.guides[pair.guide as usize].id.clone(),
                score: pair.score,
                breakdown: parts.clone(),
            }
        })
        .collect();
    let unmatched = solved
        .unmatched
        .iter()
        .map(|u| UnmatchedGuideClient { client: input.clients[u.client as usize].id.clone(), reason: u.reason })
        .collect();
    Ok(GuideAssignment { pairs, total_score: round(solved.total_score), unmatched })
}

/// A person's attributes normalised for comparison (lower-case codes and slots).
struct Prepared {
    languages: Vec<String>,
    topics: HashSet<String>,
    slots: HashSet<String>,
}

impl Prepared {
    fn guide(i: usize, g: &Guide) -> Result<Prepared> {
        let field = format!("guides[{i}]");
        required_id(&g.id, &field)?;
        if let Some(km) = g.max_travel_km
            && !(km.is_finite() && km >= 0.0)
        {
            return Err(Error::invalid(format!("{field}.max_travel_km"), format!("is {km}; must be 0 or more")));
        }
        check_location(g.location, &field)?;
        Prepared::new(&g.languages, &g.topics, &g.availability, &field, &g.id, "guide")
    }

    fn client(i: usize, c: &Client) -> Result<Prepared> {
        let field = format!("clients[{i}]");
        required_id(&c.id, &field)?;
        check_location(c.location, &field)?;
        Prepared::new(&c.languages, &c.topics, &c.availability, &field, &c.id, "client")
    }

    fn new(
        languages: &[String],
        topics: &[String],
        slots: &[String],
        field: &str,
        id: &str,
        who: &str,
    ) -> Result<Prepared> {
        let languages: Vec<String> =
            languages.iter().map(|l| l.trim().to_lowercase()).filter(|l| !l.is_empty()).collect();
        if languages.is_empty() {
            return Err(Error::invalid(format!("{field}.languages"), format!("{who} '{id}' has no languages")));
        }
        let set = |items: &[String]| items.iter().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()).collect();
        Ok(Prepared { languages, topics: set(topics), slots: set(slots) })
    }
}

/// The score breakdown of a pair, or `None` when a hard constraint rules it out.
fn explain(
    client: &Client,
    c: &Prepared,
    guide: &Guide,
    g: &Prepared,
    weights: &ScoreWeights,
) -> Option<Vec<ScorePart>> {
    let language = language_part(c, g, weights.language)?;
    let gender = gender_part(client, guide, weights.gender)?;
    let distance = distance_part(client, guide, weights.distance)?;
    let availability = availability_part(c, g, weights.availability)?;
    let topics = topics_part(c, g, weights.topics);
    Some(vec![language, gender, distance, topics, availability])
}

fn part(criterion: &str, points: f64, reason: impl Into<String>) -> ScorePart {
    ScorePart { criterion: criterion.to_string(), points: round(points), reason: reason.into() }
}

fn language_part(c: &Prepared, g: &Prepared, weight: f64) -> Option<ScorePart> {
    let first = &c.languages[0];
    if g.languages.contains(first) {
        return Some(part("language", weight, format!("speaks {first}, the client's first language")));
    }
    let shared = c.languages.iter().find(|l| g.languages.contains(l))?;
    Some(part("language", weight / 2.0, format!("speaks {shared}, not the client's first language")))
}

fn gender_part(client: &Client, guide: &Guide, weight: f64) -> Option<ScorePart> {
    let Some(wish) = &client.gender_preference else {
        return Some(part("gender", 0.0, "no preference"));
    };
    let met = guide.gender.as_deref().is_some_and(|g| g.trim().eq_ignore_ascii_case(wish.gender.trim()));
    match (met, wish.hard) {
        (true, _) => Some(part("gender", weight, format!("{} as preferred", wish.gender))),
        (false, true) => None,
        (false, false) => Some(part("gender", 0.0, format!("not {} as preferred", wish.gender))),
    }
}

fn distance_part(client: &Client, guide: &Guide, weight: f64) -> Option<ScorePart> {
    let (Some(from), Some(to)) = (client.location, guide.location) else {
        return Some(part("distance", 0.0, "location not given"));
    };
    let km = haversine_km(from, to);
    if guide.max_travel_km.is_some_and(|max| km > max) {
        return None;
    }
    let scale = guide.max_travel_km.unwrap_or(DEFAULT_DISTANCE_SCALE_KM);
    let share = if scale > 0.0 { (1.0 - km / scale).max(0.0) } else { 1.0 };
    Some(part("distance", weight * share, format!("{km:.1} km apart")))
}

fn topics_part(c: &Prepared, g: &Prepared, weight: f64) -> ScorePart {
    if c.topics.is_empty() {
        return part("topics", 0.0, "the client named no topics");
    }
    let mut shared: Vec<&String> = c.topics.intersection(&g.topics).collect();
    shared.sort();
    if shared.is_empty() {
        return part("topics", 0.0, "no shared lived experience");
    }
    let names: Vec<&str> = shared.iter().map(|s| s.as_str()).collect();
    let share = shared.len() as f64 / c.topics.len() as f64;
    part("topics", weight * share, format!("shared lived experience: {}", names.join(", ")))
}

fn availability_part(c: &Prepared, g: &Prepared, weight: f64) -> Option<ScorePart> {
    if c.slots.is_empty() || g.slots.is_empty() {
        return Some(part("availability", weight, "available any time"));
    }
    let common = c.slots.intersection(&g.slots).count();
    if common == 0 {
        return None;
    }
    let share = common as f64 / c.slots.len() as f64;
    Some(part("availability", weight * share, format!("{common} weekly slot(s) in common")))
}

/// Great-circle distance in km (mean earth radius 6371.0088 km).
fn haversine_km(a: Location, b: Location) -> f64 {
    let (la1, la2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.longitude - a.longitude).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

fn total(parts: &[ScorePart]) -> f64 {
    round(parts.iter().map(|p| p.points).sum())
}

/// Points to two decimals, so that scores print and compare cleanly.
fn round(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}

fn check_weights(w: &ScoreWeights) -> Result<()> {
    let all = [
        ("language", w.language),
        ("gender", w.gender),
        ("distance", w.distance),
        ("topics", w.topics),
        ("availability", w.availability),
    ];
    for (name, value) in all {
        if !(value.is_finite() && (0.0..=1000.0).contains(&value)) {
            return Err(Error::invalid(format!("weights.{name}"), format!("is {value}; must be from 0 to 1000")));
        }
    }
    Ok(())
}

fn check_location(location: Option<Location>, field: &str) -> Result<()> {
    let Some(l) = location else { return Ok(()) };
    if !(l.latitude.is_finite() && (-90.0..=90.0).contains(&l.latitude)) {
        return Err(Error::invalid(
            format!("{field}.location.latitude"),
            format!("is {}; must be -90 to 90", l.latitude),
        ));
    }
    if !(l.longitude.is_finite() && (-180.0..=180.0).contains(&l.longitude)) {
        return Err(Error::invalid(
            format!("{field}.location.longitude"),
            format!("is {}; must be -180 to 180", l.longitude),
        ));
    }
    Ok(())
}

fn required_id(id: &str, field: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::invalid(format!("{field}.id"), "must not be empty"));
    }
    Ok(())
}

fn unique_ids<'a>(ids: impl Iterator<Item = &'a str>, field: &str) -> Result<()> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            return Err(Error::invalid(format!("{field}[{i}].id"), format!("'{id}' is used twice")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide(id: &str, languages: &[&str]) -> Guide {
        Guide {
            id: id.into(),
            capacity: 1,
            languages: languages.iter().map(|l| l.to_string()).collect(),
            gender: None,
            location: None,
            max_travel_km: None,
            topics: vec![],
            availability: vec![],
        }
    }

    fn client(id: &str, languages: &[&str]) -> Client {
        Client {
            id: id.into(),
            languages: languages.iter().map(|l| l.to_string()).collect(),
            gender_preference: None,
            location: None,
            topics: vec![],
            availability: vec![],
        }
    }

    fn input(guides: Vec<Guide>, clients: Vec<Client>) -> GuideAssignmentInput {
        GuideAssignmentInput { guides, clients, weights: None }
    }

    #[test]
    fn hard_constraints_remove_pairs_and_unmatched_clients_say_why() {
        let mut far = guide("far", &["de", "pl"]);
        far.location = Some(Location { latitude: 50.93, longitude: 11.59 }); // Jena
        far.max_travel_km = Some(30.0);
        let mut near = client("berlin", &["pl"]);
        near.location = Some(Location { latitude: 52.52, longitude: 13.40 });
        let mut man = guide("man", &["de"]);
        man.gender = Some("male".into());
        let mut wants_woman = client("wants_woman", &["de"]);
        wants_woman.gender_preference = Some(GenderPreference { gender: "female".into(), hard: true });
        let clients = vec![near, wants_woman, client("dk", &["da"]), client("dk2", &["da"])];
        let result = assign_guides(&input(vec![far, man, guide("da_only", &["da"])], clients)).unwrap();
        assert_eq!(result.pairs.len(), 1, "{result:?}");
        assert_eq!((result.pairs[0].client.as_str(), result.pairs[0].guide.as_str()), ("dk", "da_only"));
        let reasons: Vec<_> = result.unmatched.iter().map(|u| (u.client.as_str(), u.reason)).collect();
        assert_eq!(
            reasons,
            [
                ("berlin", UnmatchedReason::NoEligibleGuide),
                ("wants_woman", UnmatchedReason::NoEligibleGuide),
                ("dk2", UnmatchedReason::EligibleGuidesFull)
            ]
        );
    }

    #[test]
    fn breakdown_explains_every_criterion_and_sums_to_the_score() {
        let mut g = guide("g", &["en", "de"]);
        g.topics = vec!["psychosis".into(), "work".into()];
        g.gender = Some("female".into());
        g.availability = vec!["mon-am".into(), "tue-pm".into()];
        let mut c = client("c", &["de", "en"]);
        c.topics = vec!["Psychosis".into(), "family".into()];
        c.gender_preference = Some(GenderPreference { gender: "female".into(), hard: false });
        c.availability = vec!["mon-am".into(), "wed-am".into()];
        let result = assign_guides(&input(vec![g], vec![c])).unwrap();
        let pair = &result.pairs[0];
        let criteria: Vec<&str> = pair.breakdown.iter().map(|p| p.criterion.as_str()).collect();
        assert_eq!(criteria, ["language", "gender", "distance", "topics", "availability"]);
        let points: Vec<f64> = pair.breakdown.iter().map(|p| p.points).collect();
        assert_eq!(points, [10.0, 10.0, 0.0, 15.0, 5.0]);
        assert_eq!(pair.score, 40.0);
        assert!(pair.breakdown[3].reason.contains("psychosis"), "{:?}", pair.breakdown[3]);
    }

    #[test]
    fn every_pair_allowed_takes_the_dense_path_and_still_explains_each_pair() {
        let with_topic = |mut g: Guide, topic: &str| {
            g.topics = vec![topic.into()];
            g
        };
        let mut c1 = client("c1", &["da"]);
        c1.topics = vec!["psychosis".into()];
        let mut c2 = client("c2", &["da"]);
        c2.topics = vec!["work".into()];
        let guides = vec![with_topic(guide("g1", &["da"]), "psychosis"), with_topic(guide("g2", &["da"]), "work")];
        let result = assign_guides(&input(guides, vec![client("c3", &["da"]), c2, c1])).unwrap();
        let pairs: Vec<(&str, &str)> = result.pairs.iter().map(|p| (p.client.as_str(), p.guide.as_str())).collect();
        assert_eq!(pairs, [("c2", "g2"), ("c1", "g1")]);
        for pair in &result.pairs {
            assert_eq!(total(&pair.breakdown), pair.score, "{pair:?}");
        }
        assert_eq!(result.total_score, result.pairs.iter().map(|p| p.score).sum::<f64>());
        let unmatched: Vec<_> = result.unmatched.iter().map(|u| (u.client.as_str(), u.reason)).collect();
        assert_eq!(unmatched, [("c3", UnmatchedReason::EligibleGuidesFull)]);
    }

    #[test]
    fn a_client_without_languages_is_named() {
        let error = assign_guides(&input(vec![guide("g", &["de"])], vec![client("c1", &["de"]), client("c2", &[])]))
            .unwrap_err();
        assert_eq!(error, Error::invalid("clients[1].languages", "client 'c2' has no languages"));
    }

    #[test]
    fn negative_capacity_in_json_names_the_guide() {
        let json = serde_json::json!({"guides": [{"id": "g", "capacity": -2, "languages": ["de"]}], "clients": []});
        let error = GuideAssignmentInput::from_json(&json).unwrap_err();
        assert!(matches!(&error, Error::InvalidInput { field, .. } if field == "guides[0].capacity"), "{error}");
    }

    #[test]
    fn haversine_gives_known_distances() {
        let jena = Location { latitude: 50.9271, longitude: 11.5892 };
        let berlin = Location { latitude: 52.5200, longitude: 13.4050 };
        let km = haversine_km(jena, berlin);
        assert!((km - 217.0).abs() < 2.0, "Jena–Berlin is about 217 km as the crow flies, got {km}");
        assert_eq!(haversine_km(jena, jena), 0.0);
    }
}
