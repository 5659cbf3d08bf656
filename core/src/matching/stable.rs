//! Placement rounds: stable matching of trainees (applicants) to work placements with
//! capacities and incomplete preference lists.
//!
//! Applicant-proposing deferred acceptance (Gale–Shapley, Roth's hospitals/residents form):
//! every free applicant proposes to the next placement on its list; a placement holds the best
//! applicants it has ranked up to its capacity and rejects the rest. A placement never accepts
//! an applicant it has not ranked, and an applicant never goes to a placement it has not listed.
//! The result is the applicant-optimal stable matching: no applicant and placement would both
//! rather have each other, and every applicant gets the best placement it can have in any
//! stable matching. It is unique, so it does not depend on the order of proposals.
//!
//! Complexity: O(L + P · (log ℓ + log c)) for L = the total length of all lists and P ≤ L
//! proposals: checking the lists and turning the rankings around (for each applicant, the
//! placements that rank it) is linear; each applicant proposes at most once to each placement
//! it lists, and a proposal costs a binary search among the ℓ placements that rank the
//! applicant plus O(log c) in the placement's heap of at most c admits.

use std::collections::{BinaryHeap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// The input of a placement round: who applies where, and how placements rank applicants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StableInput {
    pub applicants: Vec<Applicant>,
    pub placements: Vec<Placement>,
}

/// A trainee and the placements it would take, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Applicant {
    pub id: String,
    pub preferences: Vec<String>,
}

/// A placement, how many trainees it takes, and the applicants it accepts, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Placement {
    pub id: String,
    pub capacity: u32,
    pub ranking: Vec<String>,
}

/// The outcome of a placement round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StableMatching {
    /// One pair per placed applicant, in input order of the applicants.
    pub pairs: Vec<StablePair>,
    /// Applicants without a placement, in input order.
    pub unmatched_applicants: Vec<String>,
    /// Placements with free places left, in input order.
    pub unfilled: Vec<UnfilledPlacement>,
}

/// An applicant and its placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StablePair {
    pub applicant: String,
    pub placement: String,
}

/// A placement with places left after the round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnfilledPlacement {
    pub placement: String,
    pub free: u32,
}

/// The outcome by index: `placement_of[a]` is applicant `a`'s placement, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StableIndices {
    pub placement_of: Vec<Option<u32>>,
    /// How many places each placement has left.
    pub free: Vec<u32>,
}

/// Runs a placement round on named applicants and placements.
///
/// ```
/// use trialog_core::matching::{Applicant, Placement, StableInput, stable_match};
/// let input = StableInput {
///     applicants: vec![
///         Applicant { id: "ana".into(), preferences: vec!["clinic".into(), "club".into()] },
///         Applicant { id: "ben".into(), preferences: vec!["clinic".into()] },
///     ],
///     placements: vec![
///         Placement { id: "clinic".into(), capacity: 1, ranking: vec!["ben".into(), "ana".into()] },
///         Placement { id: "club".into(), capacity: 1, ranking: vec!["ana".into()] },
///     ],
/// };
/// let result = stable_match(&input).unwrap();
/// assert_eq!(result.pairs.len(), 2); // ben → clinic, ana → club
/// ```
pub fn stable_match(input: &StableInput) -> Result<StableMatching> {
    let applicants = index_ids(input.applicants.iter().map(|a| a.id.as_str()), "applicants")?;
    let placements = index_ids(input.placements.iter().map(|p| p.id.as_str()), "placements")?;
    let preferences = input
        .applicants
        .iter()
        .map(|a| resolve(&a.preferences, &placements, "placement", &format!("applicants.{}", a.id)))
        .collect::<Result<Vec<_>>>()?;
    let rankings = input
        .placements
        .iter()
        .map(|p| resolve(&p.ranking, &applicants, "applicant", &format!("placements.{}.ranking", p.id)))
        .collect::<Result<Vec<_>>>()?;
    let capacities: Vec<u32> = input.placements.iter().map(|p| p.capacity).collect();
    let outcome = stable_match_indices(&preferences, &rankings, &capacities)?;
    let mut result = StableMatching { pairs: Vec::new(), unmatched_applicants: Vec::new(), unfilled: Vec::new() };
    for (a, placement) in outcome.placement_of.iter().enumerate() {
        let applicant = input.applicants[a].id.clone();
        match placement {
            Some(p) => result.pairs.push(StablePair { applicant, placement: input.placements[*p as usize].id.clone() }),
            None => result.unmatched_applicants.push(applicant),
        }
    }
    for (p, &free) in outcome.free.iter().enumerate() {
        if free > 0 {
            result.unfilled.push(UnfilledPlacement { placement: input.placements[p].id.clone(), free });
        }
    }
    Ok(result)
}

