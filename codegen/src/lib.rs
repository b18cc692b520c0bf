//! Generates the per-resource code of the SDK from `spec/accounts.json` and
//! `spec/sdk.json`, in one run: the Rust models and descriptions, the client's
//! resource accessors, the rule tests, the Python typing and native classes, and
//! the TypeScript declarations. The hand-written parts of the stubs are real
//! files (`templates/`, `pigello/_typing.py`) that the emitters include or import.

pub mod filters;
pub mod ir;
pub mod node;
pub mod options;
pub mod python;
pub mod rust;
pub mod spec;
pub mod tests;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Every generated file: its path under the repository root, and its content.
pub fn generate(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let read = |p: &str| -> Result<serde_json::Value, String> {
        let text = std::fs::read_to_string(root.join(p)).map_err(|e| format!("{p}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| format!("{p}: {e}"))
    };
    let resources = ir::load(&read("spec/accounts.json")?, &read("spec/sdk.json")?)?;
    let mut files = vec![(
        PathBuf::from("core/src/resources/mod.rs"),
        rust::resources_mod(&resources),
    )];
    for r in &resources {
        files.push((
            PathBuf::from(format!("core/src/resources/{}.rs", r.snake())),
            rust::resource_module(r),
        ));
    }
    files.push((
        PathBuf::from("core/src/client/accessors.rs"),
        rust::client_handles(&resources),
    ));
    files.push((
        PathBuf::from("core/tests/rules.rs"),
        tests::rules_tests(&resources),
    ));
    let mut files: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|(path, code)| rustfmt(&code).map(|formatted| (path, formatted)))
        .collect::<Result<_, _>>()?;
    // The same resources as the core's description types, for the typing of
    // the other languages: one run turns the spec into every file.
    let specs = spec::resource_specs(&resources);
    // A field or filter named like an option could never be sent.
    let collisions = options::reserved_collisions(&specs);
    if !collisions.is_empty() {
        return Err(format!(
            "names the option table reserves: {}",
            collisions.join("; ")
        ));
    }
    files.push((
        PathBuf::from("bindings-python/python/pigello/types.py"),
        python::types_module(&specs),
    ));
    files.push((
        PathBuf::from("bindings-python/python/pigello/_native.pyi"),
        python::native_stub(&specs),
    ));
    files.push((
        PathBuf::from("bindings-node/index.d.ts"),
        node::declarations(&specs),
    ));
    files.push((
        PathBuf::from("bindings-node/option-table.js"),
        options::node_table()?,
    ));
    files.push((
        PathBuf::from("bindings-python/python/pigello/_options.py"),
        options::python_table(),
    ));
    files.push((
        PathBuf::from("bindings-python/src/api/signatures.rs"),
        rustfmt(&options::python_signatures())?,
    ));
    files.push((
        PathBuf::from("bindings-python/src/values/classes.rs"),
        python::native_classes(&specs),
    ));
    Ok(files)
}

/// Formats generated code the way `cargo fmt` would, so the checked-in files stay
/// both readable and `cargo fmt --check` clean.
fn rustfmt(code: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("rustfmt: no stdin")?
        .write_all(code.as_bytes())
        .map_err(|e| format!("rustfmt: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt: {e}"))
}

/// The generated files whose content on disk differs from what the spec gives.
pub fn stale(root: &Path) -> Result<Vec<PathBuf>, String> {
    Ok(generate(root)?
        .into_iter()
        .filter(|(path, code)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(code.as_str())
        })
        .map(|(path, _)| path)
        .collect())
}
