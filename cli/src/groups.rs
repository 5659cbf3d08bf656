//! `trialog groups ...`: the self-help directory — contact points' public contact data, groups
//! with meetings and places, search, freshness, and contact requests through the contact
//! point's shared inbox.

use clap::{Args, Subcommand};
use serde::de::DeserializeOwned;
use trialog_core::OrgId;
use trialog_core::{
    ContactRequest, ContactRequestId, Group, GroupHit, GroupId, GroupMeetingDates, GroupPlaceInput, GroupQuery,
    GroupSettings, GroupUpdate, MeetingInput, NewContactRequest, NewGroup, OpeningHours, OrgContactInput, RequestState,
};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Block, Table, or_dash, when};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// A contact point's public contact data: set it (its staff) or show it (anyone).
    #[command(subcommand, name = "contact-point")]
    ContactPoint(ContactPointCommand),
    /// Add a self-help group (its contact point's staff, or its own contact person: --as).
    Add(Box<GroupAdd>),
    /// Change a group; every change confirms the entry.
    Edit(Box<GroupEdit>),
    /// Confirm that a group's entry is still right (it leaves the stale list).
    Confirm {
        /// The group's id.
        id: u64,
    },
    /// One group with its next meeting dates (a confidential place only for those who may see it).
    Show {
        /// The group's id.
        id: u64,
        /// How many next meeting dates to show, 1 to 100.
        #[arg(long, default_value_t = 5)]
        dates: u32,
    },
    /// The next meeting dates of many groups at once (at most 1,000, none twice), in the order
    /// given; with --json a list of {group, dates}.
    #[command(name = "next-dates")]
    NextDates {
        /// A group's id; repeat for each group (--id 1 --id 2).
        #[arg(long = "id", required = true)]
        ids: Vec<u64>,
        /// How many next dates of each group, 1 to 100.
        #[arg(long, default_value_t = 1)]
        count: u32,
        /// The dates as of this time (RFC 3339, 2026-03-01T00:00:00Z); now when absent.
        #[arg(long)]
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Find groups: text, topic (synonyms count), radius around a postcode (online groups always),
    /// weekday, time, language, audience, accessibility, status.
    Search(Box<GroupSearch>),
    /// A contact point's groups.
    List {
        /// The contact point's organisation id.
        #[arg(long)]
        org: OrgId,
        #[command(flatten)]
        page: PageArgs,
    },
    /// A contact point's entries not confirmed within the freshness period (its staff).
    Stale {
        /// The contact point's organisation id.
        #[arg(long)]
        org: OrgId,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Show the directory's settings, or change them (admins) with any of the options.
    Settings(SettingsArgs),
    /// Export the directory as Open Referral HSDS 3 documents, one per group (only public data:
    /// never a confidential meeting place).
    #[command(name = "export-hsds")]
    ExportHsds(crate::groups_hsds::ExportHsds),
    /// Import HSDS 3 documents as contact points and groups (admins); --dry-run only reports.
    #[command(name = "import-hsds")]
    ImportHsds(crate::groups_hsds::ImportHsds),
    /// Ask to join a group (as an account: --as) with a message and how to be reached.
    Ask {
        /// The group's id.
        id: u64,
        /// What you want the contact point to know.
        #[arg(long)]
        message: String,
        /// How you want to be reached: an e-mail address, a phone number, "platform inbox".
        #[arg(long)]
        reach: String,
    },
    /// Contact requests: a contact point's shared inbox (--org), or yours as a group contact
    /// (--as-contact), or your own (neither).
    Requests {
        /// The contact point's organisation id: its shared inbox (its staff).
        #[arg(long, conflicts_with = "as_contact")]
        org: Option<OrgId>,
        /// Only requests in this state: new, forwarded, connected, declined or withdrawn (with --org).
        #[arg(long, requires = "org")]
        state: Option<String>,
        /// The requests passed to you as a group's contact person.
        #[arg(long)]
        as_contact: bool,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Pass a request to the group's contact person (the contact point's staff).
    Forward {
        /// The request's id.
        id: u64,
    },
    /// Put the person in touch with the group: they learn the group contact and the place.
    Connect {
        /// The request's id.
        id: u64,
        /// A message for the person.
        #[arg(long)]
        answer: Option<String>,
    },
    /// Decline a request with a message for the person.
    Decline {
        /// The request's id.
        id: u64,
        /// A message for the person.
        #[arg(long)]
        answer: Option<String>,
    },
    /// Withdraw your own open request.
    Withdraw {
        /// The request's id.
        id: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContactPointCommand {
    /// Set an organisation's public contact data (its staff); unset options are cleared.
    Set(Box<ContactSet>),
    /// Show an organisation's public contact data.
    Show {
        /// The organisation's id.
        org: OrgId,
    },
}

#[derive(Debug, Args)]
pub struct ContactSet {
    /// The organisation's id.
    pub org: OrgId,
    /// Street and number.
    #[arg(long)]
    pub street: Option<String>,
    /// A postcode the gazetteer knows (with --country); gives the locality and coordinates.
    #[arg(long, requires = "country")]
    pub postcode: Option<String>,
    /// ISO 3166 country of the postcode: DE, DK.
    #[arg(long, requires = "postcode")]
    pub country: Option<String>,
    /// Public phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// Public e-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Opening hours as DAY,HH:MM,HH:MM (tuesday,09:00,12:00); repeat for more.
    #[arg(long = "open", value_name = "DAY,FROM,TO")]
    pub open: Vec<String>,
}

#[derive(Debug, Args)]
pub struct GroupAdd {
    /// The group's name.
    #[arg(long)]
    pub name: String,
    /// What the group is about and how it works.
    #[arg(long, default_value = "")]
    pub description: String,
    /// A thesaurus topic's slug (repeat for more).
    #[arg(long = "topic")]
    pub topics: Vec<String>,
    /// A free keyword (repeat for more).
    #[arg(long = "keyword")]
    pub keywords: Vec<String>,
    /// Who it is for: affected, relatives or both.
    #[arg(long, default_value = "affected")]
    pub audience: String,
    /// Youngest age the group is for.
    #[arg(long)]
    pub age_min: Option<u32>,
    /// Oldest age the group is for.
    #[arg(long)]
    pub age_max: Option<u32>,
    /// A language spoken (ISO 639-1; repeat for more).
    #[arg(long = "language", required = true)]
    pub languages: Vec<String>,
    /// founding, active, full, paused or ended.
    #[arg(long, default_value = "active")]
    pub status: String,
    /// online, in_person or both.
    #[arg(long, default_value = "in_person")]
    pub format: String,
    /// The responsible contact point (an organisation of kind self_help_contact_point).
    #[arg(long)]
    pub contact_point: Option<OrgId>,
    /// The group's own contact person (pseudonym, id or @pseudonym); never shown to the public.
    #[arg(long)]
    pub contact: Option<String>,
    /// Where requests go: contact_point or group_contact.
    #[arg(long)]
    pub requests_to: Option<String>,
    #[command(flatten)]
    pub place: PlaceArgs,
    /// A meeting schedule as RRULE|HH:MM|HH:MM, e.g. 'FREQ=MONTHLY;BYDAY=2TU,4TU|18:00|20:00'; repeat for more.
    #[arg(long = "meeting", value_name = "RULE|FROM|TO")]
    pub meetings: Vec<String>,
    /// Accessibility: step_free, accessible_toilet, hearing_loop, sign_language, easy_language, child_care (repeat).
    #[arg(long = "access")]
    pub access: Vec<String>,
    /// Notes on accessibility.
    #[arg(long)]
    pub access_notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct PlaceArgs {
    /// The meeting place's postcode (with --country).
    #[arg(long, requires = "country")]
    pub postcode: Option<String>,
    /// ISO 3166 country of the postcode: DE, DK.
    #[arg(long, requires = "postcode")]
    pub country: Option<String>,
    /// The venue's name.
    #[arg(long)]
    pub venue: Option<String>,
    /// Street and number of the meeting place.
    #[arg(long)]
    pub street: Option<String>,
    /// Keep the place confidential: only people the contact point connects see it.
    #[arg(long)]
    pub confidential: bool,
}

#[derive(Debug, Args)]
pub struct GroupEdit {
    /// The group's id.
    pub id: u64,
    /// A new name.
    #[arg(long)]
    pub name: Option<String>,
    /// A new description.
    #[arg(long)]
    pub description: Option<String>,
    /// A new status: founding, active, full, paused or ended.
    #[arg(long)]
    pub status: Option<String>,
    #[command(flatten)]
    pub place: PlaceArgs,
    /// Replace the meeting schedules (RRULE|HH:MM|HH:MM; repeat).
    #[arg(long = "meeting", value_name = "RULE|FROM|TO")]
    pub meetings: Vec<String>,
}

#[derive(Debug, Args)]
pub struct GroupSearch {
    /// Words to find in names, descriptions, keywords and topic labels.
    #[arg(long)]
    pub text: Option<String>,
    /// A topic's slug or any of its labels.
    #[arg(long)]
    pub topic: Option<String>,
    /// Search around this postcode (with --country); online groups are always included.
    #[arg(long, requires = "country")]
    pub postcode: Option<String>,
    /// ISO 3166 country of the postcode.
    #[arg(long, requires = "postcode")]
    pub country: Option<String>,
    /// Kilometres around the postcode (default 25).
    #[arg(long)]
    pub radius: Option<f64>,
    /// Meeting on this weekday: monday … sunday.
    #[arg(long)]
    pub weekday: Option<String>,
    /// Meetings starting at or after this local time (HH:MM).
    #[arg(long)]
    pub after: Option<String>,
    /// Meetings ending at or before this local time (HH:MM).
    #[arg(long)]
    pub before: Option<String>,
    /// A language spoken (ISO 639-1).
    #[arg(long)]
    pub language: Option<String>,
    /// affected, relatives or both.
    #[arg(long)]
    pub audience: Option<String>,
    /// Required accessibility (repeat).
    #[arg(long = "access")]
    pub access: Vec<String>,
    /// Only this status (ended groups are left out otherwise).
    #[arg(long)]
    pub status: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// The platform's IANA time zone for meetings.
    #[arg(long)]
    pub time_zone: Option<String>,
    /// Months after which an unconfirmed entry is stale (1–60).
    #[arg(long)]
    pub stale_after_months: Option<u32>,
    /// Days after which contact requests are purged (7–3650).
    #[arg(long)]
    pub request_retention_days: Option<u32>,
    /// Contact requests one account may make per day.
    #[arg(long)]
    pub requests_per_day: Option<u32>,
}

pub fn run(session: &Session, command: GroupsCommand) -> Result<(), Failure> {
    let g = session.platform.groups();
    let actor = &session.actor;
    match command {
        GroupsCommand::ContactPoint(ContactPointCommand::Set(args)) => {
            let input = OrgContactInput {
                street: args.street,
                postcode: args.postcode,
                country: args.country,
                phone: args.phone,
                email: args.email,
                opening_hours: args.open.iter().map(|o| opening("--open", o)).collect::<Result<_, _>>()?,
            };
            let c = g.set_org_contact(actor, args.org, &input)?;
            org_contact(session, &c)
        }
        GroupsCommand::ContactPoint(ContactPointCommand::Show { org }) => {
            org_contact(session, &g.org_contact(actor, org)?)
        }
        GroupsCommand::Add(args) => {
            let new = new_group(session, *args)?;
            show(session, &g.create(actor, &new)?, Some("added"), &[])
        }
        GroupsCommand::Edit(args) => {
            let change = GroupUpdate {
                name: args.name,
                description: args.description,
                status: args.status.as_deref().map(|s| word("--status", s)).transpose()?,
                place: place(&args.place),
                meetings: (!args.meetings.is_empty())
                    .then(|| args.meetings.iter().map(|m| meeting(m)).collect::<Result<Vec<_>, _>>())
                    .transpose()?,
                ..Default::default()
            };
            show(session, &g.update(actor, GroupId(args.id), &change)?, Some("changed and confirmed"), &[])
        }
        GroupsCommand::Confirm { id } => show(session, &g.confirm(actor, GroupId(id))?, Some("confirmed"), &[]),
        GroupsCommand::Show { id, dates } => {
            let group = g.get(actor, GroupId(id))?;
            let next = g.next_meetings(actor, GroupId(id), dates)?;
            show(session, &group, None, &next.iter().map(|d| when(d.start)).collect::<Vec<_>>())
        }
        GroupsCommand::NextDates { ids, count, at } => {
            let ids: Vec<GroupId> = ids.into_iter().map(GroupId).collect();
            next_dates(session, &g.next_meetings_of(actor, &ids, count, at)?);
            Ok(())
        }
        GroupsCommand::Search(args) => {
            let query = GroupQuery {
                text: args.text,
                topic: args.topic,
                postcode: args.postcode,
                country: args.country,
                radius_km: args.radius,
                weekday: args.weekday.as_deref().map(|w| word("--weekday", w)).transpose()?,
                starts_after: args.after,
                ends_before: args.before,
                language: args.language,
                audience: args.audience.as_deref().map(|a| word("--audience", a)).transpose()?,
                accessibility: args.access.iter().map(|a| word("--access", a)).collect::<Result<_, _>>()?,
                status: args.status.as_deref().map(|s| word("--status", s)).transpose()?,
            };
            let page = g.search(actor, &query, &page_request(args.page))?;
            hits(session, &page.items, page.next_cursor.as_deref());
            Ok(())
        }
        GroupsCommand::List { org, page } => {
            let page = g.of_contact_point(actor, org, &page_request(page))?;
            groups(session, &page.items, page.next_cursor.as_deref());
            Ok(())
        }
        GroupsCommand::ExportHsds(args) => crate::groups_hsds::export(session, args),
        GroupsCommand::ImportHsds(args) => crate::groups_hsds::import(session, args),
        GroupsCommand::Stale { org, page } => {
            let page = g.stale(actor, org, &page_request(page))?;
            groups(session, &page.items, page.next_cursor.as_deref());
            Ok(())
        }
        GroupsCommand::Settings(args) => {
            let mut s = g.settings(actor)?;
            let changed = args.time_zone.is_some()
                || args.stale_after_months.is_some()
                || args.request_retention_days.is_some()
                || args.requests_per_day.is_some();
            if changed {
                s = g.set_settings(
                    actor,
                    &GroupSettings {
                        time_zone: args.time_zone.unwrap_or(s.time_zone),
                        stale_after_months: args.stale_after_months.unwrap_or(s.stale_after_months),
                        request_retention_days: args.request_retention_days.unwrap_or(s.request_retention_days),
                        requests_per_day: args.requests_per_day.unwrap_or(s.requests_per_day),
                    },
                )?;
            }
            let block = Block::new()
                .line("time zone", s.time_zone.clone())
                .line("stale after", format!("{} months", s.stale_after_months))
                .line("requests kept", format!("{} days", s.request_retention_days))
                .line("requests per day", s.requests_per_day.to_string());
            session.out.record(&s, None, &block);
            Ok(())
        }
        GroupsCommand::Ask { id, message, reach } => {
            let r = g.ask_to_join(actor, &NewContactRequest { group: GroupId(id), message, reach })?;
            request(session, &r, "sent to the contact point; you are told in your inbox when it moves")
        }
        GroupsCommand::Requests { org, state, as_contact, page } => {
            let page = page_request(page);
            let found = match (org, as_contact) {
                (Some(org), _) => {
                    let state: Option<RequestState> = state.as_deref().map(|s| word("--state", s)).transpose()?;
                    g.requests(actor, org, state, &page)?
                }
                (None, true) => g.contact_requests(actor, &page)?,
                (None, false) => g.my_requests(actor, &page)?,
            };
            requests(session, &found.items, found.next_cursor.as_deref());
            Ok(())
        }
        GroupsCommand::Forward { id } => {
            request(session, &g.forward_request(actor, ContactRequestId(id))?, "forwarded to the group contact")
        }
        GroupsCommand::Connect { id, answer } => request(
            session,
            &g.connect_request(actor, ContactRequestId(id), answer.as_deref())?,
            "connected; the person was told",
        ),
        GroupsCommand::Decline { id, answer } => request(
            session,
            &g.decline_request(actor, ContactRequestId(id), answer.as_deref())?,
            "declined; the person was told",
        ),
        GroupsCommand::Withdraw { id } => {
            request(session, &g.withdraw_request(actor, ContactRequestId(id))?, "withdrawn")
        }
    }
}

/// A vocabulary word (`in_person`, `tuesday`) read as the core's enum, or a usage error.
pub(crate) fn word<T: DeserializeOwned>(option: &str, text: &str) -> Result<T, Failure> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_lowercase()))
        .map_err(|e| Failure::usage(format!("{option}: '{text}' is not one of the words it takes"), format!("{e}")))
}

/// A weekly time `DAY,HH:MM,HH:MM` given to `option` (`--open`, `--window`).
pub(crate) fn opening(option: &str, text: &str) -> Result<OpeningHours, Failure> {
    let parts: Vec<&str> = text.split(',').collect();
    let [day, opens, closes] = parts.as_slice() else {
        return Err(Failure::usage(
            format!("{option}: '{text}' is not DAY,FROM,TO"),
            "for example tuesday,09:00,12:00",
        ));
    };
    Ok(OpeningHours { day: word(option, day)?, opens: opens.to_string(), closes: closes.to_string() })
}

fn meeting(text: &str) -> Result<MeetingInput, Failure> {
    let parts: Vec<&str> = text.split('|').collect();
    let [rule, starts, ends] = parts.as_slice() else {
        return Err(Failure::usage(
            format!("--meeting: '{text}' is not RULE|FROM|TO"),
            "for example 'FREQ=MONTHLY;BYDAY=2TU,4TU|18:00|20:00'",
        ));
    };
    Ok(MeetingInput {
        rule: rule.to_string(),
        starts: starts.to_string(),
        ends: ends.to_string(),
        valid_from: None,
        valid_until: None,
        exceptions: vec![],
    })
}

fn place(args: &PlaceArgs) -> Option<GroupPlaceInput> {
    Some(GroupPlaceInput {
        country: args.country.clone()?,
        postcode: args.postcode.clone()?,
        venue: args.venue.clone(),
        street: args.street.clone(),
        confidential: args.confidential,
    })
}

fn new_group(session: &Session, args: GroupAdd) -> Result<NewGroup, Failure> {
    let contact = args.contact.as_deref().map(|c| session.account(c).map(|a| a.id)).transpose()?;
    Ok(NewGroup {
        name: args.name,
        description: args.description,
        topics: args.topics,
        keywords: args.keywords,
        audience: word("--audience", &args.audience)?,
        age_min: args.age_min,
        age_max: args.age_max,
        languages: args.languages,
        status: word("--status", &args.status)?,
        format: word("--format", &args.format)?,
        contact_point: args.contact_point,
        contact,
        requests_to: args.requests_to.as_deref().map(|r| word("--requests-to", r)).transpose()?,
        place: place(&args.place),
        meetings: args.meetings.iter().map(|m| meeting(m)).collect::<Result<_, _>>()?,
        accessibility: args.access.iter().map(|a| word("--access", a)).collect::<Result<_, _>>()?,
        accessibility_notes: args.access_notes,
    })
}

pub(crate) fn json_word(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn show(session: &Session, group: &Group, headline: Option<&str>, dates: &[String]) -> Result<(), Failure> {
    let place = match (&group.place, group.place_confidential) {
        (Some(p), _) => [p.venue.as_deref(), p.street.as_deref(), Some(p.postcode.as_str()), p.locality.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        (None, true) => {
            format!("{} (confidential: the contact point puts you in touch)", or_dash(group.locality.as_deref()))
        }
        (None, false) => "-".into(),
    };
    let meetings: Vec<String> = group.meetings.iter().map(|m| m.description.clone()).collect();
    let block = Block::new()
        .line("group", group.id.to_string())
        .line("name", group.name.clone())
        .line("status", json_word(&group.status))
        .line("for", json_word(&group.audience))
        .line("format", json_word(&group.format))
        .line("topics", group.topics.join(", "))
        .line("languages", group.languages.join(", "))
        .line("place", place)
        .line("meets", meetings.join("; "))
        .line("next dates", dates.join(", "))
        .line("accessibility", group.accessibility.iter().map(json_word).collect::<Vec<_>>().join(", "))
        .line("contact point", group.contact_point.map(|o| o.to_string()).unwrap_or_else(|| "-".into()))
        .line("last confirmed", format!("{}{}", when(group.last_confirmed), if group.stale { " (stale)" } else { "" }));
    let headline = headline.map(|h| format!("group {} {h}", group.id));
    session.out.record(group, headline.as_deref(), &block);
    Ok(())
}

fn groups(session: &Session, items: &[Group], next: Option<&str>) {
    let mut table = Table::new(&["ID", "NAME", "STATUS", "WHERE", "LAST CONFIRMED"]);
    for g in items {
        table.row(vec![
            g.id.to_string(),
            g.name.clone(),
            json_word(&g.status),
            or_dash(g.locality.as_deref()),
            format!("{}{}", when(g.last_confirmed), if g.stale { " (stale)" } else { "" }),
        ]);
    }
    session.out.page(items, next, &table);
}

fn next_dates(session: &Session, items: &[GroupMeetingDates]) {
    let mut table = Table::new(&["GROUP", "NEXT DATES"]);
    for d in items {
        let dates: Vec<String> = d.dates.iter().map(|m| when(m.start)).collect();
        table.row(vec![d.group.to_string(), if dates.is_empty() { "-".into() } else { dates.join(", ") }]);
    }
    session.out.page(items, None, &table);
}

fn hits(session: &Session, items: &[GroupHit], next: Option<&str>) {
    let mut table = Table::new(&["ID", "NAME", "STATUS", "WHERE", "KM", "NEXT MEETING"]);
    for h in items {
        let g = &h.group;
        table.row(vec![
            g.id.to_string(),
            format!("{}{}", g.name, if g.stale { " (stale)" } else { "" }),
            json_word(&g.status),
            if g.format.online() && g.locality.is_none() { "online".into() } else { or_dash(g.locality.as_deref()) },
            h.distance_km.map(|d| format!("{d:.1}")).unwrap_or_else(|| "-".into()),
            g.next_meeting.map(|m| when(m.start)).unwrap_or_else(|| "-".into()),
        ]);
    }
    session.out.page(items, next, &table);
}

fn request(session: &Session, r: &ContactRequest, headline: &str) -> Result<(), Failure> {
    let block = Block::new()
        .line("request", r.id.to_string())
        .line("group", format!("{} {}", r.group, r.group_name))
        .line("state", r.state.as_str())
        .line("group contact", or_dash(r.group_contact.as_deref()))
        .line("answer", or_dash(r.answer.as_deref()));
    session.out.record(r, Some(&format!("request {} {headline}", r.id)), &block);
    Ok(())
}

fn requests(session: &Session, items: &[ContactRequest], next: Option<&str>) {
    let mut table = Table::new(&["ID", "GROUP", "STATE", "ASKED", "REACH"]);
    for r in items {
        table.row(vec![
            r.id.to_string(),
            r.group_name.clone(),
            r.state.as_str().into(),
            when(r.created_at),
            r.reach.clone(),
        ]);
    }
    session.out.page(items, next, &table);
}

fn org_contact(session: &Session, c: &trialog_core::OrgContact) -> Result<(), Failure> {
    let hours: Vec<String> =
        c.opening_hours.iter().map(|h| format!("{} {}–{}", json_word(&h.day), h.opens, h.closes)).collect();
    let block = Block::new()
        .line("organisation", format!("{} {}", c.org, c.name))
        .line(
            "address",
            [c.street.as_deref(), c.postcode.as_deref(), c.locality.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
        )
        .line("phone", or_dash(c.phone.as_deref()))
        .line("e-mail", or_dash(c.email.as_deref()))
        .line("opening hours", hours.join("; "));
    session.out.record(c, None, &block);
    Ok(())
}
