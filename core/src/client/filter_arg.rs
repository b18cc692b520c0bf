//! What a filter or an extra query parameter can take as its value, and how
//! it is written into a query string.

use std::fmt::Display;

use crate::query::ScalarKind;

/// A value a filter can take: text, numbers, booleans, uuids, dates, or a list
/// of them for `in`.
pub trait FilterArg {
    /// The value as the API reads it from a query string (before percent-encoding).
    fn to_raw(&self) -> String;

    /// The value for a filter on values of `kind`: as [`FilterArg::to_raw`],
    /// except that a point in time a binding handed over
    /// ([`crate::model::INSTANT_KEY`]) is the calendar date for a date filter.
    fn to_raw_for(&self, _kind: Option<ScalarKind>) -> String {
        self.to_raw()
    }

    /// Why the value cannot be a filter value, if it cannot (a JSON `null` or
    /// object, which have no query-string form).
    fn refusal(&self) -> Option<&'static str> {
        None
    }
}

macro_rules! display_arg {
    ($($t:ty),*) => {$(
        impl FilterArg for $t {
            fn to_raw(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_arg!(str, String, i32, i64, u32, u64, bool, uuid::Uuid);

impl FilterArg for chrono::NaiveDate {
    fn to_raw(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl<Tz: chrono::TimeZone> FilterArg for chrono::DateTime<Tz>
where
    Tz::Offset: Display,
{
    fn to_raw(&self) -> String {
        self.to_rfc3339()
    }
}

impl<T: FilterArg + ?Sized> FilterArg for &T {
    fn to_raw(&self) -> String {
        (**self).to_raw()
    }

    fn to_raw_for(&self, kind: Option<ScalarKind>) -> String {
        (**self).to_raw_for(kind)
    }

    fn refusal(&self) -> Option<&'static str> {
        (**self).refusal()
    }
}

impl<T: FilterArg> FilterArg for [T] {
    fn to_raw(&self) -> String {
        self.to_raw_for(None)
    }

    fn to_raw_for(&self, kind: Option<ScalarKind>) -> String {
        self.iter()
            .map(|item| item.to_raw_for(kind))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn refusal(&self) -> Option<&'static str> {
        self.iter().find_map(FilterArg::refusal)
    }
}

impl<T: FilterArg> FilterArg for Vec<T> {
    fn to_raw(&self) -> String {
        self.as_slice().to_raw()
    }

    fn to_raw_for(&self, kind: Option<ScalarKind>) -> String {
        self.as_slice().to_raw_for(kind)
    }

    fn refusal(&self) -> Option<&'static str> {
        self.as_slice().refusal()
    }
}

impl<T: FilterArg, const N: usize> FilterArg for [T; N] {
    fn to_raw(&self) -> String {
        self.as_slice().to_raw()
    }
    fn refusal(&self) -> Option<&'static str> {
        self.as_slice().refusal()
    }
}

/// A JSON value, as a binding receives one: a string as it is, an array as its
/// items (for `in`), a number or a boolean as JSON writes it. `null` and
/// objects are refused: `null` is asked for with `__isnull`.
impl FilterArg for serde_json::Value {
    fn to_raw(&self) -> String {
        self.to_raw_for(None)
    }

    fn to_raw_for(&self, kind: Option<ScalarKind>) -> String {
        if let Some(text) = crate::model::tagged_instant(self) {
            return crate::model::instant_text(text, kind == Some(ScalarKind::Date));
        }
        match self {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => items.to_raw_for(kind),
            other => other.to_string(),
        }
    }
    fn refusal(&self) -> Option<&'static str> {
        match self {
            serde_json::Value::Null => {
                Some("a filter value cannot be null; to match empty values, use field__isnull=true")
            }
            serde_json::Value::Object(_) if crate::model::tagged_instant(self).is_none() => {
                Some("a filter value is text, a number, a boolean, a date or a list of them")
            }
            serde_json::Value::Array(items) if items.iter().any(|v| v.is_array()) => {
                Some("a filter's list of values cannot hold lists")
            }
            serde_json::Value::Array(items) => items.refusal(),
            _ => None,
        }
    }
}
