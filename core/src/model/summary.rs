//! A one-line description of an object for a person: what a Python `repr`
//! shows. The same rule for every package, so no package shows more.

use crate::description::ResourceSpec;
use crate::redact::personal_data;

/// The fields that name an object for a reader, in the order shown.
pub const NAMING_FIELDS: [&str; 5] = [
    "name",
    "corporate_name",
    "popular_name",
    "first_name",
    "last_name",
];

/// The characters of a naming field shown before it is cut.
pub const SHOWN_CHARS: usize = 32;

/// `Tenant(id='…', first_name='Anna', last_name='Berg')`: the resource, the
/// id and each naming field that is set (`text` gives a field's text), cut at
/// [`SHOWN_CHARS`]. Never a personal or organisation number, an e-mail or a
/// phone number: a naming field that holds one shows it as `<redacted>`.
///
/// ```
/// use pigello::model::summary;
///
/// let fields = |name: &str| match name {
///     "first_name" => Some("Anna"),
///     "last_name" => Some("anna@example.se"),
///     _ => None,
/// };
/// let shown = summary(&pigello::resources::TENANT, "8d8d7b96", fields);
/// assert_eq!(shown, "Tenant(id='8d8d7b96', first_name='Anna', last_name='<redacted>')");
/// ```
pub fn summary<'a>(
    spec: &ResourceSpec,
    id: &str,
    text: impl Fn(&str) -> Option<&'a str>,
) -> String {
    let mut out = format!("{}(id={}", spec.name, quoted(id));
    for name in NAMING_FIELDS {
        if spec.field(name).is_none() {
            continue;
        }
        if let Some(value) = text(name) {
            let value = personal_data(value);
            let mut shown: String = value.chars().take(SHOWN_CHARS).collect();
            if value.chars().nth(SHOWN_CHARS).is_some() {
                shown.push('…');
            }
            out.push_str(&format!(", {name}={}", quoted(&shown)));
        }
    }
    out.push(')');
    out
}

/// Text in single quotes, as Python writes a string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
