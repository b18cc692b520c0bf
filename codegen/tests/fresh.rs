//! The generated code on disk is what the spec and the generator produce today.

#[test]
fn generated_code_is_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let stale = pigello_codegen::stale(&root).expect("the generator runs");
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `cargo run -p pigello-codegen` and commit"
    );
}

/// The description built in memory from the spec (what the Python and
/// TypeScript emitters read) is the compiled one, field for field.
#[test]
fn the_description_from_the_spec_is_the_compiled_one() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root.join(p)).expect("read")).expect("JSON")
    };
    let resources = pigello_codegen::ir::load(&read("spec/accounts.json"), &read("spec/sdk.json"))
        .expect("the spec loads");
    let built = pigello_codegen::spec::resource_specs(&resources);
    assert_eq!(built.len(), pigello::resources::ALL.len());
    for (built, compiled) in built.iter().zip(pigello::resources::ALL) {
        assert_eq!(*built, *compiled, "{}", compiled.name);
    }
}
