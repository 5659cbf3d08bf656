//! Articles as Markdown files with a small front matter, for `trialog knowledge import DIR`
//! and `export DIR`:
//!
//! ```text
//! ---
//! title: Was macht eine Genesungsbegleiterin?
//! language: de
//! topics: peer-support, peer-role
//! audience: public
//! summary: Aufgaben und Rolle im Team.
//! slug: was-macht-genesungsbegleitung
//! translation_of: what-peer-workers-do
//! ---
//! The body, in the forums' light markup.
//! ```
//!
//! `title`, `language`, `topics` (comma-separated slugs, may be empty) and `audience`
//! (`public`, `members`, a comma-separated list of perspectives such as `relative,
//! lived_experience`, or `org:ID`) are required; `summary`, `slug` (default: the file name
//! without `.md`) and `translation_of` (the slug of another language version) are optional.
//! Unknown and repeated keys are errors; a value may be wrapped in double quotes.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::accounts::Perspective;
use crate::forums::Audience;

use super::model::FileProblem;

/// The keys a front matter may hold, in the order export writes them.
const KEYS: [&str; 8] = ["title", "language", "topics", "audience", "summary", "slug", "translation_of", "checked_on"];
const REQUIRED: [&str; 4] = ["title", "language", "topics", "audience"];
const FENCE: &str = "---";

/// A file's front matter and body, not yet checked against the store.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub title: String,
    pub language: String,
    pub topics: Vec<String>,
    pub audience: Audience,
    pub summary: Option<String>,
    pub slug: String,
    pub translation_of: Option<String>,
    pub checked_on: Option<NaiveDate>,
    pub body: String,
    /// The line of each key, for problems found later.
    pub lines: BTreeMap<&'static str, u64>,
}

/// Parses one file, reporting every problem it can find.
pub(crate) fn parse(path: &str, text: &str) -> Result<Parsed, Vec<FileProblem>> {
    let problem = |line: u64, field: &str, reason: String| FileProblem {
        file: path.to_string(),
        line,
        field: field.to_string(),
        reason,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Every carriage return before a line's end goes, not only one as `str::lines` drops: a body
    // line ending in "\r\r\n" would otherwise lose one "\r" on each export and import round.
    let mut lines = text.split('\n').map(|line| line.trim_end_matches('\r'));
    if lines.next().map(str::trim_end) != Some(FENCE) {
        return Err(vec![problem(
            1,
            "",
            "does not start with a front matter: a line '---', 'key: value' lines, '---'".into(),
        )]);
    }
    let mut values: BTreeMap<&'static str, (u64, String)> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut closed_at = None;
    for (i, line) in lines.by_ref().enumerate() {
        let number = i as u64 + 2;
        if line.trim_end() == FENCE {
            closed_at = Some(number);
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            problems.push(problem(number, "", format!("'{}' is not a 'key: value' line", cut(line))));
            continue;
        };
        let key = key.trim();
        let Some(known) = KEYS.iter().find(|k| **k == key) else {
            problems.push(problem(number, key, format!("is not a front matter key; known keys: {}", KEYS.join(", "))));
            continue;
        };
        if let Some((first, _)) = values.get(known) {
            problems.push(problem(number, key, format!("appears twice (first on line {first})")));
            continue;
        }
        values.insert(known, (number, unquote(value.trim()).to_string()));
    }
    let Some(closed_at) = closed_at else {
        problems.push(problem(0, "", "the front matter has no closing '---' line".into()));
        return Err(problems);
    };
    for key in REQUIRED {
        if !values.contains_key(key) {
            problems.push(problem(closed_at, key, "is missing from the front matter".into()));
        }
    }
    let body: String = lines.collect::<Vec<_>>().join("\n").trim().to_string();
    if body.is_empty() {
        problems.push(problem(closed_at + 1, "body", "is empty: the article's text follows the front matter".into()));
    }
    let get = |key: &str| values.get(key).map(|(_, v)| v.clone());
    let audience = match values.get("audience") {
        Some((line, value)) => match audience(value) {
            Ok(a) => Some(a),
            Err(reason) => {
                problems.push(problem(*line, "audience", reason));
                None
            }
        },
        None => None,
    };
    let checked_on = match values.get("checked_on") {
        Some((line, value)) => match value.parse::<NaiveDate>() {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(problem(*line, "checked_on", format!("'{value}' is not a date as YYYY-MM-DD")));
                None
            }
        },
        None => None,
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let stem = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = stem.strip_suffix(".md").unwrap_or(stem);
    Ok(Parsed {
        title: get("title").unwrap_or_default(),
        language: get("language").unwrap_or_default(),
        topics: get("topics")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        audience: audience.unwrap_or(Audience::Public),
        summary: get("summary").filter(|s| !s.is_empty()),
        slug: get("slug").filter(|s| !s.is_empty()).unwrap_or_else(|| stem.to_string()),
        translation_of: get("translation_of").filter(|s| !s.is_empty()),
        checked_on,
        body,
        lines: values.iter().map(|(k, (line, _))| (*k, *line)).collect(),
    })
}

/// `public`, `members`, `org:ID`, or a comma-separated list of perspectives.
fn audience(value: &str) -> Result<Audience, String> {
    match value.trim() {
        "public" => return Ok(Audience::Public),
        "members" => return Ok(Audience::Members),
        _ => {}
    }
    if let Some(org) = value.trim().strip_prefix("org:") {
        return org
            .trim()
            .parse()
            .map(|org| Audience::Organisation { org })
            .map_err(|_| format!("'{org}' is not an organisation id"));
    }
    let mut perspectives = Vec::new();
    for name in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let p: Perspective = name.parse().map_err(|_| {
            format!("'{name}' is not public, members, org:ID or a perspective ({})", perspective_names())
        })?;
        if !perspectives.contains(&p) {
            perspectives.push(p);
        }
    }
    if perspectives.is_empty() {
        return Err("is empty: public, members, org:ID or a list of perspectives".into());
    }
    Ok(Audience::Perspectives { perspectives })
}

