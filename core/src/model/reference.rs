//! Relations: `{"id": "<uuid>"}` on the wire.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Extra;

/// A relation to another object, sent and received as `{"id": "<uuid>"}`.
///
/// The server may send a relation without an id (the reference's own examples show
/// `{}`) or with more keys than `id`; both are kept as sent. What a client sends is
/// validated: a relation it writes must carry a uuid id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ref {
    /// The related object's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    /// Any other keys the server sent inside the relation.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Ref {
    /// A relation to the object with this id.
    pub fn new(id: Uuid) -> Self {
        Ref {
            id: Some(id),
            extra: Extra::new(),
        }
    }
}

impl From<Uuid> for Ref {
    fn from(id: Uuid) -> Self {
        Ref::new(id)
    }
}

impl From<&Uuid> for Ref {
    fn from(id: &Uuid) -> Self {
        Ref::new(*id)
    }
}
