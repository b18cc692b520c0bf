//! A row as the API sent it, read lazily: the answer's body is kept (shared by
//! every row of the page) and each field is a span of it, found in one pass
//! that builds no JSON tree. A binding turns a field into its language's value
//! only when it is read (the Python package's models do); a nested object or
//! list stays raw JSON until then.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use bytes::Bytes;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::RowDecoder;
use crate::description::ResourceSpec;

/// Every documented field name, so a row keeps a known key without allocating.
static KNOWN_KEYS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    crate::resources::ALL
        .iter()
        .flat_map(|spec| spec.fields.iter().map(|f| (f.name, f.name)))
        .collect()
});

/// A field name: a documented one (static), or one the reference does not list.
#[derive(Debug, Clone)]
pub enum FieldName {
    Known(&'static str),
    Other(Box<str>),
}

impl FieldName {
    fn new(name: &str) -> FieldName {
        match KNOWN_KEYS.get(name) {
            Some(known) => FieldName::Known(known),
            None => FieldName::Other(name.into()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            FieldName::Known(s) => s,
            FieldName::Other(s) => s,
        }
    }
}

/// Where a value lies in the body.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

/// One field's value, undecoded where it can be.
#[derive(Debug, Clone)]
enum Cell {
    Null,
    Bool(bool),
    /// A number, as written.
    Number(Span),
    /// A string without escapes: its characters.
    Text(Span),
    /// A string with escapes, unescaped.
    Escaped(Box<str>),
    /// An object or an array, as JSON.
    Raw(Span),
}

/// A field of a row, borrowed.
#[derive(Debug, Clone, Copy)]
pub enum LazyField<'a> {
    Null,
    Bool(bool),
    /// A number, as the JSON writes it.
    Number(&'a str),
    Text(&'a str),
    /// An object or an array, as JSON.
    Raw(&'a str),
}

impl LazyField<'_> {
    /// The field as a JSON value (a nested one parsed now).
    pub fn to_json(self) -> Value {
        match self {
            LazyField::Null => Value::Null,
            LazyField::Bool(b) => Value::Bool(b),
            LazyField::Number(n) | LazyField::Raw(n) => {
                serde_json::from_str(n).unwrap_or(Value::Null)
            }
            LazyField::Text(s) => Value::String(s.to_owned()),
        }
    }
}

/// One object of a list or of a single answer.
#[derive(Debug, Clone)]
pub struct LazyRow {
    body: Bytes,
    cells: Vec<(FieldName, Cell)>,
}

impl LazyRow {
    /// A row from a JSON value (a row of a bulk write's answer), read the way
    /// an answer's body is.
    pub fn from_json(spec: &'static ResourceSpec, value: &Value) -> crate::Result<LazyRow> {
        let body = serde_json::to_vec(value).map_err(|e| crate::Error::Encode {
            model: spec.name,
            message: e.to_string(),
        })?;
        LazyRows.decode_row(spec, Bytes::from(body))
    }

    fn text(&self, span: Span) -> &str {
        let bytes = &self.body[span.start as usize..(span.start + span.len) as usize];
        // The span was cut from a `&str` of this body at a char boundary.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    fn field<'a>(&'a self, cell: &'a Cell) -> LazyField<'a> {
        match cell {
            Cell::Null => LazyField::Null,
            Cell::Bool(b) => LazyField::Bool(*b),
            Cell::Number(span) => LazyField::Number(self.text(*span)),
            Cell::Text(span) => LazyField::Text(self.text(*span)),
            Cell::Escaped(s) => LazyField::Text(s),
            Cell::Raw(span) => LazyField::Raw(self.text(*span)),
        }
    }

    /// A field by name, if the row has it. Of a key the body repeats, the
    /// last value counts, as in every JSON reader of the packages.
    pub fn get(&self, name: &str) -> Option<LazyField<'_>> {
        self.cells
            .iter()
            .rev()
            .find(|(key, _)| key.as_str() == name)
            .map(|(_, cell)| self.field(cell))
    }

    /// Every field, in the order the API sent them.
    pub fn fields(&self) -> impl Iterator<Item = (&str, LazyField<'_>)> {
        self.cells
            .iter()
            .map(|(key, cell)| (key.as_str(), self.field(cell)))
    }

    /// The row as a JSON object.
    pub fn to_json(&self) -> Map<String, Value> {
        self.fields()
            .map(|(k, f)| (k.to_owned(), f.to_json()))
            .collect()
    }

    /// The row as the text of one JSON object, each value as the API wrote
    /// it (a string re-escaped where it had escapes).
    pub fn json_text(&self) -> String {
        let mut out = String::from("{");
        for (i, (key, field)) in self.fields().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&quoted(key));
            out.push(':');
            match field {
                LazyField::Null => out.push_str("null"),
                LazyField::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                LazyField::Number(text) | LazyField::Raw(text) => out.push_str(text),
                LazyField::Text(text) => out.push_str(&quoted(text)),
            }
        }
        out.push('}');
        out
    }

