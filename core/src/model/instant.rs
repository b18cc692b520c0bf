//! Points in time from a language with one type for dates and date-times
//! (JavaScript's `Date`). The binding hands such a value over tagged, as
//! `{"\u0000instant": "2026-12-02T06:45:57.123Z"}` (RFC 3339, UTC), and the
//! core, which knows each field's kind, writes it as the field needs it: a
//! date field takes its UTC calendar date (`2026-12-02`), anything else the
//! date-time. The result is then checked like any other value.

use serde_json::Value;

use crate::description::{ResourceSpec, ValueKind};

/// The one key of a tagged point in time. It starts with a NUL, which no
/// field name of the API has.
pub const INSTANT_KEY: &str = "\u{0}instant";

/// The RFC 3339 text of a tagged point in time, if `value` is one.
pub fn tagged_instant(value: &Value) -> Option<&str> {
    match value {
        Value::Object(object) if object.len() == 1 => object.get(INSTANT_KEY)?.as_str(),
        _ => None,
    }
}

/// The text of a point in time where a date (`as_date`) or a date-time is
/// wanted. A date is the UTC calendar date the binding's RFC 3339 text starts
/// with; text of another shape is kept, for the checks to refuse.
pub fn instant_text(text: &str, as_date: bool) -> String {
    let date = text
        .get(..10)
        .filter(|_| text.as_bytes().get(10) == Some(&b'T'));
    match date {
        Some(date) if as_date => date.to_owned(),
        _ => text.to_owned(),
    }
}

/// Replaces every tagged point in time in `value` (at any depth) by its text:
/// a date where `as_date`, a date-time elsewhere.
pub fn resolve_instants(value: &mut Value, as_date: bool) {
    if let Some(text) = tagged_instant(value) {
        *value = Value::String(instant_text(text, as_date));
        return;
    }
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| resolve_instants(v, as_date)),
        Value::Object(object) => object.values_mut().for_each(|v| resolve_instants(v, false)),
        _ => {}
    }
}

/// A body's tagged points in time, each written as its field needs it: the
/// calendar date for a date field, the date-time for a date-time field and
/// for a key the reference does not document (`extra_body`). A point in time
/// given for a field of another kind (text, a number, a flag) is left tagged,
/// so the field's checks refuse it as the wrong type: sending its ISO text
/// as a name would hide the mistake.
///
/// ```
/// use serde_json::json;
/// let mut body = json!({
///     "birth_date": {"\u{0}instant": "1981-12-18T23:30:00.000Z"},
///     "note": {"\u{0}instant": "1981-12-18T23:30:00.000Z"},
///     "first_name": {"\u{0}instant": "1981-12-18T23:30:00.000Z"},
/// });
/// pigello::model::resolve_body_instants(&pigello::resources::TENANT, &mut body);
/// assert_eq!(body["birth_date"], "1981-12-18");
/// assert_eq!(body["note"], "1981-12-18T23:30:00.000Z");
/// assert!(pigello::model::tagged_instant(&body["first_name"]).is_some());
/// ```
pub fn resolve_body_instants(spec: &ResourceSpec, body: &mut Value) {
    let Some(object) = body.as_object_mut() else {
        return resolve_instants(body, false);
    };
    for (name, value) in object.iter_mut() {
        match spec.field(name).map(|f| f.kind) {
            Some(ValueKind::Date) => resolve_instants(value, true),
            None | Some(ValueKind::DateTime | ValueKind::Any | ValueKind::Object) => {
                resolve_instants(value, false)
            }
            Some(ValueKind::Array(crate::description::ItemKind::Any)) => {
                resolve_instants(value, false)
            }
            // Left for the field's type check to refuse.
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn instant(text: &str) -> Value {
        json!({ INSTANT_KEY: text })
    }

    #[test]
    fn a_date_takes_the_calendar_date_and_anything_else_the_date_time() {
        let mut value = json!([instant("2026-12-02T06:45:57.123Z"), {"a": instant("0001-01-01T00:00:00.000Z")}]);
        resolve_instants(&mut value, true);
        assert_eq!(
            value,
            json!(["2026-12-02", {"a": "0001-01-01T00:00:00.000Z"}])
        );
    }

    #[test]
    fn text_of_another_shape_is_kept_for_the_checks_to_refuse() {
        for text in ["+010000-01-01T00:00:00.000Z", "2026-12-02", "soon"] {
            let mut value = instant(text);
            resolve_instants(&mut value, true);
            assert_eq!(value, json!(text));
        }
    }

    #[test]
    fn an_object_with_more_keys_is_not_a_point_in_time() {
        let mut value = json!({ INSTANT_KEY: "2026-12-02T06:45:57.123Z", "x": 1 });
        let before = value.clone();
        resolve_instants(&mut value, true);
        assert_eq!(value, before);
    }
}
