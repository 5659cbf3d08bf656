//! `trialog rooms ...`: rooms that clinics, municipalities and counselling centres offer to
//! self-help groups, the groups' weekly bookings, and the contact point's overview of which
//! groups have a room.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use trialog_core::OrgId;
use trialog_core::{
    Booking, BookingId, GroupId, GroupPlaceInput, GroupRooms, NewBooking, NewRoom, Room, RoomId, RoomUpdate,
};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::groups::{json_word, opening, word};
use crate::orgs::page_request;
use crate::output::{Block, Table, or_dash};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum RoomsCommand {
    /// Offer a room to groups (the organisation's staff).
    Offer(Box<RoomOffer>),
    /// Change a room (the organisation's staff); bookings already made stay.
    Edit(Box<RoomEdit>),
    /// One room (anyone).
    Show {
        /// The room's id.
        id: u64,
    },
    /// Rooms offered to groups: every one, or one organisation's (--org).
    List {
        /// Only this organisation's rooms.
        #[arg(long)]
        org: Option<OrgId>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Book a weekly slot of a room for a group (the group's contact point staff or contact).
    Book(Box<RoomBook>),
    /// Confirm a requested booking (the room's organisation); the group is told.
    Confirm {
        /// The booking's id.
        id: u64,
        /// A note for the group (where to get the key).
        #[arg(long)]
        answer: Option<String>,
    },
    /// Decline a requested booking (the room's organisation); the group is told.
    Decline {
        /// The booking's id.
        id: u64,
        /// A note for the group.
        #[arg(long)]
        answer: Option<String>,
    },
    /// Cancel a booking (either side); the other side is told.
    Cancel {
        /// The booking's id.
        id: u64,
        /// Why, for the other side.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Bookings of a room (--room, its organisation) or of a group (--group, its keepers).
    Bookings {
        /// The room's id.
        #[arg(long, required_unless_present = "group", conflicts_with = "group")]
        room: Option<u64>,
        /// The group's id.
        #[arg(long)]
        group: Option<u64>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Which of a contact point's groups have a room and which still need one (its staff).
    Overview {
        /// The contact point's organisation id.
        #[arg(long)]
        org: OrgId,
        /// Only groups meeting in person without a confirmed booking.
        #[arg(long)]
        without_room: bool,
        #[command(flatten)]
        page: PageArgs,
    },
}

#[derive(Debug, Args)]
pub struct RoomOffer {
    /// The offering organisation's id.
    #[arg(long)]
    pub org: OrgId,
    /// The room's name ("Seminarraum 2").
    #[arg(long)]
    pub name: String,
    /// The room's postcode (a postcode the gazetteer knows).
    #[arg(long)]
    pub postcode: String,
    /// ISO 3166 country of the postcode: DE, DK.
    #[arg(long)]
    pub country: String,
    /// The building or venue.
    #[arg(long)]
    pub venue: Option<String>,
    /// Street and number.
    #[arg(long)]
    pub street: Option<String>,
    /// How many people the room holds.
    #[arg(long)]
    pub capacity: u32,
    /// A weekly window groups can book, DAY,HH:MM,HH:MM (tuesday,17:00,22:00); repeat.
    #[arg(long = "window", value_name = "DAY,FROM,TO", required = true)]
    pub windows: Vec<String>,
    /// Accessibility: step_free, accessible_toilet, hearing_loop, sign_language, easy_language, child_care (repeat).
    #[arg(long = "access")]
    pub access: Vec<String>,
    /// Notes on accessibility.
    #[arg(long)]
    pub access_notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct RoomEdit {
    /// The room's id.
    pub id: u64,
    /// A new name.
    #[arg(long)]
    pub name: Option<String>,
    /// A new capacity.
    #[arg(long)]
    pub capacity: Option<u32>,
    /// Replace the weekly windows, DAY,HH:MM,HH:MM (repeat).
    #[arg(long = "window", value_name = "DAY,FROM,TO")]
    pub windows: Vec<String>,
    /// Stop new bookings.
    #[arg(long, conflicts_with = "reopen")]
    pub close: bool,
    /// Take new bookings again.
    #[arg(long)]
    pub reopen: bool,
}

#[derive(Debug, Args)]
pub struct RoomBook {
    /// The room's id.
    #[arg(long)]
    pub room: u64,
    /// The group's id.
    #[arg(long)]
    pub group: u64,
    /// The weekday: monday … sunday.
    #[arg(long)]
    pub day: String,
    /// Local start time, HH:MM.
    #[arg(long)]
    pub starts: String,
    /// Local end time, HH:MM.
    #[arg(long)]
    pub ends: String,
    /// How many people the group expects.
    #[arg(long)]
    pub people: u32,
    /// First date of the slot (YYYY-MM-DD); today when absent.
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last date of the slot (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<NaiveDate>,
}

pub fn run(session: &Session, command: RoomsCommand) -> Result<(), Failure> {
    let g = session.platform.groups();
    let actor = &session.actor;
    match command {
        RoomsCommand::Offer(args) => {
            let new = NewRoom {
                org: args.org,
                name: args.name,
                place: GroupPlaceInput {
                    country: args.country,
                    postcode: args.postcode,
                    venue: args.venue,
                    street: args.street,
                    confidential: false,
                },
                capacity: args.capacity,
                accessibility: args.access.iter().map(|a| word("--access", a)).collect::<Result<_, _>>()?,
                accessibility_notes: args.access_notes,
                windows: windows(&args.windows)?,
            };
            room(session, &g.offer_room(actor, &new)?, Some("offered"))
        }
        RoomsCommand::Edit(args) => {
            let change = RoomUpdate {
                name: args.name,
                capacity: args.capacity,
                windows: (!args.windows.is_empty()).then(|| windows(&args.windows)).transpose()?,
                open: if args.close { Some(false) } else { args.reopen.then_some(true) },
                ..Default::default()
            };
            room(session, &g.update_room(actor, RoomId(args.id), &change)?, Some("changed"))
        }
        RoomsCommand::Show { id } => room(session, &g.room(actor, RoomId(id))?, None),
        RoomsCommand::List { org, page } => {
            let page = g.rooms(actor, org, &page_request(page))?;
            rooms(session, &page.items, page.next_cursor.as_deref());
            Ok(())
        }
        RoomsCommand::Book(args) => {
            let new = NewBooking {
                room: RoomId(args.room),
                group: GroupId(args.group),
                day: word("--day", &args.day)?,
                starts: args.starts,
                ends: args.ends,
                valid_from: args.from,
                valid_until: args.until,
                people: args.people,
            };
            booking(session, &g.book_room(actor, &new)?, "requested; the room's organisation confirms or declines")
        }
        RoomsCommand::Confirm { id, answer } => booking(
            session,
            &g.confirm_booking(actor, BookingId(id), answer.as_deref())?,
            "confirmed; the group was told",
        ),
        RoomsCommand::Decline { id, answer } => booking(
            session,
            &g.decline_booking(actor, BookingId(id), answer.as_deref())?,
            "declined; the group was told",
        ),
        RoomsCommand::Cancel { id, reason } => booking(
            session,
            &g.cancel_booking(actor, BookingId(id), reason.as_deref())?,
            "cancelled; the other side was told",
        ),
        RoomsCommand::Bookings { room, group, page } => {
            match (room, group) {
                (Some(room), _) => {
                    let page = g.room_bookings(actor, RoomId(room), &page_request(page))?;
                    bookings(session, &page.items, page.next_cursor.as_deref());
                }
                (None, Some(group)) => bookings(session, &g.group_bookings(actor, GroupId(group))?, None),
                (None, None) => {
                    return Err(Failure::usage("name --room or --group", "trialog rooms bookings --room 1"));
                }
            }
            Ok(())
        }
        RoomsCommand::Overview { org, without_room, page } => {
            let page = g.room_overview(actor, org, without_room, &page_request(page))?;
            overview(session, &page.items, page.next_cursor.as_deref());
            Ok(())
        }
    }
}

fn windows(values: &[String]) -> Result<Vec<trialog_core::OpeningHours>, Failure> {
    values.iter().map(|w| opening("--window", w)).collect()
}

fn room(session: &Session, r: &Room, headline: Option<&str>) -> Result<(), Failure> {
    let windows: Vec<String> =
        r.windows.iter().map(|w| format!("{} {}–{}", json_word(&w.day), w.opens, w.closes)).collect();
    let place = [
        r.place.venue.as_deref(),
        r.place.street.as_deref(),
        Some(r.place.postcode.as_str()),
        r.place.locality.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let block = Block::new()
        .line("room", r.id.to_string())
        .line("name", r.name.clone())
        .line("organisation", format!("{} {}", r.org, r.org_name))
        .line("place", place)
        .line("capacity", r.capacity.to_string())
        .line("windows", windows.join("; "))
        .line("accessibility", r.accessibility.iter().map(json_word).collect::<Vec<_>>().join(", "))
        .line("takes bookings", if r.open { "yes" } else { "no" });
    let headline = headline.map(|h| format!("room {} {h}", r.id));
    session.out.record(r, headline.as_deref(), &block);
    Ok(())
}

fn rooms(session: &Session, items: &[Room], next: Option<&str>) {
    let mut table = Table::new(&["ID", "NAME", "ORGANISATION", "WHERE", "CAPACITY", "OPEN"]);
    for r in items {
        table.row(vec![
            r.id.to_string(),
            r.name.clone(),
            r.org_name.clone(),
            or_dash(r.place.locality.as_deref()),
            r.capacity.to_string(),
            if r.open { "yes".into() } else { "no".into() },
        ]);
    }
    session.out.page(items, next, &table);
}

fn slot(b: &Booking) -> String {
    let until = b.valid_until.map(|u| format!(" until {u}")).unwrap_or_default();
    format!("{} {}–{} from {}{until}", json_word(&b.day), b.starts, b.ends, b.valid_from)
}

fn booking(session: &Session, b: &Booking, headline: &str) -> Result<(), Failure> {
    let block = Block::new()
        .line("booking", b.id.to_string())
        .line("room", format!("{} {}", b.room, b.room_name))
        .line("group", format!("{} {}", b.group, b.group_name))
        .line("slot", slot(b))
        .line("people", b.people.to_string())
        .line("state", b.state.as_str())
        .line("note", or_dash(b.answer.as_deref()));
    session.out.record(b, Some(&format!("booking {} {headline}", b.id)), &block);
    Ok(())
}

fn bookings(session: &Session, items: &[Booking], next: Option<&str>) {
    let mut table = Table::new(&["ID", "ROOM", "GROUP", "SLOT", "STATE"]);
    for b in items {
        table.row(vec![b.id.to_string(), b.room_name.clone(), b.group_name.clone(), slot(b), b.state.as_str().into()]);
    }
    session.out.page(items, next, &table);
}

fn overview(session: &Session, items: &[GroupRooms], next: Option<&str>) {
    let mut table = Table::new(&["GROUP", "NAME", "FORMAT", "ROOM", "BOOKINGS"]);
    for l in items {
        let slots: Vec<String> = l.bookings.iter().map(|b| format!("{} ({})", b.room_name, b.state.as_str())).collect();
        table.row(vec![
            l.group.to_string(),
            l.group_name.clone(),
            json_word(&l.format),
            json_word(&l.need),
            slots.join(", "),
        ]);
    }
    session.out.page(items, next, &table);
}
