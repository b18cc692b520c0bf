//! The rules of one field: type, null, lengths, pattern, format, enum, range.

use serde_json::Value;

use super::checksum::{gln_check_digit_ok, swedish_identity_number_ok};
use super::format::{is_date, is_date_time, is_email, pattern_matches};
use super::{Path, Rule, Violation};
use crate::description::{EnumValue, FieldSpec, ItemKind, StringFormat, ValueKind};

/// Checks `value` against every rule of `field`, pushing violations at `path`.
pub(super) fn check(field: &FieldSpec, value: &Value, path: &Path, out: &mut Vec<Violation>) {
    let name = field.name;
    if value.is_null() {
        if !field.nullable {
            out.push(Violation::new(
                path.clone(),
                Rule::NotNull,
                format!("{name} may not be null"),
            ));
        }
        return;
    }
    match field.kind {
        ValueKind::String => {
            if let Some(s) = expect_string(field, value, path, out) {
                check_string(field, s, path, out);
            }
        }
        ValueKind::Uuid => {
            if let Some(s) = expect_string(field, value, path, out)
                && uuid::Uuid::parse_str(s).is_err()
            {
                out.push(Violation::new(
                    path.clone(),
                    Rule::Uuid,
                    format!("{name} must be a uuid"),
                ));
            }
        }
        ValueKind::Date => {
            if let Some(s) = expect_string(field, value, path, out)
                && !is_date(s)
            {
                out.push(Violation::new(
                    path.clone(),
                    Rule::Date,
                    format!("{name} must be a date written YYYY-MM-DD"),
                ));
            }
        }
        ValueKind::DateTime => {
            if let Some(s) = expect_string(field, value, path, out)
                && !is_date_time(s)
            {
                out.push(Violation::new(
                    path.clone(),
                    Rule::DateTime,
                    format!("{name} must be an RFC 3339 date-time with an offset, e.g. 2024-01-31T12:00:00Z"),
                ));
            }
        }
        ValueKind::Integer => check_integer(field, value, path, out),
        ValueKind::Boolean => {
            if !value.is_boolean() {
                out.push(type_error(name, "true or false", path));
            }
        }
        ValueKind::Relation => check_relation(name, value, path, out),
        ValueKind::Object => {
            if !value.is_object() {
                out.push(type_error(name, "a JSON object", path));
            }
        }
        ValueKind::Array(items) => check_array(name, items, value, path, out),
        ValueKind::Any => {}
    }
}

fn type_error(name: &str, expected: &str, path: &Path) -> Violation {
    Violation::new(
        path.clone(),
        Rule::Type,
        format!("{name} must be {expected}"),
    )
}

fn expect_string<'v>(
    field: &FieldSpec,
    value: &'v Value,
    path: &Path,
    out: &mut Vec<Violation>,
) -> Option<&'v str> {
    let s = value.as_str();
    if s.is_none() {
        out.push(type_error(field.name, "a string", path));
    }
    s
}

