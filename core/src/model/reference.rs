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

/// Lets a body name related objects by their id alone: on every relation field
/// of `spec` (and in arrays of relations), a string becomes `{"id": string}`.
/// The bindings use it so that a uuid string, a `uuid.UUID` or a model object
/// (each turned into its id first) can stand for a relation. The validators
/// still check that the id is a uuid.
///
/// ```
/// use serde_json::json;
/// let mut body = json!({"tenant": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "first_name": "A"});
/// pigello::model::wrap_relation_ids(&pigello::resources::PROTECTED_IDENTITY, &mut body);
/// assert_eq!(body["tenant"], json!({"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08"}));
/// assert_eq!(body["first_name"], "A");
/// ```
pub fn wrap_relation_ids(spec: &crate::description::ResourceSpec, body: &mut serde_json::Value) {
    use crate::description::{ItemKind, ValueKind};
    use serde_json::{Value, json};
    let Some(object) = body.as_object_mut() else {
        return;
    };
    for field in spec.fields {
        let Some(value) = object.get_mut(field.name) else {
            continue;
        };
        match (field.kind, value) {
            (ValueKind::Relation, value @ Value::String(_)) => {
                *value = json!({ "id": value.take() })
            }
            (ValueKind::Array(ItemKind::Relation), Value::Array(items)) => {
                for item in items.iter_mut().filter(|i| i.is_string()) {
                    *item = json!({ "id": item.take() });
                }
            }
            _ => {}
        }
    }
}
