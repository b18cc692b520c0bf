//! The three states of a field in a PATCH body.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One field of a partial update: left out, set to `null`, or set to a value.
///
/// PATCH is the only update method the API has, so "leave it alone" and "clear it"
/// must be told apart: `Unset` is not sent at all, `Null` is sent as `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Patch<T> {
    /// Left out of the body: the stored value stays as it is.
    #[default]
    Unset,
    /// Sent as `null`: the stored value is cleared.
    Null,
    /// Sent as this value.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out (used to skip it when serializing).
    pub fn is_unset(&self) -> bool {
        matches!(self, Patch::Unset)
    }

    /// The value, if one is set.
    pub fn value(&self) -> Option<&T> {
        match self {
            Patch::Set(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

impl<T> From<Option<T>> for Patch<T> {
    /// `None` clears the field, `Some` sets it.
    fn from(value: Option<T>) -> Self {
        value.map_or(Patch::Null, Patch::Set)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(v) => v.serialize(serializer),
            // `Unset` is skipped by the containing struct; should it be serialized
            // alone, `null` is the only JSON it can be.
            Patch::Null | Patch::Unset => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// A present key is `Null` or `Set`; an absent key becomes `Unset` through the
    /// field's `#[serde(default)]`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}
