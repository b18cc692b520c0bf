//! What every generated resource model and input has in common.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::description::ResourceSpec;
use crate::validate::{self, Mode, ValidationError};
use crate::{Error, Result};

/// A resource's read model: what the server sends.
pub trait Resource: DeserializeOwned + Serialize + Clone + Send + Sync + 'static {
    /// The resource's description.
    const SPEC: &'static ResourceSpec;
    /// The body of a create (and of one bulk-write item).
    type Create: Input;
    /// The body of a PATCH.
    type Patch: Input;
    /// The object's id.
    fn id(&self) -> uuid::Uuid;
}

/// A body the client sends: a create or a patch input.
pub trait Input: Serialize {
    /// The resource the body is for.
    const SPEC: &'static ResourceSpec;
    /// Whether the body creates or patches.
    const MODE: Mode;

    /// The body as JSON, with fields the description does not list (`extra`)
    /// merged in; an `extra` key that repeats a documented field overrides it and
    /// is validated as that field.
    fn to_json(&self) -> Result<Value> {
        serde_json::to_value(self).map_err(|e| Error::Encode {
            model: Self::SPEC.name,
            message: e.to_string(),
        })
    }

    /// Checks every documented rule; all violations are reported together.
    fn validate(&self) -> Result<()> {
        self.validated_json().map(drop)
    }

    /// The body as JSON, once it has passed every documented rule: what to send.
    fn validated_json(&self) -> Result<Value> {
        let body = self.to_json()?;
        let violations =
            validate::validate_object(Self::SPEC, &body, Self::MODE, &validate::Path::root());
        ValidationError::check(Self::SPEC.name, violations)?;
        Ok(body)
    }
}

/// Decodes a JSON body into a model; a wrong type names the field it was found at.
///
/// Decoding is lenient about input rules (a server may send `"ssn": "stringstring"`
/// or a relation without an id, and both are kept) and strict about types.
pub fn decode<T: DeserializeOwned>(model: &'static str, bytes: &[u8]) -> Result<T> {
    // Decoded once, straight into `T`; only a body that fails is decoded again,
    // tracking the path, to say where (tracking it always costs every call).
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
        model,
        path: e.path().to_string(),
        // The decoder's message quotes the value it could not read.
        message: crate::redact::personal_data(&e.inner().to_string()).into_owned(),
    })?;
    Ok(value)
}
