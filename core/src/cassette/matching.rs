//! When a request is a recorded one: the same method and path, the same query
//! parameters in any order, and for a write the same JSON body.

use serde_json::Value;

use super::file::Request;

/// What a request is matched on.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    method: String,
    path: String,
    /// The decoded parameters, sorted.
    query: Vec<(String, String)>,
    /// The body, parsed: only a write has one.
    body: Option<Value>,
}

impl Key {
    /// The key of a call about to be sent.
    pub fn of_call(method: &str, path: &str, query: &str, body: Option<&[u8]>) -> Key {
        let body = body.map(|bytes| serde_json::from_slice(bytes).unwrap_or(Value::Null));
        Key::new(method, path, query, body)
    }

    /// The key of a recorded request.
    pub fn of_recorded(request: &Request) -> Key {
        let body = request
            .body
            .as_ref()
            .map(|raw| serde_json::from_str(raw.get()).unwrap_or(Value::Null));
        Key::new(&request.method, &request.path, &request.query, body)
    }

    fn new(method: &str, path: &str, query: &str, body: Option<Value>) -> Key {
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        pairs.sort();
        Key {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            query: pairs,
            body,
        }
    }

    /// The request as a message shows it: method, path and the query with
    /// every value that may be personal redacted, as the log lines show it.
    fn shown(&self) -> String {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.query)
            .finish();
        let query = crate::redact::query_values(&query, crate::redact::REDACTED);
        let body = if self.body.is_some() {
            " with a body"
        } else {
            ""
        };
        match query.is_empty() {
            true => format!("{} {}{body}", self.method, self.path),
            false => format!("{} {}?{query}{body}", self.method, self.path),
        }
    }
}

/// The recorded request closest to `wanted`, as a message shows it: one to
/// the same method and path if there is one (the query or body differ), else
/// the nearest by the request line.
pub fn closest<'a>(wanted: &Key, recorded: impl Iterator<Item = &'a Key>) -> Option<String> {
    let recorded: Vec<&Key> = recorded.collect();
    let same_path = recorded
        .iter()
        .find(|k| k.method == wanted.method && k.path == wanted.path);
    let nearest = || {
        let line = format!("{} {}", wanted.method, wanted.path);
        recorded.iter().min_by_key(|k| {
            crate::validate::edit_distance(&line, &format!("{} {}", k.method, k.path))
        })
    };
    same_path.or_else(nearest).map(|k| k.shown())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_of_the_query_does_not_matter_and_a_write_s_body_does() {
        let a = Key::of_call("GET", "/t/", "b=2&a=1", None);
        assert_eq!(a, Key::of_call("GET", "/t/", "a=1&b=2", None));
        assert_ne!(a, Key::of_call("GET", "/t/", "a=1&b=3", None));
        let post = |body: &str| Key::of_call("POST", "/t/", "", Some(body.as_bytes()));
        assert_eq!(post(r#"{"a":1,"b":2}"#), post(r#"{"b": 2, "a": 1}"#));
        assert_ne!(post(r#"{"a":1}"#), post(r#"{"a":2}"#));
    }

    #[test]
    fn the_closest_shows_no_personal_value() {
        let recorded = [
            Key::of_call("GET", "/tenant/list/", "ssn=19811218-9876&_page=1", None),
            Key::of_call("GET", "/subtenant/list/", "", None),
        ];
        let wanted = Key::of_call("GET", "/tenant/list/", "_page=2", None);
        let shown = closest(&wanted, recorded.iter()).expect("one");
        assert!(shown.starts_with("GET /tenant/list/?"), "{shown}");
        assert!(!shown.contains("19811218"), "{shown}");
    }
}
