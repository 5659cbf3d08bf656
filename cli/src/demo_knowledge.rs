//! The demo's knowledge base: the thesaurus and about thirty articles of our own writing
//! (German, Danish, English) under `demo_knowledge/`, loaded through the real imports (topics
//! CSV, Markdown with front matter) and published, with review dates that fall due soon.

use trialog_core::{Actor, ArticleFile, Error, Platform, Role};

use crate::demo::Demo;

use crate::failure::Failure;
use crate::knowledge::topic_rows;

/// The thesaurus, as a topics CSV file.
const TOPICS: &str = include_str!("demo_knowledge/topics.csv");

/// Every demo article: its file name and its Markdown.
const ARTICLES: &[(&str, &str)] = &[
    ("aalborg-samarbejde-selvhjaelp.md", include_str!("demo_knowledge/aalborg-samarbejde-selvhjaelp.md")),
    ("angehoerige-koeln-treffen.md", include_str!("demo_knowledge/angehoerige-koeln-treffen.md")),
    ("beschwerde-und-rechte-demo.md", include_str!("demo_knowledge/beschwerde-und-rechte-demo.md")),
    ("cooperation-self-help-clinics-guide.md", include_str!("demo_knowledge/cooperation-self-help-clinics-guide.md")),
    ("crisis-numbers-denmark-germany.md", include_str!("demo_knowledge/crisis-numbers-denmark-germany.md")),
    (
        "erfurt-kooperation-klinik-kontaktstelle.md",
        include_str!("demo_knowledge/erfurt-kooperation-klinik-kontaktstelle.md"),
    ),
    ("exin-berlin-kursstart.md", include_str!("demo_knowledge/exin-berlin-kursstart.md")),
    ("exin-course-berlin-en.md", include_str!("demo_knowledge/exin-course-berlin-en.md")),
    ("genesungsbegleitung-in-jena.md", include_str!("demo_knowledge/genesungsbegleitung-in-jena.md")),
    ("kooperation-checkliste-fuer-kliniken.md", include_str!("demo_knowledge/kooperation-checkliste-fuer-kliniken.md")),
    ("krisendienst-thueringen-demo.md", include_str!("demo_knowledge/krisendienst-thueringen-demo.md")),
    ("kriseplan-sammen-med-peer.md", include_str!("demo_knowledge/kriseplan-sammen-med-peer.md")),
    ("leipzig-selbsthilfe-im-krankenhaus.md", include_str!("demo_knowledge/leipzig-selbsthilfe-im-krankenhaus.md")),
    ("loen-peer-danmark-demo.md", include_str!("demo_knowledge/loen-peer-danmark-demo.md")),
    ("netvaerksmoede-psykiatri-kommune.md", include_str!("demo_knowledge/netvaerksmoede-psykiatri-kommune.md")),
    ("netzwerkarbeit-bielefeld.md", include_str!("demo_knowledge/netzwerkarbeit-bielefeld.md")),
    ("odense-peer-i-socialpsykiatrien.md", include_str!("demo_knowledge/odense-peer-i-socialpsykiatrien.md")),
    ("paaroerende-aarhus-cafe.md", include_str!("demo_knowledge/paaroerende-aarhus-cafe.md")),
    ("peer-guides-aarhus.md", include_str!("demo_knowledge/peer-guides-aarhus.md")),
    ("peer-work-hamburg-team.md", include_str!("demo_knowledge/peer-work-hamburg-team.md")),
    ("praktikum-hamburg-erfahrungen.md", include_str!("demo_knowledge/praktikum-hamburg-erfahrungen.md")),
    ("recovery-gruppe-leiten.md", include_str!("demo_knowledge/recovery-gruppe-leiten.md")),
    ("recoveryskolen-kurser.md", include_str!("demo_knowledge/recoveryskolen-kurser.md")),
    ("relatives-network-cologne.md", include_str!("demo_knowledge/relatives-network-cologne.md")),
    ("selbsthilfegruppe-gruenden-erfurt.md", include_str!("demo_knowledge/selbsthilfegruppe-gruenden-erfurt.md")),
    ("tagesklinik-und-gruppen.md", include_str!("demo_knowledge/tagesklinik-und-gruppen.md")),
    ("trialog-jena-abend.md", include_str!("demo_knowledge/trialog-jena-abend.md")),
    ("verguetung-genesungsbegleitung-demo.md", include_str!("demo_knowledge/verguetung-genesungsbegleitung-demo.md")),
    ("volunteering-with-self-help-groups.md", include_str!("demo_knowledge/volunteering-with-self-help-groups.md")),
    ("wrap-group-invitation.md", include_str!("demo_knowledge/wrap-group-invitation.md")),
];

/// The demo's editorial team: the author of the imported articles and the second editor who
/// approves them (four eyes).
const AUTHOR: &str = "Redaktion_Anja";
const REVIEWER: &str = "Leuchtturm";

/// Makes two demo accounts editors, imports the thesaurus and the articles, then has the
/// second editor approve and the first publish every article.
pub fn build(platform: &Platform, demo: &Demo) -> Result<usize, Failure> {
    let mut team = Vec::new();
    for name in [AUTHOR, REVIEWER] {
        let id = demo.account(name)?;
        platform.accounts().grant_role(&Actor::Operator, id, Role::Editor, Some("Demo: knowledge base"))?;
        team.push(Actor::account(id));
    }
    let (author, reviewer) = (&team[0], &team[1]);
    let rows = topic_rows(TOPICS, "demo_knowledge/topics.csv")?;
    let topics = platform.topics().import(&Actor::Operator, &rows, false)?;
    if let Some(problem) = topics.problems.first() {
        return Err(Error::invalid("demo topics", problem.to_string()).into());
    }
    let files: Vec<ArticleFile> =
        ARTICLES.iter().map(|(path, text)| ArticleFile { path: path.to_string(), text: text.to_string() }).collect();
    let report = platform.knowledge().import(author, &files, true, false)?;
    if let Some(problem) = report.problems.first() {
        return Err(Error::invalid("demo articles", format!("{problem:?}")).into());
    }
    for id in &report.created {
        platform.knowledge().approve(reviewer, *id, None)?;
        platform.knowledge().publish(author, *id)?;
    }
    Ok(report.created.len())
}
