//! The list-query parser and encoder: any query string a resource's parser
//! accepts encodes to one that parses back to the same query.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pigello::query::ListQuery;

fuzz_target!(|data: &[u8]| {
    let [which, raw @ ..] = data else {
        return;
    };
    let Ok(raw) = std::str::from_utf8(raw) else {
        return;
    };
    let spec = pigello::resources::ALL[*which as usize % pigello::resources::ALL.len()];
    if let Ok(query) = ListQuery::parse_query_string(spec, raw) {
        let encoded = query.to_query_string();
        let again = ListQuery::parse_query_string(spec, &encoded)
            .unwrap_or_else(|e| panic!("{encoded:?} does not parse back: {e:?}"));
        assert_eq!(again, query, "{raw:?} → {encoded:?}");
    }
});
