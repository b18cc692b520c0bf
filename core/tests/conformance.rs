//! The conformance table (`tests/conformance/cases.json`) through the Rust
//! client: the same inputs and outcomes the Python and Node suites check.

mod kept;
mod sandbox;

use std::sync::Arc;

use kept::Kept;
use pigello::client::{CallOptions, RawHandle, RequestOptions, ResponseRecorder};
use pigello::telemetry::{CallTelemetry, Status, Value as Attribute};
use pigello::{Client, Credentials, Error, Spelling};
use pigello_sandbox::SandboxConfig;
use serde_json::{Map, Value, json};

const LANGUAGE: &str = "rust";

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/conformance/cases.json"
    );
    let text = std::fs::read_to_string(path).expect("the conformance table");
    let table: Value = serde_json::from_str(&text).expect("JSON");
    table["cases"].as_array().expect("cases").clone()
}

fn applies(case: &Value) -> bool {
    case["languages"]
        .as_array()
        .is_none_or(|langs| langs.iter().any(|l| l == LANGUAGE))
}

/// What a call gave: rows (and, for a list, whether a next page follows), or
/// the error.
type Outcome = Result<(Vec<Value>, Option<bool>), Error>;

/// The headers of a call's answer, as every package reads them.
type Headers = std::collections::BTreeMap<String, String>;

/// Replaces each `$new:Resource` string with the id of an object made for it,
/// and each `{"$repeat": [text, n]}` with the text repeated.
async fn resolve(client: &Client, value: &mut Value) {
    if let Some(nest) = value.get("$nest") {
        let mut nested = nest[1].clone();
        for _ in 0..nest[0].as_u64().expect("a depth") {
            nested = Value::Array(vec![nested]);
        }
        *value = nested;
        return;
    }
    if let Some(day) = value.get("$date").and_then(Value::as_str) {
        let instant = format!("{day}T00:00:00.000Z");
        *value = json!({ pigello::model::INSTANT_KEY: instant });
        return;
    }
    if let Some(repeat) = value.get("$repeat") {
        let n = repeat[1].as_u64().expect("n") as usize;
        *value = Value::String(repeat[0].as_str().expect("text").repeat(n));
        return;
    }
    match value {
        Value::String(s) if s.starts_with("$new:") => {
            let spec = pigello::resources::find(&s[5..]).expect("a resource");
            let body = match spec.name {
                "Tenant" => json!({"first_name": "Konformans"}),
                "Workengagement" => json!({"name": "Konformans"}),
                other => panic!("no recipe for a new {other}"),
            };
            let made = client.resource(spec).create(&body).await.expect("made");
            *value = made["id"].clone();
        }
        Value::Array(items) => {
            for item in items {
                Box::pin(resolve(client, item)).await;
            }
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                Box::pin(resolve(client, item)).await;
            }
        }
        _ => {}
    }
}

