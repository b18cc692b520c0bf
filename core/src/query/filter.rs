//! One list filter: which field, which operator, negated or not, and a value
//! already parsed for the field's kind.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use uuid::Uuid;

use super::QueryError;
use crate::description::{ItemKind, Operator, OperatorKind, ResourceSpec, ValueKind};
use crate::validate::format::is_date;

/// How a resource lets one parameter be filtered on: its operator set, and the
/// kind of value a filter on it compares against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filterable {
    /// The operators the parameter takes (exact match included).
    pub operators: OperatorKind,
    /// What a value of the parameter is parsed as.
    pub value: ScalarKind,
}

/// The kind of a single filter value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarKind {
    /// Any text.
    Text,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A uuid (ids and relations).
    Uuid,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339, or a `YYYY-MM-DD` date meaning its midnight in UTC.
    DateTime,
}

impl ScalarKind {
    /// The kind of a field's values, if a field of that kind can be filtered on.
    pub fn of(kind: ValueKind) -> Option<ScalarKind> {
        Some(match kind {
            ValueKind::String => ScalarKind::Text,
            ValueKind::Uuid | ValueKind::Relation | ValueKind::Array(ItemKind::Relation) => {
                ScalarKind::Uuid
            }
            ValueKind::Date => ScalarKind::Date,
            ValueKind::DateTime => ScalarKind::DateTime,
            ValueKind::Integer => ScalarKind::Integer,
            ValueKind::Boolean => ScalarKind::Boolean,
            ValueKind::Array(ItemKind::String) => ScalarKind::Text,
            ValueKind::Object | ValueKind::Array(ItemKind::Any) | ValueKind::Any => return None,
        })
    }

    /// The operator set the reference shows for fields of this kind.
    pub fn operators(self) -> OperatorKind {
        match self {
            ScalarKind::Text => OperatorKind::Text,
            ScalarKind::Integer | ScalarKind::Date | ScalarKind::DateTime => OperatorKind::Ordered,
            ScalarKind::Boolean | ScalarKind::Uuid => OperatorKind::Identity,
        }
    }
}

/// How `name` can be filtered on for this resource, or `None` if it cannot.
///
/// A filter the reference documents takes its documented operators. The
/// reference cuts most filter lists short (`filters_complete == false`), so on
/// such a resource every other documented field is filterable too, with the
/// operators the reference shows for fields of its kind; the same goes for a
/// documented filter whose operator list was cut. The array parameters
/// (`tags`, `global_segments`, ...) take ids.
pub fn filterable(spec: &ResourceSpec, name: &str) -> Option<Filterable> {
    let field_kind = spec.field(name).and_then(|f| ScalarKind::of(f.kind));
    if let Some(filter) = spec.filter(name) {
        let value = field_kind.unwrap_or(match filter.kind {
            OperatorKind::Identity => ScalarKind::Uuid,
            _ => ScalarKind::Text,
        });
        let operators = match filter.kind {
            OperatorKind::Unknown => value.operators(),
            kind => kind,
        };
        return Some(Filterable { operators, value });
    }
    if spec.array_params.contains(&name) {
        return Some(Filterable {
            operators: OperatorKind::Identity,
            value: ScalarKind::Uuid,
        });
    }
    if spec.filters_complete {
        return None;
    }
    field_kind.map(|value| Filterable {
        operators: value.operators(),
        value,
    })
}

/// Every parameter a resource can be filtered on, each once, with how: its
/// documented filters first, then its array parameters, then its other fields.
pub fn filter_params(spec: &ResourceSpec) -> Vec<(&'static str, Filterable)> {
    let names = spec
        .filters
        .iter()
        .map(|f| f.name)
        .chain(spec.array_params.iter().copied())
        .chain(spec.fields.iter().map(|f| f.name));
    let mut out: Vec<(&'static str, Filterable)> = Vec::new();
    for name in names {
        if out.iter().any(|(n, _)| *n == name) {
            continue;
        }
        if let Some(how) = filterable(spec, name) {
            out.push((name, how));
        }
    }
    out
}

/// One parsed filter value.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    /// Text, compared as the operator says.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A boolean (also the value of `isnull`).
    Boolean(bool),
    /// A uuid.
    Uuid(Uuid),
    /// A calendar date.
    Date(NaiveDate),
    /// A date-time with its offset.
    DateTime(DateTime<FixedOffset>),
    /// The values of an `in` filter.
    List(Vec<FilterValue>),
}