/// Runs a placement round on indices: `preferences[a]` lists placements for applicant `a`,
/// `rankings[p]` lists applicants for placement `p`, both best first.
pub fn stable_match_indices(
    preferences: &[Vec<u32>],
    rankings: &[Vec<u32>],
    capacities: &[u32],
) -> Result<StableIndices> {
    if rankings.len() != capacities.len() {
        return Err(Error::invalid(
            "capacities",
            format!("has {} entries for {} placements", capacities.len(), rankings.len()),
        ));
    }
    check_preferences(preferences, rankings.len())?;
    let ranks = RanksByApplicant::build(rankings, preferences.len())?;
    Ok(deferred_acceptance(preferences, &ranks, capacities))
}

/// Rejects preference lists naming unknown placements or a placement twice. O(L).
fn check_preferences(preferences: &[Vec<u32>], placements: usize) -> Result<()> {
    let mut stamp = vec![u32::MAX; placements];
    for (a, list) in preferences.iter().enumerate() {
        for &p in list {
            let place = || format!("preferences[{a}]");
            let slot = stamp.get_mut(p as usize).ok_or_else(|| {
                Error::invalid(place(), format!("names placement {p}, but there are only {placements}"))
            })?;
            if *slot == a as u32 {
                return Err(Error::invalid(place(), format!("lists placement {p} twice")));
            }
            *slot = a as u32;
        }
    }
    Ok(())
}

/// The rankings turned around: for each applicant, the placements that rank it and the rank
/// each gives, ordered by placement, in one flat array. Built by counting in O(L); a lookup
/// is a binary search within one applicant's entries, and only proposals look anything up.
struct RanksByApplicant {
    /// Applicant `a`'s entries are `entries[offsets[a]..offsets[a + 1]]`.
    offsets: Vec<u32>,
    /// `(placement, rank)`.
    entries: Vec<(u32, u32)>,
}

impl RanksByApplicant {
    /// Checks every ranking for unknown and duplicate applicants on the way.
    fn build(rankings: &[Vec<u32>], applicants: usize) -> Result<RanksByApplicant> {
        let total: usize = rankings.iter().map(Vec::len).sum();
        if u32::try_from(total).is_err() {
            return Err(Error::invalid("rankings", format!("hold {total} entries in all; at most {}", u32::MAX)));
        }
        // Counted two places ahead, so that filling moves each applicant's cursor from its start
        // to its end, which is where the next applicant starts: offsets[a + 1] ends up right.
        let mut offsets = vec![0u32; applicants + 2];
        let mut stamp = vec![u32::MAX; applicants];
        for (p, ranking) in rankings.iter().enumerate() {
            for &a in ranking {
                let place = || format!("rankings[{p}]");
                let slot = stamp.get_mut(a as usize).ok_or_else(|| {
                    Error::invalid(place(), format!("names applicant {a}, but there are only {applicants}"))
                })?;
                if *slot == p as u32 {
                    return Err(Error::invalid(place(), format!("lists applicant {a} twice")));
                }
                *slot = p as u32;
                offsets[a as usize + 2] += 1;
            }
        }
        for a in 2..offsets.len() {
            offsets[a] += offsets[a - 1];
        }
        let mut entries = vec![(0u32, 0u32); total];
        for (p, ranking) in rankings.iter().enumerate() {
            for (rank, &a) in ranking.iter().enumerate() {
                let cursor = &mut offsets[a as usize + 1];
                entries[*cursor as usize] = (p as u32, rank as u32);
                *cursor += 1;
            }
        }
        offsets.pop();
        Ok(RanksByApplicant { offsets, entries })
    }

