//! Personal data in text the SDK did not write: a server's error detail and
//! field messages, a JSON decoder's message (which quotes the value it could
//! not read), the start of a body. Before such text becomes part of an error
//! message, what looks like a personal or organisation number, an e-mail
//! address or a phone number is replaced. The SDK's own messages never quote
//! a value in the first place.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// What is replaced, each as [`REDACTED`]; and uuids, which are kept (their
/// runs of digits are no one's number), matched first so that no part of one
/// is taken for a phone number.
static PERSONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // A uuid, kept.
        r"(?P<uuid>\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b)",
        // An e-mail address.
        r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)",
        // A personal, coordination or organisation number: 10 or 12 digits,
        // perhaps with - or + before the last four.
        r"|(?P<number>\b(?:\d{2})?\d{6}[-+]?\d{4}\b)",
        // A phone number: + or a leading 0, then at least seven more digits.
        r"|(?P<phone>(?:\+|\b0)\d[\d -]{5,}\d\b)",
    ))
    .expect("a valid pattern")
});

/// What kind of personal data a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Personal {
    /// An e-mail address.
    Email,
    /// A personal, coordination or organisation number.
    Number,
    /// A phone number.
    Phone,
}

/// `text` with each piece that looks like personal data replaced by what
/// `replace` makes of it (uuids are never taken for any).
pub(crate) fn replace_personal(
    text: &str,
    mut replace: impl FnMut(Personal, &str) -> String,
) -> Cow<'_, str> {
    PERSONAL.replace_all(text, |found: &regex::Captures<'_>| {
        let kind = if found.name("email").is_some() {
            Personal::Email
        } else if found.name("number").is_some() {
            Personal::Number
        } else if found.name("phone").is_some() {
            Personal::Phone
        } else {
            return found[0].to_owned();
        };
        replace(kind, &found[0])
    })
}

/// What replaces personal data.
pub const REDACTED: &str = "<redacted>";

/// `text` with whatever looks like personal data replaced by [`REDACTED`].
///
/// ```
/// use pigello::redact::personal_data;
/// assert_eq!(
///     personal_data("ssn 19811218-9876 or anna@example.se, tel +46 70 123 45 67"),
///     "ssn <redacted> or <redacted>, tel <redacted>"
/// );
/// assert_eq!(personal_data("expected a boolean at line 1"), "expected a boolean at line 1");
/// let id = "e0000001-0000-4000-a000-000000000006";
/// assert_eq!(personal_data(id), id);
/// ```
pub fn personal_data(text: &str) -> Cow<'_, str> {
    PERSONAL.replace_all(text, |found: &regex::Captures<'_>| {
        if found.name("uuid").is_some() {
            found[0].to_owned()
        } else {
            REDACTED.to_owned()
        }
    })
}

/// A query string with only the values that can hold nothing personal
/// (paging, sort keys, flags, and any `true` or `false`, as an `__isnull`
/// filter's); any other value of a filter or a search may be a personal
/// number, an e-mail or a phone number, and an extra parameter anything, so
/// each is replaced by `placeholder`. What logs and spans show of a query.
pub(crate) fn query_values(query: &str, placeholder: &str) -> String {
    const SHOWN: [&str; 6] = [
        "_order_by",
        "_page",
        "_page_size",
        "_slim",
        "_statistics",
        "_jsonl",
    ];
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if !SHOWN.contains(&name) && !matches!(value, "true" | "false") => {
                format!("{name}={placeholder}")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}
