//! The normalized description: `spec/accounts.json` plus `spec/sdk.json`, the one
//! source of every emitter. The Rust emitter writes the core's description from
//! it; `spec.rs` turns it into the core's description types in memory for the
//! `.pyi` and `.d.ts` emitters.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

pub type Res<T> = Result<T, String>;

// The kinds below mirror `pigello::description` on purpose: they are what the
// JSON says, before any description exists; `spec.rs` maps them onto the core's
// types, and a test holds that mapping equal to the compiled description.

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    String,
    Uuid,
    Date,
    DateTime,
    Integer,
    Boolean,
    Relation,
    Object,
    Array(Item),
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    Relation,
    String,
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EnumVal {
    Int(i64),
    Str(String),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub kind: Kind,
    pub nullable: bool,
    pub read_only: bool,
    pub required: bool,
    pub unique: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    /// `email`, `luhn` or `gln13`.
    pub format: Option<String>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub enum_values: Option<(Vec<EnumVal>, bool)>,
    pub target: Option<String>,
    pub note: Option<String>,
    /// Its values are personal data (`personal_data` in sdk.json): shown as
    /// set or not, never as they are.
    pub personal: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cross {
    CannotBeSetWith { field: String, others: Vec<String> },
    AtLeastOneOf { fields: Vec<String> },
    Requires { field: String, others: Vec<String> },
    SetTogetherWith { fields: Vec<String> },
    OrderedWith { earlier: String, later: String },
    MustMatchValuesOf { field: String, source: String },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OpKind {
    Text,
    Ordered,
    Identity,
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Resource {
    pub name: String,
    pub words: Vec<String>,
    pub snake_plural: String,
    pub collection: String,
    pub single: String,
    pub list: String,
    pub invite_path: Option<String>,
    pub fields: Vec<Field>,
    pub cross: Vec<Cross>,
    pub filters: Vec<(String, OpKind)>,
    pub filters_complete: bool,
    pub array_params: Vec<String>,
    pub coverage: String,
}

impl Resource {
    pub fn snake(&self) -> String {
        self.words.join("_")
    }
    pub fn camel_plural(&self) -> String {
        let mut out = String::new();
        for (i, w) in self.snake_plural.split('_').enumerate() {
            if i == 0 {
                out.push_str(w);
            } else {
                out.push_str(&upper_first(w));
            }
        }
        out
    }
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

pub fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn str_of<'a>(v: &'a Value, key: &str, ctx: &str) -> Res<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{ctx}: missing string '{key}'"))
}

fn bool_of(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn kind_of(f: &Value, ctx: &str) -> Res<Kind> {
    let ty = str_of(f, "type", ctx)?;
    let format = f.get("format").and_then(Value::as_str);
    let has_ref = f.get("ref").is_some_and(|r| !r.is_null());
    Ok(match (ty, format) {
        ("string", Some("uuid")) => Kind::Uuid,
        ("string", Some("date")) => Kind::Date,
        ("string", Some("date-time")) => Kind::DateTime,
        ("string", _) => Kind::String,
        ("integer", _) => Kind::Integer,
        ("boolean", _) => Kind::Boolean,
        ("object", _) if has_ref => Kind::Relation,
        ("object", _) => Kind::Object,
        ("any", _) => Kind::Any,
        ("array", _) => {
            let items = f
                .get("items")
                .ok_or(format!("{ctx}: array without items"))?;
            match items.get("type").and_then(Value::as_str) {
                Some("string") => Kind::Array(Item::String),
                Some("object") if items.get("ref").is_some_and(|r| !r.is_null()) => {
                    Kind::Array(Item::Relation)
                }
                _ => Kind::Array(Item::Any),
            }
        }
        (other, _) => return Err(format!("{ctx}: unknown type {other}")),
    })
}

fn field_of(f: &Value, ctx: &str) -> Res<Field> {
    let name = str_of(f, "name", ctx)?.to_owned();
    let ctx = format!("{ctx}.{name}");
    let kind = kind_of(f, &ctx)?;
    let format = f
        .get("format")
        .and_then(Value::as_str)
        .filter(|s| matches!(*s, "email" | "luhn" | "gln13"))
        .map(str::to_owned);
    let enum_values = match f.get("enum").and_then(Value::as_array) {
        Some(values) => {
            let vals = values
                .iter()
                .map(|v| match v {
                    Value::Number(n) => n
                        .as_i64()
                        .map(EnumVal::Int)
                        .ok_or(format!("{ctx}: enum value")),
                    Value::String(s) => Ok(EnumVal::Str(s.clone())),
                    _ => Err(format!("{ctx}: enum value {v}")),
                })
                .collect::<Res<Vec<_>>>()?;
            Some((vals, bool_of(f, "enum_complete")))
        }
        None => None,
    };
    let target = match &kind {
        Kind::Relation => f.get("ref").and_then(Value::as_str).map(str::to_owned),
        Kind::Array(Item::Relation) => f
            .pointer("/items/ref")
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    };
    Ok(Field {
        name,
        kind,
        nullable: bool_of(f, "nullable"),
        read_only: bool_of(f, "read_only"),
        required: bool_of(f, "required"),
        unique: bool_of(f, "unique"),
        min_length: f.get("min_length").and_then(Value::as_u64),
        max_length: f.get("max_length").and_then(Value::as_u64),
        pattern: f.get("pattern").and_then(Value::as_str).map(str::to_owned),
        format,
        minimum: f.get("minimum").and_then(Value::as_i64),
        maximum: f.get("maximum").and_then(Value::as_i64),
        enum_values,
        target,
        note: f.get("notes").and_then(Value::as_str).map(str::to_owned),
        personal: false,
    })
}

/// Marks the fields whose values are personal data, by the formats and names
/// `personal_data` in sdk.json lists.
fn mark_personal(fields: &mut [Field], sdk: &Value) -> Res<()> {
    let rule = sdk
        .get("personal_data")
        .ok_or("sdk.json has no personal_data")?;
    let (formats, names) = (strings(rule.get("formats")), strings(rule.get("names")));
    if formats.is_empty() && names.is_empty() {
        return Err("sdk.json: personal_data names no format and no field".into());
    }
    for field in fields {
        field.personal = names.contains(&field.name)
            || field.format.as_ref().is_some_and(|f| formats.contains(f));
    }
    Ok(())
}

/// Turns the per-field rule lists into one rule per fact: a group named on each of
/// its fields becomes one rule.
fn cross_rules(raw: &[Value], fields: &[Field], earlier: &[String], ctx: &str) -> Res<Vec<Cross>> {
    let order = |name: &str| {
        fields
            .iter()
            .position(|f| f.name == name)
            .unwrap_or(usize::MAX)
    };
    let group = |field: &str, others: &[String]| {
        let mut g: Vec<String> = std::iter::once(field.to_owned())
            .chain(others.iter().cloned())
            .collect();
        g.sort_by_key(|n| order(n));
        g.dedup();
        g
    };
    let mut out: Vec<Cross> = Vec::new();
    let mut push = |rule: Cross| {
        if !out.contains(&rule) {
            out.push(rule);
        }
    };
    for f in raw {
        let name = str_of(f, "name", ctx)?;
        for v in f
            .get("validation")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let others = strings(v.get("fields"));
            match str_of(v, "rule", ctx)? {
                "unique" => {}
                "cannot_be_set_with" => push(Cross::CannotBeSetWith {
                    field: name.into(),
                    others,
                }),
                "requires" => push(Cross::Requires {
                    field: name.into(),
                    others,
                }),
                "at_least_one_of" => push(Cross::AtLeastOneOf {
                    fields: group(name, &others),
                }),
                "set_together_with" => push(Cross::SetTogetherWith {
                    fields: group(name, &others),
                }),
                "must_match_values_of" => {
                    for source in others {
                        push(Cross::MustMatchValuesOf {
                            field: name.into(),
                            source,
                        });
                    }
                }
                "ordered_with" => {
                    for other in others {
                        let (a, b) = if earlier.iter().any(|e| e == name) {
                            (name.to_owned(), other)
                        } else if earlier.contains(&other) {
                            (other, name.to_owned())
                        } else {
                            return Err(format!(
                                "{ctx}.{name}: ordered_with {other}: name the earlier field in sdk.json"
                            ));
                        };
                        push(Cross::OrderedWith {
                            earlier: a,
                            later: b,
                        });
                    }
                }
                other => return Err(format!("{ctx}.{name}: unknown rule {other}")),
            }
        }
    }
    Ok(out)
}

fn filters_of(lq: &Value) -> Vec<(String, OpKind)> {
    let mut out = Vec::new();
    for f in lq
        .get("filters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = f.get("name").and_then(Value::as_str) else {
            continue;
        };
        let ops: BTreeSet<&str> = f
            .get("operators")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|o| o.get("op").and_then(Value::as_str))
            .collect();
        let kind = if ops.contains("contains") {
            OpKind::Text
        } else if ops.contains("gt") {
            OpKind::Ordered
        } else if ops.contains("in") {
            OpKind::Identity
        } else {
            OpKind::Unknown
        };
        out.push((name.to_owned(), kind));
    }
    out
}

