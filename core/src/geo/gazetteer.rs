//! The gazetteer: postcodes and place names from GeoNames postal-code files
//! (download.geonames.org/export/zip/, CC BY 4.0), so that a job posting or a search can say
//! "10115" or "Jena" instead of coordinates.
//!
//! A GeoNames file is tab-separated, one row per (postcode, place), 12 columns: country code,
//! postal code, place name, admin name1, admin code1, admin name2, admin code2, admin name3,
//! admin code3, latitude, longitude, accuracy. Several countries can be loaded side by side;
//! importing a country again replaces all of its postcodes.
//!
//! A postcode with several rows (a German postcode often covers several villages) becomes one
//! [`Place`] at the mean of the rows' coordinates, carrying every place name. The mean is fine
//! for what postcodes are (areas a few kilometres across, rarely more than 20): it is a point in
//! the middle of the villages, good enough for "within 30 km". It is not a centroid of the
//! area, and for the odd postcode that spans a whole valley it may sit a few km off any village.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::Coordinates;
use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::geo::records;
use crate::import::{ProblemList, RowProblem};
use crate::policy::{self, Action};
use crate::store::Reader;
use crate::text::fold;
use crate::validate;

/// How often [`Geo::import`] reports progress, in rows.
const PROGRESS_EVERY: u64 = 1000;
const MAX_NAME: usize = 200;
const MAX_POSTCODE: usize = 20;
/// The most results [`Geo::search`] returns at once.
const MAX_SEARCH: u32 = 100;

/// A postcode with where it is and the places it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Place {
    /// ISO 3166 country code, upper case ("DE").
    pub country: String,
    /// The postcode as GeoNames writes it ("01945", "1050").
    pub postcode: String,
    /// Every place name of the postcode, in file order, each once.
    pub names: Vec<String>,
    /// The mean of the coordinates of the postcode's rows.
    pub coordinates: Coordinates,
    /// The state or region (GeoNames "admin name1": "Thüringen", "Region Midtjylland").
    pub region: Option<String>,
    /// Its code (GeoNames "admin code1": "TH", "1082").
    pub region_code: Option<String>,
    /// The district (GeoNames "admin name2": "Landkreis Oberspreewald-Lausitz").
    pub district: Option<String>,
    /// How many GeoNames rows were averaged into this place.
    pub rows: u32,
}

/// What [`Geo::import`] did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GazetteerImport {
    /// The countries whose postcodes were (re)placed, sorted.
    pub countries: Vec<String>,
    /// Rows taken from the file (rows with a problem are not counted).
    pub rows: u64,
    /// Distinct postcodes stored.
    pub postcodes: u64,
    /// The rows skipped, with their line and the field at fault: the first 1,000 by line.
    pub problems: Vec<RowProblem>,
    /// Rows skipped beyond those listed.
    #[serde(default)]
    pub more_problems: u64,
}

/// A country whose gazetteer is loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CountryGazetteer {
    pub country: String,
    pub postcodes: u64,
    pub imported_at: Timestamp,
}

/// Gazetteer operations, borrowed from a [`crate::Platform`].
pub struct Geo<'p> {
    pub(crate) ctx: &'p Context,
}

