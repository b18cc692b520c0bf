//! Rows decoded straight into Arrow column builders: every byte of a page is
//! read once, and no JSON tree is built on the way.
//!
//! Decoding is as lenient about input rules and as strict about types as
//! [`crate::decode`]: a relation without an id is a null id, a string where an
//! integer belongs is an error that names the row and the field.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Int64Builder, ListBuilder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::SchemaRef;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::schema::{Layout, schema};
use crate::description::ResourceSpec;
use crate::{Error, Result};

/// The rows of one list answer (a JSON array of objects) as one record batch
/// of [`schema`]`(spec)`.
///
/// ```
/// use arrow_array::{Array, cast::AsArray, types::Int64Type};
/// let spec = &pigello::resources::ORGANIZATION_USER;
/// let body = br#"[{"detail_access": 2, "invented": [1]}, {"detail_access": null}]"#;
/// let batch = pigello::arrow::decode_page(spec, body).unwrap();
/// assert_eq!(batch.num_rows(), 2);
/// let access = batch.column_by_name("detail_access").unwrap().as_primitive::<Int64Type>();
/// assert_eq!((access.value(0), access.is_null(1)), (2, true));
/// let extra = batch.column_by_name(pigello::arrow::EXTRA_COLUMN).unwrap().as_string::<i32>();
/// assert_eq!(extra.value(0), r#"{"invented":[1]}"#);
/// ```
pub fn decode_page(spec: &'static ResourceSpec, body: &[u8]) -> Result<RecordBatch> {
    let decoded = fill(spec, |builder| {
        let mut de = serde_json::Deserializer::from_slice(body);
        de.deserialize_seq(PageVisitor(builder))?;
        de.end()
    });
    match decoded {
        Err(Failure::Repeated) => {
            let rows: Vec<Map<String, Value>> = crate::decode(spec.name, body)?;
            decode_unique(spec, &rows)
        }
        other => other.map_err(Failure::into_error),
    }
}

/// Rows, each the JSON text of one object, as one record batch.
pub fn decode_rows(spec: &'static ResourceSpec, rows: &[&[u8]]) -> Result<RecordBatch> {
    let decoded = fill(spec, |builder| {
        for row in rows {
            let mut de = serde_json::Deserializer::from_slice(row);
            RowSeed(&mut *builder).deserialize(&mut de)?;
            de.end()?;
            builder.row += 1;
        }
        Ok(())
    });
    match decoded {
        Err(Failure::Repeated) => {
            let rows = rows
                .iter()
                .map(|row| crate::decode(spec.name, row))
                .collect::<Result<Vec<Map<String, Value>>>>()?;
            decode_unique(spec, &rows)
        }
        other => other.map_err(Failure::into_error),
    }
}

/// Why a batch was not built.
enum Failure {
    /// A row repeats a key: its columns already hold the first value, so the
    /// rows are decoded again with the last value of each key, the rule of
    /// every JSON reader of the packages.
    Repeated,
    Error(Error),
}

impl Failure {
    fn into_error(self) -> Error {
        match self {
            Failure::Error(e) => e,
            Failure::Repeated => unreachable!("a repeated key is decoded again, never returned"),
        }
    }
}

fn fill(
    spec: &'static ResourceSpec,
    decode: impl FnOnce(&mut BatchBuilder) -> Result<(), serde_json::Error>,
) -> Result<RecordBatch, Failure> {
    let mut builder = BatchBuilder::new(spec);
    match decode(&mut builder) {
        Ok(()) => Ok(builder.finish()),
        Err(_) if builder.repeated => Err(Failure::Repeated),
        Err(e) => Err(Failure::Error(builder.error(&e))),
    }
}

/// Rows whose keys are unique (parsed into maps), as one record batch.
fn decode_unique(spec: &'static ResourceSpec, rows: &[Map<String, Value>]) -> Result<RecordBatch> {
    let texts: Vec<Vec<u8>> = rows
        .iter()
        .map(|row| serde_json::to_vec(row).expect("a JSON map serialises"))
        .collect();
    let texts: Vec<&[u8]> = texts.iter().map(Vec::as_slice).collect();
    decode_rows(spec, &texts)
}

