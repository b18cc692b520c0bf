//! Rows as Apache Arrow record batches, for columnar exports (pandas, polars,
//! DuckDB, Parquet): each resource has one schema, derived from its
//! description, and a page's bytes are decoded straight into its columns.
//!
//! | field kind | column |
//! |---|---|
//! | string, uuid | `Utf8` |
//! | relation | `Utf8`: the related object's id |
//! | integer (enums included) | `Int64` |
//! | boolean | `Boolean` |
//! | date | `Date32` |
//! | date-time | `Timestamp(Microsecond, "UTC")` |
//! | array of strings, of relations | `List<Utf8>` (relations as their ids) |
//! | object, `any`, array of undescribed items | `Utf8` holding JSON text (field metadata `pigello.json`) |
//! | fields the reference does not list | one last column, [`EXTRA_COLUMN`]: a JSON object per row |

mod decode;
mod schema;

pub use decode::{decode_page, decode_rows};
pub use schema::{EXTRA_COLUMN, JSON_METADATA, schema};