    /// The id, as sent.
    pub fn id(&self) -> &str {
        match self.get("id") {
            Some(LazyField::Text(id)) => id,
            _ => "",
        }
    }
}

/// A string as JSON text.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "null".to_owned())
}

/// The offset of a slice of the body from the body's start.
fn span(base: usize, text: &str) -> Span {
    Span {
        start: (text.as_ptr() as usize - base) as u32,
        len: text.len() as u32,
    }
}

/// Classifies a value captured raw: no tree is built for a string or a
/// number, and a nested object or list is only checked. What a JSON parser
/// refuses (a number out of range, an escape that is no character) is refused
/// here too, rather than read later as nothing.
fn cell(base: usize, raw: &RawValue) -> Result<Cell, serde_json::Error> {
    let text = raw.get();
    Ok(match text.as_bytes().first() {
        Some(b'n') => Cell::Null,
        Some(b't') => Cell::Bool(true),
        Some(b'f') => Cell::Bool(false),
        Some(b'"') => {
            let inner = &text[1..text.len() - 1];
            if inner.contains('\\') {
                Cell::Escaped(serde_json::from_str::<String>(text)?.into())
            } else {
                Cell::Text(span(base, inner))
            }
        }
        Some(b'{' | b'[') => {
            serde_json::from_str::<Value>(text)?;
            Cell::Raw(span(base, text))
        }
        _ => {
            serde_json::from_str::<serde_json::Number>(text)?;
            Cell::Number(span(base, text))
        }
    })
}

/// The fields of one JSON object.
struct ObjectSeed {
    base: usize,
}

impl<'de> DeserializeSeed<'de> for ObjectSeed {
    type Value = Vec<(FieldName, Cell)>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed {
    type Value = Vec<(FieldName, Cell)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut cells = Vec::with_capacity(map.size_hint().unwrap_or(32));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let raw: &'de RawValue = map.next_value()?;
            let value = cell(self.base, raw).map_err(serde::de::Error::custom)?;
            cells.push((key, value));
        }
        Ok(cells)
    }
}

/// A key, borrowed where the JSON allows.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = FieldName;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<FieldName, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = FieldName;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<FieldName, E> {
        Ok(FieldName::new(name))
    }
}

/// The objects of a JSON array.
struct ArraySeed {
    base: usize,
}

impl<'de> DeserializeSeed<'de> for ArraySeed {
    type Value = Vec<Vec<(FieldName, Cell)>>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ArraySeed {
    type Value = Vec<Vec<(FieldName, Cell)>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(row) = seq.next_element_seed(ObjectSeed { base: self.base })? {
            rows.push(row);
        }
        Ok(rows)
    }
}

/// Decodes a list answer into [`LazyRow`]s that share its body.
#[derive(Debug, Clone, Copy, Default)]
pub struct LazyRows;

impl RowDecoder for LazyRows {
    type Row = LazyRow;

    fn decode_rows(&self, spec: &'static ResourceSpec, body: Bytes) -> crate::Result<Vec<LazyRow>> {
        let rows = scan(spec, &body, |base| ArraySeed { base })?;
        Ok(rows
            .into_iter()
            .map(|cells| LazyRow {
                body: body.clone(),
                cells,
            })
            .collect())
    }

    fn decode_row(&self, spec: &'static ResourceSpec, body: Bytes) -> crate::Result<LazyRow> {
        let cells = scan(spec, &body, |base| ObjectSeed { base })?;
        Ok(LazyRow { body, cells })
    }
}

/// Runs a seed over the whole body; anything but that JSON is a decode error.
fn scan<S, T>(
    spec: &'static ResourceSpec,
    body: &[u8],
    seed: impl FnOnce(usize) -> S,
) -> crate::Result<T>
where
    S: for<'de> DeserializeSeed<'de, Value = T>,
{
    let decode_error = |message: String| crate::Error::Decode {
        model: spec.name,
        path: ".".into(),
        // The decoder's message may quote a value.
        message: crate::redact::personal_data(&message).into_owned(),
    };
    let text = std::str::from_utf8(body)
        .map_err(|e| decode_error(format!("the body is not UTF-8 ({e})")))?;
    let mut de = serde_json::Deserializer::from_str(text);
    let found = seed(text.as_ptr() as usize)
        .deserialize(&mut de)
        .map_err(|e| decode_error(e.to_string()))?;
    de.end().map_err(|e| decode_error(e.to_string()))?;
    Ok(found)
}
