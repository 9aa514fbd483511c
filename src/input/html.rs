//! HTML pages (`.html`, `.htm`, built with the default `html` feature): the article's text,
//! found readability-style by `dom_smoothie` (the port of Mozilla's Readability), as
//! plain text with a blank line between paragraphs, headline first; and from the page's
//! metadata its title, canonical URL, publisher and published date.
//!
//! The bytes are decoded by their byte-order mark, else by the `<meta charset>` (or
//! `http-equiv="Content-Type"`) of the first 4 KiB when `encoding_rs` knows it, else as
//! UTF-8 with the Windows-1252 fallback of text files.

use super::{DateSource, Document, REJECT_RAW_LIMIT, Record, Reject, decode, looks_binary};
use crate::text::dates;
use dom_query::{Document as Dom, NodeRef};
use encoding_rs::Encoding;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// What a page gives: the article text and its metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// Plain text: headline, then the article's paragraphs, separated by blank lines.
    pub text: String,
    /// `og:title`, else `twitter:title`, else the JSON-LD `headline`, else `<title>` (its
    /// part before " | Site name" when a heading of the page says just that).
    pub title: Option<String>,
    /// `<link rel="canonical">`, else `og:url`, else the JSON-LD `url` (absolute only).
    pub url: Option<String>,
    /// `YYYY-MM-DD` from the first date tag that parses (see [`DATE_KEYS`]), the JSON-LD
    /// `datePublished`, or the article's `<time datetime>`.
    pub published: Option<String>,
    /// `og:site_name`, else the JSON-LD `publisher.name`.
    pub source: Option<String>,
}

/// Meta tags (`property`, `name` or `itemprop`, lower case) holding the published date,
/// most trusted first.
pub const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
];

/// Read one page's bytes into a document (or a reject).
pub(super) fn read(path: &Path, bytes: &[u8]) -> Record {
    let reject = |reason: &str| {
        Record::Reject(Reject {
            path: path.display().to_string(),
            line: None,
            reason: reason.into(),
            raw: bytes[..bytes.len().min(REJECT_RAW_LIMIT)].to_vec(),
        })
    };
    if Encoding::for_bom(bytes).is_none() && looks_binary(bytes) {
        return reject("binary file (NUL bytes), not HTML");
    }
    let (html, encoding) = decode_html(bytes);
    if nesting_estimate(&html) > MAX_NESTING {
        return reject(&format!(
            "HTML nested more than {MAX_NESTING} elements deep (unclosed tags?); not read as an article"
        ));
    }
    // A third-party parser on whatever was saved from the web: a panic in it costs this
    // page, not the run.
    let Ok(page) = std::panic::catch_unwind(|| extract(&html)) else {
        return reject("the HTML parser failed on this page");
    };
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.split('.').next().unwrap_or(n).to_string())
        .unwrap_or_default();
    Record::Document(Document {
        id: stem,
        text: page.text,
        title: page.title,
        url: page.url,
        published_from: page.published.as_ref().map(|_| DateSource::HtmlMeta),
        published: page.published,
        published_raw: None,
        source: page.source,
        path: path.display().to_string(),
        line: None,
        encoding,
    })
}

/// Pages whose elements may nest deeper than this are rejected: the HTML parser's time
/// grows with the square of the depth (a second at 20,000 levels), and article pages
/// nest a few dozen levels.
pub const MAX_NESTING: usize = 5_000;

