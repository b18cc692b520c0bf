//! The validator on arbitrary JSON for each resource: the first byte picks the
//! resource, the second create or patch, the rest is the body. No input may
//! panic; a body it passes must pass again unchanged (checking is pure).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pigello::validate::{Mode, Path, client_write, validate_object};
use serde_json::{Map, Value};

fuzz_target!(|data: &[u8]| {
    let [which, mode, body @ ..] = data else {
        return;
    };
    let spec = pigello::resources::ALL[*which as usize % pigello::resources::ALL.len()];
    let mode = if mode % 2 == 0 {
        Mode::Create
    } else {
        Mode::Patch
    };
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let (sent, problems) = client_write(spec, &body, &Map::new(), mode, &Path::root());
    if problems.is_empty() {
        let again = validate_object(spec, &sent, mode, &Path::root());
        assert!(
            again.is_empty(),
            "a passed body fails when checked again: {again:?}"
        );
    }
    for problem in &problems {
        // Every violation names a rule and says something.
        assert!(!problem.rule.code().is_empty() && !problem.message.is_empty());
    }
});
