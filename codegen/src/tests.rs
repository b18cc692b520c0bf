//! Emits `core/tests/rules.rs`: for every rule of every writable field, and every
//! cross-field rule, one test that a valid value passes and one that an invalid
//! value is refused at the right path with the right rule code.
//!
//! The values come from the small tables below, one per kind of rule, so each rule
//! kind's samples are written once however many fields share it.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::ir::{Cross, EnumVal, Field, Item, Kind, Resource};
use crate::rust::HEADER;

const ID: &str = "497f6eca-6276-4993-bfeb-53cbbbba6f08";

/// A value that passes every rule of the field.
fn valid(f: &Field) -> Value {
    if let Some((vals, _)) = &f.enum_values {
        return match &vals[0] {
            EnumVal::Int(i) => json!(i),
            EnumVal::Str(s) => json!(s),
        };
    }
    if let Some(p) = &f.pattern {
        return json!(pattern_sample(p).0);
    }
    match (&f.kind, f.format.as_deref()) {
        (Kind::String, Some("luhn")) if f.min_length == Some(12) => json!("19811218-9876"),
        (Kind::String, Some("luhn")) => json!("556036-0793"),
        (Kind::String, Some("gln13")) => json!("7350053850019"),
        (Kind::String, Some("email")) => json!("anna.svensson@example.se"),
        // Characters, not bytes: `å` is two bytes in UTF-8.
        (Kind::String, _) => json!("å".repeat(f.min_length.unwrap_or(3) as usize)),
        (Kind::Uuid, _) => json!(ID),
        (Kind::Date, _) => json!("2024-02-29"),
        (Kind::DateTime, _) => json!("2024-02-29T12:30:00+01:00"),
        (Kind::Integer, _) => json!(0),
        (Kind::Boolean, _) => json!(true),
        (Kind::Relation, _) => json!({ "id": ID }),
        (Kind::Object, _) => json!({}),
        (Kind::Array(Item::Relation), _) => json!([{ "id": ID }]),
        (Kind::Array(Item::String), _) => json!(["a"]),
        (Kind::Array(Item::Any), _) => json!([null]),
        (Kind::Any, _) => json!(null),
    }
}

/// A matching and a non-matching value for each documented pattern.
fn pattern_sample(p: &str) -> (&'static str, &'static str) {
    match p {
        r"^\+?1?\d{7,15}$" => ("+46701234567", "070-123 45 67"),
        r"^(0007|0088):\d{10,13}$" => ("0007:5560360793", "0001:5560360793"),
        r"^(?:[0-9a-fA-F]{3}){1,2}$" => ("1a2B3c", "#1a2b3c"),
        r"^[\w.@+-]+\Z" => ("anna.svensson", "anna svensson"),
        other => panic!("no samples for pattern {other}: add them to codegen/src/tests.rs"),
    }
}