impl FilterValue {
    /// Parses one value of the given kind, as it appears in a query string.
    pub fn parse(kind: ScalarKind, raw: &str) -> Result<FilterValue, String> {
        match kind {
            ScalarKind::Text => Ok(FilterValue::Text(raw.to_owned())),
            ScalarKind::Integer => raw
                .parse()
                .map(FilterValue::Integer)
                .map_err(|_| "expected a whole number".to_owned()),
            ScalarKind::Boolean => parse_bool(raw).map(FilterValue::Boolean),
            ScalarKind::Uuid => Uuid::try_parse(raw)
                .map(FilterValue::Uuid)
                .map_err(|_| "expected a uuid".to_owned()),
            ScalarKind::Date => parse_date(raw)
                .map(FilterValue::Date)
                .ok_or_else(|| "expected a date, YYYY-MM-DD".to_owned()),
            ScalarKind::DateTime => parse_date_time(raw)
                .map(FilterValue::DateTime)
                .ok_or_else(|| "expected an RFC 3339 date-time or a YYYY-MM-DD date".to_owned()),
        }
    }
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw {
        "true" | "True" | "1" => Ok(true),
        "false" | "False" | "0" => Ok(false),
        _ => Err("expected true or false".to_owned()),
    }
}

/// Only the `YYYY-MM-DD` shape the reference gives: chrono alone also reads
/// `-009-12-3`, which would then be sent as `-0009-12-03`, a value this parser
/// (and the API) refuses.
fn parse_date(raw: &str) -> Option<NaiveDate> {
    if !is_date(raw) {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

fn parse_date_time(raw: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(raw).ok().or_else(|| {
        let date = parse_date(raw)?;
        Some(date.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset())
    })
}

impl fmt::Display for FilterValue {
    /// The value as the API expects it in a query string (before percent-encoding):
    /// dates ISO, booleans `true`/`false`, a list comma-separated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterValue::Text(s) => f.write_str(s),
            FilterValue::Integer(n) => write!(f, "{n}"),
            FilterValue::Boolean(b) => write!(f, "{b}"),
            FilterValue::Uuid(u) => write!(f, "{u}"),
            FilterValue::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            FilterValue::DateTime(t) => f.write_str(&t.to_rfc3339()),
            FilterValue::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                Ok(())
            }
        }
    }
}

/// One list filter: `field`, `field__op`, and either with a trailing `!`.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// The field (or array parameter) filtered on.
    pub field: String,
    /// The operator; [`Operator::Exact`] for a bare field name.
    pub op: Operator,
    /// `true` when the parameter ends with `!`: rows that do **not** match.
    pub negate: bool,
    /// The value, parsed for the field's kind.
    pub value: FilterValue,
}

