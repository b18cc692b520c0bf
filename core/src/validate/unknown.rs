//! Keys a write body holds that the resource does not document. The API
//! ignores such a key without a word, so a mistyped field would look written
//! while it was lost; the client refuses it and suggests the documented field
//! the caller probably meant. Fields the reference does not list are sent
//! through the explicit escape hatch (`extra_body`), never by accident.

use serde_json::{Map, Value};

use super::{Path, Rule, Violation};
use crate::description::ResourceSpec;

/// One violation per top-level key of `object` that names no documented field
/// of `spec`, in the body's order.
pub fn check(
    spec: &ResourceSpec,
    object: &Map<String, Value>,
    at: &Path,
    out: &mut Vec<Violation>,
) {
    for key in object.keys().filter(|key| spec.field(key).is_none()) {
        let hint = match closest(key, spec.writable_fields().map(|f| f.name)) {
            Some(name) => format!("; did you mean {name}?"),
            None => String::new(),
        };
        out.push(Violation::new(
            at.key(key),
            Rule::UnknownField,
            format!(
                "{key} is not a documented field of {}{hint} (send a field the reference does not list as an extra body field)",
                spec.name
            ),
        ));
    }
}

/// The candidate nearest to `name` by edit distance (a swap of two neighbouring
/// letters counts as one edit), if it is near enough to be a typo of it: at most
/// a third of the longer name's letters, and at most 3. Case and underscores
/// are not counted, so a name written in the other language's spelling
/// (`page_size` for `pageSize`, `pageSize` for `page_size`) finds its own.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let name = folded(name);
    candidates
        .map(|c| (edit_distance(&name, &folded(c)), c))
        .filter(|(d, c)| *d <= (name.len().max(c.len()) / 3).clamp(1, 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A name without case or underscores: `pageSize`, `page_size` and
/// `PAGE_SIZE` are one name.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The optimal string alignment distance between two strings, by characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[(i - 1) * width + j] + 1)
                    .min(d[i * width + j - 1] + 1)
                    .min(d[(i - 1) * width + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_field_and_strangers_find_none() {
        let fields = ["first_name", "last_name", "popular_name", "ssn"];
        let near = |name| closest(name, fields.iter().copied());
        assert_eq!(near("frist_nme"), Some("first_name"));
        assert_eq!(near("popular_nmae"), Some("popular_name"));
        assert_eq!(near("First_Name"), Some("first_name"));
        assert_eq!(near("ssm"), Some("ssn"));
        assert_eq!(near("timeout"), None);
        assert_eq!(near("shoe_size"), None);
        // The other language's spelling of a name finds it.
        let options = ["page", "pageSize", "orderBy"];
        assert_eq!(
            closest("page_size", options.iter().copied()),
            Some("pageSize")
        );
        assert_eq!(
            closest("pageSize", ["page_size"].into_iter()),
            Some("page_size")
        );
    }

    #[test]
    fn distance_counts_a_swap_as_one_edit() {
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