/// `(case name, invalid value, path suffix, rule code)` for each rule of the field.
fn invalid_cases(f: &Field) -> Vec<(String, Value, String, &'static str)> {
    let mut cases = Vec::new();
    let mut add = |name: &str, v: Value, suffix: &str, rule: &'static str| {
        cases.push((name.to_owned(), v, suffix.to_owned(), rule));
    };
    if !f.nullable {
        add("not_null", Value::Null, "", "not_null");
    }
    match &f.kind {
        Kind::String => {
            add("type", json!(42), "", "type");
            let digits = matches!(f.format.as_deref(), Some("luhn" | "gln13"));
            let fill = if digits { "1" } else { "å" };
            if let Some(min) = f.min_length.filter(|m| *m > 0) {
                add(
                    "min_length",
                    json!(fill.repeat(min as usize - 1)),
                    "",
                    "min_length",
                );
            }
            if let Some(max) = f.max_length {
                add(
                    "max_length",
                    json!(fill.repeat(max as usize + 1)),
                    "",
                    "max_length",
                );
            }
            if let Some(p) = &f.pattern {
                add("pattern", json!(pattern_sample(p).1), "", "pattern");
            }
            match f.format.as_deref() {
                Some("luhn") if f.min_length == Some(12) => {
                    add("luhn", json!("19811218-9875"), "", "luhn")
                }
                Some("luhn") => add("luhn", json!("556036-0794"), "", "luhn"),
                Some("gln13") => add("gln13", json!("7350053850018"), "", "gln13"),
                Some("email") => add("email", json!("anna.svensson@"), "", "email"),
                _ => {}
            }
            if let Some((vals, true)) = &f.enum_values
                && let Some(EnumVal::Str(_)) = vals.first()
            {
                add("enum", json!("00.000"), "", "enum");
            }
        }
        Kind::Uuid => {
            add("type", json!(7), "", "type");
            add("uuid", json!("497f6eca-6276-4993-bfeb"), "", "uuid");
        }
        Kind::Date => {
            add("type", json!(20240229), "", "type");
            add("date", json!("2023-02-29"), "", "date");
        }
        Kind::DateTime => {
            add("type", json!(true), "", "type");
            add("date_time", json!("2024-02-29 12:30"), "", "date_time");
        }
        Kind::Integer => {
            add("type", json!("1"), "", "type");
            add("type_float", json!(1.5), "", "type");
            if let Some(max) = f.maximum {
                add("maximum", json!(max as i128 + 1), "", "maximum");
            }
            if let Some(min) = f.minimum {
                add("minimum", json!(min as i128 - 1), "", "minimum");
            }
            if let Some((vals, true)) = &f.enum_values {
                let top = vals
                    .iter()
                    .filter_map(|v| {
                        if let EnumVal::Int(i) = v {
                            Some(*i)
                        } else {
                            None
                        }
                    })
                    .max()
                    .unwrap_or(0);
                add("enum", json!(top + 1), "", "enum");
            }
        }
        Kind::Boolean => add("type", json!("true"), "", "type"),
        Kind::Relation => {
            add("type", json!(ID), "", "type");
            add("missing_id", json!({}), ".id", "required");
            add("bad_id", json!({ "id": "not-a-uuid" }), ".id", "uuid");
        }
        Kind::Object => add("type", json!([]), "", "type"),
        Kind::Array(item) => {
            add("type", json!({}), "", "type");
            match item {
                Item::Relation => add(
                    "item_id",
                    json!([{ "id": ID }, { "id": 5 }]),
                    "[1].id",
                    "uuid",
                ),
                Item::String => add("item_type", json!(["a", 1]), "[1]", "type"),
                Item::Any => {}
            }
        }
        Kind::Any => {}
    }
    cases
}

/// A create body that passes every rule: the required fields, and the first field
/// of each "at least one of" group.
fn base(r: &Resource) -> Value {
    let mut body = serde_json::Map::new();
    for f in r.fields.iter().filter(|f| f.required && !f.read_only) {
        body.insert(f.name.clone(), valid(f));
    }
    for c in &r.cross {
        if let Cross::AtLeastOneOf { fields } = c
            && !fields.iter().any(|f| body.contains_key(f))
            && let Some(f) = r.field(&fields[0])
        {
            body.insert(f.name.clone(), valid(f));
        }
    }
    Value::Object(body)
}

/// `base` with `field` set to `value`, and the fields its cross-field rules tie it
/// to adjusted so that only `value` itself can break a rule.
fn body_with(r: &Resource, base: &Value, field: &Field, value: Value) -> Value {
    let mut body = base.clone();
    let o = body.as_object_mut().expect("base is an object");
    for c in &r.cross {
        match c {
            Cross::CannotBeSetWith { field: f, others } if *f == field.name => {
                for other in others {
                    o.remove(other);
                }
            }
            Cross::Requires { field: f, others } if *f == field.name => {
                for other in others.iter().filter_map(|n| r.field(n)) {
                    o.insert(other.name.clone(), valid(other));
                }
            }
            Cross::SetTogetherWith { fields } if fields.contains(&field.name) => {
                for other in fields.iter().filter_map(|n| r.field(n)) {
                    o.insert(other.name.clone(), valid(other));
                }
            }
            Cross::MustMatchValuesOf { field: f, source } if *f == field.name => {
                o.insert(source.clone(), valid(field));
            }
            _ => {}
        }
    }
    o.insert(field.name.clone(), value);
    body
}

