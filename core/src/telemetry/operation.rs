//! An operation that sends several requests (a walk over every page, an
//! export, the partitions of one, a bulk write): one INTERNAL span over its
//! requests, named `pigello {resource}.{operation}`. A call of one request
//! has no span of its own beyond that request's.

use crate::description::{ResourceSpec, Taker};

use super::attempt::ErrorType;
use super::{Attributes, SpanKind, Status, Value};

/// An operation's span, as it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `pigello tenants.to_pandas`: the resource and the method as Python and
    /// Rust name them, in every package, so that one dashboard serves all.
    pub name: String,
    pub kind: SpanKind,
    /// `pigello.resource`.
    pub attributes: Attributes,
}

impl Operation {
    /// The span of `taker`'s operation on a resource, when it is one that
    /// may send several requests.
    pub fn of(spec: &ResourceSpec, taker: Taker) -> Option<Operation> {
        let several = matches!(
            taker,
            Taker::List
                | Taker::Iterate
                | Taker::ToPandas
                | Taker::ToArrow
                | Taker::IterBatches
                | Taker::Partitions
                | Taker::BulkWrite
        );
        if !several {
            return None;
        }
        let method = taker.python();
        Some(Operation {
            name: format!("pigello {}.{method}", spec.snake_plural),
            kind: SpanKind::Internal,
            attributes: vec![("pigello.resource", Value::Text(spec.snake_plural.into()))],
        })
    }
}

/// How an operation ended: `pigello.rows` and `pigello.pages`, and its
/// status.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationEnd {
    pub attributes: Attributes,
    pub status: Status,
}

impl OperationEnd {
    /// After `pages` pages and `rows` rows (or items written), and the
    /// error that ended it, if one did.
    pub fn new(rows: u64, pages: u64, error: Option<ErrorType>) -> Self {
        let count = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
        let mut attributes: Attributes = vec![
            ("pigello.rows", count(rows)),
            ("pigello.pages", count(pages)),
        ];
        if let Some(error) = error {
            attributes.push(("error.type", Value::Text(error.name())));
        }
        OperationEnd {
            attributes,
            status: error.map_or(Status::Unset, ErrorType::status),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Resource;
    use crate::resources::Tenant;

    #[test]
    fn an_export_is_one_internal_span_named_by_resource_and_method() {
        let export = Operation::of(Tenant::SPEC, Taker::ToPandas).expect("an operation");
        assert_eq!(export.name, "pigello tenants.to_pandas");
        assert_eq!(export.kind, SpanKind::Internal);
        assert_eq!(
            export.attributes,
            [("pigello.resource", Value::Text("tenants".into()))]
        );
        assert_eq!(Operation::of(Tenant::SPEC, Taker::Get), None);
        let end = OperationEnd::new(120, 3, None);
        assert_eq!(
            end.attributes,
            [
                ("pigello.rows", Value::Int(120)),
                ("pigello.pages", Value::Int(3))
            ]
        );
        assert_eq!(
            OperationEnd::new(0, 1, Some(ErrorType::Status(500))).status,
            Status::Error
        );
    }
}
