//! The Arrow schema of a resource, derived from its description: one column
//! per documented field, in the reference's order, then [`EXTRA_COLUMN`].

use std::sync::{Arc, OnceLock};

use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

use crate::description::{ItemKind, ResourceSpec, ValueKind};

/// The last column: a row's undocumented fields as one JSON object (its text),
/// null when the row has none. Nothing the API sends is dropped.
pub const EXTRA_COLUMN: &str = "_extra";

/// The metadata key marking a column that holds JSON text (objects, `any`
/// fields and arrays whose items the reference does not describe).
pub const JSON_METADATA: &str = "pigello.json";

/// How one documented field is laid out as an Arrow column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `Utf8`: strings and uuids.
    Text,
    /// `Utf8`: a relation, as the id of the object it points at.
    Id,
    /// `Int64` (the reference's int32, with room to spare).
    Integer,
    /// `Boolean`.
    Boolean,
    /// `Date32`: days since 1970-01-01.
    Date,
    /// `Timestamp(Microsecond, "UTC")`.
    DateTime,
    /// `List<Utf8>`: strings.
    TextList,
    /// `List<Utf8>`: relations, as their ids.
    IdList,
    /// `Utf8` holding JSON text.
    Json,
}

impl Layout {
    pub(crate) fn of(kind: ValueKind) -> Layout {
        match kind {
            ValueKind::String | ValueKind::Uuid => Layout::Text,
            ValueKind::Relation => Layout::Id,
            ValueKind::Integer => Layout::Integer,
            ValueKind::Boolean => Layout::Boolean,
            ValueKind::Date => Layout::Date,
            ValueKind::DateTime => Layout::DateTime,
            ValueKind::Array(ItemKind::String) => Layout::TextList,
            ValueKind::Array(ItemKind::Relation) => Layout::IdList,
            ValueKind::Array(ItemKind::Any) | ValueKind::Object | ValueKind::Any => Layout::Json,
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Layout::Text | Layout::Id | Layout::Json => DataType::Utf8,
            Layout::Integer => DataType::Int64,
            Layout::Boolean => DataType::Boolean,
            Layout::Date => DataType::Date32,
            Layout::DateTime => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            Layout::TextList | Layout::IdList => {
                DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
            }
        }
    }
}

fn column(name: &str, layout: Layout) -> Field {
    // Every column is nullable: a slim list or a newer server may leave a
    // documented field out of a row.
    let field = Field::new(name, layout.data_type(), true);
    if layout == Layout::Json {
        field.with_metadata([(JSON_METADATA.to_owned(), "true".to_owned())])
    } else {
        field
    }
}

/// The schema of `spec`'s rows, built once per resource.
///
/// ```
/// use arrow_schema::DataType;
/// let schema = pigello::arrow::schema(&pigello::resources::TENANT);
/// let created = schema.field_with_name("created_at").unwrap();
/// assert!(matches!(created.data_type(), DataType::Timestamp(_, Some(tz)) if &**tz == "UTC"));
/// assert_eq!(schema.fields().last().unwrap().name(), pigello::arrow::EXTRA_COLUMN);
/// ```
pub fn schema(spec: &'static ResourceSpec) -> SchemaRef {
    static SCHEMAS: OnceLock<Vec<(&'static str, SchemaRef)>> = OnceLock::new();
    let all = SCHEMAS.get_or_init(|| {
        crate::resources::ALL
            .iter()
            .map(|spec| (spec.name, build(spec)))
            .collect()
    });
    match all.iter().find(|(name, _)| *name == spec.name) {
        Some((_, schema)) => schema.clone(),
        None => build(spec),
    }
}

fn build(spec: &ResourceSpec) -> SchemaRef {
    let mut fields: Vec<Field> = spec
        .fields
        .iter()
        .map(|f| column(f.name, Layout::of(f.kind)))
        .collect();
    fields.push(column(EXTRA_COLUMN, Layout::Json));
    Arc::new(Schema::new(fields))
}