/// The rows a column's builder has room for before it first grows.
const ROWS_AT_FIRST: usize = 16;

/// One builder per column, filled row by row. A row that fails to decode
/// leaves the columns uneven, so an error ends the builder's use.
struct BatchBuilder {
    spec: &'static ResourceSpec,
    schema: SchemaRef,
    columns: Vec<Column>,
    extra: StringBuilder,
    /// Each documented field's column.
    index: HashMap<&'static str, usize>,
    /// The columns the current row has filled.
    seen: Vec<bool>,
    /// The current row's undocumented fields, as JSON object text.
    extra_text: String,
    /// The row being decoded, and its field, for an error's path.
    row: usize,
    field: Option<&'static str>,
    /// A row repeated a key (see [`Failure::Repeated`]).
    repeated: bool,
}

impl BatchBuilder {
    fn new(spec: &'static ResourceSpec) -> Self {
        BatchBuilder {
            spec,
            schema: schema(spec),
            columns: spec
                .fields
                .iter()
                .map(|f| Column::new(Layout::of(f.kind)))
                .collect(),
            extra: StringBuilder::new(),
            index: spec
                .fields
                .iter()
                .enumerate()
                .map(|(i, f)| (f.name, i))
                .collect(),
            seen: vec![false; spec.fields.len()],
            extra_text: String::new(),
            row: 0,
            field: None,
            repeated: false,
        }
    }

    fn finish(mut self) -> RecordBatch {
        let mut arrays: Vec<ArrayRef> = self.columns.iter_mut().map(Column::finish).collect();
        arrays.push(Arc::new(self.extra.finish()));
        RecordBatch::try_new(self.schema, arrays)
            .expect("every column is built for its schema field, one value per row")
    }

    /// A decode error naming the row and the field it stopped at. The
    /// decoder's message may quote a value, so it is redacted.
    fn error(&self, e: &serde_json::Error) -> Error {
        let path = match self.field {
            Some(field) => format!("[{}].{field}", self.row),
            None => format!("[{}]", self.row),
        };
        Error::Decode {
            model: self.spec.name,
            path,
            message: crate::redact::personal_data(&e.to_string()).into_owned(),
        }
    }
}

/// A page: a JSON array of rows.
struct PageVisitor<'b>(&'b mut BatchBuilder);

impl<'de> Visitor<'de> for PageVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(()) = seq.next_element_seed(RowSeed(&mut *self.0))? {
            self.0.row += 1;
        }
        Ok(())
    }
}

/// One row: a JSON object whose fields go to their columns.
struct RowSeed<'b>(&'b mut BatchBuilder);

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let b = self.0;
        b.seen.fill(false);
        b.extra_text.clear();
        while let Some(key) = map.next_key_seed(KeySeed(&b.index))? {
            match key {
                Key::Documented(i) => {
                    let name = b.spec.fields[i].name;
                    if std::mem::replace(&mut b.seen[i], true) {
                        b.repeated = true;
                        return Err(de::Error::custom(format!("the field {name} is repeated")));
                    }
                    b.field = Some(name);
                    map.next_value_seed(CellSeed(&mut b.columns[i]))?;
                }
                Key::Other(name) => {
                    let value: &RawValue = map.next_value()?;
                    b.extra_text
                        .push(if b.extra_text.is_empty() { '{' } else { ',' });
                    let quoted = serde_json::to_string(&name).map_err(de::Error::custom)?;
                    b.extra_text.push_str(&quoted);
                    b.extra_text.push(':');
                    b.extra_text.push_str(value.get());
                }
            }
        }
        b.field = None;
        for (column, seen) in b.columns.iter_mut().zip(&b.seen) {
            if !seen {
                column.append_null();
            }
        }
        if b.extra_text.is_empty() {
            b.extra.append_null();
        } else {
            b.extra_text.push('}');
            b.extra.append_value(&b.extra_text);
        }
        Ok(())
    }
}

enum Key {
    Documented(usize),
    Other(String),
}

