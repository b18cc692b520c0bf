//! Faults on demand: rules that make matching API calls fail the way real
//! networks and servers do, reproducibly.
//!
//! A rule matches by method (or any) and path pattern (`*` matches any run of
//! characters, so `/accounts/*/tenant/*` covers a tenant's every path). Each
//! matching call rolls the rule's own seeded generator against its probability;
//! a rule with a count stops after firing that many times. Latency and added
//! headers add up over every rule that fires; the first other rule that fires
//! decides the outcome.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultAction {
    /// Answer with this status (and `Retry-After`, if given) without handling the call.
    Status {
        /// The HTTP status.
        status: u16,
        /// Seconds to send as `Retry-After`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u32>,
    },
    /// Wait this long before handling the call.
    Latency {
        /// Milliseconds.
        ms: u64,
    },
    /// Close the connection without answering; nothing is written.
    Drop,
    /// Handle the call (a write is stored), then close the connection without
    /// answering: the case that makes a naive retry write twice.
    DropAfterWrite,
    /// Add this header to the answer, after any the answer has of that name,
    /// as a proxy on the way may: how a client's reading of a repeated header
    /// is tested.
    Header {
        /// The header's name.
        name: String,
        /// Its value.
        value: String,
    },
}

/// One fault rule, as posted to `/_sandbox/faults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// `GET`, `POST`, ...; any method when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// A path pattern; `*` matches any run of characters.
    #[serde(default = "any_path")]
    pub path: String,
    /// What happens.
    pub action: FaultAction,
    /// The chance that a matching call is hit, from 0 to 1.
    #[serde(default = "always")]
    pub probability: f64,
    /// Fire at most this many times; unlimited when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Seeds the rule's generator, so a run is reproducible.
    #[serde(default)]
    pub seed: u64,
}

fn any_path() -> String {
    "*".into()
}

fn always() -> f64 {
    1.0
}

impl FaultSpec {
    /// A rule that fires on every matching call.
    pub fn new(method: Option<&str>, path: &str, action: FaultAction) -> Self {
        FaultSpec {
            method: method.map(str::to_owned),
            path: path.to_owned(),
            action,
            probability: 1.0,
            count: None,
            seed: 0,
        }
    }

    /// Fires at most `n` times.
    pub fn times(mut self, n: u32) -> Self {
        self.count = Some(n);
        self
    }

    /// Fires with probability `p`, drawn from a generator seeded with `seed`.
    pub fn with_probability(mut self, p: f64, seed: u64) -> Self {
        self.probability = p;
        self.seed = seed;
        self
    }

    /// A rule written flat, as the packages take it: `kind` and its settings
    /// (`status`, `retry_after`, `ms`) beside the matching ones (`method`,
    /// `path`, `probability`, `count`, `seed`), every key snake_case. The one
    /// reader of such a rule; an unknown key or kind is an error naming it.
    ///
    /// ```
    /// use pigello_sandbox::{FaultAction, FaultSpec};
    /// let flat = serde_json::json!({"kind": "status", "status": 503, "retry_after": 2, "count": 1});
    /// let rule = FaultSpec::from_flat(flat.as_object().unwrap().clone()).unwrap();
    /// assert_eq!(rule.action, FaultAction::Status { status: 503, retry_after: Some(2) });
    /// assert_eq!(rule.count, Some(1));
    /// assert!(FaultSpec::from_flat(serde_json::Map::new()).unwrap_err().contains("kind"));
    /// ```
    pub fn from_flat(
        flat: serde_json::Map<String, serde_json::Value>,
    ) -> Result<FaultSpec, String> {
        use serde_json::{Map, Value};
        let mut rule = Map::new();
        let mut action = Map::new();
        for (key, value) in flat {
            match key.as_str() {
                "kind" | "status" | "retry_after" | "ms" | "name" | "value" => {
                    action.insert(key, value)
                }
                "method" | "path" | "probability" | "count" | "seed" => rule.insert(key, value),
                _ => return Err(format!("a fault rule has no setting {key}")),
            };
        }
        if !action.contains_key("kind") {
            return Err(
                "a fault rule needs a kind (status, latency, drop, drop_after_write or header)"
                    .into(),
            );
        }
        rule.insert("action".into(), Value::Object(action));
        let spec: FaultSpec =
            serde_json::from_value(Value::Object(rule)).map_err(|e| e.to_string())?;
        match spec.problem() {
            Some(problem) => Err(problem),
            None => Ok(spec),
        }
    }

    /// Why the rule cannot be used, if it cannot.
    pub fn problem(&self) -> Option<String> {
        if !(0.0..=1.0).contains(&self.probability) {
            return Some("probability must be between 0 and 1".into());
        }
        if let FaultAction::Status { status, .. } = self.action
            && !(400..=599).contains(&status)
        {
            return Some("a fault status must be between 400 and 599".into());
        }
        if let FaultAction::Header { name, value } = &self.action {
            let valid = axum::http::HeaderName::from_bytes(name.as_bytes()).is_ok()
                && axum::http::HeaderValue::from_str(value).is_ok();
            if !valid {
                return Some("a header fault needs a valid header name and value".into());
            }
        }
        None
    }
}

