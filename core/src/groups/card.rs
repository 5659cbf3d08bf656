//! A group's search card: the few facts every search filter but the text words reads (status,
//! format, audience, languages, accessibility, topics, meeting days and times, the meeting
//! place's coordinates). The search index stores it beside each index row, so that a search
//! decodes a small card per candidate and whole records only for its page and for text words.
//!
//! The place is the record's own: for a confidential place that is its postcode's centre (the
//! street is never resolved), so the index holds nothing that search did not already read.

use serde::{Deserialize, Serialize};

use super::model::{Accessibility, GroupAudience, GroupFormat, GroupId, GroupStatus, Weekday};
use super::records::GroupRecord;
use super::schedule;
use crate::geo::{Coordinates, grid};

/// The index's pseudo-cell of groups that meet online: no grid cell has this number.
pub(crate) const ONLINE: u32 = u32::MAX;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct GroupCard {
    pub id: GroupId,
    pub status: GroupStatus,
    pub format: GroupFormat,
    pub audience: GroupAudience,
    pub languages: Vec<String>,
    pub accessibility: Vec<Accessibility>,
    pub topics: Vec<String>,
    /// Each schedule's weekdays and local start and end (minutes after midnight).
    pub times: Vec<(Vec<Weekday>, u32, u32)>,
    /// Where the group meets in person (only when it does): coordinates and confidentiality.
    pub place: Option<(Coordinates, bool)>,
}

impl GroupCard {
    pub(crate) fn of(g: &GroupRecord) -> GroupCard {
        GroupCard {
            id: g.id,
            status: g.status,
            format: g.format,
            audience: g.audience,
            languages: g.languages.clone(),
            accessibility: g.accessibility.clone(),
            topics: g.topics.clone(),
            times: g.meetings.iter().map(schedule::days_and_times).collect(),
            place: g.place.as_ref().filter(|_| g.format.in_person()).map(|p| (p.coordinates, p.confidential)),
        }
    }

    /// The index cells the group is filed under: its place's grid cell, and [`ONLINE`] when
    /// it meets online (a group meeting both ways is under both).
    pub(crate) fn cells(&self) -> Vec<u32> {
        let mut cells: Vec<u32> = self.place.iter().map(|(at, _)| grid::cell_of(*at)).collect();
        if self.format.online() {
            cells.push(ONLINE);
        }
        cells
    }
}
