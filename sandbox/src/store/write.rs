//! Create, update, bulk write and delete: every write is checked whole before
//! anything is stored, so a refused request leaves the store as it was.

use std::collections::HashMap;

use pigello::description::{ResourceSpec, ValueKind};
use pigello::validate::{Mode, Path, Rule, Violation, validate_object};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Object, Store, World, fill, is_relation, relation_ids};
use crate::error::{ApiError, FieldError};
use crate::externals;

/// One write of a request.
#[derive(Debug, Clone, Copy)]
enum Write<'a> {
    /// A new object from this body.
    Create(&'a Value),
    /// A partial update of the stored object with this id.
    Update(Uuid, &'a Value),
}

impl Store {
    /// Creates one object.
    pub fn create(
        &mut self,
        customer: Uuid,
        spec: &'static ResourceSpec,
        body: &Value,
        now: &str,
    ) -> Result<Object, ApiError> {
        let mut out = self.apply(customer, spec, &[(Path::root(), Write::Create(body))], now)?;
        Ok(out.remove(0))
    }

    /// Updates one object: fields left out stay, `null` clears, and the rules are
    /// checked on the merged object.
    pub fn update(
        &mut self,
        customer: Uuid,
        spec: &'static ResourceSpec,
        id: Uuid,
        body: &Value,
        now: &str,
    ) -> Result<Object, ApiError> {
        if self
            .world(&customer)
            .and_then(|w| w.get(spec, &id))
            .is_none()
        {
            return Err(ApiError::not_found(format!(
                "no {} with this id",
                spec.name
            )));
        }
        let mut out = self.apply(
            customer,
            spec,
            &[(Path::root(), Write::Update(id, body))],
            now,
        )?;
        Ok(out.remove(0))
    }

    /// A bulk write: an item with an `id` updates that object, one without creates
    /// a new one. All items are written, or none.
    pub fn bulk(
        &mut self,
        customer: Uuid,
        spec: &'static ResourceSpec,
        body: &Value,
        now: &str,
    ) -> Result<Vec<Object>, ApiError> {
        let Some(items) = body.as_array() else {
            return Err(ApiError::invalid(
                "a bulk write body must be a JSON array",
                vec![FieldError {
                    field: String::new(),
                    code: Rule::Type.code().into(),
                    message: format!("expected an array of {} objects", spec.name),
                }],
            ));
        };
        let mut writes = Vec::with_capacity(items.len());
        let mut problems = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = Path::root().index(i);
            match item.get("id") {
                None | Some(Value::Null) => writes.push((at, Write::Create(item))),
                Some(id) => match id.as_str().and_then(|s| Uuid::try_parse(s).ok()) {
                    Some(id) => writes.push((at, Write::Update(id, item))),
                    None => problems.push(Violation::new(
                        at.key("id"),
                        Rule::Uuid,
                        "id must be a uuid",
                    )),
                },
            }
        }
        if !problems.is_empty() {
            return Err(refused(spec, &problems));
        }
        self.apply(customer, spec, &writes, now)
    }

    /// Deletes one object, unless another object still points at it.
    pub fn delete(
        &mut self,
        customer: Uuid,
        spec: &'static ResourceSpec,
        id: Uuid,
    ) -> Result<(), ApiError> {
        let world = self.world_mut(customer);
        if !world.contains(spec.name, &id) {
            return Err(ApiError::not_found(format!(
                "no {} with this id",
                spec.name
            )));
        }
        let referrers = world.referrers(spec.name, &id);
        if let Some((resource, _)) = referrers.first() {
            return Err(ApiError::new(
                axum::http::StatusCode::CONFLICT,
                "protected",
                format!(
                    "this {} is still referenced by {} object(s) (first: a {resource}); delete or repoint those first",
                    spec.name,
                    referrers.len()
                ),
            ));
        }
        world.remove(spec.name, &id);
        Ok(())
    }

    /// Checks every write, then stores them all, or refuses them all.
    fn apply(
        &mut self,
        customer: Uuid,
        spec: &'static ResourceSpec,
        writes: &[(Path, Write<'_>)],
        now: &str,
    ) -> Result<Vec<Object>, ApiError> {
        let empty = World::default();
        let world = self.customers.get(&customer).unwrap_or(&empty);
        let mut problems = Vec::new();
        let mut planned: Vec<(Option<Uuid>, Object)> = Vec::with_capacity(writes.len());
        let mut claimed: HashMap<(&str, String), Path> = HashMap::new();
        for (at, write) in writes {
            let (existing, body) = match write {
                Write::Create(body) => (None, *body),
                Write::Update(id, body) => (Some(*id), *body),
            };
            let Some(body) = body.as_object() else {
                problems.push(Violation::new(
                    at.clone(),
                    Rule::Type,
                    format!("a {} body must be a JSON object", spec.name),
                ));
                continue;
            };
            let mut candidate = match existing {
                None => fill::new_object(spec),
                Some(id) => match world.get(spec, &id) {
                    Some(stored) => stored.clone(),
                    None => {
                        problems.push(Violation::new(
                            at.key("id"),
                            Rule::Reference,
                            format!("no {} with this id", spec.name),
                        ));
                        continue;
                    }
                },
            };
            let written = writable(spec, body);
            for (name, value) in &written {
                candidate.insert(name.clone(), value.clone());
            }
            let candidate = Value::Object(candidate);
            problems.extend(validate_object(spec, &candidate, Mode::Create, at));
            let Value::Object(candidate) = candidate else {
                continue;
            };
            check_references(spec, world, &written, at, &mut problems);
            check_unique(
                spec,
                world,
                existing,
                &candidate,
                at,
                &mut claimed,
                &mut problems,
            );
            if let Some(id) = existing
                && let Some(first) = claimed.insert(("id", id.to_string()), at.clone())
            {
                problems.push(Violation::new(
                    at.key("id"),
                    Rule::Unique,
                    format!("the same object is also written at {}", first.as_str()),
                ));
            }
            planned.push((existing, candidate));
        }
        if !problems.is_empty() {
            return Err(refused(spec, &problems));
        }
        let world = self.customers.entry(customer).or_default();
        let mut out = Vec::with_capacity(planned.len());
        for (existing, mut object) in planned {
            let id = existing.unwrap_or_else(|| self.ids.uuid());
            fill::server_fields(spec, &mut object, id, now, existing.is_none());
            world.put(spec.name, id, object.clone());
            out.push(object);
        }
        Ok(out)
    }
}

/// The 400 for a set of violations.
fn refused(spec: &ResourceSpec, problems: &[Violation]) -> ApiError {
    let n = problems.len();
    ApiError::invalid(
        format!(
            "{n} problem{} with the {} body; nothing was written",
            if n == 1 { "" } else { "s" },
            spec.name
        ),
        problems.iter().map(FieldError::from).collect(),
    )
}

/// The fields of a body the server takes: documented and writable. Read-only and
/// undocumented fields are ignored, as the API's framework does. Relations are
/// stored as `{"id": ...}` alone.
fn writable(spec: &ResourceSpec, body: &Map<String, Value>) -> Vec<(String, Value)> {
    body.iter()
        .filter_map(|(name, value)| {
            let field = spec.field(name).filter(|f| f.writable())?;
            let value = match (field.kind, value) {
                (ValueKind::Relation, Value::Object(_)) => slim_relation(value),
                (ValueKind::Array(_), Value::Array(items)) if is_relation(field.kind) => {
                    Value::Array(items.iter().map(slim_relation).collect())
                }
                _ => value.clone(),
            };
            Some((name.clone(), value))
        })
        .collect()
}

fn slim_relation(value: &Value) -> Value {
    match value.get("id") {
        Some(id) => serde_json::json!({ "id": id }),
        None => value.clone(),
    }
}

/// A relation must name an existing object of its target: an Accounts object of
/// this customer, or one of the documented external ids.
fn check_references(
    spec: &ResourceSpec,
    world: &World,
    written: &[(String, Value)],
    at: &Path,
    problems: &mut Vec<Violation>,
) {
    for (name, value) in written {
        let Some(field) = spec.field(name).filter(|f| is_relation(f.kind)) else {
            continue;
        };
        let Some(target) = field.target else { continue };
        let items: Vec<(Path, &Value)> = match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (at.key(name).index(i), v))
                .collect(),
            Value::Null => Vec::new(),
            v => vec![(at.key(name), v)],
        };
        for (path, item) in items {
            // A relation without an id is the core validator's `required` error.
            let Some(id) = relation_ids(Some(item)).first().copied() else {
                continue;
            };
            let known = if externals::is_external(target) {
                externals::exists(target, &id)
            } else {
                world.contains(target, &id)
            };
            if !known {
                problems.push(Violation::new(
                    path,
                    Rule::Reference,
                    format!("no {target} with this id"),
                ));
            }
        }
    }
}