/// A rule in force, with its state.
#[derive(Debug, Clone, Serialize)]
pub struct ActiveFault {
    /// Its id: its index among the rules in force, and so into
    /// [`crate::Sandbox::fault_hits`].
    pub id: u64,
    /// The rule.
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// How many times it fired.
    pub hits: u64,
    #[serde(skip)]
    rng: Rng,
}

/// What the faults decided for one call.
#[derive(Debug, Default, PartialEq)]
pub struct Decision {
    /// Wait this long first.
    pub delay: Duration,
    /// Then do this instead of (or after) handling the call.
    pub outcome: Option<FaultAction>,
    /// Headers to add to the answer, in the order the rules fired.
    pub headers: Vec<(String, String)>,
}

/// Every rule in force.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<ActiveFault>,
}

impl Faults {
    /// Adds a rule and returns its id, its index among the rules in force
    /// (rules are only ever cleared all at once, so the index stays valid).
    pub fn add(&mut self, spec: FaultSpec) -> u64 {
        let id = self.rules.len() as u64;
        let rng = Rng::derived(spec.seed, "fault");
        self.rules.push(ActiveFault {
            id,
            spec,
            hits: 0,
            rng,
        });
        id
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The rules in force.
    pub fn list(&self) -> &[ActiveFault] {
        &self.rules
    }

    /// Rolls every matching rule for one call.
    pub fn decide(&mut self, method: &str, path: &str) -> Decision {
        let mut decision = Decision::default();
        for rule in &mut self.rules {
            let spec = &rule.spec;
            let method_ok = spec
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method));
            let used_up = spec.count.is_some_and(|n| rule.hits >= u64::from(n));
            if !method_ok || used_up || !glob(&spec.path, path) {
                continue;
            }
            if spec.probability < 1.0 && !rule.rng.chance(spec.probability) {
                continue;
            }
            match &spec.action {
                FaultAction::Latency { ms } => {
                    decision.delay += Duration::from_millis(*ms);
                }
                FaultAction::Header { name, value } => {
                    decision.headers.push((name.clone(), value.clone()));
                }
                _ if decision.outcome.is_some() => continue,
                action => decision.outcome = Some(action.clone()),
            }
            rule.hits += 1;
        }
        decision
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("*", "/anything/"));
        assert!(glob(
            "/accounts/*/tenant/",
            "/accounts/users/customer/tenant/"
        ));
        assert!(!glob(
            "/accounts/*/tenant/",
            "/accounts/users/customer/tenant/list/"
        ));
        assert!(glob(
            "/accounts/*/tenant/*",
            "/accounts/users/customer/tenant/list/"
        ));
        assert!(glob("/a/b/", "/a/b/"));
        assert!(!glob("/a/b/", "/a/b/c"));
        assert!(glob("*list/", "/x/list/"));
        assert!(!glob("/a*a", "/a"));
    }

    #[test]
    fn counts_and_seeded_probability_are_reproducible() {
        let roll = |seed| {
            let mut faults = Faults::default();
            faults.add(
                FaultSpec::new(None, "*", FaultAction::Drop)
                    .with_probability(0.5, seed)
                    .times(20),
            );
            (0..100)
                .map(|_| faults.decide("GET", "/x/").outcome.is_some())
                .collect::<Vec<_>>()
        };
        let first = roll(7);
        assert_eq!(first, roll(7));
        assert_eq!(first.iter().filter(|hit| **hit).count(), 20);
        assert_ne!(first, roll(8));
    }

    #[test]
    fn latency_adds_up_and_the_first_outcome_wins() {
        let mut faults = Faults::default();
        faults.add(FaultSpec::new(None, "*", FaultAction::Latency { ms: 5 }));
        faults.add(FaultSpec::new(Some("post"), "*", FaultAction::Drop));
        faults.add(FaultSpec::new(None, "*", FaultAction::Latency { ms: 7 }));
        faults.add(FaultSpec::new(None, "*", FaultAction::DropAfterWrite));
        let d = faults.decide("POST", "/x/");
        assert_eq!(d.delay, Duration::from_millis(12));
        assert_eq!(d.outcome, Some(FaultAction::Drop));
        let d = faults.decide("GET", "/x/");
        assert_eq!(d.outcome, Some(FaultAction::DropAfterWrite));
    }

    #[test]
    fn added_headers_add_up_in_order_beside_an_outcome() {
        let header = |value: &str| FaultAction::Header {
            name: "via".into(),
            value: value.into(),
        };
        let mut faults = Faults::default();
        faults.add(FaultSpec::new(None, "*", header("1.1 a")));
        let status = FaultAction::Status {
            status: 503,
            retry_after: None,
        };
        faults.add(FaultSpec::new(None, "*", status.clone()));
        faults.add(FaultSpec::new(None, "*", header("1.1 b")));
        let d = faults.decide("GET", "/x/");
        assert_eq!(d.outcome, Some(status));
        let via = |v: &str| ("via".to_owned(), v.to_owned());
        assert_eq!(d.headers, vec![via("1.1 a"), via("1.1 b")]);
        let refused = FaultSpec::from_flat(
            serde_json::json!({"kind": "header", "name": "bad name", "value": "x"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        let refused = refused.expect_err("a header name with a space");
        assert!(refused.contains("valid header name"));
    }
}