    /// The rank placement `p` gives applicant `a`, if it ranks it at all.
    fn rank(&self, a: usize, p: u32) -> Option<u32> {
        let own = &self.entries[self.offsets[a] as usize..self.offsets[a + 1] as usize];
        own.binary_search_by_key(&p, |&(q, _)| q).ok().map(|i| own[i].1)
    }
}

/// Deferred acceptance in rounds: every free applicant proposes down its list until a placement
/// holds it or the list ends; applicants bumped in a round propose in the next. The order of
/// proposals does not change the result. Within a round the next applicants are known in
/// advance, so the processor can fetch their lists while it handles the current one.
fn deferred_acceptance(preferences: &[Vec<u32>], ranks: &RanksByApplicant, capacities: &[u32]) -> StableIndices {
    // Each placement holds its tentative admits in a max-heap by rank: the worst on top.
    let mut held: Vec<BinaryHeap<(u32, u32)>> = vec![BinaryHeap::new(); capacities.len()];
    let mut next = vec![0u32; preferences.len()];
    let mut free: Vec<u32> = (0..preferences.len() as u32).collect();
    let mut bumped = Vec::new();
    while !free.is_empty() {
        for &a in &free {
            if let Some(loser) =
                propose(a, &preferences[a as usize], &mut next[a as usize], ranks, capacities, &mut held)
            {
                bumped.push(loser);
            }
        }
        std::mem::swap(&mut free, &mut bumped);
        bumped.clear();
    }
    let mut placement_of = vec![None; preferences.len()];
    for (p, heap) in held.iter().enumerate() {
        for &(_, a) in heap.iter() {
            placement_of[a as usize] = Some(p as u32);
        }
    }
    let free = held.iter().zip(capacities).map(|(h, &c)| c - h.len() as u32).collect();
    StableIndices { placement_of, free }
}

/// Applicant `a` proposes down its `list` from position `next` until a placement holds it or
/// the list ends; returns the applicant it bumped, if any.
fn propose(
    a: u32,
    list: &[u32],
    next: &mut u32,
    ranks: &RanksByApplicant,
    capacities: &[u32],
    held: &mut [BinaryHeap<(u32, u32)>],
) -> Option<u32> {
    while let Some(&p) = list.get(*next as usize) {
        *next += 1;
        let pu = p as usize;
        if capacities[pu] == 0 {
            continue;
        }
        let Some(rank) = ranks.rank(a as usize, p) else { continue };
        let heap = &mut held[pu];
        if (heap.len() as u32) < capacities[pu] {
            heap.push((rank, a));
            return None;
        }
        if let Some(mut worst) = heap.peek_mut()
            && rank < worst.0
        {
            let loser = worst.1;
            *worst = (rank, a);
            return Some(loser);
        }
    }
    None
}

/// Ids to indices, rejecting empty and duplicate ids.
fn index_ids<'a>(ids: impl Iterator<Item = &'a str>, field: &str) -> Result<HashMap<&'a str, u32>> {
    let mut index = HashMap::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            return Err(Error::invalid(format!("{field}[{i}].id"), "must not be empty"));
        }
        if index.insert(id, i as u32).is_some() {
            return Err(Error::invalid(field, format!("id '{id}' appears twice")));
        }
    }
    Ok(index)
}

fn resolve(list: &[String], index: &HashMap<&str, u32>, kind: &str, field: &str) -> Result<Vec<u32>> {
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    list.iter()
        .map(|id| {
            let &i = index.get(id.as_str()).ok_or_else(|| Error::invalid(field, format!("unknown {kind} '{id}'")))?;
            if !seen.insert(i) {
                return Err(Error::invalid(field, format!("lists {kind} '{id}' twice")));
            }
            Ok(i)
        })
        .collect()
}