fn object(value: &Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

fn id_text(call: &Value) -> String {
    call["id"].as_str().expect("a Rust id is text").to_owned()
}

/// The case's request options (`timeout` in seconds, `max_retries`,
/// `extra_headers`) as the handle's, its answer kept by `recorder`.
fn sending(raw: &RawHandle, call: &Value, recorder: &ResponseRecorder) -> Result<RawHandle, Error> {
    let mut options = RequestOptions::default().record(recorder.clone());
    if let Some(seconds) = call["timeout"].as_f64() {
        options = options.timeout_seconds(seconds, "timeout")?;
    }
    if let Some(n) = call["max_retries"].as_u64() {
        options = options.max_retries(u32::try_from(n).expect("a count"));
    }
    for (name, value) in object(&call["extra_headers"]) {
        let value = value.as_str().expect("a header value is text");
        options = options.header(&name, value, "extra_headers")?;
    }
    Ok(raw.with_options(&options))
}

async fn run(raw: &RawHandle, call: &Value, recorder: &ResponseRecorder) -> Outcome {
    let raw = &sending(raw, call, recorder)?;
    let options = CallOptions {
        extra_body: object(&call["extra_body"]),
        extra_query: object(&call["extra_query"]).into_iter().collect(),
        ..CallOptions::default()
    };
    let one = |row| Ok((vec![row], None));
    match call["op"].as_str().expect("an op") {
        "get" => {
            let id = raw.parse_id(&id_text(call))?;
            one(raw
                .get_with(id, &options, &pigello::client::JsonRows)
                .await?)
        }
        "delete" => {
            raw.delete_with(raw.parse_id(&id_text(call))?, &options)
                .await?;
            Ok((vec![], None))
        }
        "invite" => one(raw.invite_with(&call["body"], &options).await?),
        "create" => one(raw
            .create_with(&call["body"], &options, &pigello::client::JsonRows)
            .await?),
        "update" => {
            let id = raw.parse_id(&id_text(call))?;
            one(raw
                .update_with(id, &call["body"], &options, &pigello::client::JsonRows)
                .await?)
        }
        "bulk_write" => {
            let items = call["items"].as_array().cloned().unwrap_or_default();
            Ok((raw.bulk_write_json_with(items, &options).await?, None))
        }
        "list" => {
            let page = |key: &str| {
                call[key]
                    .as_u64()
                    .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            };
            let args = pigello::client::ListArgs {
                page: page("page"),
                page_size: page("page_size"),
                order_by: call["order_by"]
                    .as_str()
                    .map(str::to_owned)
                    .into_iter()
                    .collect(),
                search: call["search"].as_str().map(str::to_owned),
                statistics: call["statistics"] == true,
                filters: object(&call["filters"]).into_iter().collect(),
                ..Default::default()
            };
            let query = args.page_query(raw.spec(), &options)?;
            let page = raw.list(&query).await?;
            let has_next = page.has_next();
            Ok((page.rows, Some(has_next)))
        }
        other => panic!("no op {other}"),
    }
}

/// A client built from the case's credentials over the sandbox's own.
fn client_from(sandbox: &pigello_sandbox::Sandbox, call: &Value) -> Outcome {
    let given = object(&call["credentials"]);
    let base = sandbox.credentials();
    let values = base.values();
    let mut names = Credentials::NAMES.iter().zip(values);
    Credentials::from_values(
        |_| {
            let (name, value) = names.next()?;
            match given.get(name.field) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => None,
                None => Some(value.to_owned()),
            }
        },
        Spelling::Snake,
    )
    .and_then(|credentials| {
        let base_url = call["base_url"].as_str().map(str::to_owned);
        Client::builder()
            .credentials(credentials)
            .base_url_if_set(base_url)
            .build()
    })
    .map(|_| (vec![], None))
}

fn message_expected(expect: &Value) -> Option<&str> {
    match &expect["message_contains"] {
        Value::String(s) => Some(s),
        Value::Object(by_language) => by_language.get(LANGUAGE).and_then(Value::as_str),
        _ => None,
    }
}

fn check(name: &str, expect: &Value, outcome: Outcome, headers: &Headers) {
    for (header, value) in object(&expect["response_headers"]) {
        assert_eq!(
            headers.get(&header).map(String::as_str),
            value.as_str(),
            "{name}: {headers:?}"
        );
    }
    match outcome {
        Ok((rows, has_next)) => {
            assert!(
                expect["ok"] == true,
                "{name}: expected {expect}, got {} rows",
                rows.len()
            );
            if let Some(n) = expect["count"].as_u64() {
                assert_eq!(rows.len() as u64, n, "{name}");
            }
            if let Some(n) = expect["min_count"].as_u64() {
                assert!(rows.len() as u64 >= n, "{name}: {} rows", rows.len());
            }
            for (key, value) in object(&expect["row"]) {
                assert_eq!(rows[0][&key], value, "{name}: {key}");
            }
            for key in expect["rows_have"].as_array().into_iter().flatten() {
                let key = key.as_str().expect("a key");
                assert!(
                    rows.iter().all(|r| !r[key].is_null()),
                    "{name}: {key} in every row"
                );
            }
            if let Some(wanted) = expect["has_next"].as_bool() {
                assert_eq!(has_next, Some(wanted), "{name}");
            }
            if let Some(key) = expect["ascending"].as_str() {
                let values: Vec<&str> = rows.iter().filter_map(|r| r[key].as_str()).collect();
                assert!(values.is_sorted(), "{name}: {values:?}");
            }
        }
        Err(error) => {
            let class = match &expect["error"] {
                Value::Object(by_language) => by_language.get(LANGUAGE).and_then(Value::as_str),
                other => other.as_str(),
            };
            let Some(class) = class else {
                panic!("{name}: expected success, got {error}");
            };
            assert_eq!(error.class_name(), class, "{name}: {error}");
            if let Some(code) = expect["code"].as_str() {
                assert_eq!(error.code(), code, "{name}: {error}");
            }
            if let Some(text) = message_expected(expect) {
                assert!(error.to_string().contains(text), "{name}: {error}");
            }
            if let Some(text) = expect["message_not_contains"].as_str() {
                assert!(!error.to_string().contains(text), "{name}: {error}");
            }
            let issues = error.issues();
            let found: Vec<(&str, &str)> = issues
                .iter()
                .map(|i| (i.path.as_str(), i.rule.as_str()))
                .collect();
            if let Some(exact) = expect["issues"].as_array() {
                let wanted: Vec<(&str, &str)> = exact
                    .iter()
                    .map(|i| {
                        (
                            i["path"].as_str().unwrap_or(""),
                            i["rule"].as_str().unwrap_or(""),
                        )
                    })
                    .collect();
                assert_eq!(found, wanted, "{name}: {error}");
            }
            let listed = expect["issues"].as_array().into_iter().flatten();
            let included = expect["issues_include"].as_array().into_iter().flatten();
            for want in listed.chain(included) {
                let hit = issues
                    .iter()
                    .find(|i| i.path == want["path"] && i.rule == want["rule"]);
                let hit = hit.unwrap_or_else(|| panic!("{name}: no {want} in {error}"));
                if let Some(text) = want["message_contains"].as_str() {
                    assert!(hit.message.contains(text), "{name}: {}", hit.message);
                }
                if let Some(text) = want["message_not_contains"].as_str() {
                    assert!(!hit.message.contains(text), "{name}: {}", hit.message);
                }
            }
        }
    }
}

