//! Personal data in a model's `Debug` output: personal and organisation
//! numbers, e-mail addresses and phone numbers (`personal_data` in
//! spec/sdk.json) show whether they are set, never their values, so a model
//! printed, logged or carried into an error message holds none.

use std::fmt;

use super::Patch;

/// A personal field, for `Debug`: `Some(<redacted>)`, `None`, `Set(<redacted>)`, ...
pub struct Redacted<'a, T>(pub &'a T);

/// How a personal field's type says whether it is set.
pub trait Presence {
    /// The field as `Debug` shows it.
    fn shown(&self) -> &'static str;
}

impl Presence for String {
    fn shown(&self) -> &'static str {
        "<redacted>"
    }
}

impl<T: Presence> Presence for Option<T> {
    fn shown(&self) -> &'static str {
        match self {
            Some(_) => "Some(<redacted>)",
            None => "None",
        }
    }
}

impl<T: Presence> Presence for Patch<T> {
    fn shown(&self) -> &'static str {
        match self {
            Patch::Set(_) => "Set(<redacted>)",
            Patch::Null => "Null",
            Patch::Unset => "Unset",
        }
    }
}

impl<T: Presence> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.shown())
    }
}
