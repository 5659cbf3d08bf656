//! The light markup of post bodies. Bodies are stored as the author wrote them; this module
//! turns them into safe HTML, plain text and excerpts. Three things have a meaning:
//!
//! - a blank line separates paragraphs (a single line break stays a line break);
//! - lines starting with `>` quote (a reply quoting an earlier post);
//! - `[text](https://…)` and bare `https://…` addresses are links. Only `http` and `https`
//!   links become links; anything else (`javascript:`…) stays text.
//!
//! Nothing else is markup: `<b>` is shown as typed. So a body can never inject HTML.
//!
//! ```
//! use trialog_core::forums::markup;
//! let body = "> Wie war dein Praktikum?\n\nSehr gut, siehe [Bericht](https://example.org/b).";
//! assert_eq!(
//!     markup::to_html(body),
//!     "<blockquote><p>Wie war dein Praktikum?</p></blockquote>\
//!      <p>Sehr gut, siehe <a href=\"https://example.org/b\" rel=\"nofollow ugc noopener\">Bericht</a>.</p>"
//! );
//! assert_eq!(markup::excerpt(body, 200), "Sehr gut, siehe Bericht.");
//! ```

/// Quotes nested deeper than this are shown as text, so a body of 10,000 `>` cannot exhaust
/// the stack.
const MAX_QUOTE_DEPTH: usize = 8;
const ELLIPSIS: char = '…';

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Block<'a> {
    /// Lines of one paragraph.
    Paragraph(Vec<&'a str>),
    Quote(Vec<Block<'a>>),
}

/// A run of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Inline<'a> {
    Text(&'a str),
    Link { text: &'a str, url: &'a str },
}

/// The body as HTML that is safe to insert into a page: every character of the source is
/// escaped, and the only elements are `p`, `br`, `blockquote` and `a` (with `rel="nofollow
/// ugc noopener"`).
pub fn to_html(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 32);
    html_blocks(&parse(source, 0), &mut out);
    out
}

/// The body as plain text: links by their text, quotes as their text, paragraphs separated by
/// a blank line.
pub fn plain_text(source: &str) -> String {
    let mut out = String::new();
    plain_blocks(&parse(source, 0), true, &mut out);
    out
}

/// A plain-text excerpt of at most `max_chars` characters (and an ellipsis when cut, at a word
/// boundary where there is one), on one line. Quotes are left out when the author wrote
/// anything of their own, so the excerpt of a reply shows the reply.
pub fn excerpt(source: &str, max_chars: usize) -> String {
    let text = collapse(&own_text(source));
    let text = if text.is_empty() { collapse(&plain_text(source)) } else { text };
    cut(&text, max_chars)
}

/// The author's own words: the plain text without quotes. This is what search indexes, so a
/// reply is not found by the words it quotes.
pub(crate) fn own_text(source: &str) -> String {
    let mut out = String::new();
    plain_blocks(&parse(source, 0), false, &mut out);
    out
}

fn parse(source: &str, depth: usize) -> Vec<Block<'_>> {
    parse_lines(source.lines().map(str::trim_end).collect(), depth)
}

/// Parses lines into blocks; a quote's lines (markers removed) are parsed again one level down.
fn parse_lines(lines: Vec<&str>, depth: usize) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut quoted: Vec<&str> = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
            if !quoted.is_empty() {
                blocks.push(Block::Quote(parse_lines(std::mem::take(&mut quoted), depth + 1)));
            }
            continue;
        }
        match quote_content(line, depth) {
            Some(rest) => {
                flush_paragraph(&mut paragraph, &mut blocks);
                quoted.push(rest);
            }
            None => {
                if !quoted.is_empty() {
                    blocks.push(Block::Quote(parse_lines(std::mem::take(&mut quoted), depth + 1)));
                }
                paragraph.push(line.trim_start());
            }
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    if !quoted.is_empty() {
        blocks.push(Block::Quote(parse_lines(quoted, depth + 1)));
    }
    blocks
}

fn flush_paragraph<'a>(paragraph: &mut Vec<&'a str>, blocks: &mut Vec<Block<'a>>) {
    if !paragraph.is_empty() {
        blocks.push(Block::Paragraph(std::mem::take(paragraph)));
    }
}

/// The text after a quote marker, when `line` is quoted and quoting may go one level deeper.
fn quote_content(line: &str, depth: usize) -> Option<&str> {
    if depth >= MAX_QUOTE_DEPTH {
        return None;
    }
    let rest = line.trim_start().strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// Splits a line into text and links.
fn inlines(line: &str) -> Vec<Inline<'_>> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let found = if rest.starts_with('[') {
            bracket_link(rest)
        } else if (rest.starts_with("https://") || rest.starts_with("http://"))
            && line[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
        {
            bare_link(rest)
        } else {
            None
        };
        match found {
            Some((link, len)) => {
                if text_start < i {
                    out.push(Inline::Text(&line[text_start..i]));
                }
                out.push(link);
                i += len;
                text_start = i;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if text_start < line.len() {
        out.push(Inline::Text(&line[text_start..]));
    }
    out
}

/// `[text](url)` at the start of `rest`, with its length in bytes.
fn bracket_link(rest: &str) -> Option<(Inline<'_>, usize)> {
    let close = rest.find("](")?;
    let text = &rest[1..close];
    if text.is_empty() || text.contains('[') || text.contains(']') {
        return None;
    }
    let after = &rest[close + 2..];
    let end = after.find(')')?;
    let url = &after[..end];
    safe_url(url)?;
    Some((Inline::Link { text, url }, close + 2 + end + 1))
}

/// A bare address at the start of `rest`, up to white space, without trailing punctuation.
fn bare_link(rest: &str) -> Option<(Inline<'_>, usize)> {
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
    safe_url(url)?;
    Some((Inline::Link { text: url, url }, url.len()))
}

/// An `http`/`https` address with a host and nothing that could break out of an attribute.
fn safe_url(url: &str) -> Option<&str> {
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host_end = host.find(['/', '?', '#']).unwrap_or(host.len());
    let fine = host_end > 0
        && host[..host_end].contains('.')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\'' | '`'));
    fine.then_some(url)
}

fn html_blocks(blocks: &[Block<'_>], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph(lines) => {
                out.push_str("<p>");
                for (n, line) in lines.iter().enumerate() {
                    if n > 0 {
                        out.push_str("<br>");
                    }
                    for inline in inlines(line) {
                        match inline {
                            Inline::Text(t) => escape(t, out),
                            Inline::Link { text, url } => {
                                out.push_str("<a href=\"");
                                escape(url, out);
                                out.push_str("\" rel=\"nofollow ugc noopener\">");
                                escape(text, out);
                                out.push_str("</a>");
                            }
                        }
                    }
                }
                out.push_str("</p>");
            }
            Block::Quote(inner) => {
                out.push_str("<blockquote>");
                html_blocks(inner, out);
                out.push_str("</blockquote>");
            }
        }
    }
}