/// What the sandbox received for the call against what the case expects
/// (`sent`): nothing (`false`), or a request holding the named parameters,
/// body keys and headers.
fn check_sent(name: &str, expect: &Value, received: &[pigello_sandbox::SeenRequest]) {
    let sent = &expect["sent"];
    if sent.is_null() {
        return;
    }
    if sent == &Value::Bool(false) {
        assert!(received.is_empty(), "{name}: sent {received:?}");
        return;
    }
    let last = received
        .last()
        .unwrap_or_else(|| panic!("{name}: nothing was sent"));
    let pairs: Vec<&str> = last.query.split('&').collect();
    let texts = |key: &str| -> Vec<String> {
        sent[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().expect("text").to_owned())
            .collect()
    };
    for pair in texts("query_has") {
        assert!(
            pairs.contains(&pair.as_str()),
            "{name}: {pair} not in {}",
            last.query
        );
    }
    for param in texts("query_lacks") {
        let prefix = format!("{param}=");
        assert!(
            !pairs.iter().any(|p| p.starts_with(&prefix)),
            "{name}: {param} in {}",
            last.query
        );
    }
    for key in texts("body_keys_have") {
        assert!(
            last.body_keys.contains(&key),
            "{name}: {key} not in {:?}",
            last.body_keys
        );
    }
    for key in texts("body_keys_lack") {
        assert!(
            !last.body_keys.contains(&key),
            "{name}: {key} in {:?}",
            last.body_keys
        );
    }
    for (header, value) in object(&sent["headers"]) {
        assert_eq!(
            last.headers.get(&header).map(String::as_str),
            value.as_str(),
            "{name}: {header}"
        );
    }
}