impl Filter {
    /// Builds a filter on `field` after checking that the resource lets that field
    /// be filtered with that operator, and parsing `raw` for the field's kind.
    pub fn parse(
        spec: &ResourceSpec,
        field: &str,
        op: Operator,
        negate: bool,
        raw: &str,
    ) -> Result<Filter, QueryError> {
        let param = param_name(field, op, negate);
        let Some(filterable) = filterable(spec, field) else {
            return Err(QueryError::new(
                &param,
                "unknown_filter",
                format!(
                    "{} cannot be filtered on {field}{}",
                    spec.name,
                    filter_hint(spec, field)
                ),
            ));
        };
        if !filterable.operators.operators().contains(&op) {
            let taken: Vec<&str> = filterable
                .operators
                .operators()
                .iter()
                .filter(|o| **o != Operator::Exact)
                .map(|o| o.suffix())
                .collect();
            return Err(QueryError::new(
                &param,
                "unsupported_operator",
                format!(
                    "{field} does not take the operator {}; it takes {}",
                    if op == Operator::Exact {
                        "exact"
                    } else {
                        op.suffix()
                    },
                    if taken.is_empty() {
                        "an exact value only".to_owned()
                    } else {
                        format!("an exact value or {}", taken.join(", "))
                    }
                ),
            ));
        }
        let invalid = |message: String| QueryError::new(&param, "invalid_value", message);
        let value = match op {
            Operator::Isnull => FilterValue::Boolean(parse_bool(raw).map_err(invalid)?),
            Operator::In => FilterValue::List(
                raw.split(',')
                    .map(|item| FilterValue::parse(filterable.value, item))
                    .collect::<Result<_, _>>()
                    .map_err(|m| invalid(format!("{m} in each item of the list")))?,
            ),
            op if is_text_op(op) => FilterValue::Text(raw.to_owned()),
            _ => FilterValue::parse(filterable.value, raw).map_err(invalid)?,
        };
        Ok(Filter {
            field: field.to_owned(),
            op,
            negate,
            value,
        })
    }

    /// The query parameter's name: `field`, `field__op`, with `!` when negated.
    pub fn param(&self) -> String {
        param_name(&self.field, self.op, self.negate)
    }
}

/// The names `spec` can be filtered on: its documented filters and array
/// parameters, and, where the reference lists no complete set, its fields.
fn filter_names(spec: &ResourceSpec) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = spec.filters.iter().map(|f| f.name).collect();
    names.extend(spec.array_params);
    if !spec.filters_complete {
        names.extend(
            spec.fields
                .iter()
                .filter(|f| ScalarKind::of(f.kind).is_some())
                .map(|f| f.name),
        );
    }
    names
}

/// What the caller probably meant by filtering on `field`: a filter of a
/// near name (`frist_name`: `first_name`), or, for `field__suffix`, the
/// operator meant (`first_name__icontain`: `first_name__icontains`).
fn filter_hint(spec: &ResourceSpec, field: &str) -> String {
    let names = filter_names(spec);
    if let Some((base, suffix)) = field.rsplit_once("__")
        && let Some(base_filter) = filterable(spec, base)
    {
        let suffixes = base_filter
            .operators
            .operators()
            .iter()
            .filter(|o| **o != Operator::Exact)
            .map(|o| o.suffix());
        if let Some(near) = crate::validate::closest(suffix, suffixes) {
            return format!("; did you mean {base}__{near}?");
        }
    }
    match crate::validate::closest(field, names.into_iter()) {
        Some(near) => format!("; did you mean {near}?"),
        None => String::new(),
    }
}

/// Whether the operator compares text (whatever the field's kind).
pub fn is_text_op(op: Operator) -> bool {
    matches!(
        op,
        Operator::Contains
            | Operator::Icontains
            | Operator::Startswith
            | Operator::Istartswith
            | Operator::Endswith
            | Operator::Iendswith
            | Operator::Iexact
    )
}

/// The query parameter for `field` with `op`: `field`, `field__op`, with `!`
/// when negated.
pub fn param_name(field: &str, op: Operator, negate: bool) -> String {
    let mut name = field.to_owned();
    if op != Operator::Exact {
        name.push_str("__");
        name.push_str(op.suffix());
    }
    if negate {
        name.push('!');
    }
    name
}

/// Splits a parameter name into field, operator and negation. A suffix that is not
/// an operator is left in the field name, so `a__b` reads as the field `a__b`.
pub fn split_param(name: &str) -> (&str, Operator, bool) {
    let (name, negate) = match name.strip_suffix('!') {
        Some(rest) => (rest, true),
        None => (name, false),
    };
    if let Some((field, suffix)) = name.rsplit_once("__")
        && let Some(op) = Operator::from_suffix(suffix)
        && op != Operator::Exact
    {
        return (field, op, negate);
    }
    (name, Operator::Exact, negate)
}
