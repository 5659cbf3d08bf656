//! The spatial index key scheme: the earth cut into cells of 0.25° × 0.25° (about 28 × 17 km in
//! Germany), numbered row by row from the south pole. The job search stores each posting under
//! its cell's id and, for a radius search, reads the cells [`cells_within`] names, nearest
//! first, so it can stop as soon as the next cell's lower bound is farther than what it has.
//!
//! Cell ids are stored on disk: the numbering must never change.

use super::{Coordinates, EARTH_RADIUS_KM, distance_km};

/// The side of a cell in degrees.
pub(crate) const CELL_DEGREES: f64 = 0.25;
/// Cells per row (360° of longitude).
const COLUMNS: i64 = 1440;
/// Rows (180° of latitude).
const ROWS: i64 = 720;
/// Taken off every lower bound so that rounding never lifts it above a true distance (1 mm).
const SLACK_KM: f64 = 1e-6;

/// The id of the cell holding `point`: `row * 1440 + column`, with row = ⌊(lat + 90) / 0.25⌋
/// (the north pole belongs to the last row) and column = ⌊(lon + 180) / 0.25⌋ mod 1440
/// (longitude 180 is column 0, like −180).
pub(crate) fn cell_of(point: Coordinates) -> u32 {
    let row = row_of(point.latitude).clamp(0, ROWS - 1);
    let column = column_of(point.longitude).rem_euclid(COLUMNS);
    id(row, column)
}

/// Every cell that may hold a point within `radius_km` of `center`, each with a lower bound of
/// the distance from `center` to any point of the cell (0 for the cell holding `center`),
/// sorted by that bound, then by id. Works across the poles and the antimeridian; meant for
/// radii up to about 1000 km (larger ones work but list many cells).
pub(crate) fn cells_within(center: Coordinates, radius_km: f64) -> Vec<(u32, f64)> {
    if radius_km.is_nan() || radius_km < 0.0 {
        return Vec::new();
    }
    let (rows, columns) = candidate_ranges(center, radius_km);
    let mut cells = Vec::new();
    for row in rows {
        for offset in columns.clone() {
            let column = offset.rem_euclid(COLUMNS);
            let bound = lower_bound_km(center, row, column);
            if bound <= radius_km {
                cells.push((id(row, column), bound));
            }
        }
    }
    cells.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    cells
}

/// Rows and (unwrapped) columns of a box that holds the whole circle, one cell wider on every
/// side than it needs to be so that rounding at a cell edge cannot lose a cell.
fn candidate_ranges(center: Coordinates, radius_km: f64) -> (std::ops::RangeInclusive<i64>, std::ops::Range<i64>) {
    let angle = radius_km / EARTH_RADIUS_KM;
    let d_lat = angle.to_degrees();
    let south = center.latitude - d_lat;
    let north = center.latitude + d_lat;
    let rows = (row_of(south.max(-90.0)) - 1).max(0)..=(row_of(north.min(90.0)) + 1).min(ROWS - 1);
    let all_columns = 0..COLUMNS;
    if south <= -90.0 || north >= 90.0 {
        return (rows, all_columns);
    }
    // The widest longitude the circle reaches (at the latitude where it touches its meridians).
    let spread = angle.sin() / center.latitude.to_radians().cos();
    if spread.is_nan() || spread >= 1.0 {
        return (rows, all_columns);
    }
    let d_lon = spread.asin().to_degrees();
    let west = column_of(center.longitude - d_lon) - 1;
    let east = column_of(center.longitude + d_lon) + 1;
    if east - west + 1 >= COLUMNS {
        return (rows, all_columns);
    }
    (rows, west..east + 1)
}

/// A lower bound of the distance from `center` to the cell (row, column), in kilometres.
///
/// When `center`'s longitude falls within the cell's, the nearest point lies on its meridian:
/// the distance is the latitude gap. Otherwise it lies on the cell's nearer meridian edge
/// (distance grows with the longitude gap at every latitude), at the edge point closest to
/// `center`: the critical point of the distance along that meridian if it falls on the edge,
/// else one of the edge's ends.
fn lower_bound_km(center: Coordinates, row: i64, column: i64) -> f64 {
    let south = row as f64 * CELL_DEGREES - 90.0;
    let north = south + CELL_DEGREES;
    let west = column as f64 * CELL_DEGREES - 180.0;
    let east = west + CELL_DEGREES;
    let lat = center.latitude;
    let to_west = wrap_longitude(center.longitude - west).abs();
    let to_east = wrap_longitude(center.longitude - east).abs();
    let inside_columns = (center.longitude - west).rem_euclid(360.0) <= CELL_DEGREES;
    let exact = if inside_columns {
        let gap = if lat < south {
            south - lat
        } else if lat > north {
            lat - north
        } else {
            0.0
        };
        gap.to_radians() * EARTH_RADIUS_KM
    } else {
        let (edge, gap) = if to_west <= to_east { (west, to_west) } else { (east, to_east) };
        nearest_on_meridian(center, edge, gap, south, north)
    };
    (exact - SLACK_KM).max(0.0)
}