fn check_string(field: &FieldSpec, s: &str, path: &Path, out: &mut Vec<Violation>) {
    let name = field.name;
    let chars = s.chars().count();
    if let Some(min) = field.min_length
        && chars < min as usize
    {
        out.push(Violation::new(
            path.clone(),
            Rule::MinLength,
            format!("{name} must be at least {min} characters (got {chars})"),
        ));
    }
    if let Some(max) = field.max_length
        && chars > max as usize
    {
        out.push(Violation::new(
            path.clone(),
            Rule::MaxLength,
            format!("{name} must be at most {max} characters (got {chars})"),
        ));
    }
    if let Some(pattern) = field.pattern {
        let matched = pattern_matches(pattern, s);
        if !matches!(matched, Ok(true)) {
            out.push(Violation::new(
                path.clone(),
                Rule::Pattern,
                format!("{name} must match the pattern {pattern}"),
            ));
        }
    }
    match field.format {
        Some(StringFormat::Email) if !is_email(s) => out.push(Violation::new(
            path.clone(),
            Rule::Email,
            format!("{name} must be an e-mail address"),
        )),
        Some(StringFormat::Luhn) if !swedish_identity_number_ok(s) => out.push(Violation::new(
            path.clone(),
            Rule::Luhn,
            format!(
                "{name} must be a Swedish personal or organisation number (digits, optionally \
                 with - before the last four) whose check digit passes the Luhn check"
            ),
        )),
        Some(StringFormat::Gln13) if !gln_check_digit_ok(s) => out.push(Violation::new(
            path.clone(),
            Rule::Gln13,
            format!("{name} must be a GLN: digits only, the last one the GS1 check digit"),
        )),
        _ => {}
    }
    if let Some(values) = field.enum_values.filter(|e| e.complete)
        && !values
            .values
            .iter()
            .any(|v| matches!(v, EnumValue::Str(x) if *x == s))
    {
        out.push(enum_error(field, path));
    }
}

fn enum_error(field: &FieldSpec, path: &Path) -> Violation {
    let listed: Vec<String> = field
        .enum_values
        .map(|e| {
            e.values
                .iter()
                .map(|v| match v {
                    EnumValue::Int(i) => i.to_string(),
                    EnumValue::Str(s) => format!("{s:?}"),
                })
                .collect()
        })
        .unwrap_or_default();
    Violation::new(
        path.clone(),
        Rule::Enum,
        format!("{} must be one of {}", field.name, listed.join(", ")),
    )
}

fn check_integer(field: &FieldSpec, value: &Value, path: &Path, out: &mut Vec<Violation>) {
    let name = field.name;
    // A JSON number past i64 is still an integer that is out of range, not a type error.
    let as_int = value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from));
    let Some(n) = as_int else {
        out.push(type_error(name, "an integer", path));
        return;
    };
    if let Some(min) = field.minimum
        && n < i128::from(min)
    {
        out.push(Violation::new(
            path.clone(),
            Rule::Minimum,
            format!("{name} must be at least {min}"),
        ));
    }
    if let Some(max) = field.maximum
        && n > i128::from(max)
    {
        out.push(Violation::new(
            path.clone(),
            Rule::Maximum,
            format!("{name} must be at most {max}"),
        ));
    }
    if let Some(values) = field.enum_values.filter(|e| e.complete)
        && !values
            .values
            .iter()
            .any(|v| matches!(v, EnumValue::Int(i) if i128::from(*i) == n))
    {
        out.push(enum_error(field, path));
    }
}

fn check_relation(name: &str, value: &Value, path: &Path, out: &mut Vec<Violation>) {
    let Some(object) = value.as_object() else {
        out.push(type_error(name, "a relation, {\"id\": \"<uuid>\"}", path));
        return;
    };
    let id_path = path.key("id");
    match object.get("id") {
        None | Some(Value::Null) => out.push(Violation::new(
            id_path,
            Rule::Required,
            format!("{name} must name the related object as {{\"id\": \"<uuid>\"}}"),
        )),
        Some(Value::String(s)) if uuid::Uuid::parse_str(s).is_ok() => {}
        Some(_) => out.push(Violation::new(
            id_path,
            Rule::Uuid,
            format!("{name}.id must be a uuid"),
        )),
    }
}

fn check_array(name: &str, items: ItemKind, value: &Value, path: &Path, out: &mut Vec<Violation>) {
    let Some(array) = value.as_array() else {
        out.push(type_error(name, "a JSON array", path));
        return;
    };
    for (i, item) in array.iter().enumerate() {
        let item_path = path.index(i);
        match items {
            ItemKind::Relation => check_relation(name, item, &item_path, out),
            ItemKind::String if !item.is_string() => out.push(type_error(
                &format!("each item of {name}"),
                "a string",
                &item_path,
            )),
            ItemKind::String | ItemKind::Any => {}
        }
    }
}
