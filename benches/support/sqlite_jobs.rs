//! The job board's published postings in SQLite, for `versus_sqlite`: one row per posting and an
//! R*Tree over the places, read back from a trialog platform through its public export.

use std::path::Path;

use rusqlite::{Connection, params};
use trialog::{Actor, Contract, Coordinates, Job, Location, Platform, geo};

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    contract TEXT NOT NULL,
    latitude REAL,
    longitude REAL
);
CREATE VIRTUAL TABLE job_places USING rtree (id, min_lat, max_lat, min_lon, max_lon);
";

/// Kilometres per degree of latitude (and of longitude at the equator).
const KM_PER_DEGREE: f64 = 111.195;

pub struct Jobs {
    conn: Connection,
}

/// Copies every published posting of `p` (its export, as a visitor's search finds them).
pub fn build(p: &Platform, path: &Path) -> Jobs {
    let conn = super::sqlite_side::fresh(path, SCHEMA);
    for j in &p.jobs().export(&Actor::Operator, None, false).unwrap() {
        insert(&conn, j);
    }
    conn.execute_batch("COMMIT; ANALYZE;").unwrap();
    Jobs { conn }
}

/// A posting's row and, when it has a place, its R*Tree entry.
fn insert(conn: &Connection, job: &Job) {
    let place = place_of(job);
    conn.prepare_cached("INSERT INTO jobs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .unwrap()
        .execute(params![
            job.id.0,
            job.org.0,
            job.title,
            job.description,
            format!("{:?}", job.contract),
            place.map(|c| c.latitude),
            place.map(|c| c.longitude)
        ])
        .unwrap();
    if let Some(c) = place {
        conn.prepare_cached("INSERT INTO job_places VALUES (?1, ?2, ?2, ?3, ?3)")
            .unwrap()
            .execute(params![job.id.0, c.latitude, c.longitude])
            .unwrap();
    }
}

/// A posting's place, if it has one.
pub fn place_of(job: &Job) -> Option<Coordinates> {
    match &job.location {
        Location::OnSite { coordinates, .. } => Some(*coordinates),
        Location::Remote => None,
    }
}

impl Jobs {
    /// Publishes `job` in its own transaction: its row and its place in the R*Tree.
    pub fn publish(&self, job: &Job) {
        self.conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        insert(&self.conn, job);
        self.conn.execute_batch("COMMIT").unwrap();
    }

    /// Folds the WAL in and rewrites the file compactly.
    pub fn vacuum(&self) {
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }

    /// The `limit` nearest postings of `contract` within `radius_km` of `center`: the R*Tree
    /// gives the box around the circle, the distance (the same haversine trialog uses) cuts
    /// the circle and orders, ties by id.
    pub fn nearest(&self, center: Coordinates, radius_km: f64, contract: Contract, limit: usize) -> Vec<u64> {
        let d_lat = radius_km / KM_PER_DEGREE;
        let d_lon = radius_km / (KM_PER_DEGREE * center.latitude.to_radians().cos().max(0.01));
        let mut s = self
            .conn
            .prepare_cached(
                "SELECT j.id, j.title, j.latitude, j.longitude FROM job_places p JOIN jobs j ON j.id = p.id
                 WHERE p.max_lat >= ?1 AND p.min_lat <= ?2 AND p.max_lon >= ?3 AND p.min_lon <= ?4 AND j.contract = ?5",
            )
            .unwrap();
        let rows = s
            .query_map(
                params![
                    center.latitude - d_lat,
                    center.latitude + d_lat,
                    center.longitude - d_lon,
                    center.longitude + d_lon,
                    format!("{contract:?}")
                ],
                |r| Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?, r.get::<_, f64>(2)?, r.get::<_, f64>(3)?)),
            )
            .unwrap();
        let mut near: Vec<(f64, u64, String)> = rows
            .map(|r| r.unwrap())
            .filter_map(|(id, title, latitude, longitude)| {
                let d = geo::distance_km(center, Coordinates { latitude, longitude });
                (d <= radius_km).then_some((d, id, title))
            })
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        near.into_iter().take(limit).map(|(_, id, _)| id).collect()
    }
}
