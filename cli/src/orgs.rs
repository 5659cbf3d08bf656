//! `trialog org ...`: register, list, show, edit and verify organisations.

use trialog_core::{
    NewOrganisation, OrgId, OrgKind, Organisation, OrganisationFilter, OrganisationUpdate, PageRequest,
};

use crate::args::{OrgAdd, OrgCommand, OrgEdit, OrgList, PageArgs};
use crate::failure::Failure;
use crate::output::{Block, Table, or_dash, when};
use crate::session::Session;

/// Runs one `org` command.
pub fn run(session: &Session, command: OrgCommand) -> Result<(), Failure> {
    let name_hint = "give the organisation a NAME (or --name) of 1 to 200 characters on one line";
    dispatch(session, command).map_err(|failure| failure.hint_for_field("name", name_hint))
}

fn dispatch(session: &Session, command: OrgCommand) -> Result<(), Failure> {
    match command {
        OrgCommand::Add(args) => add(session, args),
        OrgCommand::List(args) => list(session, args),
        OrgCommand::Show { id } => show(session, id),
        OrgCommand::Edit(args) => edit(session, args),
        OrgCommand::Verify { id, revoke, reason } => verify(session, id, !revoke, reason.as_deref()),
    }
}

fn add(session: &Session, args: OrgAdd) -> Result<(), Failure> {
    let new = NewOrganisation {
        name: args.name,
        kind: args.kind.parse()?,
        region: args.region,
        city: args.city,
        website: args.website,
    };
    let org = session.platform.orgs().create(&session.actor, &new)?;
    let headline = format!("registered organisation {} (unverified)", org.id);
    session.out.record(&org, Some(&headline), &block(&org));
    Ok(())
}

fn list(session: &Session, args: OrgList) -> Result<(), Failure> {
    let filter = OrganisationFilter {
        kind: args.kind.as_deref().map(str::parse::<OrgKind>).transpose()?,
        verified: match (args.verified, args.unverified) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        region: args.region,
        name_contains: args.name,
    };
    let page = session.platform.orgs().list(&session.actor, &filter, &page_request(args.page))?;
    let mut table = Table::new(&["ID", "NAME", "KIND", "REGION", "CITY", "VERIFIED"]);
    for org in &page.items {
        table.row(vec![
            org.id.to_string(),
            org.name.clone(),
            org.kind.to_string(),
            org.region.clone(),
            or_dash(org.city.as_deref()),
            yes_no(org.verified).into(),
        ]);
    }
    session.out.page(&page.items, page.next_cursor.as_deref(), &table);
    Ok(())
}

fn show(session: &Session, id: OrgId) -> Result<(), Failure> {
    let org = session.platform.orgs().get(&session.actor, id)?;
    session.out.record(&org, None, &block(&org));
    Ok(())
}

fn edit(session: &Session, args: OrgEdit) -> Result<(), Failure> {
    let change = OrganisationUpdate {
        name: args.name,
        kind: args.kind.as_deref().map(str::parse::<OrgKind>).transpose()?,
        region: args.region,
        city: args.city,
        website: args.website,
    };
    let org = session.platform.orgs().update(&session.actor, args.id, &change)?;
    session.out.record(&org, Some(&format!("updated organisation {}", org.id)), &block(&org));
    Ok(())
}

fn verify(session: &Session, id: OrgId, verified: bool, reason: Option<&str>) -> Result<(), Failure> {
    let org = session.platform.orgs().verify(&session.actor, id, verified, reason)?;
    let state = if verified { "verified" } else { "no longer verified" };
    session.out.record(&org, Some(&format!("organisation {id} is {state}")), &block(&org));
    Ok(())
}

/// The page the `--limit` and `--cursor` options ask for.
pub fn page_request(args: PageArgs) -> PageRequest {
    PageRequest { cursor: args.cursor, limit: Some(args.limit) }
}

fn block(org: &Organisation) -> Block {
    let verified = match org.verified_at {
        Some(at) if org.verified => format!("yes, since {}", when(at)),
        _ => "no".into(),
    };
    Block::new()
        .line("id", org.id.to_string())
        .line("name", org.name.clone())
        .line("kind", org.kind.to_string())
        .line("region", org.region.clone())
        .line("city", or_dash(org.city.as_deref()))
        .line("website", or_dash(org.website.as_deref()))
        .line("verified", verified)
        .line("registered", when(org.created_at))
        .line("updated", when(org.updated_at))
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}