/// Elements that close themselves or are closed by the parser when left open, so they
/// do not nest when unclosed.
const NON_NESTING: &[&str] = &[
    // void
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound", "image",
    // closed implicitly by a sibling or parent
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rb",
    "rt", "rtc", "rp", "colgroup", "caption",
    // formatting elements, whose reopening the parser limits
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// An upper bound, roughly, on how deep the page's elements nest: start tags minus end
/// tags, leaving out elements that do not nest when left open, comments, and the
/// contents of `script`, `style` and `textarea`.
fn nesting_estimate(html: &str) -> usize {
    let bytes = html.as_bytes();
    let lower_at = |at: usize, word: &str| {
        bytes
            .get(at..at + word.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(word.as_bytes()))
    };
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(k) = html[at..].find('<') {
        at += k + 1;
        if lower_at(at, "!--") {
            at = html[at..].find("-->").map_or(html.len(), |e| at + e + 3);
            continue;
        }
        let closing = bytes.get(at) == Some(&b'/');
        let name_start = at + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 {
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let tag_end = html[name_start..]
            .find('>')
            .map_or(html.len(), |e| name_start + e);
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        at = tag_end.min(html.len());
        if closing {
            if !NON_NESTING.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if ["script", "style", "textarea", "title", "xmp"].contains(&name.as_str()) {
            // Raw text up to its end tag.
            let end = format!("</{name}");
            loop {
                let Some(k) = html[at..].find("</") else {
                    at = html.len();
                    break;
                };
                at += k + 2;
                if lower_at(at - 2, &end) {
                    at = html[at..].find('>').map_or(html.len(), |e| at + e);
                    break;
                }
            }
        } else if !self_closing && !NON_NESTING.contains(&name.as_str()) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// The name recorded in `documents.encoding`.
fn encoding_name(encoding: &'static Encoding) -> &'static str {
    if encoding == encoding_rs::UTF_8 {
        "utf-8"
    } else {
        encoding.name()
    }
}

/// Decode a page: by its byte-order mark; else by the charset its first 4 KiB declare
/// (`<meta charset="...">` or `<meta http-equiv="Content-Type" content="...;
/// charset=...">`) when `encoding_rs` knows it; else as UTF-8, or Windows-1252 when the
/// bytes are not valid UTF-8 (as text files). A declared UTF-8 (or UTF-16, which an
/// ASCII-readable declaration cannot be) takes that fallback too. Returns the text and
/// the encoding's name (`utf-8`, `windows-1252`, `Shift_JIS` ...).
pub fn decode_html(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding_name(encoding));
    }
    if let Some(encoding) = declared_charset(&bytes[..bytes.len().min(4_096)])
        && ![
            encoding_rs::UTF_8,
            encoding_rs::UTF_16LE,
            encoding_rs::UTF_16BE,
            encoding_rs::REPLACEMENT,
            encoding_rs::X_USER_DEFINED,
        ]
        .contains(&encoding)
    {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return (text.into_owned(), encoding_name(encoding));
    }
    decode(bytes)
}

/// The encoding a `<meta>` tag in `head` declares.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = find(&lower[at..], b"<meta") {
        let start = at + found + 5;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(k) = find(tag, b"charset") {
            let rest = &tag[k + 7..];
            let rest = rest.trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = rest.trim_ascii_start();
                let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
                let rest = rest.strip_prefix(b"'").unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|&b| {
                        matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                    })
                    .unwrap_or(rest.len());
                if let Some(encoding) = Encoding::for_label(&rest[..label_end]) {
                    return Some(encoding);
                }
            }
        }
        at = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// White space collapsed to single spaces, trimmed; `None` when nothing is left.
fn collapse(text: &str) -> Option<String> {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

fn absolute_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| url.to_string())
}

/// The article text and metadata of a page.
pub fn extract(html: &str) -> Page {
    let dom = Dom::from(html);
    let metas = meta_tags(&dom);
    let meta = |key: &str| metas.get(key).cloned();
    let ld = json_ld(&dom);

    let first_text = |selector: &str| {
        dom.select(selector)
            .nodes()
            .iter()
            .find_map(|n| collapse(&n.text()))
    };
    let title_tag = first_text("title");
    // "Headline - Site name": the part before the site's name, when a heading says it.
    let titled_heading = title_tag.as_deref().and_then(|title| {
        dom.select("h1, h2").nodes().iter().find_map(|h| {
            let heading = collapse(&h.text())?;
            let rest = title.strip_prefix(heading.as_str())?;
            let separated = rest.is_empty()
                || [" | ", " - ", " – ", " — ", " :: ", " / ", " · "]
                    .iter()
                    .any(|s| rest.starts_with(s));
            separated.then_some(heading)
        })
    });
    let headline = first_text("article h1")
        .or_else(|| first_text("main h1"))
        .or_else(|| meta("og:title"))
        .or_else(|| ld.headline.clone())
        .or_else(|| titled_heading.clone())
        .or_else(|| first_text("h1"));
    let title = meta("og:title")
        .or_else(|| meta("twitter:title"))
        .or_else(|| ld.headline.clone())
        .or(titled_heading)
        .or(title_tag)
        .or_else(|| headline.clone());
    let canonical = dom.select("link").nodes().iter().find_map(|link| {
        let rel = link.attr("rel")?.to_ascii_lowercase();
        rel.split_whitespace()
            .any(|r| r == "canonical")
            .then(|| absolute_url(&link.attr("href")?))?
    });
    let url = canonical
        .or_else(|| meta("og:url").and_then(|u| absolute_url(&u)))
        .or_else(|| ld.url.as_deref().and_then(absolute_url));
    let published = DATE_KEYS
        .iter()
        .filter_map(|key| metas.get(*key))
        .chain(ld.published.as_ref())
        .find_map(|value| dates::parse(value))
        .or_else(|| time_element_date(&dom))
        .map(|date| date.to_string());
    let source = meta("og:site_name").or_else(|| ld.publisher.clone());

    let body = article_text(dom);
    let text = match &headline {
        Some(headline) if !starts_with_headline(&body, headline) => {
            format!("{headline}\n\n{body}")
        }
        _ => body,
    };
    Page {
        text,
        title,
        url,
        published,
        source,
    }
}

/// Whether the first paragraphs of `text` already carry the headline.
fn starts_with_headline(text: &str, headline: &str) -> bool {
    text.split("\n\n").take(3).any(|p| p.trim() == headline)
}

/// `<meta>` content by lower-case `property`, `name` or `itemprop`; the first tag of a
/// key wins.
fn meta_tags(dom: &Dom) -> HashMap<String, String> {
    let mut tags = HashMap::new();
    for node in dom.select("meta").nodes() {
        let Some(content) = node.attr("content").and_then(|c| collapse(&c)) else {
            continue;
        };
        for key in ["property", "name", "itemprop"] {
            if let Some(k) = node.attr(key) {
                tags.entry(k.trim().to_lowercase())
                    .or_insert_with(|| content.clone());
            }
        }
    }
    tags
}

/// What the page's JSON-LD (`<script type="application/ld+json">`) says of the article.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    published: Option<String>,
    url: Option<String>,
    publisher: Option<String>,
}

