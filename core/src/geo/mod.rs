//! Places on the earth: coordinates and great-circle distances, a gazetteer of postcodes
//! loaded from GeoNames files ([`Geo::import`], `trialog geo import DE.txt`), and the grid the
//! job search uses as its spatial index.
//!
//! ```
//! use trialog_core::geo::{Coordinates, distance_km};
//! let berlin = Coordinates::new(52.5200, 13.4050)?;
//! let hamburg = Coordinates::new(53.5511, 9.9937)?;
//! assert!((distance_km(berlin, hamburg) - 255.0).abs() < 1.5);
//! # Ok::<(), trialog_core::Error>(())
//! ```

mod gazetteer;
pub(crate) mod grid;
mod records;
pub(crate) mod tables;

use serde::{Deserialize, Serialize};

pub use gazetteer::{CountryGazetteer, GazetteerImport, Geo, Place, read_postal_codes};
pub(crate) use gazetteer::{named, resolve};

use crate::error::{Error, Result};

/// The mean earth radius (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A point on the earth in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Coordinates {
    /// −90 (south pole) to 90 (north pole).
    pub latitude: f64,
    /// −180 to 180, east positive.
    pub longitude: f64,
}

impl Coordinates {
    /// Checked coordinates: `InvalidInput` on the field at fault for a value that is not a
    /// number or out of range.
    pub fn new(latitude: f64, longitude: f64) -> Result<Self> {
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(Error::invalid("latitude", format!("{latitude} is not a latitude between -90 and 90")));
        }
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(Error::invalid("longitude", format!("{longitude} is not a longitude between -180 and 180")));
        }
        Ok(Coordinates { latitude, longitude })
    }
}

/// The great-circle distance between two points in kilometres (haversine formula on a sphere of
/// radius [`EARTH_RADIUS_KM`]; within 0.5 % of the ellipsoidal distance).
pub fn distance_km(a: Coordinates, b: Coordinates) -> f64 {
    let (lat_a, lat_b) = (a.latitude.to_radians(), b.latitude.to_radians());
    let d_lat = lat_b - lat_a;
    let d_lon = (b.longitude - a.longitude).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat_a.cos() * lat_b.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.clamp(0.0, 1.0).sqrt().asin()
}

/// Registration of the geo domain: its tables, migrations and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "geo",
    tick: crate::store::Domain::nothing_due,
    personal: None,
    tables: tables::TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |txn, found| {
        let n = records::check_integrity(txn, &mut found.problems)?;
        found.count("postcodes", n);
        Ok(())
    },
    figures: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn at(latitude: f64, longitude: f64) -> Coordinates {
        Coordinates::new(latitude, longitude).unwrap()
    }

    #[test]
    fn city_distances_match_published_figures() {
        // City centres (Berlin Mitte, Hamburg Rathaus; Copenhagen Rådhuspladsen, Aarhus C) and
        // the great-circle distances given for them: 255 km and 157 km.
        let berlin_hamburg = distance_km(at(52.5200, 13.4050), at(53.5511, 9.9937));
        assert!((berlin_hamburg - 255.0).abs() < 1.0, "Berlin–Hamburg: {berlin_hamburg} km");
        let copenhagen_aarhus = distance_km(at(55.6761, 12.5683), at(56.1629, 10.2039));
        assert!((copenhagen_aarhus - 157.0).abs() < 1.0, "Copenhagen–Aarhus: {copenhagen_aarhus} km");
    }

    #[test]
    fn distance_is_symmetric_and_zero_for_the_same_point() {
        let (a, b) = (at(50.9271, 11.5892), at(-33.9, 151.2));
        assert_eq!(distance_km(a, a), 0.0);
        assert!((distance_km(a, b) - distance_km(b, a)).abs() < 1e-9);
        let half = std::f64::consts::PI * EARTH_RADIUS_KM;
        assert!((distance_km(at(0.0, 0.0), at(0.0, 180.0)) - half).abs() < 1e-6);
        assert!((distance_km(at(0.0, 179.9), at(0.0, -179.9)) - 22.239).abs() < 0.01);
    }

    #[test]
    fn out_of_range_coordinates_name_their_field() {
        let field = |r: Result<Coordinates>| match r {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        };
        assert_eq!(field(Coordinates::new(90.5, 0.0)), "latitude");
        assert_eq!(field(Coordinates::new(f64::NAN, 0.0)), "latitude");
        assert_eq!(field(Coordinates::new(0.0, -180.01)), "longitude");
        assert_eq!(field(Coordinates::new(0.0, f64::INFINITY)), "longitude");
        assert!(Coordinates::new(-90.0, 180.0).is_ok());
    }
}
