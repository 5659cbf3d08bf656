//! The grid the job search files postings under: cells of 0.25° × 0.25° (about 28 km × 17 km
//! in Germany), numbered row by row from the south pole and the antimeridian.
//!
//! A radius search reads the cells its circle may reach, nearest first; each comes with a
//! lower bound of its distance, so a search sorted by distance stops as soon as no remaining
//! cell can hold anything nearer than what it has.

use super::{Coordinates, EARTH_RADIUS_KM};

/// Cell size in degrees.
pub(crate) const CELL_DEGREES: f64 = 0.25;
const ROWS: u32 = 720;
const COLUMNS: u32 = 1440;

/// The cell holding `point`.
pub(crate) fn cell_of(point: Coordinates) -> u32 {
    let row = (((point.latitude + 90.0) / CELL_DEGREES).floor() as u32).min(ROWS - 1);
    let col = (((point.longitude + 180.0) / CELL_DEGREES).floor() as u32) % COLUMNS;
    row * COLUMNS + col
}

/// Every cell that may hold a point within `radius_km` of `center`, with a lower bound of the
/// distance from `center` to any point of the cell; nearest first, then by id.
pub(crate) fn cells_within(center: Coordinates, radius_km: f64) -> Vec<(u32, f64)> {
    let reach = (radius_km / EARTH_RADIUS_KM).to_degrees();
    let lowest = row_of(center.latitude - reach);
    let highest = row_of(center.latitude + reach);
    let columns = columns_reached(center, radius_km, reach);
    let mut out = Vec::new();
    for row in lowest..=highest {
        for &col in &columns {
            let bound = lower_bound_km(center, row, col);
            if bound <= radius_km {
                out.push((row * COLUMNS + col, bound));
            }
        }
    }
    out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    out
}

fn row_of(latitude: f64) -> u32 {
    (((latitude.clamp(-90.0, 90.0) + 90.0) / CELL_DEGREES).floor() as u32).min(ROWS - 1)
}

/// The columns a circle reaches: all of them when it covers a pole.
fn columns_reached(center: Coordinates, radius_km: f64, reach: f64) -> Vec<u32> {
    if center.latitude.abs() + reach >= 89.0 {
        return (0..COLUMNS).collect();
    }
    let spread = ((radius_km / EARTH_RADIUS_KM).sin() / center.latitude.to_radians().cos()).asin().to_degrees();
    if !spread.is_finite() || spread >= 179.0 {
        return (0..COLUMNS).collect();
    }
    let first = ((center.longitude - spread + 180.0) / CELL_DEGREES).floor() as i64 - 1;
    let last = ((center.longitude + spread + 180.0) / CELL_DEGREES).floor() as i64 + 1;
    let mut cols: Vec<u32> = (first..=last).map(|c| c.rem_euclid(i64::from(COLUMNS)) as u32).collect();
    cols.sort_unstable();
    cols.dedup();
    cols
}

/// A lower bound of the distance from `center` to any point of the cell: the larger of the
/// north–south gap (no path between two latitudes is shorter) and the distance to the
/// great circle of the nearer edge meridian (no point on it is nearer).
fn lower_bound_km(center: Coordinates, row: u32, col: u32) -> f64 {
    let south = f64::from(row) * CELL_DEGREES - 90.0;
    let north = south + CELL_DEGREES;
    let lat_gap = if center.latitude < south {
        south - center.latitude
    } else if center.latitude > north {
        center.latitude - north
    } else {
        0.0
    };
    let west = f64::from(col) * CELL_DEGREES - 180.0;
    let east = west + CELL_DEGREES;
    let inside = |lon: f64| {
        let offset = (lon - west).rem_euclid(360.0);
        offset <= CELL_DEGREES
    };
    let meridian = if inside(center.longitude) {
        0.0
    } else {
        let gap = |edge: f64| {
            let d = (center.longitude - edge).rem_euclid(360.0);
            d.min(360.0 - d)
        };
        let delta = gap(west).min(gap(east)).min(90.0).to_radians();
        (center.latitude.to_radians().cos() * delta.sin()).abs().min(1.0).asin() * EARTH_RADIUS_KM
    };
    (lat_gap.to_radians() * EARTH_RADIUS_KM).max(meridian)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::distance_km;
    use super::*;

    proptest! {
        #[test]
        fn every_point_within_the_radius_is_in_a_listed_cell_whose_bound_holds(
            lat in -89.0f64..89.0, lon in -180.0f64..180.0, radius in 1.0f64..1000.0,
            bearing in 0.0f64..360.0, fraction in 0.0f64..1.0,
        ) {
            let center = Coordinates { latitude: lat, longitude: lon };
            let point = destination(center, bearing, radius * fraction);
            let distance = distance_km(center, point);
            prop_assume!(distance <= radius);
            let cells = cells_within(center, radius);
            let cell = cell_of(point);
            let found = cells.iter().find(|(c, _)| *c == cell);
            prop_assert!(found.is_some(), "cell {} of {:?} missing around {:?} r={}", cell, point, center, radius);
            prop_assert!(found.unwrap().1 <= distance + 1e-6, "bound {} above distance {}", found.unwrap().1, distance);
        }
    }

    #[test]
    fn nearby_cells_come_first_and_the_own_cell_has_bound_zero() {
        let berlin = Coordinates { latitude: 52.52, longitude: 13.405 };
        let cells = cells_within(berlin, 50.0);
        assert_eq!(cells[0], (cell_of(berlin), 0.0));
        assert!(cells.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(cells.len() > 10 && cells.len() < 60, "{}", cells.len());
    }

    /// The point `km` away from `start` in direction `bearing` (degrees).
    fn destination(start: Coordinates, bearing: f64, km: f64) -> Coordinates {
        let (phi, lambda) = (start.latitude.to_radians(), start.longitude.to_radians());
        let (theta, delta) = (bearing.to_radians(), km / EARTH_RADIUS_KM);
        let phi2 = (phi.sin() * delta.cos() + phi.cos() * delta.sin() * theta.cos()).asin();
        let lambda2 = lambda + (theta.sin() * delta.sin() * phi.cos()).atan2(delta.cos() - phi.sin() * phi2.sin());
        Coordinates { latitude: phi2.to_degrees(), longitude: ((lambda2.to_degrees() + 540.0) % 360.0) - 180.0 }
    }
}