fn json_ld(dom: &Dom) -> JsonLd {
    let mut objects: Vec<Value> = Vec::new();
    for script in dom.select("script").nodes() {
        let is_ld = script
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let Ok(value) = serde_json::from_str::<Value>(script.text().trim()) else {
            continue;
        };
        // A top-level array, an `@graph`, or one object.
        let mut pending = vec![value];
        while let Some(value) = pending.pop() {
            match value {
                Value::Array(items) => pending.extend(items.into_iter().rev()),
                Value::Object(mut object) => {
                    if let Some(graph) = object.remove("@graph") {
                        pending.push(graph);
                    }
                    objects.push(Value::Object(object));
                }
                _ => {}
            }
        }
    }
    let is_article = |o: &Value| {
        let types: Vec<&str> = match o.get("@type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        types
            .iter()
            .any(|t| t.ends_with("Article") || *t == "BlogPosting" || *t == "Report")
    };
    let Some(article) = objects
        .iter()
        .find(|o| is_article(o))
        .or_else(|| objects.iter().find(|o| o.get("datePublished").is_some()))
    else {
        return JsonLd::default();
    };
    let string = |v: Option<&Value>| v.and_then(Value::as_str).and_then(collapse);
    let name_of = |v: Option<&Value>| match v {
        Some(Value::Array(items)) => items.iter().find_map(|i| string(i.get("name"))),
        Some(v) => string(v.get("name")).or_else(|| string(Some(v))),
        None => None,
    };
    let main_entity = article.get("mainEntityOfPage");
    JsonLd {
        headline: string(article.get("headline")).or_else(|| string(article.get("name"))),
        published: string(article.get("datePublished")),
        url: string(article.get("url"))
            .or_else(|| string(main_entity))
            .or_else(|| string(main_entity.and_then(|m| m.get("@id")))),
        publisher: name_of(article.get("publisher")),
    }
}

/// The date of the article's `<time datetime>`: one marked as the publication time
/// (`pubdate`, `itemprop="datePublished"`, a class naming "publish"), else the first in an
/// `<article>` or `<main>`, else the first elsewhere, leaving out those in a list, aside,
/// navigation, footer (they date other articles) or page header (today's date), else the
/// page's only one.
fn time_element_date(dom: &Dom) -> Option<dates::Date> {
    let selection = dom.select("time[datetime]");
    // The first few are enough, and bound the work on a page made of time elements.
    let times = &selection.nodes()[..selection.nodes().len().min(100)];
    let date = |n: &NodeRef| n.attr("datetime").and_then(|d| dates::parse(&d));
    let marked = times.iter().find(|n| {
        n.has_attr("pubdate")
            || n.attr("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("datepublished"))
            || n.attr("class")
                .is_some_and(|c| c.to_ascii_lowercase().contains("publish"))
    });
    if let Some(found) = marked.and_then(date) {
        return Some(found);
    }
    // (inside an article or main, elsewhere) for each time element that may date the page.
    let placed: Vec<(bool, &NodeRef)> = times
        .iter()
        .filter_map(|n| {
            let names: Vec<String> = n
                .ancestors_it(None)
                .filter_map(|a| a.node_name().map(|s| s.to_ascii_lowercase()))
                .collect();
            let has = |tag: &str| names.iter().any(|n| n == tag);
            let in_article = has("article") || has("main");
            let other = ["li", "aside", "nav", "footer"].iter().any(|t| has(t))
                || (has("header") && !in_article);
            (!other).then_some((in_article, n))
        })
        .collect();
    let found = placed
        .iter()
        .find(|(in_article, _)| *in_article)
        .or_else(|| placed.first())
        .and_then(|(_, n)| date(n));
    if found.is_some() {
        return found;
    }
    match times {
        [only] => date(only),
        _ => None,
    }
}

/// Elements whose content is never article text (a figure's caption describes a
/// picture; embedded posts in figures are not the article's words).
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "button",
    "select",
    "option",
    "input",
    "textarea",
    "head",
    "title",
    "figure",
    "figcaption",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Pages nested deeper than this are not given to `dom_smoothie`, which recurses over
/// the tree (real pages nest a few dozen levels; unclosed tags can nest thousands).
const MAX_READABILITY_DEPTH: usize = 1_000;

/// Whether any node of the tree lies deeper than `limit`.
fn deeper_than(root: &NodeRef, limit: usize) -> bool {
    let mut stack = vec![(*root, 0)];
    while let Some((node, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        stack.extend(node.children_it(false).map(|child| (child, depth + 1)));
    }
    false
}

/// The article's text: `dom_smoothie`'s pick of the content, or, when it finds none (or
/// the page is nested too deep for it), the page's body without navigation, header,
/// footer, asides and forms (the boilerplate rules of `text::clean` then deal with what
/// is left).
fn article_text(dom: Dom) -> String {
    let fallback = dom.clone();
    let config = dom_smoothie::Config::default();
    let extracted = (!deeper_than(&dom.root(), MAX_READABILITY_DEPTH))
        .then(|| dom_smoothie::Readability::with_document(dom, None, Some(config)))
        .and_then(|readability| readability.and_then(|mut r| r.parse()).ok())
        .map(|article| block_text(&Dom::fragment(article.content).root()))
        .filter(|text| !text.trim().is_empty());
    extracted.unwrap_or_else(|| {
        fallback
            .select("nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo]")
            .remove();
        fallback
            .body()
            .map(|body| block_text(&body))
            .unwrap_or_default()
    })
}

/// Plain text of an element tree: white space collapsed, a blank line between block
/// elements, a line break for `<br>`.
fn block_text(root: &NodeRef) -> String {
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Gap {
        None,
        Space,
        Line,
        Paragraph,
    }
    enum Step<'a> {
        Visit(NodeRef<'a>),
        EndBlock,
    }
    let mut out = String::new();
    let mut gap = Gap::None;
    let mut steps = vec![Step::Visit(*root)];
    while let Some(step) = steps.pop() {
        let node = match step {
            Step::EndBlock => {
                gap = gap.max(Gap::Paragraph);
                continue;
            }
            Step::Visit(node) => node,
        };
        if node.is_text() {
            for c in node.text().chars() {
                if c.is_whitespace() {
                    gap = gap.max(Gap::Space);
                    continue;
                }
                if !out.is_empty() {
                    match gap {
                        Gap::None => {}
                        Gap::Space => out.push(' '),
                        Gap::Line => out.push('\n'),
                        Gap::Paragraph => out.push_str("\n\n"),
                    }
                }
                gap = Gap::None;
                out.push(c);
            }
            continue;
        }
        if node.is_element() {
            let name = node
                .node_name()
                .map(|n| n.to_ascii_lowercase())
                .unwrap_or_default();
            if SKIPPED.contains(&name.as_str()) {
                continue;
            }
            if name == "br" {
                gap = gap.max(Gap::Line);
                continue;
            }
            if BLOCKS.contains(&name.as_str()) {
                gap = gap.max(Gap::Paragraph);
                steps.push(Step::EndBlock);
            }
        } else if !(node.is_document() || node.is_fragment()) {
            continue; // comments, doctype
        }
        steps.extend(node.children_it(true).map(Step::Visit));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_paragraphs_and_white_space_collapses() {
        let dom = Dom::from(
            "<html><body><h1>Head  line</h1><div><p>One <b>bold</b>\n word.</p><p>Two<br>lines.</p>\
             <ul><li>Item</li><li>Other</li></ul><script>var x = 1;</script></div></body></html>",
        );
        assert_eq!(
            block_text(&dom.root()),
            "Head line\n\nOne bold word.\n\nTwo\nlines.\n\nItem\n\nOther"
        );
    }

    #[test]
    fn nesting_is_estimated_without_comments_raw_text_and_self_closing_tags() {
        assert_eq!(
            nesting_estimate(
                "<html><body><div><!-- <div><div> --><script>x = '<div><div>';</SCRIPT>\
                 <section><br><img src=x/><p>a<p>b<li>c<b>d<b>e</section></div>"
            ),
            4
        );
        assert_eq!(nesting_estimate(&"<div>".repeat(7)), 7);
        assert_eq!(nesting_estimate("</div></div><div>"), 1);
    }

    #[test]
    fn charsets_are_honoured_when_known() {
        let latin =
            b"<html><head><meta charset=\"iso-8859-1\"></head><body>Bogot\xe1</body></html>";
        let (text, encoding) = decode_html(latin);
        assert!(text.contains("Bogotá"));
        assert_eq!(encoding, "windows-1252"); // what WHATWG makes of ISO-8859-1
        let cyrillic = b"<meta http-equiv='Content-Type' content='text/html; charset=koi8-r'><p>\xf0\xd2\xc1\xd7\xc4\xc1</p>";
        let (text, encoding) = decode_html(cyrillic);
        assert!(text.contains("Правда"), "{text}");
        assert_eq!(encoding, "KOI8-R");
        // Unknown label, or UTF-8 declared but not valid: the text-file fallback.
        let (text, encoding) = decode_html(b"<meta charset=\"klingon\"><p>Caf\xe9</p>");
        assert!(text.contains("Café"));
        assert_eq!(encoding, "windows-1252");
        let (text, encoding) = decode_html(b"<meta charset=utf-8><p>Caf\xe9</p>");
        assert!(text.contains("Café"));
        assert_eq!(encoding, "windows-1252");
        let (text, encoding) = decode_html("<meta charset=utf-8><p>Café</p>".as_bytes());
        assert!(text.contains("Café"));
        assert_eq!(encoding, "utf-8");
        // A byte-order mark wins.
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "<p>Café</p>".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let (text, encoding) = decode_html(&utf16);
        assert_eq!(text, "<p>Café</p>");
        assert_eq!(encoding, "UTF-16LE");
    }
}
