//! The report as one self-contained HTML file: inline styles, inline SVG bar charts, no
//! script, no font and nothing loaded from elsewhere (a mail client or a funder's archive
//! shows it as it is). Withheld figures appear as "withheld", never as a bar.

use std::fmt::Write;

use super::{FIGURES, FigureRow, Span};
use crate::orgs::OrgId;

/// The charts a report draws: (figure, the span of its bars, title).
const CHARTS: &[(&str, Span, &str)] = &[
    ("forum_views", Span::Month, "Forum views per month"),
    ("forum_readers", Span::Quarter, "Unique forum readers per quarter"),
    ("job_views", Span::Month, "Job-board views per month"),
    ("counsel_first_response_hours_median", Span::Month, "Hours to first response (median) per month"),
    ("counsel_first_response_hours_p90", Span::Month, "Hours to first response (90th percentile) per month"),
];

const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}\
td,th{border:1px solid #bbb;padding:.25em .6em;text-align:right}th{background:#eee}td.f{text-align:left}\
.withheld{color:#888;font-style:italic}figure{margin:1em 0}svg text{font-size:11px;font-family:sans-serif}";

/// Renders the rows of one report.
pub(super) fn render(period: &str, org: Option<OrgId>, rows: &[FigureRow], k: u64) -> String {
    let whose = org.map_or("the whole platform".to_string(), |o| format!("organisation {o}"));
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report {period}</title>\
         <style>{STYLE}</style></head><body>\n<h1>Report {period}: {whose}</h1>\n\
         <p id=\"disclosure\">Counts of 1 to {k} people are withheld, with any figure they could be recovered \
         from by subtraction across this platform's reports; so are medians and percentiles over {k} people or \
         fewer.</p>\n"
    );
    for (figure, span, title) in CHARTS {
        let bars: Vec<&FigureRow> =
            rows.iter().filter(|r| r.figure == *figure && r.span == *span && r.category.is_none()).collect();
        if !bars.is_empty() {
            out.push_str(&chart(figure, title, &bars));
        }
    }
    out.push_str(&table(rows));
    out.push_str("</body></html>\n");
    out
}

/// A bar chart of `bars` (one per period) as inline SVG.
fn chart(figure: &str, title: &str, bars: &[&FigureRow]) -> String {
    let (width, height, bar) = (60.0 * bars.len() as f64 + 40.0, 220.0, 44.0);
    let max = bars.iter().filter_map(|r| r.value).fold(0.0_f64, f64::max).max(1.0);
    let mut svg = format!(
        "<figure id=\"chart-{figure}\"><figcaption>{}</figcaption>\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"{}\">",
        escape(title),
        escape(title)
    );
    for (i, row) in bars.iter().enumerate() {
        let x = 20.0 + 60.0 * i as f64;
        let _ = match row.value {
            Some(v) => {
                let h = 160.0 * v / max;
                write!(
                    svg,
                    "<rect class=\"bar\" x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h:.1}\" fill=\"#3b73b9\"/>\
                     <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    180.0 - h,
                    x + bar / 2.0,
                    175.0 - h,
                    number(v)
                )
            }
            None => write!(
                svg,
                "<text class=\"withheld\" x=\"{}\" y=\"175\" text-anchor=\"middle\">withheld</text>",
                x + bar / 2.0
            ),
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"198\" text-anchor=\"middle\">{}</text>",
            x + bar / 2.0,
            escape(&row.period)
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

/// Every row as a table: figure, category, period, value.
fn table(rows: &[FigureRow]) -> String {
    let mut out =
        String::from("<table id=\"figures\"><tr><th>figure</th><th>category</th><th>period</th><th>value</th></tr>\n");
    for row in rows {
        let label = FIGURES.iter().find(|f| f.name == row.figure).map_or(row.figure.as_str(), |f| f.label);
        let value = match row.value {
            Some(v) => number(v),
            None => "<span class=\"withheld\">withheld</span>".to_string(),
        };
        let _ = writeln!(
            out,
            "<tr data-figure=\"{}\" data-period=\"{}\"><td class=\"f\">{}</td><td class=\"f\">{}</td><td>{}</td><td>{value}</td></tr>",
            escape(&row.figure),
            escape(&row.period),
            escape(label),
            escape(row.category.as_deref().unwrap_or("")),
            escape(&row.period),
        );
    }
    out.push_str("</table>\n");
    out
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
