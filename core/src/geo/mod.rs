//! Places on the earth: coordinates, great-circle distances, the grid the job search files
//! postings under, and postcode resolution.

pub mod grid;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::Reader;

/// A point in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

impl Coordinates {
    /// Checked coordinates in degrees: latitude in [-90, 90], longitude in [-180, 180].
    pub fn new(latitude: f64, longitude: f64) -> Result<Self> {
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(Error::invalid("latitude", format!("{latitude} is not between -90 and 90 degrees")));
        }
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(Error::invalid("longitude", format!("{longitude} is not between -180 and 180 degrees")));
        }
        Ok(Coordinates { latitude, longitude })
    }
}

/// The mean earth radius (IUGG).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in km (haversine formula).
pub fn distance_km(a: Coordinates, b: Coordinates) -> f64 {
    let (p1, p2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dp = p2 - p1;
    let dl = (b.longitude - a.longitude).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A postcode and where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Place {
    pub country: String,
    pub postcode: String,
    pub names: Vec<String>,
    pub coordinates: Coordinates,
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub district: Option<String>,
    pub rows: u32,
}

/// Resolves a postcode through the gazetteer of `country`.
///
/// No gazetteer importer exists yet, so every postcode is reported as unknown, with what to
/// do instead; the job board takes coordinates meanwhile.
pub(crate) fn resolve(_txn: &impl Reader, country: &str, postcode: &str) -> Result<Place> {
    Err(Error::invalid(
        "postcode",
        format!(
            "cannot resolve {postcode}: no postal-code gazetteer for {} is loaded in this platform; give coordinates (latitude and longitude) instead",
            country.trim().to_ascii_uppercase()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_match_published_figures() {
        let berlin = Coordinates::new(52.5200, 13.4050).unwrap();
        let hamburg = Coordinates::new(53.5511, 9.9937).unwrap();
        let copenhagen = Coordinates::new(55.6761, 12.5683).unwrap();
        let aarhus = Coordinates::new(56.1629, 10.2039).unwrap();
        assert!((distance_km(berlin, hamburg) - 255.0).abs() < 2.0, "{}", distance_km(berlin, hamburg));
        assert!((distance_km(copenhagen, aarhus) - 157.0).abs() < 2.0, "{}", distance_km(copenhagen, aarhus));
        assert_eq!(distance_km(berlin, berlin), 0.0);
    }

    #[test]
    fn coordinates_out_of_range_name_their_field() {
        assert!(matches!(Coordinates::new(91.0, 0.0), Err(Error::InvalidInput { field, .. }) if field == "latitude"));
        assert!(
            matches!(Coordinates::new(0.0, f64::NAN), Err(Error::InvalidInput { field, .. }) if field == "longitude")
        );
    }
}