impl Geo<'_> {
    /// Imports a GeoNames postal-code file (admins and the operator). Each country in the file
    /// replaces what was loaded for it before; other countries stay. Bad rows are skipped and
    /// reported; the rest land in one transaction. `progress` hears the number of rows read
    /// every 1000 rows and at the end.
    ///
    /// ```
    /// use trialog_core::{Actor, Platform};
    /// let platform = Platform::in_memory()?;
    /// let file = "DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4\n";
    /// let report = platform.geo().import(&Actor::Operator, file.as_bytes(), &mut |_| {})?;
    /// assert_eq!((report.rows, report.postcodes), (1, 1));
    /// let jena = platform.geo().lookup(&Actor::Anonymous, "de", "07743")?;
    /// assert_eq!(jena.names, ["Jena"]);
    /// # Ok::<(), trialog_core::Error>(())
    /// ```
    ///
    /// A file that looks damaged does not replace a loaded country (`Conflict`): more bad rows
    /// than [`MAX_BAD_ROWS_PERCENT`] of its lines (and more than [`FEW_BAD_ROWS`]), or fewer
    /// postcodes for a country than [`MIN_KEPT_PERCENT`] of those loaded (a truncated
    /// download). [`Geo::import_replacing`] replaces anyway.
    pub fn import(
        &self,
        actor: &Actor,
        source: impl BufRead,
        progress: &mut dyn FnMut(u64),
    ) -> Result<GazetteerImport> {
        self.import_with(actor, source, progress, false)
    }

    /// Like [`Geo::import`], replacing loaded countries even when the file looks damaged
    /// (the operator's `geo import --replace`).
    pub fn import_replacing(
        &self,
        actor: &Actor,
        source: impl BufRead,
        progress: &mut dyn FnMut(u64),
    ) -> Result<GazetteerImport> {
        self.import_with(actor, source, progress, true)
    }

    fn import_with(
        &self,
        actor: &Actor,
        source: impl BufRead,
        progress: &mut dyn FnMut(u64),
        replace: bool,
    ) -> Result<GazetteerImport> {
        // Permission before the work of parsing; the write checks again in its transaction,
        // which may run more than once, so the file is parsed before it.
        self.ctx.read(actor, |_, subject, now| policy::check(subject, Action::ImportGazetteer, now))?;
        let parsed = parse(source, progress)?;
        let bad_rows = parsed.problems.total();
        let (problems, more_problems) = parsed.problems.clone().finish();
        let countries: BTreeSet<String> = parsed.places.values().map(|p| p.place.country.clone()).collect();
        let places: Vec<Place> = parsed.places.values().cloned().map(Collected::finish).collect();
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ImportGazetteer, now)?;
            if !replace {
                refuse_damaged(txn, &parsed, &countries)?;
            }
            for country in &countries {
                records::remove_country(txn, country)?;
            }
            for place in &places {
                records::save_place(txn, place)?;
            }
            for country in &countries {
                let postcodes = records::count_postcodes(txn, country)?;
                let entry = CountryGazetteer { country: country.clone(), postcodes, imported_at: now };
                records::save_country(txn, &entry)?;
            }
            let countries: Vec<String> = countries.iter().cloned().collect();
            let postcodes = parsed.postcodes;
            if !countries.is_empty() {
                let what = format!("{} rows, {postcodes} postcodes, {bad_rows} problems", parsed.rows);
                let target = format!("gazetteer:{}", countries.join(","));
                audit::append(txn, now, actor, "geo.import", &target, Some(&what))?;
            }
            Ok(GazetteerImport { countries, rows: parsed.rows, postcodes, problems: problems.clone(), more_problems })
        })
    }

    /// Imports the GeoNames postal-code file at `path`, as [`Geo::import`] does; `NotFound`
    /// when there is no such file.
    pub fn import_file(&self, actor: &Actor, path: &str) -> Result<GazetteerImport> {
        let file = std::fs::File::open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::not_found("file", path),
            _ => Error::invalid("path", format!("cannot open {path}: {e}")),
        })?;
        self.import(actor, std::io::BufReader::new(file), &mut |_| {})
    }

    /// The place of a postcode (anyone, signed in or not). `InvalidInput` on `postcode` when it
    /// is unknown, saying whether the country's gazetteer is loaded at all.
    pub fn lookup(&self, actor: &Actor, country: &str, postcode: &str) -> Result<Place> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGazetteer, now)?;
            resolve(txn, country, postcode)
        })
    }

    /// Places whose name starts with `prefix`, ignoring case and diacritics ("munch" finds
    /// München), in one country or all; sorted by name, then postcode; each postcode once;
    /// `limit` 1 to 100.
    pub fn search(&self, actor: &Actor, prefix: &str, country: Option<&str>, limit: u32) -> Result<Vec<Place>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGazetteer, now)?;
            if !(1..=MAX_SEARCH).contains(&limit) {
                return Err(Error::invalid("limit", format!("{limit} is not between 1 and {MAX_SEARCH}")));
            }
            let needle = fold(prefix.trim());
            if needle.is_empty() {
                return Err(Error::invalid("prefix", "must not be empty"));
            }
            let country = country.map(country_code).transpose()?;
            records::places_named(txn, &needle, country.as_deref(), limit as usize)
        })
    }

    /// The countries whose gazetteer is loaded, by country code.
    pub fn countries(&self, actor: &Actor) -> Result<Vec<CountryGazetteer>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGazetteer, now)?;
            records::countries(txn)
        })
    }
}

/// The place named exactly `name` (its first name) in `country`, lowest postcode first,
/// inside any transaction (the directory's import finds a confidential group's locality).
pub(crate) fn named(txn: &impl Reader, country: &str, name: &str) -> Result<Option<Place>> {
    let country = country_code(country)?;
    let needle = fold(name.trim());
    if needle.is_empty() {
        return Ok(None);
    }
    let found = records::places_named(txn, &needle, Some(&country), MAX_SEARCH as usize)?;
    Ok(found.into_iter().find(|p| p.names.first().is_some_and(|n| n == name.trim())))
}

