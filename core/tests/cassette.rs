//! Cassettes: calls recorded against the sandbox replay after it is stopped,
//! retries replay as they happened, and a request the cassette does not hold
//! is refused before anything is sent.

mod sandbox;

use std::path::{Path, PathBuf};
use std::time::Duration;

use pigello::Client;
use pigello::cassette::RecordMode;
use pigello::client::RetryPolicy;
use pigello::prelude::*;
use sandbox::*;
use serde_json::{Value, json};

const TENANT_LIST: &str = "/accounts/users/customer/tenant/list/";

fn page(n: u32, size: u32) -> pigello::query::ListQuery {
    Query::new(&pigello::resources::TENANT)
        .order_by("last_name")
        .page(n, size)
        .build()
        .expect("a query")
}

/// A client of `url` recording into (or replaying from) `path`, with short retry delays.
fn client_with(
    sandbox: &Sandbox,
    url: &str,
    path: &Path,
    mode: RecordMode,
) -> pigello::Result<Client> {
    Client::builder()
        .base_url(url)
        .credentials(sandbox.credentials())
        .retry_policy(RetryPolicy {
            initial_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
        .cassette(path)
        .record_mode(mode)
        .build()
}

fn folder() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let folder = std::env::temp_dir().join(format!("pigello-cassette-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("a folder");
    folder
}

/// The tenants whose personal number is `ssn`.
fn by_ssn(ssn: &str) -> pigello::query::ListQuery {
    Query::new(&pigello::resources::TENANT)
        .filter("ssn", ssn)
        .build()
        .expect("a query")
}

fn ids(page: &pigello::client::ListPage<Value>) -> Vec<String> {
    page.rows
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn what_was_recorded_replays_without_the_sandbox() {
    let (sandbox, _) = start(12).await;
    let path = folder().join("tenants.jsonl");
    sandbox.inject_fault(one_503(TENANT_LIST)).expect("rule");
    let (first, second, created) = {
        let client =
            client_with(&sandbox, &sandbox.url(), &path, RecordMode::Once).expect("client");
        let tenants = client.tenants();
        let first = tenants.raw().list(&page(1, 5)).await.expect("page 1");
        let second = tenants.raw().list(&page(2, 5)).await.expect("page 2");
        let created = tenants
            .raw()
            .create(&json!({"first_name": "Kassett", "last_name": "Band"}))
            .await
            .expect("created");
        (ids(&first), ids(&second), created)
    };
    assert_eq!(
        sandbox.fault_hits(),
        vec![1],
        "page 1 was retried after a 503"
    );
    let url = sandbox.url();
    let credentials = sandbox.credentials();
    sandbox.stop().await.expect("stopped");

    let text = std::fs::read_to_string(&path).expect("the cassette");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines[0], json!({"pigello_cassette": 1}));
    let statuses: Vec<u64> = lines[1..]
        .iter()
        .map(|l| l["response"]["status"].as_u64().expect("a status"))
        .collect();
    assert_eq!(statuses, [503, 200, 200, 201]);
    for secret in credentials.values() {
        assert!(!text.contains(secret), "a credential is in the cassette");
    }

    // The sandbox is gone: only the cassette can answer, 503 then 200 again.
    let stopped = Sandbox::start(SandboxConfig::default())
        .await
        .expect("for credentials");
    let client = client_with(&stopped, &url, &path, RecordMode::None).expect("client");
    let tenants = client.tenants();
    // The query is the same with its parameters in another order.
    assert_eq!(
        ids(&tenants.raw().list(&page(1, 5)).await.expect("page 1")),
        first
    );
    assert_eq!(
        ids(&tenants.raw().list(&page(2, 5)).await.expect("page 2")),
        second
    );
    let again = tenants
        .raw()
        .create(&json!({"last_name": "Band", "first_name": "Kassett"}))
        .await
        .expect("replayed");
    assert_eq!(again, created);
    assert!(stopped.requests().is_empty());
    assert_eq!(
        std::fs::read_to_string(&path).expect("unchanged"),
        text,
        "replaying changes no byte"
    );
}

#[tokio::test]
async fn a_request_the_cassette_does_not_hold_is_refused_before_sending() {
    let (sandbox, _) = start(8).await;
    let path = folder().join("one.jsonl");
    let client = client_with(&sandbox, &sandbox.url(), &path, RecordMode::Once).expect("client");
    client
        .tenants()
        .raw()
        .list(&page(1, 4))
        .await
        .expect("recorded");
    drop(client);
    sandbox.clear_requests();

    let client = client_with(&sandbox, &sandbox.url(), &path, RecordMode::Once).expect("client");
    let error = client
        .tenants()
        .raw()
        .list(&page(2, 4))
        .await
        .expect_err("not recorded");
    assert!(sandbox.requests().is_empty(), "nothing was sent");
    assert_eq!(
        (error.class_name(), error.code()),
        ("CassetteError", "cassette_unmatched")
    );
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("GET {TENANT_LIST}: cassette ")),
        "{message}"
    );
    assert!(
        message.contains("the closest recorded is GET /accounts/users/customer/tenant/list/?"),
        "{message}"
    );
    assert!(message.contains("new_episodes"), "{message}");
    // Each recorded answer replays once: the same page again is not held.
    client
        .tenants()
        .raw()
        .list(&page(1, 4))
        .await
        .expect("replayed once");
    let twice = client
        .tenants()
        .raw()
        .list(&page(1, 4))
        .await
        .expect_err("only once");
    assert_eq!(twice.code(), "cassette_unmatched");
}

#[tokio::test]
async fn new_episodes_adds_to_the_file_and_all_records_anew() {
    let (sandbox, _) = start(8).await;
    let path = folder().join("episodes.jsonl");
    let lines = || {
        std::fs::read_to_string(&path)
            .expect("file")
            .lines()
            .count()
    };
    let record = |mode| client_with(&sandbox, &sandbox.url(), &path, mode).expect("client");
    record(RecordMode::Once)
        .tenants()
        .raw()
        .list(&page(1, 4))
        .await
        .expect("one");
    assert_eq!(lines(), 2);
    let client = record(RecordMode::NewEpisodes);
    client
        .tenants()
        .raw()
        .list(&page(1, 4))
        .await
        .expect("replayed");
    client
        .tenants()
        .raw()
        .list(&page(2, 4))
        .await
        .expect("recorded");
    assert_eq!(lines(), 3);
    assert_eq!(sandbox.requests().len(), 2, "the first page was replayed");
    drop(client);
    record(RecordMode::All)
        .tenants()
        .raw()
        .list(&page(3, 4))
        .await
        .expect("anew");
    assert_eq!(lines(), 2);
}

#[tokio::test]
async fn two_clients_of_one_cassette_write_whole_lines() {
    let (sandbox, _) = start(20).await;
    let path = folder().join("shared.jsonl");
    let a = client_with(&sandbox, &sandbox.url(), &path, RecordMode::All).expect("a");
    let b = client_with(&sandbox, &sandbox.url(), &path, RecordMode::All).expect("b");
    let calls = (1..=5).flat_map(|n| {
        let (a, b) = (a.clone(), b.clone());
        [
            tokio::spawn(async move { a.tenants().raw().list(&page(n, 2)).await.map(|_| ()) }),
            tokio::spawn(async move { b.tenants().raw().list(&page(n, 3)).await.map(|_| ()) }),
        ]
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.expect("joined").expect("listed");
    }
    let text = std::fs::read_to_string(&path).expect("file");
    assert_eq!(text.lines().count(), 11);
    for line in text.lines() {
        serde_json::from_str::<Value>(line).expect("a whole line");
    }
    let other = client_with(&sandbox, &sandbox.url(), &path, RecordMode::NewEpisodes)
        .expect_err("another recording mode");
    assert!(
        other
            .to_string()
            .contains("records into it with record_mode \"all\""),
        "{other}"
    );
    // A client that only replays reads what is recorded so far.
    let reader = client_with(&sandbox, &sandbox.url(), &path, RecordMode::None).expect("a reader");
    sandbox.clear_requests();
    reader
        .tenants()
        .raw()
        .list(&page(5, 3))
        .await
        .expect("replayed");
    assert!(sandbox.requests().is_empty());
}

#[tokio::test]
async fn a_file_that_cannot_replay_is_refused_naming_it() {
    let (sandbox, _) = start(2).await;
    let folder = folder();
    let missing = folder.join("missing.jsonl");
    let error =
        client_with(&sandbox, &sandbox.url(), &missing, RecordMode::None).expect_err("missing");
    assert_eq!(error.code(), "cassette_invalid");
    assert!(
        error
            .to_string()
            .contains("missing.jsonl: the file does not exist"),
        "{error}"
    );
    let broken = folder.join("broken.jsonl");
    std::fs::write(&broken, "{\"pigello_cassette\":1}\n{\"request\": oops}\n").expect("written");
    let error =
        client_with(&sandbox, &sandbox.url(), &broken, RecordMode::Once).expect_err("broken");
    assert!(
        error
            .to_string()
            .contains("broken.jsonl, line 2: not a recorded request"),
        "{error}"
    );
    assert!(!missing.exists(), "a refused cassette writes nothing");
}

#[tokio::test]
async fn from_env_records_into_the_cassette_the_environment_names() {
    let (sandbox, _) = start(3).await;
    let path = folder().join("env.jsonl");
    let mut env: Vec<(&str, String)> = sandbox.env();
    env.push(("PIGELLO_CASSETTE", path.display().to_string()));
    env.push(("PIGELLO_RECORD_MODE", "all".into()));
    let lookup = |name: &str| env.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
    let client = Client::from_lookup(lookup).expect("client");
    client
        .tenants()
        .raw()
        .list(&page(1, 3))
        .await
        .expect("listed");
    assert_eq!(
        std::fs::read_to_string(&path)
            .expect("recorded")
            .lines()
            .count(),
        2
    );
    env.push(("PIGELLO_RECORD_MODE", "sometimes".into()));
    env.swap_remove(env.len() - 2);
    let error = Client::from_lookup(|name: &str| {
        env.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
    })
    .expect_err("no such mode");
    assert!(
        error
            .to_string()
            .contains("PIGELLO_RECORD_MODE must be one of once, new_episodes, none, all"),
        "{error}"
    );
}

/// The cassette `tests/python/test_cassettes.py` records, replayed with the
/// same calls: one format for the three languages.
#[tokio::test]
async fn the_cassette_python_recorded_replays_in_rust() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cassettes/tenants.jsonl");
    let credentials = pigello::Credentials::new("c", "a", "s", "v", "ct", "o", "never-recorded");
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .credentials(credentials)
        .retry_policy(RetryPolicy {
            initial_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .cassette(&shared)
        .record_mode(RecordMode::None)
        .build()
        .expect("client");
    let tenants = client.tenants();
    let first = tenants
        .raw()
        .list(&page(1, 5))
        .await
        .expect("page 1, after a 503");
    let second = tenants.raw().list(&page(2, 5)).await.expect("page 2");
    let id = first.rows[0]["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("a uuid");
    let one = tenants.raw().get(id).await.expect("one");
    let recorded: Vec<Value> = std::fs::read_to_string(&shared)
        .expect("the shared cassette")
        .lines()
        .skip(1)
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON")["response"].clone())
        .filter(|response| response["status"] == 200)
        .map(|response| response["body"].clone())
        .collect();
    let ids_of = |rows: &Value| -> Vec<String> {
        rows.as_array()
            .expect("rows")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(ids(&first), ids_of(&recorded[0]));
    assert_eq!(ids(&second), ids_of(&recorded[1]));
    assert_eq!(one["id"], recorded[2]["id"]);
}

/// Every personal value of the seeded world: what an anonymized cassette must not hold.
fn personal_values(sandbox: &Sandbox) -> Vec<String> {
    let mut found = Vec::new();
    for row in stored(sandbox, "Tenant") {
        for field in ["ssn", "orgnr", "email", "invoice_email", "phone_number"] {
            if let Some(value) = row[field].as_str().filter(|v| v.len() > 5) {
                found.push(value.to_owned());
            }
        }
    }
    found
}

#[tokio::test]
async fn an_anonymized_cassette_holds_fakes_and_replays_requests_made_from_them() {
    let (sandbox, _) = start(15).await;
    let personal = personal_values(&sandbox);
    assert!(
        personal.len() > 15,
        "the seed has personal values: {}",
        personal.len()
    );
    let path = folder().join("anonymized.jsonl");
    let build = |url: &str, mode| {
        Client::builder()
            .base_url(url)
            .credentials(sandbox.credentials())
            .cassette(&path)
            .record_mode(mode)
            .anonymize(true)
            .build()
            .expect("client")
    };
    let recorder = build(&sandbox.url(), RecordMode::Once);
    let tenants = recorder.tenants();
    let listed = tenants.raw().list(&page(1, 15)).await.expect("listed");
    let person = listed
        .rows
        .iter()
        .find(|r| r["ssn"].is_string())
        .expect("a person");
    let real_ssn = person["ssn"].as_str().expect("ssn").to_owned();
    let found = tenants.raw().list(&by_ssn(&real_ssn)).await.expect("found");
    assert_eq!(found.rows.len(), 1);
    drop(recorder);

    let text = std::fs::read_to_string(&path).expect("the cassette");
    assert!(
        text.starts_with("{\"pigello_cassette\":1,\"anonymized\":true}\n"),
        "{}",
        &text[..60]
    );
    for value in &personal {
        assert!(
            !text.contains(value.as_str()),
            "a seeded personal value is in the cassette"
        );
    }

    // Replayed: the answer holds fakes, and a request made from one matches
    // the request recorded with the real value.
    let replayer = build("http://127.0.0.1:9", RecordMode::None);
    let tenants = replayer.tenants();
    let replayed = tenants.raw().list(&page(1, 15)).await.expect("replayed");
    let fake_person = replayed
        .rows
        .iter()
        .find(|r| r["id"] == person["id"])
        .expect("the same id");
    let fake_ssn = fake_person["ssn"].as_str().expect("a fake ssn");
    assert_ne!(fake_ssn, real_ssn);
    assert!(
        pigello::validate::swedish_identity_number_ok(fake_ssn),
        "{fake_ssn}"
    );
    let again = tenants
        .raw()
        .list(&by_ssn(fake_ssn))
        .await
        .expect("matched");
    assert_eq!(again.rows[0]["id"], person["id"]);
}

#[tokio::test]
async fn a_file_replays_as_it_was_recorded_whatever_the_client_asks() {
    let (sandbox, _) = start(6).await;
    let path = folder().join("plain.jsonl");
    let with = |mode, anonymize| {
        Client::builder()
            .base_url(sandbox.url())
            .credentials(sandbox.credentials())
            .cassette(&path)
            .record_mode(mode)
            .anonymize(anonymize)
            .build()
    };
    let person = stored(&sandbox, "Tenant")
        .into_iter()
        .find(|row| row["ssn"].is_string())
        .expect("a person");
    let ssn = person["ssn"].as_str().expect("ssn");
    let recorder = with(RecordMode::Once, false).expect("recorder");
    recorder
        .tenants()
        .raw()
        .list(&by_ssn(ssn))
        .await
        .expect("recorded");
    drop(recorder);
    sandbox.clear_requests();
    // Recorded plainly: the real value replays, though this client asks for anonymize.
    let replayer = with(RecordMode::None, true).expect("replayer");
    let found = replayer
        .tenants()
        .raw()
        .list(&by_ssn(ssn))
        .await
        .expect("replayed");
    assert_eq!(found.rows[0]["id"], person["id"]);
    assert!(sandbox.requests().is_empty());
    let refused = with(RecordMode::NewEpisodes, true).expect_err("mixed");
    assert!(
        refused.to_string().contains("recorded without anonymize"),
        "{refused}"
    );
}
