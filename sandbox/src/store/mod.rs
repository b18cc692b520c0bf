//! The sandbox's memory: one world per customer, one table per resource, and
//! the writes that keep every documented rule true of what is stored.

mod fill;
mod state;
mod write;

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;

use pigello::description::{ResourceSpec, ValueKind};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::rng::Rng;

pub use state::{STATE_FORMAT, StateError};

/// One stored object: every documented field, keyed by name.
pub type Object = Map<String, Value>;

/// Everything one customer has.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// Objects by resource name (`Tenant`), then by id (so a table is in id order).
    tables: BTreeMap<&'static str, BTreeMap<Uuid, Object>>,
    /// The bodies of the invite calls received, oldest first.
    invites: Vec<Value>,
    /// Objects as JSON text, made when first listed and dropped when the
    /// object is written: a list serves stored bytes instead of serialising
    /// every row again.
    texts: HashMap<(&'static str, Uuid), Bytes>,
    /// Each table's ids in order, made when a page is first asked for and
    /// dropped when an object is added or removed: a page is found by its
    /// offset instead of by walking every row before it.
    orders: HashMap<&'static str, Vec<Uuid>>,
}

/// Two worlds are equal when they hold the same objects and invites; the
/// texts are only a cache of the objects.
impl PartialEq for World {
    fn eq(&self, other: &World) -> bool {
        self.tables == other.tables && self.invites == other.invites
    }
}

impl World {
    /// Stores an object, replacing the one with its id.
    fn put(&mut self, resource: &'static str, id: Uuid, object: Object) {
        self.texts.remove(&(resource, id));
        if self
            .tables
            .entry(resource)
            .or_default()
            .insert(id, object)
            .is_none()
        {
            self.orders.remove(resource);
        }
    }

    /// Removes an object.
    fn remove(&mut self, resource: &'static str, id: &Uuid) {
        self.texts.remove(&(resource, *id));
        if let Some(table) = self.tables.get_mut(resource)
            && table.remove(id).is_some()
        {
            self.orders.remove(resource);
        }
    }

    /// The ids of one resource's objects, in id order.
    pub fn ids(&mut self, spec: &'static ResourceSpec) -> &[Uuid] {
        let tables = &self.tables;
        self.orders.entry(spec.name).or_insert_with(|| {
            tables
                .get(spec.name)
                .map(|t| t.keys().copied().collect())
                .unwrap_or_default()
        })
    }

    /// The objects of one resource with their ids, in id order.
    pub fn entries(&self, spec: &ResourceSpec) -> impl Iterator<Item = (&Uuid, &Object)> {
        self.tables.get(spec.name).into_iter().flatten()
    }

    /// An object's JSON text, made once and kept until the object is written.
    pub fn text(&mut self, spec: &'static ResourceSpec, id: &Uuid) -> Option<Bytes> {
        let object = self.tables.get(spec.name)?.get(id)?;
        let text = self.texts.entry((spec.name, *id)).or_insert_with(|| {
            Bytes::from(serde_json::to_vec(object).expect("a JSON map serialises"))
        });
        Some(text.clone())
    }

    /// The objects of one resource, in id order.
    pub fn table(&self, spec: &ResourceSpec) -> impl Iterator<Item = &Object> {
        self.tables
            .get(spec.name)
            .into_iter()
            .flat_map(|t| t.values())
    }

    /// One object.
    pub fn get(&self, spec: &ResourceSpec, id: &Uuid) -> Option<&Object> {
        self.tables.get(spec.name)?.get(id)
    }

    fn contains(&self, resource: &str, id: &Uuid) -> bool {
        self.tables
            .get(resource)
            .is_some_and(|t| t.contains_key(id))
    }

    /// The objects (resource name, id) whose relations point at `resource`/`id`.
    fn referrers(&self, resource: &str, id: &Uuid) -> Vec<(&'static str, Uuid)> {
        let mut out = Vec::new();
        for spec in pigello::resources::ALL {
            let fields: Vec<_> = spec
                .fields
                .iter()
                .filter(|f| f.target == Some(resource))
                .collect();
            if fields.is_empty() {
                continue;
            }
            for (other_id, object) in self.tables.get(spec.name).into_iter().flatten() {
                if fields
                    .iter()
                    .any(|f| relation_ids(object.get(f.name)).contains(id))
                {
                    out.push((spec.name, *other_id));
                }
            }
        }
        out
    }
}

/// The ids a relation value (or an array of them) names.
pub fn relation_ids(value: Option<&Value>) -> Vec<Uuid> {
    fn one(v: &Value) -> Option<Uuid> {
        Uuid::try_parse(v.get("id")?.as_str()?).ok()
    }
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Whether a field holds relations.
pub fn is_relation(kind: ValueKind) -> bool {
    matches!(
        kind,
        ValueKind::Relation | ValueKind::Array(pigello::description::ItemKind::Relation)
    )
}

/// Every customer's world, and the generator of the ids the sandbox hands out.
#[derive(Debug, Clone)]
pub struct Store {
    customers: BTreeMap<Uuid, World>,
    ids: Rng,
}

impl Store {
    /// An empty store whose ids follow from `seed`.
    pub fn new(seed: u64) -> Self {
        Store {
            customers: BTreeMap::new(),
            ids: Rng::derived(seed, "ids"),
        }
    }

    /// One customer's world; an unknown customer has an empty one.
    pub fn world(&self, customer: &Uuid) -> Option<&World> {
        self.customers.get(customer)
    }

    /// One customer's world, to read with its cache of texts.
    pub fn world_for_reading(&mut self, customer: &Uuid) -> Option<&mut World> {
        self.customers.get_mut(customer)
    }

    fn world_mut(&mut self, customer: Uuid) -> &mut World {
        self.customers.entry(customer).or_default()
    }

    /// Records the body of an invite call.
    pub fn record_invite(&mut self, customer: Uuid, resource: &str, body: Value) {
        let mut entry = Map::new();
        entry.insert("resource".into(), Value::String(resource.to_owned()));
        entry.insert("body".into(), body);
        self.world_mut(customer).invites.push(Value::Object(entry));
    }

    /// How many objects each customer has, for the control endpoints.
    pub fn counts(&self) -> BTreeMap<String, BTreeMap<&'static str, usize>> {
        self.customers
            .iter()
            .map(|(customer, world)| {
                let counts = pigello::resources::ALL
                    .iter()
                    .map(|spec| (spec.snake_plural, world.table(spec).count()))
                    .collect();
                (customer.to_string(), counts)
            })
            .collect()
    }
}
