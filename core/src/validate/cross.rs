//! Rules that tie several fields of one object together.
//!
//! On a create body every rule is checked. On a PATCH body a field the body leaves
//! out may hold anything on the server, so a rule is checked only where the body
//! alone decides it: both of two excluding fields set, a whole "at least one of"
//! group cleared, a start and an end both given out of order, and so on. What
//! needs the stored object is the server's job (the sandbox checks the merged
//! object).

use serde_json::{Map, Value};

use super::{Mode, Path, Rule, Violation};
use crate::description::{CrossRule, ResourceSpec};

/// What a body says about one field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State<'v> {
    /// Left out: on create that means unset; on a patch, unknown.
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with a value.
    Value(&'v Value),
}

fn state<'v>(object: &'v Map<String, Value>, name: &str) -> State<'v> {
    match object.get(name) {
        None => State::Absent,
        Some(Value::Null) => State::Null,
        Some(v) => State::Value(v),
    }
}

/// The body's own answer to "is this field set?", if it has one.
fn is_set(object: &Map<String, Value>, name: &str, mode: Mode) -> Option<bool> {
    match (state(object, name), mode) {
        (State::Value(_), _) => Some(true),
        (State::Null, _) | (State::Absent, Mode::Create) => Some(false),
        (State::Absent, Mode::Patch) => None,
    }
}

pub(super) fn check(
    spec: &ResourceSpec,
    object: &Map<String, Value>,
    mode: Mode,
    at: &Path,
    out: &mut Vec<Violation>,
) {
    let set = |name: &str| is_set(object, name, mode);
    for rule in spec.cross_rules {
        match *rule {
            CrossRule::CannotBeSetWith { field, others } => {
                let clashing: Vec<&str> = others
                    .iter()
                    .copied()
                    .filter(|o| set(o) == Some(true))
                    .collect();
                if set(field) == Some(true) && !clashing.is_empty() {
                    out.push(Violation::new(
                        at.key(field),
                        Rule::CannotBeSetWith,
                        format!("{field} can't be set when {} is set", clashing.join(", ")),
                    ));
                }
            }
            CrossRule::AtLeastOneOf { fields } => {
                if fields.iter().all(|f| set(f) == Some(false)) {
                    out.push(Violation::new(
                        at.key(fields[0]),
                        Rule::AtLeastOneOf,
                        format!("at least one of {} must be set", fields.join(", ")),
                    ));
                }
            }
            CrossRule::Requires { field, others } => {
                let missing: Vec<&str> = others
                    .iter()
                    .copied()
                    .filter(|o| set(o) == Some(false))
                    .collect();
                if set(field) == Some(true) && !missing.is_empty() {
                    out.push(Violation::new(
                        at.key(field),
                        Rule::Requires,
                        format!("{field} requires {} to be set too", missing.join(", ")),
                    ));
                }
            }
            CrossRule::SetTogetherWith { fields } => {
                let known: Vec<bool> = fields.iter().filter_map(|f| set(f)).collect();
                let all_known = known.len() == fields.len();
                if all_known && known.contains(&true) && known.contains(&false) {
                    let unset: Vec<&str> = fields
                        .iter()
                        .copied()
                        .filter(|f| set(f) == Some(false))
                        .collect();
                    let first_set = fields.iter().copied().find(|f| set(f) == Some(true));
                    out.push(Violation::new(
                        at.key(first_set.unwrap_or(fields[0])),
                        Rule::SetTogetherWith,
                        format!(
                            "{} must be set together; {} is not set",
                            fields.join(" and "),
                            unset.join(", ")
                        ),
                    ));
                }
            }
            CrossRule::OrderedWith { earlier, later } => {
                if let (State::Value(a), State::Value(b)) =
                    (state(object, earlier), state(object, later))
                    && let (Some(a), Some(b)) = (a.as_str(), b.as_str())
                    && out_of_order(a, b)
                {
                    out.push(Violation::new(
                        at.key(later),
                        Rule::OrderedWith,
                        format!("{later} must not be before {earlier}"),
                    ));
                }
            }
            CrossRule::MustMatchValuesOf { field, source } => {
                let (State::Value(Value::Array(items)), source_state) =
                    (state(object, field), state(object, source))
                else {
                    continue;
                };
                let allowed: &[Value] = match source_state {
                    State::Value(Value::Array(a)) => a,
                    State::Null => &[],
                    State::Absent if mode == Mode::Create => &[],
                    // On a patch the stored source list is unknown; a non-array
                    // source is a type error reported on its own field.
                    _ => continue,
                };
                if let Some(i) = items.iter().position(|v| !allowed.contains(v)) {
                    out.push(Violation::new(
                        at.key(field).index(i),
                        Rule::MustMatchValuesOf,
                        format!("every value of {field} must also be in {source}"),
                    ));
                }
            }
        }
    }
}

/// Whether two dates or date-times are out of order. Values that do not parse are
/// reported by their own field's rule, not here.
fn out_of_order(earlier: &str, later: &str) -> bool {
    use chrono::{DateTime, NaiveDate};
    if let (Ok(a), Ok(b)) = (
        NaiveDate::parse_from_str(earlier, "%Y-%m-%d"),
        NaiveDate::parse_from_str(later, "%Y-%m-%d"),
    ) {
        return a > b;
    }
    if let (Ok(a), Ok(b)) = (
        DateTime::parse_from_rfc3339(earlier),
        DateTime::parse_from_rfc3339(later),
    ) {
        return a > b;
    }
    false
}
