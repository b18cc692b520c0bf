//! No module cycles: within each crate, a file that uses another (through a
//! `crate::` or `super::` path) is never used back by it, however many files
//! lie between; and the same for the Node package's JavaScript modules and
//! their `require`s. A folder does not hide a cycle (each file is a node of
//! its own), and a parent module and its own children are not one: a parent
//! declares its children and they may use what it holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates' source folders and the Node package's folder, from the root.
const CRATES: &[&str] = &[
    "core/src",
    "sandbox/src",
    "bindings-python/src",
    "bindings-node/src",
    "codegen/src",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("a source folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// A Rust file's module path in its crate: `client/handle.rs` is
/// `["client", "handle"]`, `client/mod.rs` is `["client"]`, `lib.rs` is `[]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("inside the crate");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_owned());
    }
    parts
}

/// The paths a `use` tree names, braces expanded: `a::{b, c::d}` gives
/// `a::b` and `a::c::d`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        return vec![path.trim_end_matches("::*").to_owned()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').expect("a closing brace")];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|item| !item.trim().is_empty())
        .flat_map(expand)
        .map(|path| match path.as_str() {
            "self" => prefix.trim_end_matches("::").to_owned(),
            _ => format!("{prefix}{path}"),
        })
        .collect()
}

/// Every path a Rust file names from its own crate, as module segments from
/// the crate's root: `use` trees and paths in code, `crate::` and `super::`.
fn references(source: &str, module: &[String], is_mod_file: bool) -> Vec<Vec<String>> {
    let code: String = source
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut paths = Vec::new();
    // `use` statements, with their braces.
    let mut rest = code.as_str();
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest.find(';').unwrap_or(rest.len());
        let tree = &rest[..end];
        if tree.starts_with("crate::") || tree.starts_with("super::") || tree.starts_with("self::")
        {
            paths.extend(expand(tree));
        }
    }
    // Paths in code: `crate::a::b`, `super::a`.
    for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
        if word.starts_with("crate::") || word.starts_with("super::") {
            paths.push(word.trim_end_matches(':').to_owned());
        }
    }
    // `super` of a `mod.rs` is its folder's parent; of `x.rs`, its folder.
    let own_parent = if is_mod_file || module.is_empty() {
        module.len().saturating_sub(1)
    } else {
        module.len() - 1
    };
    paths
        .into_iter()
        .map(|path| {
            let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            let mut base: Vec<String> = Vec::new();
            match segments.first() {
                Some(&"crate") => {
                    segments.remove(0);
                }
                Some(&"self") => {
                    segments.remove(0);
                    base = module.to_vec();
                }
                Some(&"super") => {
                    let mut up = own_parent;
                    segments.remove(0);
                    while segments.first() == Some(&"super") {
                        segments.remove(0);
                        up = up.saturating_sub(1);
                    }
                    base = module[..up].to_vec();
                }
                _ => {}
            }
            base.extend(segments.into_iter().map(str::to_owned));
            base
        })
        .collect()
}

/// The file-to-file edges of one crate: a file names another's module (the
/// longest module that is a file), neither being the other's ancestor.
fn crate_edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut list = Vec::new();
    files(src, "rs", &mut list);
    let modules: BTreeMap<Vec<String>, String> = list
        .iter()
        .map(|f| {
            (
                module_of(src, f),
                f.strip_prefix(root()).unwrap_or(f).display().to_string(),
            )
        })
        .collect();
    let mut edges = BTreeMap::new();
    for file in &list {
        let module = module_of(src, file);
        let source = std::fs::read_to_string(file).expect("a source file");
        let is_mod = file.file_name().is_some_and(|n| n == "mod.rs");
        let from = modules[&module].clone();
        let targets: &mut BTreeSet<String> = edges.entry(from.clone()).or_default();
        for path in references(&source, &module, is_mod) {
            let target = (0..=path.len())
                .rev()
                .map(|n| &path[..n])
                .find(|prefix| modules.contains_key(*prefix));
            let Some(target) = target else { continue };
            let related = target.starts_with(&module) || module.starts_with(target);
            if !related {
                targets.insert(modules[target].clone());
            }
        }
    }
    edges
}

/// The Node package's `require`s between its own modules, and the types one
/// takes from another (`import('./json.js')` in a JSDoc comment, which
/// `tsc --checkJs` follows as it follows a `require`).
fn javascript_edges(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut list = Vec::new();
    for ext in ["js", "mjs"] {
        for entry in std::fs::read_dir(dir).expect("the package folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == ext) {
                list.push(path);
            }
        }
    }
    let mut edges = BTreeMap::new();
    for file in &list {
        let name = file
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let source = std::fs::read_to_string(file).expect("a module");
        let targets: &mut BTreeSet<String> = edges.entry(name.clone()).or_default();
        for quote in ["require('./", "from './", "import('./"] {
            for part in source.split(quote).skip(1) {
                let target = part.split('\'').next().unwrap_or_default();
                if !target.contains('/') && target != name {
                    targets.insert(target.to_owned());
                }
            }
        }
    }
    edges
}

/// Every cycle's files (the strongly connected groups of more than one file).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(at) = stack.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|k| (k, reach(k))).collect();
    let mut groups: Vec<Vec<String>> = Vec::new();
    for (file, reached) in &reachable {
        if !reached.contains(*file) || groups.iter().any(|g| g.contains(file)) {
            continue;
        }
        let group: Vec<String> = reached
            .iter()
            .filter(|other| reachable.get(other).is_some_and(|r| r.contains(*file)))
            .cloned()
            .collect();
        groups.push(group);
    }
    groups
}

#[test]
fn no_crate_has_a_module_cycle() {
    let mut found = Vec::new();
    for src in CRATES {
        found.extend(cycles(&crate_edges(&root().join(src))));
    }
    assert!(found.is_empty(), "module cycles: {found:#?}");
}

#[test]
fn the_node_package_has_no_require_cycle() {
    let found = cycles(&javascript_edges(&root().join("bindings-node")));
    assert!(found.is_empty(), "require cycles: {found:#?}");
}

#[test]
fn a_cycle_is_found_through_a_use_tree_and_through_super() {
    let code = "use crate::{a::{b, c}, d as e};\nfn f() { super::g::h(); }";
    let found = references(code, &["x".to_owned(), "y".to_owned()], false);
    let found: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert!(found.contains(&"a::b".to_owned()), "{found:?}");
    assert!(found.contains(&"a::c".to_owned()), "{found:?}");
    assert!(found.contains(&"d".to_owned()), "{found:?}");
    assert!(found.contains(&"x::g::h".to_owned()), "{found:?}");
    let mut edges = BTreeMap::new();
    edges.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    edges.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    edges.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    edges.insert("d".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(cycles(&edges), vec![vec!["a", "b", "c"]]);
}
