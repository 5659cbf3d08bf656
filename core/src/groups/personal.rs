//! The directory's part in the person's rights (`crate::rights`): the contact requests a
//! person made and the groups they are the contact person of go into their export. An erasure
//! deletes their requests (message, how to reach them) and the rate limit's rows; groups they
//! were the contact of lose the contact and send requests to their contact point again; other
//! people's requests lying in their inbox move to the contact point's inbox, and a connected
//! request that named them as the group contact names "former member". Room bookings they
//! asked for stay the group's, without the link to them.

use serde::Serialize;

use super::RequestRoute;
use super::model::{ContactRequest, GroupId};
use super::records::{self, GroupRecord};
use crate::error::Result;
use crate::store::{Domain, Dossier, Erasure, Person, Personal, ReadTxn, WriteTxn};

/// The directory's registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

/// A group the person is the contact person of.
#[derive(Serialize)]
struct ContactOf {
    group: GroupId,
    name: String,
}

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let mut requests: Vec<ContactRequest> = Vec::new();
    for (id, _) in records::requests_of(txn, person.account)? {
        requests.push(records::load_request(txn, id)?.request);
    }
    requests.reverse(); // oldest first, like every other file
    dossier.add("group_requests", ABOUT_REQUESTS, &requests)?;
    let contact_of: Vec<ContactOf> =
        contact_groups(txn, person)?.into_iter().map(|g| ContactOf { group: g.id, name: g.name }).collect();
    dossier.add("group_contact_of", ABOUT_CONTACT_OF, &contact_of)
}

/// The groups whose contact person `person` is.
fn contact_groups(txn: &impl crate::store::Reader, person: &Person) -> Result<Vec<GroupRecord>> {
    let mut found = Vec::new();
    records::scan_groups(txn, 0, |group| {
        if group.contact == Some(person.account) {
            found.push(group);
        }
        Ok(true)
    })?;
    Ok(found)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let me = erasure.person.account;
    let own = records::requests_of(txn, me)?;
    for (id, _) in &own {
        records::delete_request(txn, *id)?;
    }
    erasure.count("contact requests", own.len() as u64);
    erasure.count("contact request rate rows", records::forget_request_times(txn, me)?);
    let groups = contact_groups(txn, &erasure.person)?;
    for group in &groups {
        let mut changed = group.clone();
        changed.contact = None;
        changed.requests_to = RequestRoute::ContactPoint;
        records::save_group(txn, Some(group), &changed)?;
    }
    erasure.count("groups' contact person", groups.len() as u64);
    let routed = records::contact_requests(txn, me, u64::MAX)?;
    for id in &routed {
        let mut rec = records::load_request(txn, *id)?;
        let org = records::load_group(txn, rec.request.group)?.contact_point;
        records::reroute_request(txn, &mut rec, org)?;
    }
    erasure.count("contact requests moved to the contact point", routed.len() as u64);
    let renamed = records::rename_group_contact(txn, &erasure.person.pseudonym, Domain::FORMER_MEMBER)?;
    erasure.count("contact requests naming them", renamed);
    let mut unlinked = 0;
    for mut booking in records::all_bookings(txn)? {
        if booking.requested_by == Some(me) {
            booking.requested_by = None;
            records::save_booking(txn, &booking)?;
            unlinked += 1;
        }
    }
    erasure.count("room bookings they asked for (kept for the group, without them)", unlinked);
    Ok(())
}

const ABOUT_REQUESTS: &str = "The contact requests you sent to self-help groups: the group, your message, how \
you asked to be reached, the state, the contact point's answer and (once connected) the group contact.";
const ABOUT_CONTACT_OF: &str = "The self-help groups whose contact person you are (group id and name).";