/// A misspelled key in the table would make a check silently absent.
#[test]
fn the_table_uses_only_the_keys_the_runners_read() {
    let known = |value: &Value, keys: &[&str], what: &str| {
        for key in value.as_object().expect("an object").keys() {
            assert!(keys.contains(&key.as_str()), "{what}: unknown key {key}");
        }
    };
    for case in cases() {
        let name = case["name"].as_str().expect("a name");
        known(&case, &["name", "call", "expect", "languages", "why"], name);
        let call_keys = [
            "resource",
            "op",
            "id",
            "body",
            "extra_body",
            "base_url",
            "items",
            "filters",
            "extra_query",
            "order_by",
            "search",
            "page",
            "page_size",
            "statistics",
            "credentials",
            "timeout",
            "max_retries",
            "extra_headers",
            "faults",
        ];
        known(&case["call"], &call_keys, name);
        let expect_keys = [
            "ok",
            "count",
            "min_count",
            "row",
            "rows_have",
            "ascending",
            "has_next",
            "error",
            "code",
            "message_contains",
            "message_not_contains",
            "issues",
            "issues_include",
            "sent",
            "response_headers",
            "spans",
        ];
        known(&case["expect"], &expect_keys, name);
        for span in case["expect"]["spans"].as_array().into_iter().flatten() {
            known(span, &["name", "status", "attributes"], name);
        }
        if case["expect"]["sent"].is_object() {
            let sent_keys = [
                "query_has",
                "query_lacks",
                "body_keys_have",
                "body_keys_lack",
                "headers",
            ];
            known(&case["expect"]["sent"], &sent_keys, name);
        }
        let issues = case["expect"]["issues"].as_array().into_iter().flatten();
        for issue in issues.chain(
            case["expect"]["issues_include"]
                .as_array()
                .into_iter()
                .flatten(),
        ) {
            known(
                issue,
                &["path", "rule", "message_contains", "message_not_contains"],
                name,
            );
        }
        assert!(
            case["expect"]["ok"] == true || !case["expect"]["error"].is_null(),
            "{name}: expects neither success nor an error"
        );
    }
}

#[tokio::test]
async fn every_case_of_the_conformance_table() {
    let (sandbox, client) = sandbox::start_with(SandboxConfig {
        seed: 1,
        tenants: 30,
        ..Default::default()
    })
    .await;
    let mut ran = 0;
    for case in cases().iter().filter(|c| applies(c)) {
        let name = case["name"].as_str().expect("a name");
        let mut call = case["call"].clone();
        resolve(&client, &mut call).await;
        sandbox.clear_requests();
        for rule in call["faults"].as_array().into_iter().flatten() {
            let rule = pigello_sandbox::FaultSpec::from_flat(object(rule)).expect("a fault rule");
            sandbox.inject_fault(rule).expect("a fault rule");
        }
        let recorder = ResponseRecorder::new();
        recorder.want_headers();
        let kept = Kept::default();
        let outcome = if call["op"] == "client" {
            client_from(&sandbox, &call)
        } else {
            let spec = pigello::resources::find(call["resource"].as_str().expect("resource"))
                .expect("a resource");
            let traced = RequestOptions::default().telemetry(CallTelemetry(Arc::new(kept.clone())));
            run(
                &client.resource(spec).with_options(&traced),
                &call,
                &recorder,
            )
            .await
        };
        sandbox.clear_faults();
        check_sent(name, &case["expect"], &sandbox.requests());
        let headers = recorder.last().map(|a| a.header_map()).unwrap_or_default();
        check(name, &case["expect"], outcome, &headers);
        check_spans(name, &case["expect"], &kept, &sandbox.url());
        ran += 1;
    }
    assert!(ran >= 60, "{ran} cases ran");
}

/// The spans of the call's attempts, as a binding's OpenTelemetry receives
/// them, against the case's `spans`: in order, each with its name, its status
/// and exactly the attributes listed (`$any`: any value; `$port`: the
/// sandbox's port).
fn check_spans(name: &str, expect: &Value, kept: &Kept, url: &str) {
    let Some(wanted) = expect["spans"].as_array() else {
        return;
    };
    let port = url
        .rsplit(':')
        .next()
        .expect("a port")
        .trim_end_matches('/');
    let attempts = kept.attempts();
    assert_eq!(attempts.len(), wanted.len(), "{name}: the attempts' spans");
    for ((start, end), want) in attempts.iter().zip(wanted) {
        assert_eq!(start.name, want["name"].as_str().expect("a name"), "{name}");
        let status = if end.status == Status::Error {
            "error"
        } else {
            "unset"
        };
        assert_eq!(status, want["status"], "{name}: {}", start.name);
        let got: Map<String, Value> = start
            .attributes
            .iter()
            .chain(&end.attributes)
            .map(|(key, value)| {
                let value = match value {
                    Attribute::Text(text) => json!(text),
                    Attribute::Int(n) => json!(n),
                };
                ((*key).to_owned(), value)
            })
            .collect();
        let wanted = object(&want["attributes"]);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            wanted.keys().collect::<Vec<_>>(),
            "{name}: the attribute set"
        );
        for (key, value) in &wanted {
            match value.as_str() {
                Some("$any") => {}
                Some("$port") => assert_eq!(got[key].to_string(), port, "{name}: {key}"),
                _ => assert_eq!(&got[key], value, "{name}: {key}"),
            }
        }
    }
}
