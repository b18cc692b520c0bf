//! The documented list filters of a resource.

/// A filter operator, appended to the field name as `field__op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `field=value` (no suffix).
    Exact,
    /// `__contains`
    Contains,
    /// `__icontains`
    Icontains,
    /// `__startswith`
    Startswith,
    /// `__istartswith`
    Istartswith,
    /// `__endswith`
    Endswith,
    /// `__iendswith`
    Iendswith,
    /// `__iexact`
    Iexact,
    /// `__in`, a comma-separated list.
    In,
    /// `__isnull`, `true` or `false`.
    Isnull,
    /// `__gt`
    Gt,
    /// `__gte`
    Gte,
    /// `__lt`
    Lt,
    /// `__lte`
    Lte,
}

impl Operator {
    /// Every operator, in the order the reference lists them.
    pub const ALL: [Operator; 14] = [
        Operator::Exact,
        Operator::Contains,
        Operator::Endswith,
        Operator::Icontains,
        Operator::Iendswith,
        Operator::Iexact,
        Operator::In,
        Operator::Isnull,
        Operator::Istartswith,
        Operator::Startswith,
        Operator::Gt,
        Operator::Gte,
        Operator::Lt,
        Operator::Lte,
    ];

    /// The suffix as the API spells it (`""` for exact match).
    pub const fn suffix(self) -> &'static str {
        match self {
            Operator::Exact => "",
            Operator::Contains => "contains",
            Operator::Icontains => "icontains",
            Operator::Startswith => "startswith",
            Operator::Istartswith => "istartswith",
            Operator::Endswith => "endswith",
            Operator::Iendswith => "iendswith",
            Operator::Iexact => "iexact",
            Operator::In => "in",
            Operator::Isnull => "isnull",
            Operator::Gt => "gt",
            Operator::Gte => "gte",
            Operator::Lt => "lt",
            Operator::Lte => "lte",
        }
    }

    /// Parses a suffix as the API spells it (`""` is exact match).
    pub fn from_suffix(s: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.suffix() == s)
    }
}

/// The operator set a filter supports, by the kind of its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorKind {
    /// `contains, endswith, icontains, iendswith, iexact, in, isnull, istartswith, startswith`
    Text,
    /// `gt, gte, in, isnull, lt, lte`
    Ordered,
    /// `in, isnull` (relations, ids, booleans)
    Identity,
    /// The reference names the filter but its operators were cut off.
    Unknown,
}

impl OperatorKind {
    /// The operators of this kind, exact match included.
    pub const fn operators(self) -> &'static [Operator] {
        use Operator::*;
        match self {
            OperatorKind::Text => &[
                Exact,
                Contains,
                Endswith,
                Icontains,
                Iendswith,
                Iexact,
                In,
                Isnull,
                Istartswith,
                Startswith,
            ],
            OperatorKind::Ordered => &[Exact, Gt, Gte, In, Isnull, Lt, Lte],
            OperatorKind::Identity => &[Exact, In, Isnull],
            OperatorKind::Unknown => &[Exact],
        }
    }
}

/// One documented list filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterSpec {
    /// The query parameter's name, as the API spells it.
    pub name: &'static str,
    /// Which operators it takes; every one may be negated with a trailing `!`.
    pub kind: OperatorKind,
}
