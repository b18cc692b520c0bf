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