fn perspective_names() -> String {
    Perspective::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
}

/// The front matter value of an audience.
fn audience_value(audience: &Audience) -> String {
    match audience {
        Audience::Public => "public".into(),
        Audience::Members => "members".into(),
        Audience::Organisation { org } => format!("org:{org}"),
        Audience::Perspectives { perspectives } => {
            perspectives.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
        }
    }
}

/// What export writes for one article.
pub(crate) struct Render<'a> {
    pub title: &'a str,
    pub language: &'a str,
    pub topics: &'a [String],
    pub audience: &'a Audience,
    pub summary: Option<&'a str>,
    pub slug: &'a str,
    pub translation_of: Option<&'a str>,
    pub checked_on: Option<NaiveDate>,
    pub body: &'a str,
}

/// The file text of an article, which [`parse`] reads back to the same values.
pub(crate) fn render(a: &Render<'_>) -> String {
    let mut out = format!("{FENCE}\n");
    let mut put = |key: &str, value: &str| out.push_str(&format!("{key}: {}\n", quote(value)));
    put("title", a.title);
    put("language", a.language);
    put("topics", &a.topics.join(", "));
    put("audience", &audience_value(a.audience));
    if let Some(summary) = a.summary {
        put("summary", summary);
    }
    put("slug", a.slug);
    if let Some(of) = a.translation_of {
        put("translation_of", of);
    }
    if let Some(date) = a.checked_on {
        put("checked_on", &date.to_string());
    }
    out.push_str(FENCE);
    out.push_str("\n\n");
    out.push_str(a.body);
    out.push('\n');
    out
}

fn unquote(value: &str) -> &str {
    value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).filter(|_| value.len() >= 2).unwrap_or(value)
}

/// Wraps a value in quotes when reading it back would otherwise lose a quote or a space.
fn quote(value: &str) -> String {
    if (value.starts_with('"') && value.ends_with('"')) || value != value.trim() {
        format!("\"{value}\"")
    } else {
        value.to_string()
    }
}