fn test_name(parts: &[&str]) -> String {
    parts.join("_").to_lowercase()
}

/// The body as a JSON literal for the generated test (parsed at run time, so
/// numbers past `i32` stay exact).
fn body_lit(body: &Value) -> String {
    format!("&body(r##\"{body}\"##)")
}

pub fn rules_tests(resources: &[Resource]) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\n//! One test per documented rule: a valid value passes, an invalid one is refused\n//! with the right path and rule code.\n\nmod support;\n\nuse support::{accepts, body, rejects, rejects_patch};\n\n");
    for r in resources {
        let name = &r.name;
        let base = base(r);
        let start = out.len();
        let _ = writeln!(out, "mod {} {{\nuse super::*;\n", r.snake());
        let _ = writeln!(
            out,
            "#[test]\nfn base_body_is_valid() {{\n    accepts(\"{name}\", {});\n}}\n",
            body_lit(&base)
        );
        for f in r.fields.iter().filter(|f| !f.read_only) {
            let body = body_with(r, &base, f, valid(f));
            let _ = writeln!(
                out,
                "#[test]\nfn {}() {{\n    accepts(\"{name}\", {});\n}}\n",
                test_name(&[&f.name, "valid"]),
                body_lit(&body)
            );
            let plain = matches!(f.kind, Kind::String)
                && f.pattern.is_none()
                && f.format.is_none()
                && f.enum_values.is_none();
            if let Some(max) = f.max_length.filter(|_| plain) {
                let body = body_with(r, &base, f, json!("å".repeat(max as usize)));
                let _ = writeln!(
                    out,
                    "#[test]\nfn {}() {{\n    accepts(\"{name}\", {});\n}}\n",
                    test_name(&[&f.name, "at_max_length"]),
                    body_lit(&body)
                );
            }
            if f.required {
                let mut body = base.clone();
                if let Some(o) = body.as_object_mut() {
                    o.remove(&f.name);
                }
                let _ = writeln!(
                    out,
                    "#[test]\nfn {}() {{\n    rejects(\"{name}\", {}, \"{}\", \"required\");\n}}\n",
                    test_name(&[&f.name, "required"]),
                    body_lit(&body),
                    f.name
                );
            }
            for (case, value, suffix, rule) in invalid_cases(f) {
                let body = body_with(r, &base, f, value.clone());
                let path = format!("{}{suffix}", f.name);
                let _ = writeln!(
                    out,
                    "#[test]\nfn {}() {{\n    rejects(\"{name}\", {}, \"{path}\", \"{rule}\");\n    rejects_patch(\"{name}\", {}, \"{path}\", \"{rule}\");\n}}\n",
                    test_name(&[&f.name, &case]),
                    body_lit(&body),
                    body_lit(&serde_json::json!({ f.name.clone(): value }))
                );
            }
        }
        for c in &r.cross {
            cross_tests(r, &base, c, &mut out);
        }
        out.push_str("}\n\n");
        let mut names: Vec<&str> = out[start..]
            .lines()
            .filter_map(|l| l.strip_prefix("fn "))
            .collect();
        let total = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            total,
            names.len(),
            "two generated tests of {name} share a name"
        );
    }
    out
}

fn with(base: &Value, r: &Resource, set: &[&str], unset: &[&str]) -> Value {
    let mut body = base.clone();
    let o = body.as_object_mut().expect("base is an object");
    for u in unset {
        o.remove(*u);
    }
    for s in set {
        if let Some(f) = r.field(s) {
            o.insert(f.name.clone(), valid(f));
        }
    }
    body
}