struct KeySeed<'i>(&'i HashMap<&'static str, usize>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(match self.0.get(name) {
            Some(&i) => Key::Documented(i),
            None => Key::Other(name.to_owned()),
        })
    }
}

/// One column's builder.
enum Column {
    Text(StringBuilder),
    Id(StringBuilder),
    Integer(Int64Builder),
    Boolean(BooleanBuilder),
    Date(Date32Builder),
    DateTime(TimestampMicrosecondBuilder),
    TextList(ListBuilder<StringBuilder>),
    IdList(ListBuilder<StringBuilder>),
    Json(StringBuilder),
}

impl Column {
    fn new(layout: Layout) -> Column {
        // Small to start with, grown as rows come and cut to size at the end:
        // the default builders reserve for 1 024 rows, most of it unused by a
        // page of 100, and held for as long as the batch is.
        let text = || StringBuilder::with_capacity(ROWS_AT_FIRST, ROWS_AT_FIRST * 16);
        match layout {
            Layout::Text => Column::Text(text()),
            Layout::Id => Column::Id(text()),
            Layout::Integer => Column::Integer(Int64Builder::with_capacity(ROWS_AT_FIRST)),
            Layout::Boolean => Column::Boolean(BooleanBuilder::with_capacity(ROWS_AT_FIRST)),
            Layout::Date => Column::Date(Date32Builder::with_capacity(ROWS_AT_FIRST)),
            Layout::DateTime => Column::DateTime(
                TimestampMicrosecondBuilder::with_capacity(ROWS_AT_FIRST).with_timezone("UTC"),
            ),
            Layout::TextList => Column::TextList(ListBuilder::with_capacity(text(), ROWS_AT_FIRST)),
            Layout::IdList => Column::IdList(ListBuilder::with_capacity(text(), ROWS_AT_FIRST)),
            Layout::Json => Column::Json(text()),
        }
    }

    fn append_null(&mut self) {
        match self {
            Column::Text(b) | Column::Id(b) | Column::Json(b) => b.append_null(),
            Column::Integer(b) => b.append_null(),
            Column::Boolean(b) => b.append_null(),
            Column::Date(b) => b.append_null(),
            Column::DateTime(b) => b.append_null(),
            Column::TextList(b) | Column::IdList(b) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        fn fitted(mut array: impl Array + 'static) -> ArrayRef {
            array.shrink_to_fit();
            Arc::new(array)
        }
        match self {
            Column::Text(b) | Column::Id(b) | Column::Json(b) => fitted(b.finish()),
            Column::Integer(b) => fitted(b.finish()),
            Column::Boolean(b) => fitted(b.finish()),
            Column::Date(b) => fitted(b.finish()),
            Column::DateTime(b) => fitted(b.finish()),
            Column::TextList(b) | Column::IdList(b) => fitted(b.finish()),
        }
    }
}

/// One field's value, appended to its column.
struct CellSeed<'c>(&'c mut Column);

impl<'de> DeserializeSeed<'de> for CellSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.0 {
            Column::Json(b) => {
                let raw = <&RawValue>::deserialize(deserializer)?;
                match raw.get() {
                    "null" => b.append_null(),
                    text => b.append_value(text),
                }
                Ok(())
            }
            Column::Text(b) => deserializer.deserialize_option(Scalar::Text(b)),
            Column::Id(b) => deserializer.deserialize_option(Scalar::Id(b)),
            Column::Integer(b) => deserializer.deserialize_option(Scalar::Integer(b)),
            Column::Boolean(b) => deserializer.deserialize_option(Scalar::Boolean(b)),
            Column::Date(b) => deserializer.deserialize_option(Scalar::Date(b)),
            Column::DateTime(b) => deserializer.deserialize_option(Scalar::DateTime(b)),
            Column::TextList(b) => deserializer.deserialize_option(List {
                builder: b,
                ids: false,
            }),
            Column::IdList(b) => deserializer.deserialize_option(List {
                builder: b,
                ids: true,
            }),
        }
    }
}