/// The place of `postcode` in `country`, inside any transaction (for other modules: a job
/// posting's location). Errors as [`Geo::lookup`].
pub(crate) fn resolve(txn: &impl Reader, country: &str, postcode: &str) -> Result<Place> {
    let country = country_code(country)?;
    let postcode = clean_postcode(postcode).map_err(|reason| Error::invalid("postcode", reason))?;
    if let Some(place) = records::place(txn, &records::postcode_key(&country, &postcode))? {
        return Ok(place);
    }
    if !records::has_country(txn, &country)? {
        return Err(Error::invalid(
            "postcode",
            format!(
                "no gazetteer for {country} is loaded; import the GeoNames postal codes with \
                 `trialog geo import {country}.txt` (download.geonames.org/export/zip/)"
            ),
        ));
    }
    Err(Error::invalid("postcode", format!("{postcode} is not a postcode in the {country} gazetteer")))
}

/// A postcode being collected from its rows.
#[derive(Clone)]
struct Collected {
    place: Place,
    latitude_sum: f64,
    /// Longitudes relative to the first row's, so that a postcode on the antimeridian averages
    /// to a point between its rows rather than to the other side of the earth.
    longitude_offset_sum: f64,
}

impl Collected {
    fn add(&mut self, row: Row) {
        if !self.place.names.contains(&row.name) {
            self.place.names.push(row.name);
        }
        self.latitude_sum += row.coordinates.latitude;
        self.longitude_offset_sum += wrap(row.coordinates.longitude - self.place.coordinates.longitude);
        self.place.rows += 1;
    }

    fn finish(mut self) -> Place {
        let rows = f64::from(self.place.rows);
        self.place.coordinates = Coordinates {
            latitude: self.latitude_sum / rows,
            longitude: wrap(self.place.coordinates.longitude + self.longitude_offset_sum / rows),
        };
        self.place
    }
}

/// Reads a GeoNames postal-code file without storing anything: the places an import would
/// store (one per postcode, averaged over its rows) and the rows it would refuse. Public so
/// that the fuzz targets (`fuzz/`) can feed it any bytes; imports go through [`Geo::import`].
#[doc(hidden)]
pub fn read_postal_codes(source: impl BufRead) -> Result<(Vec<Place>, Vec<RowProblem>)> {
    let parsed = parse(source, &mut |_| {})?;
    Ok((parsed.places.into_values().map(Collected::finish).collect(), parsed.problems.finish().0))
}

/// One valid row of a GeoNames file.
struct Row {
    country: String,
    postcode: String,
    name: String,
    region: Option<String>,
    region_code: Option<String>,
    district: Option<String>,
    coordinates: Coordinates,
}

/// A whole file, read and grouped by postcode.
struct Parsed {
    places: BTreeMap<String, Collected>,
    rows: u64,
    postcodes: u64,
    problems: ProblemList,
}

/// Bad rows a file may have beyond the share below before it replaces nothing.
pub const FEW_BAD_ROWS: u64 = 5;
/// The share of a file's rows, in percent, that may be bad when it replaces a loaded country.
pub const MAX_BAD_ROWS_PERCENT: u64 = 1;
/// The share of a loaded country's postcodes, in percent, a file must bring to replace it.
pub const MIN_KEPT_PERCENT: u64 = 50;

/// `Conflict` when the file would replace a loaded country but looks damaged.
fn refuse_damaged(txn: &impl Reader, parsed: &Parsed, countries: &BTreeSet<String>) -> Result<()> {
    let bad = parsed.problems.total();
    let lines = parsed.rows + bad;
    for country in countries {
        let Some(loaded) = records::country(txn, country)? else { continue };
        let incoming = parsed.places.values().filter(|p| &p.place.country == country).count() as u64;
        let why = if bad > FEW_BAD_ROWS && bad * 100 > lines * MAX_BAD_ROWS_PERCENT {
            format!("{bad} of its {lines} rows are bad")
        } else if incoming * 100 < loaded.postcodes * MIN_KEPT_PERCENT {
            format!("it has {incoming} postcodes for {country}, where {} are loaded", loaded.postcodes)
        } else {
            continue;
        };
        return Err(Error::conflict(format!(
            "the file looks damaged ({why}), so it does not replace {country}; give --replace to replace it anyway"
        )));
    }
    Ok(())
}

