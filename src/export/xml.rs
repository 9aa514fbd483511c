//! XML escaping for the GraphML and GEXF writers.
//!
//! Element text escapes only `&`, `<`, the `>` of `]]>` (which XML forbids in text) and
//! carriage returns: Gephi's reader drops the white space between two entity references,
//! so escaping quotes would mangle evidence sentences. Attribute values also escape `"`
//! and white space controls. Characters that XML 1.0 forbids are removed.

use std::borrow::Cow;

/// Whether XML 1.0 allows the character at all.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether `text` can be written as it is: printable ASCII without `&`, `<`, `]]>` and, in
/// an attribute, `"`. Most ids, labels and sentences are, so they are not copied.
fn is_plain(text: &str, attribute: bool) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'&' && b != b'<' && !(attribute && b == b'"'))
        && !text.contains("]]>")
}

/// Escape element text: `&`, `<`, the `>` of `]]>` and carriage returns; illegal characters
/// removed.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Escape an attribute value: also `"`, and white space controls as references so they
/// survive attribute normalisation.
pub fn escape_attribute(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, attribute: bool) -> Cow<'_, str> {
    if is_plain(text, attribute) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| xml_allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' if !attribute && out.ends_with("]]") => out.push_str("&gt;"),
            // A parser reads a raw carriage return as a line feed.
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_only_amp_and_lt_and_drops_illegal_characters() {
        assert_eq!(
            escape_text("A & B < C > \"D\" 'E'\u{0B}\u{0}"),
            "A &amp; B &lt; C > \"D\" 'E'"
        );
    }

    #[test]
    fn plain_text_is_written_as_it_is_and_anything_else_is_escaped() {
        assert!(matches!(
            escape_attribute("person/al-sudani"),
            Cow::Borrowed(_)
        ));
        assert_eq!(escape_text("said \"no\""), "said \"no\"");
        assert_eq!(escape_attribute("said \"no\""), "said &quot;no&quot;");
        assert_eq!(escape_attribute("Kurdistan\u{7f}"), "Kurdistan\u{7f}");
        assert_eq!(escape_attribute("Ça\u{1}"), "Ça");
    }

    #[test]
    fn issue_15_cdata_end_in_text_is_escaped() {
        assert_eq!(
            escape_text("Israel ]]> on Friday"),
            "Israel ]]&gt; on Friday"
        );
        assert_eq!(escape_text("a ]]]>> b ] ]>"), "a ]]]&gt;> b ] ]>");
        assert_eq!(escape_text("x]]\u{b}>"), "x]]&gt;");
    }

    #[test]
    fn attributes_escape_quotes_and_line_breaks() {
        assert_eq!(escape_attribute("a\"b\nc&"), "a&quot;b&#10;c&amp;");
    }
}
