//! The description the spec gives, as the core's own types, built in memory
//! from the IR: what the Python and TypeScript emitters read, so one run of the
//! generator turns the spec into every file. The values live for the rest of
//! the (short) run. A test holds them equal to the compiled description.

use pigello::description::{
    CrossRule, EnumValue, FieldSpec, FilterSpec, ItemKind, OperatorKind, Paths, ResourceSpec,
    StringFormat, ValueKind,
};

use crate::ir::{Cross, EnumVal, Field, Item, Kind, OpKind, Resource};

fn keep(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn keep_all(items: &[String]) -> &'static [&'static str] {
    Box::leak(
        items
            .iter()
            .map(|s| keep(s))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

fn value_kind(kind: &Kind) -> ValueKind {
    match kind {
        Kind::String => ValueKind::String,
        Kind::Uuid => ValueKind::Uuid,
        Kind::Date => ValueKind::Date,
        Kind::DateTime => ValueKind::DateTime,
        Kind::Integer => ValueKind::Integer,
        Kind::Boolean => ValueKind::Boolean,
        Kind::Relation => ValueKind::Relation,
        Kind::Object => ValueKind::Object,
        Kind::Any => ValueKind::Any,
        Kind::Array(item) => ValueKind::Array(match item {
            Item::Relation => ItemKind::Relation,
            Item::String => ItemKind::String,
            Item::Any => ItemKind::Any,
        }),
    }
}

fn field_spec(f: &Field) -> FieldSpec {
    let mut s = FieldSpec::new(keep(&f.name), value_kind(&f.kind));
    s.nullable = f.nullable;
    s.read_only = f.read_only;
    s.required = f.required;
    s.unique = f.unique;
    s.min_length = f.min_length.map(|n| n as u32);
    s.max_length = f.max_length.map(|n| n as u32);
    s.pattern = f.pattern.as_deref().map(keep);
    s.format = match f.format.as_deref() {
        Some("email") => Some(StringFormat::Email),
        Some("luhn") => Some(StringFormat::Luhn),
        Some("gln13") => Some(StringFormat::Gln13),
        _ => None,
    };
    if let (Some(min), Some(max)) = (f.minimum, f.maximum) {
        s = s.range(min, max);
    }
    if let Some((values, complete)) = &f.enum_values {
        let values: Vec<EnumValue> = values
            .iter()
            .map(|v| match v {
                EnumVal::Int(i) => EnumValue::Int(*i),
                EnumVal::Str(x) => EnumValue::Str(keep(x)),
            })
            .collect();
        s = s.enum_values(Box::leak(values.into_boxed_slice()), *complete);
    }
    s.target = f.target.as_deref().map(keep);
    s.note = f.note.as_deref().map(keep);
    s
}

fn cross_rule(c: &Cross) -> CrossRule {
    match c {
        Cross::CannotBeSetWith { field, others } => CrossRule::CannotBeSetWith {
            field: keep(field),
            others: keep_all(others),
        },
        Cross::AtLeastOneOf { fields } => CrossRule::AtLeastOneOf {
            fields: keep_all(fields),
        },
        Cross::Requires { field, others } => CrossRule::Requires {
            field: keep(field),
            others: keep_all(others),
        },
        Cross::SetTogetherWith { fields } => CrossRule::SetTogetherWith {
            fields: keep_all(fields),
        },
        Cross::OrderedWith { earlier, later } => CrossRule::OrderedWith {
            earlier: keep(earlier),
            later: keep(later),
        },
        Cross::MustMatchValuesOf { field, source } => CrossRule::MustMatchValuesOf {
            field: keep(field),
            source: keep(source),
        },
    }
}

fn filter_spec((name, kind): &(String, OpKind)) -> FilterSpec {
    FilterSpec {
        name: keep(name),
        kind: match kind {
            OpKind::Text => OperatorKind::Text,
            OpKind::Ordered => OperatorKind::Ordered,
            OpKind::Identity => OperatorKind::Identity,
            OpKind::Unknown => OperatorKind::Unknown,
        },
    }
}

/// The description of one resource of the IR.
pub fn resource_spec(r: &Resource) -> &'static ResourceSpec {
    let fields: Vec<FieldSpec> = r.fields.iter().map(field_spec).collect();
    let cross: Vec<CrossRule> = r.cross.iter().map(cross_rule).collect();
    let filters: Vec<FilterSpec> = r.filters.iter().map(filter_spec).collect();
    Box::leak(Box::new(ResourceSpec {
        name: keep(&r.name),
        snake: keep(&r.snake()),
        snake_plural: keep(&r.snake_plural),
        camel_plural: keep(&r.camel_plural()),
        paths: Paths {
            collection: keep(&r.collection),
            single: keep(&r.single),
            list: keep(&r.list),
        },
        invite_path: r.invite_path.as_deref().map(keep),
        fields: Box::leak(fields.into_boxed_slice()),
        cross_rules: Box::leak(cross.into_boxed_slice()),
        filters: Box::leak(filters.into_boxed_slice()),
        filters_complete: r.filters_complete,
        array_params: keep_all(&r.array_params),
        coverage: keep(&r.coverage),
    }))
}

/// The description of every resource of the IR, in its order.
pub fn resource_specs(resources: &[Resource]) -> Vec<&'static ResourceSpec> {
    resources.iter().map(resource_spec).collect()
}
