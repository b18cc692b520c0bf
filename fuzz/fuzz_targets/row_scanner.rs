//! The core's lazy row scanner (`pigello::client::LazyRows`, which reads each
//! field as a span of the body without building a JSON tree) agrees with a
//! JSON parser on any body: it accepts what parses as rows, and each field it
//! reads is the value the parser reads.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use pigello::client::{LazyRow, LazyRows, RowDecoder};
use serde_json::{Map, Value};

fn agree(lazy: &LazyRow, parsed: &Map<String, Value>) {
    for (key, value) in parsed {
        let field = lazy
            .get(key)
            .unwrap_or_else(|| panic!("{key:?} is missing"));
        assert_eq!(&field.to_json(), value, "{key:?}");
    }
    assert_eq!(&lazy.to_json(), parsed);
}

fuzz_target!(|data: &[u8]| {
    let spec = &pigello::resources::TENANT;
    let body = Bytes::copy_from_slice(data);
    let parsed = serde_json::from_slice::<Value>(data).ok();
    match LazyRows.decode_rows(spec, body.clone()) {
        Ok(rows) => {
            let Some(Value::Array(objects)) = &parsed else {
                panic!("the scanner read rows the parser refuses");
            };
            assert_eq!(rows.len(), objects.len());
            for (lazy, object) in rows.iter().zip(objects) {
                agree(lazy, object.as_object().expect("an object"));
            }
        }
        Err(_) => {
            let all_objects =
                matches!(&parsed, Some(Value::Array(items)) if items.iter().all(Value::is_object));
            assert!(!all_objects, "the parser reads rows the scanner refuses");
        }
    }
    if let Ok(lazy) = LazyRows.decode_row(spec, body) {
        let Some(Value::Object(object)) = &parsed else {
            panic!("the scanner read an object the parser refuses");
        };
        agree(&lazy, object);
    }
});