fn cross_tests(r: &Resource, base: &Value, c: &Cross, out: &mut String) {
    let name = &r.name;
    let mut emit = |case: &[&str], accept: bool, body: Value, path: &str, rule: &str| {
        let tn = test_name(case);
        if accept {
            let _ = writeln!(
                out,
                "#[test]\nfn {tn}() {{\n    accepts(\"{name}\", {});\n}}\n",
                body_lit(&body)
            );
        } else {
            let _ = writeln!(
                out,
                "#[test]\nfn {tn}() {{\n    rejects(\"{name}\", {}, \"{path}\", \"{rule}\");\n}}\n",
                body_lit(&body)
            );
        }
    };
    match c {
        Cross::CannotBeSetWith { field, others } => {
            let group: Vec<&str> = std::iter::once(field.as_str())
                .chain(others.iter().map(String::as_str))
                .collect();
            emit(
                &[field, "cannot_be_set_with", "alone"],
                true,
                with(base, r, &[field], &group),
                "",
                "",
            );
            for o in others {
                emit(
                    &[field, "cannot_be_set_with", o],
                    false,
                    with(base, r, &[field, o], &group),
                    field,
                    "cannot_be_set_with",
                );
            }
        }
        Cross::AtLeastOneOf { fields } => {
            let all: Vec<&str> = fields.iter().map(String::as_str).collect();
            emit(
                &[&fields[0], "at_least_one_of", "none_set"],
                false,
                with(base, r, &[], &all),
                &fields[0],
                "at_least_one_of",
            );
            for f in fields {
                emit(
                    &[f, "at_least_one_of", "only_this_set"],
                    true,
                    with(base, r, &[f], &all),
                    "",
                    "",
                );
            }
        }
        Cross::Requires { field, others } => {
            let all: Vec<&str> = others.iter().map(String::as_str).collect();
            emit(
                &[field, "requires", "missing"],
                false,
                with(base, r, &[field], &all),
                field,
                "requires",
            );
            let mut both = all.clone();
            both.push(field);
            emit(
                &[field, "requires", "present"],
                true,
                with(base, r, &both, &[]),
                "",
                "",
            );
        }
        Cross::SetTogetherWith { fields } => {
            let all: Vec<&str> = fields.iter().map(String::as_str).collect();
            emit(
                &[&fields[0], "set_together_with", "all"],
                true,
                with(base, r, &all, &[]),
                "",
                "",
            );
            emit(
                &[&fields[0], "set_together_with", "none"],
                true,
                with(base, r, &[], &all),
                "",
                "",
            );
            for f in fields {
                emit(
                    &[f, "set_together_with", "alone"],
                    false,
                    with(base, r, &[f], &all),
                    f,
                    "set_together_with",
                );
            }
        }
        Cross::OrderedWith { earlier, later } => {
            let mut body = base.clone();
            body[earlier] = json!("2024-03-01");
            body[later] = json!("2024-02-29");
            emit(
                &[later, "ordered_with", earlier, "reversed"],
                false,
                body.clone(),
                later,
                "ordered_with",
            );
            body[later] = json!("2024-03-01");
            emit(
                &[later, "ordered_with", earlier, "same_day"],
                true,
                body,
                "",
                "",
            );
        }
        Cross::MustMatchValuesOf { field, source } => {
            let mut body = base.clone();
            body[source] = json!(["rent_invoice"]);
            body[field] = json!(["rent_invoice", "errand"]);
            emit(
                &[field, "must_match_values_of", "extra_value"],
                false,
                body.clone(),
                &format!("{field}[1]"),
                "must_match_values_of",
            );
            body[field] = json!(["rent_invoice"]);
            emit(
                &[field, "must_match_values_of", "subset"],
                true,
                body,
                "",
                "",
            );
        }
    }
}