fn plain_blocks(blocks: &[Block<'_>], with_quotes: bool, out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph(lines) => {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                for (n, line) in lines.iter().enumerate() {
                    if n > 0 {
                        out.push('\n');
                    }
                    for inline in inlines(line) {
                        match inline {
                            Inline::Text(t) => out.push_str(t),
                            Inline::Link { text, .. } => out.push_str(text),
                        }
                    }
                }
            }
            Block::Quote(inner) if with_quotes => plain_blocks(inner, true, out),
            Block::Quote(_) => {}
        }
    }
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// White space (line breaks included) collapsed to single spaces, control characters dropped.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// At most `max` characters, cut at the last word boundary in the second half when there is
/// one, with an ellipsis.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let keep = max.saturating_sub(1);
    let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let head = match head.rfind(' ') {
        Some(space) if head[..space].chars().count() >= keep / 2 => &head[..space],
        _ => head,
    };
    format!("{}{ELLIPSIS}", head.trim_end())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn paragraphs_line_breaks_and_quotes_render_as_html() {
        let body = "Hallo zusammen,\nich bin neu.\n\n> Zitat eins\n> Zitat zwei\n\nDanke!";
        assert_eq!(
            to_html(body),
            "<p>Hallo zusammen,<br>ich bin neu.</p><blockquote><p>Zitat eins<br>Zitat zwei</p></blockquote><p>Danke!</p>"
        );
    }

    #[test]
    fn markup_never_lets_html_or_script_links_through() {
        let body = "<script>alert(1)</script> [klick](javascript:alert(1)) [x](https://a.de/\"onmouseover=\"y)";
        let html = to_html(body);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("onmouseover=\""), "{html}");
        assert!(html.starts_with("<p>&lt;script&gt;"), "{html}");
    }

    #[test]
    fn bare_addresses_become_links_without_trailing_punctuation() {
        let html = to_html("Siehe https://trialog.example/ex-in. Oder (http://a.dk/x).");
        assert!(html.contains("<a href=\"https://trialog.example/ex-in\""), "{html}");
        assert!(html.contains("<a href=\"http://a.dk/x\""), "{html}");
        assert!(html.contains("</a>. Oder"), "{html}");
    }

    #[test]
    fn nested_quotes_are_bounded() {
        let deep = ">".repeat(10_000) + " tief";
        let html = to_html(&deep);
        assert_eq!(html.matches("<blockquote>").count(), MAX_QUOTE_DEPTH);
    }

    #[test]
    fn excerpts_prefer_own_words_and_cut_at_words() {
        assert_eq!(excerpt("> alt\n\nneu", 200), "neu");
        assert_eq!(excerpt("> nur ein Zitat", 200), "nur ein Zitat");
        assert_eq!(excerpt("eins zwei drei vier fünf", 12), "eins zwei…");
        assert_eq!(excerpt("Genesungsbegleitung", 8), "Genesun…");
        assert_eq!(excerpt("a\n\n\tb", 10), "a b");
    }

    #[test]
    fn own_text_leaves_quotes_out_and_keeps_link_texts() {
        assert_eq!(own_text("> fremd\n\nmein [Link](https://x.de) hier"), "mein Link hier");
    }

    proptest! {
        #[test]
        fn html_never_contains_an_unescaped_angle_bracket_from_the_source(body in "[<>&\"'a-z \\[\\]():/.\n]{0,200}") {
            let html = to_html(&body);
            let stripped = html
                .replace("<p>", "").replace("</p>", "").replace("<br>", "")
                .replace("<blockquote>", "").replace("</blockquote>", "").replace("</a>", "");
            let without_links = regex_free_strip_anchors(&stripped);
            prop_assert!(!without_links.contains('<') && !without_links.contains('>'), "{}", html);
        }

        #[test]
        fn excerpts_are_bounded_single_lines(body in "\\PC{0,400}", max in 1usize..300) {
            let e = excerpt(&body, max);
            prop_assert!(e.chars().count() <= max);
            prop_assert!(!e.contains('\n'));
        }
    }

    /// Removes `<a href="…" rel="…">` opening tags (whose attribute values are escaped).
    fn regex_free_strip_anchors(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(start) = rest.find("<a href=\"") {
            out.push_str(&rest[..start]);
            let after = &rest[start..];
            let end = after.find("noopener\">").map_or(after.len(), |e| e + "noopener\">".len());
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }
}
