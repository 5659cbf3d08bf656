//! The tables of the self-help directory: declared here, registered by [`super::DOMAIN`], read
//! and written only in [`super::records`].

use crate::store::{AnyTable, Table};

/// Group id → group record (JSON).
pub(crate) const GROUPS: Table<u64, &[u8]> = Table::new("groups");
/// (contact point, group) → (): a contact point's groups.
pub(crate) const GROUPS_BY_CONTACT_POINT: Table<(u64, u64), ()> = Table::new("groups_by_contact_point");
/// (last confirmed µs, group) → (): the freshness index the stale list reads.
pub(crate) const GROUPS_BY_CONFIRMED: Table<(i64, u64), ()> = Table::new("groups_by_confirmed");
/// Group id → its search card (`card::GroupCard`): what a search without a place reads, in
/// id order.
pub(crate) const SEARCH_CARDS: Table<u64, &[u8]> = Table::new("group_search_cards");
/// (grid cell or `card::ONLINE`, group) → search card: the groups a radius search reads, a
/// few cells at a time.
pub(crate) const SEARCH_CELLS: Table<(u32, u64), &[u8]> = Table::new("group_search_cells");
/// (topic, grid cell or `card::ONLINE`, group) → search card: the same per topic, for a radius
/// search with a topic.
pub(crate) const SEARCH_TOPIC_CELLS: Table<(&str, u32, u64), &[u8]> = Table::new("group_search_topic_cells");
/// (topic, group) → search card: a topic's groups in id order, for a search by topic without
/// a place (a rare topic's few groups, not every card of the directory).
pub(crate) const SEARCH_TOPICS: Table<(&str, u64), &[u8]> = Table::new("group_search_topics");
/// Group id → its meetings parsed (`timetable::Timetable`): what the next dates of many groups
/// read, instead of the whole records.
pub(crate) const TIMETABLES: Table<u64, &[u8]> = Table::new("group_timetables");
/// Organisation id → its public contact data (JSON).
pub(crate) const ORG_CONTACTS: Table<u64, &[u8]> = Table::new("group_org_contacts");
/// Setting name → value (JSON): the directory's settings.
pub(crate) const GROUP_SETTINGS: Table<&str, &[u8]> = Table::new("group_settings");
/// Request id → contact request (JSON).
pub(crate) const REQUESTS: Table<u64, &[u8]> = Table::new("group_requests");
/// (organisation, request) → (): a contact point's shared inbox of requests.
pub(crate) const REQUESTS_BY_ORG: Table<(u64, u64), ()> = Table::new("group_requests_by_org");
/// (group contact account, request) → (): requests routed to a group's own contact.
pub(crate) const REQUESTS_BY_CONTACT: Table<(u64, u64), ()> = Table::new("group_requests_by_contact");
/// (requester, request) → group: a person's own requests.
pub(crate) const REQUESTS_BY_REQUESTER: Table<(u64, u64), u64> = Table::new("group_requests_by_requester");
/// (created µs, request) → (): the purge index.
pub(crate) const REQUESTS_BY_TIME: Table<(i64, u64), ()> = Table::new("group_requests_by_time");
/// (account, µs, request) → (): when each account asked, for the rate limit.
pub(crate) const REQUEST_RATES: Table<(u64, i64, u64), ()> = Table::new("group_request_rates");
/// (month as YYYYMM, contact point or 0) → requests made: the reports' figure, kept when the
/// requests themselves are purged.
pub(crate) const REQUEST_COUNTS: Table<(u32, u64), u64> = Table::new("group_request_counts");

/// Room id → room (JSON).
pub(crate) const ROOMS: Table<u64, &[u8]> = Table::new("group_rooms");
/// (offering organisation, room) → (): an organisation's rooms.
pub(crate) const ROOMS_BY_ORG: Table<(u64, u64), ()> = Table::new("group_rooms_by_org");
/// Booking id → booking (JSON).
pub(crate) const BOOKINGS: Table<u64, &[u8]> = Table::new("group_bookings");
/// (room, booking) → (): a room's bookings, read for the overlap check.
pub(crate) const BOOKINGS_BY_ROOM: Table<(u64, u64), ()> = Table::new("group_bookings_by_room");
/// (group, booking) → (): a group's bookings.
pub(crate) const BOOKINGS_BY_GROUP: Table<(u64, u64), ()> = Table::new("group_bookings_by_group");

/// (kind, HSDS id) → local id: the ids records brought from another directory (kind 1: a
/// group, 2: a contact point), so that importing the file again updates them.
pub(crate) const HSDS_LOCAL: Table<(u64, &str), u64> = Table::new("group_hsds_local");
/// (kind, local id) → HSDS id (UTF-8): the same, the other way, for exports.
pub(crate) const HSDS_IDS: Table<(u64, u64), &[u8]> = Table::new("group_hsds_ids");

/// Every table of the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &GROUPS,
    &GROUPS_BY_CONTACT_POINT,
    &GROUPS_BY_CONFIRMED,
    &SEARCH_CARDS,
    &SEARCH_CELLS,
    &SEARCH_TOPIC_CELLS,
    &SEARCH_TOPICS,
    &TIMETABLES,
    &ORG_CONTACTS,
    &GROUP_SETTINGS,
    &REQUESTS,
    &REQUESTS_BY_ORG,
    &REQUESTS_BY_CONTACT,
    &REQUESTS_BY_REQUESTER,
    &REQUESTS_BY_TIME,
    &REQUEST_RATES,
    &REQUEST_COUNTS,
    &ROOMS,
    &ROOMS_BY_ORG,
    &BOOKINGS,
    &BOOKINGS_BY_ROOM,
    &BOOKINGS_BY_GROUP,
    &HSDS_LOCAL,
    &HSDS_IDS,
];
