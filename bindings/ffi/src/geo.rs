//! The gazetteer on [`Platform`]: importing GeoNames postal-code files, postcodes and places;
//! and great-circle distances.

use std::fs::File;
use std::io::BufReader;

use trialog_core::geo::{self, Coordinates};
use trialog_core::{CountryGazetteer, Error, GazetteerImport, Place};

use crate::guard::guard;
use crate::platform::Platform;

#[uniffi::export]
impl Platform {
    /// Imports the GeoNames postal-code file at `path` (admins and the operator); a country
    /// imported again is replaced. Bad rows are skipped and listed in `problems`.
    /// Throws `NotFound` when there is no such file.
    pub fn import_gazetteer(&self, path: String) -> Result<GazetteerImport, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            let file = File::open(&path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::not_found("file", &path),
                _ => Error::invalid("path", format!("cannot open {path}: {e}")),
            })?;
            core.geo().import(actor, BufReader::new(file), &mut |_| {})
        })
    }

    /// The place of a postcode (anyone). Throws `InvalidInput` on `postcode` when it is unknown
    /// or its country's gazetteer is not loaded.
    pub fn lookup_postcode(&self, country: String, postcode: String) -> Result<Place, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.geo().lookup(actor, &country, &postcode)
        })
    }

    /// Places whose name starts with `prefix`, ignoring case and accents, in one country or
    /// all; sorted by name, then postcode; `limit` 1 to 100.
    #[uniffi::method(default(country = None, limit = 20))]
    pub fn search_places(&self, prefix: String, country: Option<String>, limit: u32) -> Result<Vec<Place>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.geo().search(actor, &prefix, country.as_deref(), limit)
        })
    }

    /// The countries whose gazetteer is loaded.
    pub fn gazetteer_countries(&self) -> Result<Vec<CountryGazetteer>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.geo().countries(actor)
        })
    }
}

/// The great-circle distance between two points in kilometres. Throws `InvalidInput` for
/// coordinates out of range.
#[uniffi::export]
pub fn distance_km(a: Coordinates, b: Coordinates) -> Result<f64, Error> {
    guard(|| {
        let a = Coordinates::new(a.latitude, a.longitude)?;
        let b = Coordinates::new(b.latitude, b.longitude)?;
        Ok(geo::distance_km(a, b))
    })
}