/// A single value (or null) for a column that is not a list.
enum Scalar<'c> {
    Text(&'c mut StringBuilder),
    Id(&'c mut StringBuilder),
    Integer(&'c mut Int64Builder),
    Boolean(&'c mut BooleanBuilder),
    Date(&'c mut Date32Builder),
    DateTime(&'c mut TimestampMicrosecondBuilder),
}

/// Days from 1970-01-01 to a `YYYY-MM-DD` date.
fn days_since_epoch(text: &str) -> Option<i32> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    i32::try_from(date.signed_duration_since(NaiveDate::default()).num_days()).ok()
}

impl<'de> Visitor<'de> for Scalar<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Scalar::Text(_) => "a string",
            Scalar::Id(_) => "a relation ({\"id\": ...})",
            Scalar::Integer(_) => "an integer",
            Scalar::Boolean(_) => "a boolean",
            Scalar::Date(_) => "a date (YYYY-MM-DD)",
            Scalar::DateTime(_) => "an RFC 3339 date-time",
        })
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        match self {
            Scalar::Text(b) | Scalar::Id(b) => b.append_null(),
            Scalar::Integer(b) => b.append_null(),
            Scalar::Boolean(b) => b.append_null(),
            Scalar::Date(b) => b.append_null(),
            Scalar::DateTime(b) => b.append_null(),
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self {
            Scalar::Id(_) => deserializer.deserialize_map(self),
            Scalar::Integer(_) => deserializer.deserialize_i64(self),
            Scalar::Boolean(_) => deserializer.deserialize_bool(self),
            _ => deserializer.deserialize_str(self),
        }
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        let invalid =
            |expected: &str| de::Error::invalid_value(de::Unexpected::Str(text), &expected);
        match self {
            Scalar::Text(b) => b.append_value(text),
            Scalar::Date(b) => match days_since_epoch(text) {
                Some(days) => b.append_value(days),
                None => return Err(invalid("a date (YYYY-MM-DD)")),
            },
            Scalar::DateTime(b) => match text.parse::<DateTime<FixedOffset>>() {
                Ok(instant) => b.append_value(instant.timestamp_micros()),
                Err(_) => return Err(invalid("an RFC 3339 date-time")),
            },
            other => return Err(de::Error::invalid_type(de::Unexpected::Str(text), &other)),
        }
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<(), E> {
        match self {
            Scalar::Integer(b) => {
                b.append_value(n);
                Ok(())
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Signed(n), &self)),
        }
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<(), E> {
        match i64::try_from(n) {
            Ok(n) => self.visit_i64(n),
            Err(_) => Err(de::Error::invalid_value(de::Unexpected::Unsigned(n), &self)),
        }
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<(), E> {
        match self {
            Scalar::Boolean(b) => {
                b.append_value(value);
                Ok(())
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Bool(value), &self)),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        match self {
            Scalar::Id(b) => {
                b.append_option(relation_id(map)?);
                Ok(())
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// The `id` of a relation object (the rest of it is skipped).
fn relation_id<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<String>, A::Error> {
    let mut id = None;
    while let Some(is_id) = map.next_key_seed(IsId)? {
        if is_id {
            id = map.next_value::<Option<String>>()?;
        } else {
            map.next_value::<IgnoredAny>()?;
        }
    }
    Ok(id)
}

/// Whether a key is `id`, read without allocating.
struct IsId;

impl<'de> DeserializeSeed<'de> for IsId {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for IsId {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == "id")
    }
}

/// A list of strings or of relations' ids (or null).
struct List<'c> {
    builder: &'c mut ListBuilder<StringBuilder>,
    ids: bool,
}

impl<'de> Visitor<'de> for List<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(if self.ids {
            "an array of relations"
        } else {
            "an array of strings"
        })
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.builder.append_null();
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let items = self.builder.values();
        if self.ids {
            while seq
                .next_element_seed(Item(Scalar::Id(&mut *items)))?
                .is_some()
            {}
        } else {
            while seq
                .next_element_seed(Item(Scalar::Text(&mut *items)))?
                .is_some()
            {}
        }
        self.builder.append(true);
        Ok(())
    }
}

/// One item of a list column.
struct Item<'c>(Scalar<'c>);

impl<'de> DeserializeSeed<'de> for Item<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self.0)
    }
}
