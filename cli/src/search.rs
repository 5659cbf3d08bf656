//! `trialog search QUERY`: the one search over everything the acting account may see —
//! knowledge articles, forum threads and job postings in one ranked list — with facets.

use clap::Args;
use trialog_core::{SearchHit, SearchKind, SearchQuery};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Listing, Table};
use crate::session::Session;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for, as a visitor would type it (at most 500 characters).
    pub query: String,
    /// Only hits of this kind: article, thread, job or course (repeat for several).
    #[arg(long = "kind")]
    pub kinds: Vec<String>,
    /// Only hits carrying this topic or a narrower one (a slug; `trialog topics list`).
    #[arg(long)]
    pub topic: Option<String>,
    /// Only hits in this language (ISO 639-1, e.g. de, da, en).
    #[arg(long = "lang")]
    pub language: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

pub fn run(session: &Session, args: SearchArgs) -> Result<(), Failure> {
    let kinds = args.kinds.iter().map(|k| k.parse::<SearchKind>()).collect::<Result<Vec<_>, _>>()?;
    let query = SearchQuery { text: args.query, kinds, topic: args.topic, language: args.language };
    let page = session.platform.search().search(&session.actor, &query, &page_request(args.page))?;
    let mut table = Table::new(&["KIND", "ID", "TITLE", "LANG", "SNIPPET"]);
    for hit in &page.items {
        table.row(row(hit));
    }
    let listing = Listing::new(&page.items, page.next_cursor.as_deref())
        .with("facets", &page.facets)
        .with("total", page.total)
        .with("total_exact", page.total_exact);
    session.out.listing(&listing, &table);
    if !session.out.json && !page.facets.is_empty() {
        let mut facets = Table::new(&["FACET", "VALUE", "HITS"]);
        for f in &page.facets {
            facets.row(vec![f.facet.clone(), f.value.clone(), f.count.to_string()]);
        }
        outln!("\n{}", total_line(page.total, page.total_exact));
        out!("{}", facets.render());
    }
    Ok(())
}

/// The line above the facets: the number of hits, or for a query with more hits than the
/// search counts, that the number and the facets are those of its best hits.
fn total_line(total: u64, exact: bool) -> String {
    if exact {
        format!("{total} hits in all")
    } else {
        format!("more than {total} hits; the facets count the best {total}")
    }
}

fn row(hit: &SearchHit) -> Vec<String> {
    let snippet: String =
        hit.snippet.iter().map(|f| if f.matched { format!("*{}*", f.text) } else { f.text.clone() }).collect();
    vec![
        hit.kind.to_string(),
        hit.slug.clone().unwrap_or_else(|| hit.id.to_string()),
        hit.title.clone(),
        hit.language.clone(),
        snippet.split_whitespace().collect::<Vec<_>>().join(" "),
    ]
}