/// A unique field's value may appear on one object only, counting the other
/// writes of the same request.
fn check_unique<'s>(
    spec: &'s ResourceSpec,
    world: &World,
    existing: Option<Uuid>,
    candidate: &Object,
    at: &Path,
    claimed: &mut HashMap<(&'s str, String), Path>,
    problems: &mut Vec<Violation>,
) {
    for field in spec.writable_fields().filter(|f| f.unique) {
        let Some(value) = unique_key(field, candidate.get(field.name)) else {
            continue;
        };
        let this = existing.map(|id| id.to_string());
        let taken = world.table(spec).any(|other| {
            other.get("id").and_then(Value::as_str) != this.as_deref()
                && unique_key(field, other.get(field.name)).as_ref() == Some(&value)
        });
        let earlier = claimed.insert((field.name, value), at.clone());
        if taken || earlier.is_some() {
            problems.push(Violation::new(
                at.key(field.name),
                Rule::Unique,
                format!("another {} already has this {}", spec.name, field.name),
            ));
        }
    }
}

/// What a unique field's value is compared by: a relation's id, or the JSON text.
fn unique_key(field: &pigello::description::FieldSpec, value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        v if is_relation(field.kind) => relation_ids(Some(v)).first().map(Uuid::to_string),
        v => Some(v.to_string()),
    }
}
