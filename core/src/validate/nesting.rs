//! How deep a value sent to the API may nest. The API's bodies nest three
//! levels at most (a list of relations); past this bound a value is refused
//! rather than followed. A binding converting its language's values stops at
//! the same bound (10 000 levels would overflow its stack) and says so with
//! [`too_deep`]; the core holds every body to it, whoever built it.

use serde_json::Value;

use super::{Path, Rule, Violation};

/// The most objects and lists a value may hold one inside another: a body
/// `{"a": [1]}` nests two levels.
pub const MAX_DEPTH: usize = 64;

/// What a value nested past [`MAX_DEPTH`] is, as every package names it
/// (after where it is, and before "cannot be sent").
pub fn too_deep() -> String {
    format!("a value nested deeper than {MAX_DEPTH} levels")
}

/// The violation of the first object or list in `value` (found at `at`) that
/// lies deeper than [`MAX_DEPTH`] levels, if any.
///
/// ```
/// use pigello::validate::{MAX_DEPTH, Path, nesting_violation};
/// let mut value = serde_json::json!(1);
/// for _ in 0..MAX_DEPTH {
///     value = serde_json::json!([value]);
/// }
/// assert!(nesting_violation(&value, &Path::root()).is_none());
/// let deeper = serde_json::json!({ "deep": value });
/// let refused = nesting_violation(&deeper, &Path::root()).expect("too deep");
/// assert!(refused.path.to_string().starts_with("deep[0][0]"));
/// ```
pub fn nesting_violation(value: &Value, at: &Path) -> Option<Violation> {
    first_too_deep(value, at, 1).map(|path| Violation::new(path, Rule::Nesting, too_deep()))
}

/// The path of the first container at more than `MAX_DEPTH` levels, with
/// `value` at level `level`. The walk stops there, so it never goes deeper
/// than the bound itself.
fn first_too_deep(value: &Value, at: &Path, level: usize) -> Option<Path> {
    let is_container = matches!(value, Value::Array(_) | Value::Object(_));
    if is_container && level > MAX_DEPTH {
        return Some(at.clone());
    }
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| first_too_deep(item, &at.index(i), level + 1)),
        Value::Object(object) => object
            .iter()
            .find_map(|(key, item)| first_too_deep(item, &at.key(key), level + 1)),
        _ => None,
    }
}
