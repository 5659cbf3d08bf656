//! TEMPORARY shim until the geo branch lands (replaced wholesale by the merge).
#![allow(dead_code)]
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::Reader;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

impl Coordinates {
    pub fn new(latitude: f64, longitude: f64) -> Result<Self> {
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(Error::invalid("latitude", "out of range"));
        }
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(Error::invalid("longitude", "out of range"));
        }
        Ok(Coordinates { latitude, longitude })
    }
}

pub const EARTH_RADIUS_KM: f64 = 6371.0088;

pub fn distance_km(a: Coordinates, b: Coordinates) -> f64 {
    let (p1, p2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dp = p2 - p1;
    let dl = (b.longitude - a.longitude).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

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

pub(crate) fn resolve(_txn: &impl Reader, country: &str, _postcode: &str) -> Result<Place> {
    Err(Error::invalid("postcode", format!("no gazetteer for {country} is loaded")))
}

pub mod grid {
    use super::Coordinates;
    pub(crate) const CELL_DEGREES: f64 = 0.25;
    pub(crate) fn cell_of(p: Coordinates) -> u32 {
        let row = (((p.latitude + 90.0) / CELL_DEGREES).floor() as u32).min(719);
        let col = (((p.longitude + 180.0) / CELL_DEGREES).floor() as u32) % 1440;
        row * 1440 + col
    }
    pub(crate) fn cells_within(center: Coordinates, radius_km: f64) -> Vec<(u32, f64)> {
        let dlat = radius_km / 111.0 + CELL_DEGREES;
        let dlon = (radius_km / (111.0 * center.latitude.to_radians().cos().max(0.05))) + CELL_DEGREES;
        let mut out = Vec::new();
        let mut lat = center.latitude - dlat;
        while lat <= center.latitude + dlat {
            let mut lon = center.longitude - dlon;
            while lon <= center.longitude + dlon {
                let c = Coordinates { latitude: lat.clamp(-90.0, 90.0), longitude: ((lon + 540.0) % 360.0) - 180.0 };
                let id = cell_of(c);
                if !out.iter().any(|(i, _)| *i == id) {
                    out.push((id, 0.0));
                }
                lon += CELL_DEGREES / 2.0;
            }
            lat += CELL_DEGREES / 2.0;
        }
        out
    }
}