/// Puts the fields every object has (`common_fields` in sdk.json) ahead of a
/// resource's own, each one the resource does not already document.
fn add_common_fields(raw: &mut Vec<Value>, sdk: &Value, ctx: &str) -> Res<()> {
    let common = sdk
        .pointer("/common_fields/fields")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut at = 0;
    for (i, entry) in common.iter().enumerate() {
        let field = entry
            .get("field")
            .ok_or(format!("{ctx}: common_fields[{i}] has no field"))?;
        let name = field.get("name").and_then(Value::as_str);
        if !raw
            .iter()
            .any(|f| f.get("name").and_then(Value::as_str) == name)
        {
            raw.insert(at, field.clone());
            at += 1;
        }
    }
    Ok(())
}

fn apply_overrides(raw: &mut Vec<Value>, overlay: &Value, ctx: &str) -> Res<()> {
    if let Some(overrides) = overlay.get("field_overrides").and_then(Value::as_object) {
        for (name, o) in overrides {
            let field = raw
                .iter_mut()
                .find(|f| f.get("name").and_then(Value::as_str) == Some(name.as_str()))
                .ok_or(format!("{ctx}: override of unknown field {name}"))?;
            let set = o
                .get("set")
                .and_then(Value::as_object)
                .ok_or(format!("{ctx}.{name}: override without set"))?;
            let target: &mut Map<String, Value> =
                field.as_object_mut().ok_or(format!("{ctx}.{name}"))?;
            for (k, v) in set {
                target.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(adds) = overlay.get("add_fields").and_then(Value::as_array) {
        for (i, a) in adds.iter().enumerate() {
            let field = a.get("field").ok_or(format!("{ctx}: add_fields[{i}]"))?;
            raw.insert(i, field.clone());
        }
    }
    Ok(())
}

pub fn load(accounts: &Value, sdk: &Value) -> Res<Vec<Resource>> {
    let earlier = strings(sdk.pointer("/ordered_pairs/earlier"));
    let specials = accounts
        .get("special_endpoints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for r in accounts
        .get("resources")
        .and_then(Value::as_array)
        .ok_or("no resources")?
    {
        let name = str_of(r, "name", "resource")?.to_owned();
        let overlay = sdk
            .pointer(&format!("/resources/{name}"))
            .ok_or(format!("sdk.json has no entry for {name}"))?;
        let words = strings(overlay.get("words"));
        if words.is_empty() {
            return Err(format!("sdk.json: {name} has no words"));
        }
        let snake_plural = overlay
            .get("plural")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{}s", words.join("_")));
        let mut raw = r
            .get("fields")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        apply_overrides(&mut raw, overlay, &name)?;
        add_common_fields(&mut raw, sdk, &name)?;
        let mut fields = raw
            .iter()
            .map(|f| field_of(f, &name))
            .collect::<Res<Vec<_>>>()?;
        mark_personal(&mut fields, sdk)?;
        let cross = cross_rules(&raw, &fields, &earlier, &name)?;
        let invite_path = match overlay.get("invite").and_then(Value::as_str) {
            Some(invite) => Some(
                specials
                    .iter()
                    .find(|s| s.get("name").and_then(Value::as_str) == Some(invite))
                    .and_then(|s| s.get("path").and_then(Value::as_str))
                    .ok_or(format!("{name}: no special endpoint {invite}"))?
                    .to_owned(),
            ),
            None => None,
        };
        let lq = r.get("list_query").cloned().unwrap_or(Value::Null);
        let paths = r.get("paths").ok_or(format!("{name}: no paths"))?;
        out.push(Resource {
            collection: str_of(paths, "collection", &name)?.to_owned(),
            single: str_of(paths, "single", &name)?.to_owned(),
            list: str_of(paths, "list", &name)?.to_owned(),
            invite_path,
            filters: filters_of(&lq),
            filters_complete: lq
                .get("coverage")
                .and_then(Value::as_str)
                .is_some_and(|c| c.starts_with("complete")),
            array_params: strings(lq.get("array_params")),
            coverage: str_of(r, "coverage", &name)?.to_owned(),
            fields,
            cross,
            words,
            snake_plural,
            name,
        });
    }
    Ok(out)
}