fn cut(line: &str) -> String {
    line.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::OrgId;

    const GOOD: &str = "---\ntitle: Peer-Arbeit\nlanguage: de\ntopics: peer-support, ex-in\naudience: relative, lived_experience\n---\n\nText *hier*.\n";

    #[test]
    fn a_good_file_parses_with_defaults() {
        let p = parse("de/peer-arbeit.md", GOOD).unwrap();
        assert_eq!(p.slug, "peer-arbeit");
        assert_eq!(p.topics, vec!["peer-support", "ex-in"]);
        assert_eq!(
            p.audience,
            Audience::Perspectives { perspectives: vec![Perspective::Relative, Perspective::LivedExperience] }
        );
        assert_eq!(p.body, "Text *hier*.");
        assert_eq!(p.lines["topics"], 4);
    }

    #[test]
    fn unknown_duplicate_and_missing_keys_are_reported_by_line_and_field() {
        let text = "---\ntitle: A\ntitle: B\ncolour: red\nlanguage: de\naudience: public\n---\nbody";
        let problems = parse("a.md", text).unwrap_err();
        let got: Vec<(u64, &str)> = problems.iter().map(|p| (p.line, p.field.as_str())).collect();
        assert_eq!(got, vec![(3, "title"), (4, "colour"), (7, "topics")]);
    }

    #[test]
    fn files_without_front_matter_body_or_closing_fence_are_refused() {
        assert_eq!(parse("a.md", "# Hallo").unwrap_err()[0].line, 1);
        assert_eq!(
            parse("a.md", "---\ntitle: A\n").unwrap_err()[0].reason,
            "the front matter has no closing '---' line"
        );
        let empty = "---\ntitle: A\nlanguage: de\ntopics:\naudience: public\n---\n\n";
        assert_eq!(parse("a.md", empty).unwrap_err()[0].field, "body");
        let bad = "---\ntitle: A\nlanguage: de\ntopics:\naudience: everyone\n---\nx";
        assert_eq!(parse("a.md", bad).unwrap_err()[0].field, "audience");
    }

    #[test]
    fn carriage_returns_at_line_ends_go_at_once_so_a_round_trip_changes_nothing() {
        // Found by fuzzing (knowledge_import): "\r\r\r\n" lost one "\r" per round.
        let text = "---\r\ntitle: A\r\nlanguage: de\r\ntopics:\r\naudience: public\r\n---\r\nOne\r\r\r\nTwo\rthree\r\r";
        let body = parse("a.md", text).unwrap().body;
        assert_eq!(body, "One\nTwo\rthree");
        let again = format!("---\ntitle: A\nlanguage: de\ntopics:\naudience: public\n---\n{body}\n");
        assert_eq!(parse("a.md", &again).unwrap().body, body);
    }

    #[test]
    fn render_reads_back_to_the_same_values() {
        let topics = vec!["peer-support".to_string()];
        let audience = Audience::Organisation { org: OrgId(4) };
        let text = render(&Render {
            title: "\"Quoted\" title",
            language: "en",
            topics: &topics,
            audience: &audience,
            summary: Some("A summary: with a colon"),
            slug: "quoted",
            translation_of: Some("zitiert"),
            checked_on: Some(NaiveDate::from_ymd_opt(2025, 12, 15).unwrap()),
            body: "Line one\n\nLine two",
        });
        let p = parse("x.md", &text).unwrap();
        assert_eq!(p.title, "\"Quoted\" title");
        assert_eq!((p.slug.as_str(), p.translation_of.as_deref()), ("quoted", Some("zitiert")));
        assert_eq!(p.summary.as_deref(), Some("A summary: with a colon"));
        assert_eq!(p.audience, audience);
        assert_eq!(p.body, "Line one\n\nLine two");
        assert_eq!(p.checked_on.map(|d| d.to_string()).as_deref(), Some("2025-12-15"));
        let bad = text.replace("2025-12-15", "15.12.2025");
        assert_eq!(parse("x.md", &bad).unwrap_err()[0].field, "checked_on");
    }
}
