//! The whole store as one JSON document, to save, inspect, edit and load.
//!
//! ```json
//! {
//!   "format": "pigello-sandbox-state/1",
//!   "customers": {
//!     "00000000-0000-4000-8000-000000000001": {
//!       "tenants": [ {...}, ... ],
//!       "protected_identities": [ ... ],
//!       "invites": [ {"resource": "Tenant", "body": {...}} ]
//!     }
//!   }
//! }
//! ```
//!
//! Resources are keyed by their snake_case plural. An import is checked whole
//! (every object needs a uuid `id` and must pass the documented rules) before it
//! replaces the store.

use std::collections::BTreeMap;
use std::fmt;

use pigello::validate::{Mode, Path, validate_object};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{Store, World};

/// The `format` an exported document carries and an import requires.
pub const STATE_FORMAT: &str = "pigello-sandbox-state/1";

/// Why a state document was refused; nothing was loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError {
    /// Where in the document (`customers.<id>.tenants[3].ssn`).
    pub at: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

impl std::error::Error for StateError {}

fn fail(at: impl Into<String>, message: impl Into<String>) -> StateError {
    StateError {
        at: at.into(),
        message: message.into(),
    }
}

impl Store {
    /// The whole store.
    pub fn export(&self) -> Value {
        let customers: Map<String, Value> = self
            .customers
            .iter()
            .map(|(customer, world)| {
                let mut out = Map::new();
                for spec in pigello::resources::ALL {
                    let rows: Vec<Value> = world.table(spec).cloned().map(Value::Object).collect();
                    out.insert(spec.snake_plural.into(), Value::Array(rows));
                }
                out.insert("invites".into(), Value::Array(world.invites.clone()));
                (customer.to_string(), Value::Object(out))
            })
            .collect();
        json!({ "format": STATE_FORMAT, "customers": customers })
    }

    /// Replaces the store with an exported document, or changes nothing.
    pub fn import(&mut self, document: &Value) -> Result<(), StateError> {
        if document.get("format").and_then(Value::as_str) != Some(STATE_FORMAT) {
            return Err(fail("format", format!("expected \"{STATE_FORMAT}\"")));
        }
        let Some(customers) = document.get("customers").and_then(Value::as_object) else {
            return Err(fail("customers", "expected an object keyed by customer id"));
        };
        let mut loaded = BTreeMap::new();
        for (customer, tables) in customers {
            let at = format!("customers.{customer}");
            let id =
                Uuid::try_parse(customer).map_err(|_| fail(&at, "a customer id must be a uuid"))?;
            let Some(tables) = tables.as_object() else {
                return Err(fail(&at, "expected an object keyed by resource"));
            };
            loaded.insert(id, world_from(&at, tables)?);
        }
        self.customers = loaded;
        Ok(())
    }
}

fn world_from(at: &str, tables: &Map<String, Value>) -> Result<World, StateError> {
    let mut world = World::default();
    for (key, rows) in tables {
        let at = format!("{at}.{key}");
        let Some(rows) = rows.as_array() else {
            return Err(fail(&at, "expected an array"));
        };
        if key == "invites" {
            world.invites = rows.clone();
            continue;
        }
        let Some(spec) = pigello::resources::find(key) else {
            return Err(fail(&at, "not a resource of the Accounts application"));
        };
        let table = world.tables.entry(spec.name).or_default();
        for (i, row) in rows.iter().enumerate() {
            let at = format!("{at}[{i}]");
            let Some(object) = row.as_object() else {
                return Err(fail(&at, "expected an object"));
            };
            let id = object
                .get("id")
                .and_then(Value::as_str)
                .and_then(|s| Uuid::try_parse(s).ok())
                .ok_or_else(|| fail(&at, "every object needs a uuid id"))?;
            if let Some(v) = validate_object(spec, row, Mode::Create, &Path::root()).first() {
                return Err(fail(format!("{at}.{}", v.path.as_str()), v.message.clone()));
            }
            if table.insert(id, object.clone()).is_some() {
                return Err(fail(&at, "the same id appears twice"));
            }
        }
    }
    Ok(world)
}