/// The distance from `center` to the nearest point of the meridian `longitude` between the
/// latitudes `south` and `north`; `gap` is the longitude difference in degrees (0 to 180).
fn nearest_on_meridian(center: Coordinates, longitude: f64, gap: f64, south: f64, north: f64) -> f64 {
    let at = |latitude: f64| distance_km(center, Coordinates { latitude, longitude });
    // cos(distance) = sin φc·sin φ + cos φc·cos Δλ·cos φ, largest at φ = atan2(sin φc, cos φc·cos Δλ).
    let phi = center.latitude.to_radians();
    let critical = phi.sin().atan2(phi.cos() * gap.to_radians().cos()).to_degrees();
    let mut best = at(south).min(at(north));
    if (south..=north).contains(&critical) {
        best = best.min(at(critical));
    }
    best
}

/// A longitude difference folded into −180..180.
fn wrap_longitude(d_lon: f64) -> f64 {
    (d_lon + 180.0).rem_euclid(360.0) - 180.0
}

fn row_of(latitude: f64) -> i64 {
    ((latitude + 90.0) / CELL_DEGREES).floor() as i64
}

fn column_of(longitude: f64) -> i64 {
    ((longitude + 180.0) / CELL_DEGREES).floor() as i64
}

fn id(row: i64, column: i64) -> u32 {
    (row * COLUMNS + column) as u32
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(latitude: f64, longitude: f64) -> Coordinates {
        Coordinates::new(latitude, longitude).unwrap()
    }

    #[test]
    fn cells_are_numbered_from_the_south_pole_and_wrap_at_the_antimeridian() {
        assert_eq!(cell_of(at(-90.0, -180.0)), 0);
        assert_eq!(cell_of(at(-90.0, 180.0)), 0);
        assert_eq!(cell_of(at(-89.9, -179.9)), 0);
        assert_eq!(cell_of(at(-90.0, 179.9)), 1439);
        assert_eq!(cell_of(at(90.0, 0.0)), 719 * 1440 + 720);
        // Jena: row ⌊140.93 / 0.25⌋ = 563, column ⌊191.59 / 0.25⌋ = 766.
        assert_eq!(cell_of(at(50.9271, 11.5892)), 563 * 1440 + 766);
    }

    #[test]
    fn the_center_cell_comes_first_with_bound_zero() {
        let jena = at(50.9271, 11.5892);
        let cells = cells_within(jena, 30.0);
        assert_eq!(cells[0], (cell_of(jena), 0.0));
        assert!(cells.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(cells.len() > 4 && cells.len() < 40, "{} cells", cells.len());
        assert!(cells_within(jena, -1.0).is_empty());
        assert_eq!(cells_within(jena, 0.0), vec![(cell_of(jena), 0.0)]);
    }

    #[test]
    fn circles_around_a_pole_and_across_the_antimeridian_find_the_far_side() {
        let near_pole = at(89.8, 10.0);
        let far_side = at(89.8, -170.0);
        assert!(distance_km(near_pole, far_side) < 50.0);
        assert!(cells_within(near_pole, 50.0).iter().any(|(id, _)| *id == cell_of(far_side)));
        let fiji = at(-17.8, 179.95);
        let across = at(-17.8, -179.95);
        assert!(cells_within(fiji, 20.0).iter().any(|(id, _)| *id == cell_of(across)));
    }

    /// A point anywhere, with extra weight near the poles and the antimeridian.
    fn point() -> impl Strategy<Value = Coordinates> {
        let latitude = prop_oneof![-90.0..=90.0, 80.0..=90.0, -90.0..=-80.0];
        let longitude = prop_oneof![-180.0..=180.0, 170.0..=180.0, -180.0..=-170.0];
        (latitude, longitude).prop_map(|(latitude, longitude)| Coordinates { latitude, longitude })
    }

    /// A point within a few degrees of `center`, so that many of them fall inside the radius.
    fn near(center: Coordinates, d_lat: f64, d_lon: f64) -> Coordinates {
        let latitude = (center.latitude + d_lat).clamp(-90.0, 90.0);
        let longitude = wrap_longitude(center.longitude + d_lon);
        Coordinates { latitude, longitude }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn every_point_within_the_radius_lies_in_a_listed_cell(
            center in point(), radius in 0.0..1000.0_f64,
            offsets in prop::collection::vec((-12.0..12.0_f64, -40.0..40.0_f64), 40),
        ) {
            let cells = cells_within(center, radius);
            for (d_lat, d_lon) in offsets {
                let p = near(center, d_lat, d_lon);
                let d = distance_km(center, p);
                let cell = cell_of(p);
                let listed = cells.iter().find(|(id, _)| *id == cell);
                if d <= radius {
                    prop_assert!(listed.is_some(), "{p:?} at {d} km from {center:?} not in cells within {radius}");
                }
                if let Some((_, bound)) = listed {
                    prop_assert!(*bound <= d, "bound {bound} > distance {d} for {p:?} from {center:?}");
                }
            }
        }

        #[test]
        fn the_bound_never_exceeds_the_distance_to_any_point_of_the_cell(
            center in point(), p in point(),
        ) {
            let row = i64::from(cell_of(p)) / COLUMNS;
            let column = i64::from(cell_of(p)) % COLUMNS;
            let bound = lower_bound_km(center, row, column);
            let d = distance_km(center, p);
            prop_assert!(bound <= d, "bound {bound} > distance {d} for {p:?} from {center:?}");
        }
    }
}