fn parse(mut source: impl BufRead, progress: &mut dyn FnMut(u64)) -> Result<Parsed> {
    let mut parsed = Parsed { places: BTreeMap::new(), rows: 0, postcodes: 0, problems: ProblemList::new() };
    let mut buffer = Vec::new();
    let mut line = 0_u64;
    loop {
        buffer.clear();
        let read = source
            .read_until(b'\n', &mut buffer)
            .map_err(|e| Error::invalid("source", format!("cannot read line {}: {e}", line + 1)))?;
        if read == 0 {
            break;
        }
        line += 1;
        if line.is_multiple_of(PROGRESS_EVERY) {
            progress(line);
        }
        let Ok(text) = std::str::from_utf8(&buffer) else {
            parsed.problems.push(RowProblem::new(line, "", "is not valid UTF-8"));
            continue;
        };
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        match parse_row(text) {
            Ok(row) => parsed.add(row),
            Err((field, reason)) => parsed.problems.push(RowProblem::new(line, field, reason)),
        }
    }
    progress(line);
    parsed.postcodes = parsed.places.len() as u64;
    Ok(parsed)
}

impl Parsed {
    fn add(&mut self, row: Row) {
        self.rows += 1;
        let key = records::postcode_key(&row.country, &row.postcode);
        match self.places.get_mut(&key) {
            Some(collected) => collected.add(row),
            None => {
                let place = Place {
                    country: row.country,
                    postcode: row.postcode,
                    names: vec![row.name],
                    coordinates: row.coordinates,
                    region: row.region,
                    region_code: row.region_code,
                    district: row.district,
                    rows: 1,
                };
                let collected = Collected { latitude_sum: row.coordinates.latitude, longitude_offset_sum: 0.0, place };
                self.places.insert(key, collected);
            }
        }
    }
}

/// One line of a GeoNames file, or the column at fault (named as in the GeoNames readme).
fn parse_row(text: &str) -> Result<Row, (&'static str, String)> {
    let columns: Vec<&str> = text.split('\t').collect();
    if columns.len() < 11 {
        let found = columns.len();
        return Err(("", format!("has {found} tab-separated columns; a GeoNames postal-code row has 12")));
    }
    let country = country_code(columns[0]).map_err(|_| {
        ("country code", format!("'{}' is not a two-letter country code such as DE or DK", columns[0].trim()))
    })?;
    let postcode = clean_postcode(columns[1]).map_err(|reason| ("postal code", reason))?;
    let name = validate::required_line("place name", columns[2], MAX_NAME).map_err(reason_of("place name"))?;
    let optional = |field: &'static str, index: usize| {
        validate::optional_line(field, Some(columns[index]), MAX_NAME).map_err(reason_of(field))
    };
    let region = optional("admin name1", 3)?;
    let region_code = optional("admin code1", 4)?;
    let district = optional("admin name2", 5)?;
    let number = |field: &'static str, index: usize| {
        columns[index].trim().parse::<f64>().map_err(|_| (field, format!("'{}' is not a number", columns[index])))
    };
    let (latitude, longitude) = (number("latitude", 9)?, number("longitude", 10)?);
    let coordinates = Coordinates::new(latitude, longitude).map_err(|e| match e {
        Error::InvalidInput { field, reason } if field == "latitude" => ("latitude", reason),
        other => ("longitude", other.to_string()),
    })?;
    Ok(Row { country, postcode, name, region, region_code, district, coordinates })
}

fn reason_of(field: &'static str) -> impl Fn(Error) -> (&'static str, String) {
    move |e| match e {
        Error::InvalidInput { reason, .. } => (field, reason),
        other => (field, other.to_string()),
    }
}

/// A country code: two letters, upper-cased.
fn country_code(value: &str) -> Result<String> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(Error::invalid("country", format!("'{value}' is not a two-letter ISO 3166 country code such as DE or DK")))
    }
}

/// A postcode trimmed, upper-cased, with inner spaces collapsed ("1011 ab" → "1011 AB").
fn clean_postcode(value: &str) -> Result<String, String> {
    let clean = value.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
    if clean.is_empty() {
        return Err("must not be empty".into());
    }
    if clean.chars().count() > MAX_POSTCODE || clean.chars().any(|c| c.is_control()) {
        return Err(format!("'{}' is not a postcode", value.trim()));
    }
    Ok(clean)
}

/// A longitude (or difference) folded into −180..180.
fn wrap(longitude: f64) -> f64 {
    if (-180.0..=180.0).contains(&longitude) { longitude } else { (longitude + 180.0).rem_euclid(360.0) - 180.0 }
}

#[cfg(test)]
mod tests;
