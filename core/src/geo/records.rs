//! How the gazetteer is stored: each postcode as a [`Place`] under "`country` `postcode`", an
//! index of folded place names ("name\0country postcode" → ()), and one summary per loaded
//! country. The only module of the domain that opens its tables.

use std::collections::HashSet;

use super::gazetteer::{CountryGazetteer, Place};
use super::tables::{GEO_COUNTRIES, GEO_PLACE_NAMES, GEO_POSTCODES};
use crate::error::{Error, Result};
use crate::store::{ReadTable, Reader, WriteTxn, decode, encode};
use crate::text::fold;

/// The key of a postcode: country code, a space, the cleaned postcode (so that one country's
/// postcodes form one key range, from "`country` " to "`country`!").
pub(crate) fn postcode_key(country: &str, postcode: &str) -> String {
    format!("{country} {postcode}")
}

fn name_key(name: &str, postcode_key: &str) -> String {
    format!("{}\u{0}{postcode_key}", fold(name))
}

/// The place of a postcode key, if it is loaded.
pub(crate) fn place(txn: &impl Reader, key: &str) -> Result<Option<Place>> {
    match txn.table(GEO_POSTCODES)?.get(key)? {
        Some(bytes) => Ok(Some(decode(bytes.value(), || format!("postcode {key}"))?)),
        None => Ok(None),
    }
}

/// Writes a postcode's place and files its names in the name index.
pub(crate) fn save_place(txn: &WriteTxn, place: &Place) -> Result<()> {
    let key = postcode_key(&place.country, &place.postcode);
    txn.open_table(GEO_POSTCODES)?.put(key.as_str(), encode(place)?.as_slice())?;
    let mut names = txn.open_table(GEO_PLACE_NAMES)?;
    for name in &place.names {
        names.put(name_key(name, &key).as_str(), ())?;
    }
    Ok(())
}

/// Removes every postcode of `country` and its names.
pub(crate) fn remove_country(txn: &WriteTxn, country: &str) -> Result<()> {
    let mut postcodes = txn.open_table(GEO_POSTCODES)?;
    let mut names = txn.open_table(GEO_PLACE_NAMES)?;
    let (from, to) = (format!("{country} "), format!("{country}!"));
    let mut old = Vec::new();
    for row in postcodes.range(from.as_str()..to.as_str())? {
        let (key, bytes) = row?;
        let key = key.value().to_string();
        let place: Place = decode(bytes.value(), || format!("postcode {key}"))?;
        old.push((key, place.names));
    }
    for (key, place_names) in old {
        for name in place_names {
            names.delete(name_key(&name, &key).as_str())?;
        }
        postcodes.delete(key.as_str())?;
    }
    Ok(())
}

/// How many postcodes of `country` are stored.
pub(crate) fn count_postcodes(txn: &impl Reader, country: &str) -> Result<u64> {
    let (from, to) = (format!("{country} "), format!("{country}!"));
    let mut count = 0;
    for row in txn.table(GEO_POSTCODES)?.range(from.as_str()..to.as_str())? {
        row?;
        count += 1;
    }
    Ok(count)
}

/// Up to `limit` places with a name starting with the folded `needle`, in name order, each
/// postcode once; of one country if given.
pub(crate) fn places_named(txn: &impl Reader, needle: &str, country: Option<&str>, limit: usize) -> Result<Vec<Place>> {
    let names = txn.table(GEO_PLACE_NAMES)?;
    let postcodes = txn.table(GEO_POSTCODES)?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for row in names.range(needle..)? {
        let (key, _) = row?;
        let key = key.value();
        if !key.starts_with(needle) || out.len() == limit {
            break;
        }
        let Some((_, postcode_key)) = key.split_once('\u{0}') else { continue };
        if country.is_some_and(|c| !postcode_key.starts_with(&format!("{c} ")))
            || !seen.insert(postcode_key.to_string())
        {
            continue;
        }
        let bytes = postcodes.get(postcode_key)?.ok_or_else(|| {
            Error::storage(format!("place name index names postcode {postcode_key}, which is missing"))
        })?;
        out.push(decode(bytes.value(), || format!("postcode {postcode_key}"))?);
    }
    Ok(out)
}

/// The summary of a loaded country, if it is loaded.
pub(crate) fn country(txn: &impl Reader, code: &str) -> Result<Option<CountryGazetteer>> {
    match txn.table(GEO_COUNTRIES)?.get(code)? {
        Some(row) => Ok(Some(decode(row.value(), || format!("gazetteer of {code}"))?)),
        None => Ok(None),
    }
}

/// Whether a gazetteer of `code` is loaded (without decoding its summary).
pub(crate) fn has_country(txn: &impl Reader, code: &str) -> Result<bool> {
    Ok(txn.table(GEO_COUNTRIES)?.get(code)?.is_some())
}

/// Writes the summary of a loaded country.
pub(crate) fn save_country(txn: &WriteTxn, entry: &CountryGazetteer) -> Result<()> {
    txn.open_table(GEO_COUNTRIES)?.put(entry.country.as_str(), encode(entry)?.as_slice())?;
    Ok(())
}

/// Every loaded country, by code.
pub(crate) fn countries(txn: &impl Reader) -> Result<Vec<CountryGazetteer>> {
    let mut out = Vec::new();
    for row in txn.table(GEO_COUNTRIES)?.iter()? {
        let (code, bytes) = row?;
        out.push(decode(bytes.value(), || format!("gazetteer country {}", code.value()))?);
    }
    Ok(out)
}

/// Counts stored postcodes, noting records that do not read and names missing from the index.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let postcodes = txn.table(GEO_POSTCODES)?;
    let names = txn.table(GEO_PLACE_NAMES)?;
    let mut count = 0;
    for row in postcodes.iter()? {
        let (key, bytes) = row?;
        count += 1;
        let key = key.value();
        match decode::<Place>(bytes.value(), || format!("postcode {key}")) {
            Err(e) => problems.push(e.to_string()),
            Ok(place) => {
                for name in &place.names {
                    if names.get(name_key(name, key).as_str())?.is_none() {
                        problems.push(format!("place name '{name}' of postcode {key} is missing from the name index"));
                    }
                }
            }
        }
    }
    Ok(count)
}
