//! The matching solvers at national scale, on seeded random instances.
//!
//! `cargo bench --bench matching` — targets (issues 4 and 27, release build, 2 cores):
//! - `assign/dense_{1000,2000,5000}`: n clients × n guides, every pair allowed, capacity 1 (the
//!   dense path, from a row-major `f64` matrix as numpy holds it): no slower than SciPy's
//!   `linear_sum_assignment` (`benches/matching_scipy.py` runs both side by side); issue 4's
//!   target for 2000² was < 0.5 s.
//! - `assign/sparse_10000x1000_cap10`: 10,000 clients × 1,000 guides of capacity 10, about 30
//!   eligible guides per client: < 0.2 s.
//! - `stable/100000x10000_lists30`: 100,000 trainees × 10,000 placements (capacity 10), lists of
//!   30; placements rank everyone who listed them: < 100 ms (on indices; `stable/named_...`
//!   adds the id lookups of the named form).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::matching::{
    Applicant, MatrixView, Placement, StableInput, assign_matrix, assign_sparse, stable_match, stable_match_indices,
};

const SEED: u64 = 0x6d61_7463_6869_6e67;

/// Scores in points with two decimals, as the attribute form produces them.
fn score(rng: &mut Pcg64Mcg) -> f64 {
    f64::from(rng.random_range(0..10_000u32)) / 100.0
}

/// Row-major n × n scores, every pair allowed.
fn dense(n: usize) -> Vec<f64> {
    let mut rng = Pcg64Mcg::seed_from_u64(SEED);
    (0..n * n).map(|_| score(&mut rng)).collect()
}

/// Each client eligible for `per_client` distinct guides.
fn sparse(clients: usize, guides: usize, per_client: usize) -> Vec<Vec<(u32, f64)>> {
    let mut rng = Pcg64Mcg::seed_from_u64(SEED + 1);
    (0..clients)
        .map(|_| {
            let mut picked: Vec<u32> = Vec::with_capacity(per_client);
            while picked.len() < per_client {
                let g = rng.random_range(0..guides as u32);
                if !picked.contains(&g) {
                    picked.push(g);
                }
            }
            picked.into_iter().map(|g| (g, score(&mut rng))).collect()
        })
        .collect()
}

/// Preference lists of `per_list` distinct placements; each placement ranks, in random order,
/// everyone who listed it.
fn round(applicants: usize, placements: usize, per_list: usize) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let mut rng = Pcg64Mcg::seed_from_u64(SEED + 2);
    let mut rankings: Vec<Vec<u32>> = vec![Vec::new(); placements];
    let preferences: Vec<Vec<u32>> = (0..applicants)
        .map(|a| {
            let mut list: Vec<u32> = Vec::with_capacity(per_list);
            while list.len() < per_list {
                let p = rng.random_range(0..placements as u32);
                if !list.contains(&p) {
                    list.push(p);
                    rankings[p as usize].push(a as u32);
                }
            }
            list
        })
        .collect();
    for ranking in &mut rankings {
        ranking.shuffle(&mut rng);
    }
    (preferences, rankings)
}

fn named(preferences: &[Vec<u32>], rankings: &[Vec<u32>], capacity: u32) -> StableInput {
    let ids = |prefix: &str, list: &[u32]| list.iter().map(|i| format!("{prefix}{i}")).collect();
    StableInput {
        applicants: preferences
            .iter()
            .enumerate()
            .map(|(a, list)| Applicant { id: format!("t{a}"), preferences: ids("p", list) })
            .collect(),
        placements: rankings
            .iter()
            .enumerate()
            .map(|(p, list)| Placement { id: format!("p{p}"), capacity, ranking: ids("t", list) })
            .collect(),
    }
}

fn assign(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    let (sizes, clients, guides) = scale();
    for n in sizes {
        let matrix = dense(n);
        let ones = vec![1u32; n];
        group.bench_function(format!("dense_{n}x{n}"), |b| {
            b.iter(|| assign_matrix(MatrixView::row_major(black_box(&matrix), n, n, "scores").unwrap(), None, &ones))
        });
    }
    let eligible = sparse(clients, guides, 30);
    let tens = vec![10u32; guides];
    group.bench_function(format!("sparse_{clients}x{guides}_cap10"), |b| {
        b.iter(|| assign_sparse(black_box(&eligible), &tens).unwrap())
    });
    group.finish();
}

fn stable(c: &mut Criterion) {
    let mut group = c.benchmark_group("stable");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    let (_, clients, guides) = scale();
    let (applicants, placements) = (clients * 10, guides * 10);
    let (preferences, rankings) = round(applicants, placements, 30);
    let capacities = vec![10u32; placements];
    group.bench_function(format!("{applicants}x{placements}_lists30"), |b| {
        b.iter(|| stable_match_indices(black_box(&preferences), &rankings, &capacities).unwrap())
    });
    let input = named(&preferences, &rankings, 10);
    group.bench_function(format!("named_{applicants}x{placements}_lists30"), |b| {
        b.iter(|| stable_match(black_box(&input)).unwrap())
    });
    group.finish();
}

/// Full size under `cargo bench` (which passes `--bench`), a tenth of it when the binary runs
/// as a test (`cargo test --bench matching`).
fn scale() -> (Vec<usize>, usize, usize) {
    if std::env::args().any(|a| a == "--bench") {
        (vec![1_000, 2_000, 5_000], 10_000, 1_000)
    } else {
        (vec![100, 200], 1_000, 100)
    }
}

criterion_group!(benches, assign, stable);
criterion_main!(benches);
