//! String formats: e-mail, dates, and the documented patterns.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use regex::Regex;

/// Whether a documented pattern (Python `re` syntax, as the reference prints it)
/// matches the whole value, with Python's semantics for anchors.
///
/// Python's `$` also matches before one final newline, and `\Z` only at the very
/// end; the translation keeps both, so the SDK accepts exactly what the server's
/// validator accepts. `\d` and `\w` are Unicode-aware in both engines.
pub fn pattern_matches(python_pattern: &'static str, value: &str) -> Result<bool, regex::Error> {
    // Compiled once per pattern; a `Regex` clone shares the compiled program.
    static CACHE: LazyLock<Mutex<HashMap<&'static str, Regex>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let regex = {
        let mut cache = CACHE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match cache.get(python_pattern) {
            Some(r) => r.clone(),
            None => {
                let r = Regex::new(&python_to_rust(python_pattern))?;
                cache.insert(python_pattern, r.clone());
                r
            }
        }
    };
    Ok(regex.is_match(value))
}

/// Rewrites the two anchors whose meaning differs between Python and Rust.
fn python_to_rust(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('Z') if !in_class => out.push_str(r"\z"),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '$' if !in_class => out.push_str(r"(?:\n?\z)"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether a value is an e-mail address as the API's validator (Django's
/// `EmailValidator`) takes it: a dot-atom or quoted local part, `@`, and a domain of
/// dot-separated labels ending in a top-level label of two or more characters, or
/// `localhost`, or a bracketed IP literal. Internationalised domains are accepted.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    local_part_ok(local) && domain_ok(domain)
}

fn local_part_ok(local: &str) -> bool {
    const ATOM_EXTRA: &str = "!#$%&'*+/=?^_`{}|~-";
    if let Some(quoted) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        // Quoted string: printable ASCII, with `\` escapes.
        let mut chars = quoted.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' if !chars.next().is_some_and(|e| e.is_ascii() && e != '\0') => return false,
                '\\' => {}
                '"' => return false,
                c if (c as u32) < 0x20 && c != '\t' || c as u32 >= 0x7f => return false,
                _ => {}
            }
        }
        return true;
    }
    !local.is_empty()
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ATOM_EXTRA.contains(c))
        })
}

fn domain_ok(domain: &str) -> bool {
    if domain == "localhost" {
        return true;
    }
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        let literal = literal.strip_prefix("IPv6:").unwrap_or(literal);
        return literal.parse::<std::net::IpAddr>().is_ok();
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let Some((tld, rest)) = labels.split_last() else {
        return false;
    };
    let label_char = |c: char| c.is_alphanumeric() || c == '-';
    let label_ok = |l: &&str| {
        let n = l.chars().count();
        (1..=63).contains(&n)
            && l.chars().all(label_char)
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld_len = tld.chars().count();
    !rest.is_empty()
        && rest.iter().all(label_ok)
        && (2..=63).contains(&tld_len)
        && tld.chars().all(label_char)
        && !tld.ends_with('-')
}

/// Whether a value is a `YYYY-MM-DD` calendar date.
pub(crate) fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok()
}

/// Whether a value is an RFC 3339 date-time with an offset.
pub(crate) fn is_date_time(value: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(value).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_keep_python_meaning() {
        assert_eq!(python_to_rust(r"^[\w.@+-]+\Z"), r"^[\w.@+-]+\z");
        assert_eq!(python_to_rust(r"^a$"), r"^a(?:\n?\z)");
        assert_eq!(python_to_rust(r"^[$]$"), r"^[$](?:\n?\z)");
    }

    #[test]
    fn emails() {
        for ok in [
            "user@example.com",
            "first.last+tag@sub.example.se",
            "\"quoted name\"@example.com",
            "user@localhost",
            "user@[127.0.0.1]",
            "anna@exempel.båt.se",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "user",
            "@example.com",
            "user@",
            "user@example",
            "user@example.c",
            "user..dots@example.com",
            "user@-bad.com",
            "us er@example.com",
            "user@exa_mple.com",
            "user@[999.1.1.1]",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert!(is_date("2019-08-24"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2019-8-24"));
        assert!(!is_date("24/08/2019"));
        assert!(!is_date("２０１９-08-24"));
        assert!(is_date_time("2019-08-24T14:15:22Z"));
        assert!(is_date_time("2019-08-24T14:15:22.5+02:00"));
        assert!(!is_date_time("2019-08-24T14:15:22"));
        assert!(!is_date_time("2019-08-24"));
    }
}