impl StableInput {
    /// Reads the JSON form `{"applicants": {id: [placement ids]}, "placements": {id:
    /// {"capacity": n, "ranking": [applicant ids]}}}`; either side may also be a list of
    /// records (`{"id", "preferences"}`, `{"id", "capacity", "ranking"}`). Map entries come in
    /// id order. Every error names its place (`placements.P3.capacity`).
    pub fn from_json(value: &Value) -> Result<StableInput> {
        let top = value.as_object().ok_or_else(|| Error::invalid("input", "must be a JSON object"))?;
        only_keys(value, "", &["applicants", "placements"])?;
        let side = |key: &str| top.get(key).ok_or_else(|| Error::invalid(key, "is missing"));
        let applicants = entries(side("applicants")?, "applicants")?
            .into_iter()
            .map(|(id, field, v)| {
                if id.is_some() {
                    only_keys(v, &field, &["id", "preferences"])?;
                }
                let list = if id.is_some() { v.get("preferences").unwrap_or(&Value::Null) } else { v };
                let preferences = id_list(list, &format!("{field}.preferences"))?;
                Ok(Applicant { id: id.unwrap_or(field_id(&field)), preferences })
            })
            .collect::<Result<_>>()?;
        let placements = entries(side("placements")?, "placements")?
            .into_iter()
            .map(|(id, field, v)| {
                only_keys(
                    v,
                    &field,
                    if id.is_some() { &["id", "capacity", "ranking"] } else { &["capacity", "ranking"] },
                )?;
                let capacity = match v.get("capacity").and_then(Value::as_i64) {
                    Some(c) => u32::try_from(c).map_err(|_| {
                        Error::invalid(format!("{field}.capacity"), format!("is {c}; must be 0 or more"))
                    })?,
                    None => return Err(Error::invalid(format!("{field}.capacity"), "must be a whole number")),
                };
                let ranking = match v.get("ranking") {
                    Some(list) => id_list(list, &format!("{field}.ranking"))?,
                    None => Vec::new(),
                };
                Ok(Placement { id: id.unwrap_or(field_id(&field)), capacity, ranking })
            })
            .collect::<Result<_>>()?;
        Ok(StableInput { applicants, placements })
    }
}

/// The entries of one side: `(id from a list record, field name, value)`; for the map form the
/// id is the key and the field is `side.KEY`.
fn entries<'v>(value: &'v Value, side: &str) -> Result<Vec<(Option<String>, String, &'v Value)>> {
    match value {
        Value::Object(map) => Ok(map.iter().map(|(k, v)| (None, format!("{side}.{k}"), v)).collect()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v.get("id").and_then(Value::as_str) {
                Some(id) => Ok((Some(id.to_string()), format!("{side}[{i}]"), v)),
                None => Err(Error::invalid(format!("{side}[{i}].id"), "must be a string")),
            })
            .collect(),
        _ => Err(Error::invalid(side, "must be an object keyed by id, or a list")),
    }
}

/// Refuses an object holding a key other than `allowed`, naming it (`placements[0].rank`).
pub(crate) fn only_keys(value: &Value, field: &str, allowed: &[&str]) -> Result<()> {
    let Some(object) = value.as_object() else { return Ok(()) };
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        None => Ok(()),
        Some(key) => {
            let path = if field.is_empty() { key.clone() } else { format!("{field}.{key}") };
            Err(Error::invalid(path, format!("is not a known key here; expected one of {}", allowed.join(", "))))
        }
    }
}

/// The key of a map-form field name `side.KEY`.
fn field_id(field: &str) -> String {
    field.split_once('.').map_or(field, |(_, id)| id).to_string()
}

fn id_list(value: &Value, field: &str) -> Result<Vec<String>> {
    let items = value.as_array().ok_or_else(|| Error::invalid(field, "must be a list of ids"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(Error::invalid(format!("{field}[{i}]"), "must be an id (a string)")),
        })
        .collect()
}
