//! The filter parameters of a resource and what each takes, for the typing
//! generators of every language.

use pigello::description::{Operator, OperatorKind, ResourceSpec};
use pigello::query::{ScalarKind, filter_params, param_name};

/// What a filter parameter's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterValue {
    /// `__isnull`: a boolean.
    Flag,
    /// `__in`: several values of the kind.
    List(ScalarKind),
    /// One value of the kind.
    One(ScalarKind),
}

/// Every filter parameter of a resource (not negated) with its value, sorted.
pub fn filter_values(spec: &ResourceSpec) -> Vec<(String, FilterValue)> {
    let mut out = Vec::new();
    for (name, how) in filter_params(spec) {
        for &op in how.operators.operators() {
            let value = match op {
                Operator::Isnull => FilterValue::Flag,
                Operator::In => FilterValue::List(how.value),
                Operator::Exact => FilterValue::One(how.value),
                // Text operators (`icontains`, ...) take text whatever the field holds.
                _ if how.operators == OperatorKind::Text => FilterValue::One(ScalarKind::Text),
                _ => FilterValue::One(how.value),
            };
            out.push((param_name(name, op, false), value));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
