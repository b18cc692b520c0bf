//! Reset, export and import of the whole state, the state file, and the seed.

mod support;

use pigello::validate::{Mode, Path, validate_object};
use pigello_sandbox::{SECOND_CUSTOMER, Sandbox, SandboxConfig};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use support::*;

#[tokio::test]
async fn reset_brings_back_the_seeded_world() {
    let env = start(8).await;
    let seeded = env.control(Method::GET, "state", None).await.json;
    env.post(&path("Tenant", "collection"), json!({"first_name": "Ny"}))
        .await;
    let tenant = env.all("Tenant").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    env.patch(&path("Tenant", &tenant), json!({"first_name": "Ändrad"}))
        .await;
    env.control(
        Method::POST,
        "faults",
        Some(json!({"action": {"kind": "latency", "ms": 1}})),
    )
    .await;
    assert_ne!(env.control(Method::GET, "state", None).await.json, seeded);
    let a = env.control(Method::POST, "reset", None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(env.control(Method::GET, "state", None).await.json, seeded);
    assert_eq!(
        env.control(Method::GET, "faults", None).await.json,
        json!([])
    );
}

#[tokio::test]
async fn export_then_import_round_trips_and_a_bad_import_changes_nothing() {
    let env = start(5).await;
    env.post(
        &path("Workengagement", "collection"),
        json!({"name": "Extra"}),
    )
    .await;
    let exported = env.control(Method::GET, "state", None).await.json;
    assert_eq!(exported["format"], "pigello-sandbox-state/1");

    let other = start(1).await;
    let put = other
        .control(Method::PUT, "state", Some(exported.clone()))
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.text);
    assert_eq!(
        other.control(Method::GET, "state", None).await.json,
        exported
    );
    assert_eq!(
        other.all("Workengagement").await.len(),
        env.all("Workengagement").await.len()
    );

    let mut broken = exported.clone();
    broken["customers"][first_customer().to_string()]["tenants"][0]["ssn"] = json!("19811218-9875");
    let a = other.control(Method::PUT, "state", Some(broken)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        a.json["errors"][0]["field"]
            .as_str()
            .expect("field")
            .ends_with("tenants[0].ssn"),
        "{}",
        a.text
    );
    for bad in [
        json!({"format": "other"}),
        json!([]),
        json!({"format": "pigello-sandbox-state/1", "customers": {"x": {}}}),
    ] {
        assert_eq!(
            other.control(Method::PUT, "state", Some(bad)).await.status,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        other.control(Method::GET, "state", None).await.json,
        exported
    );
}

#[tokio::test]
async fn a_state_file_is_loaded_at_start_and_saved_at_stop() {
    let dir = std::env::temp_dir().join(format!("pigello-sandbox-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let config = SandboxConfig {
        tenants: 3,
        state_file: Some(file.clone()),
        ..Default::default()
    };
    let env = start_with(config.clone()).await;
    let created = env
        .post(&path("Tenant", "collection"), json!({"first_name": "Kvar"}))
        .await
        .id();
    env.sandbox.stop().await.expect("stops and saves");
    assert!(file.exists());

    let env = start_with(config).await;
    assert_eq!(
        env.get(&path("Tenant", &created)).await.json["first_name"],
        "Kvar"
    );
    env.sandbox.stop().await.expect("stops");
    let _ = std::fs::remove_dir_all(&dir);
}

async fn state_of(config: SandboxConfig) -> Value {
    let sandbox = Sandbox::start(config).await.expect("starts");
    let state = sandbox.export_state();
    sandbox.stop().await.expect("stops");
    state
}

#[tokio::test]
async fn the_same_seed_gives_the_same_world() {
    let config = |seed| SandboxConfig {
        seed,
        tenants: 40,
        ..Default::default()
    };
    let a = state_of(config(7)).await;
    assert_eq!(a, state_of(config(7)).await);
    assert_ne!(a, state_of(config(8)).await);
}

#[tokio::test]
async fn the_seeded_world_obeys_every_rule() {
    let state = state_of(SandboxConfig {
        tenants: 120,
        ..Default::default()
    })
    .await;
    let customers = state["customers"].as_object().expect("customers");
    assert_eq!(customers.len(), 2);
    for spec in pigello::resources::ALL {
        let first = customers[&first_customer().to_string()][spec.snake_plural]
            .as_array()
            .expect("rows");
        assert!(!first.is_empty(), "{} is seeded", spec.name);
        for row in first.iter().chain(
            customers[&SECOND_CUSTOMER.to_string()][spec.snake_plural]
                .as_array()
                .expect("rows"),
        ) {
            let problems = validate_object(spec, row, Mode::Create, &Path::root());
            assert!(problems.is_empty(), "{}: {problems:?}", spec.name);
            for field in spec.fields.iter().filter(|f| f.read_only) {
                if let Some(value) = row.get(field.name) {
                    let problems = pigello::validate::validate_field(field, value);
                    assert!(
                        problems.is_empty(),
                        "{}.{}: {problems:?}",
                        spec.name,
                        field.name
                    );
                }
            }
        }
    }
    let tenants = customers[&first_customer().to_string()]["tenants"]
        .as_array()
        .expect("rows");
    assert_eq!(tenants.len(), 120);
    let second = customers[&SECOND_CUSTOMER.to_string()]["tenants"]
        .as_array()
        .expect("rows");
    assert_eq!(second.len(), 24);
    let people = tenants.iter().filter(|t| t["ssn"].is_string()).count();
    assert!(
        people > 80,
        "{people} of 120 tenants are people with personal numbers"
    );
    assert!(tenants.iter().all(|t| {
        t["realestates"][0]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("e000000d"))
    }));
}

#[tokio::test]
async fn relations_point_at_stored_or_documented_external_objects() {
    let env = start(20).await;
    let externals = env.control(Method::GET, "externals", None).await.json;
    let state = env.control(Method::GET, "state", None).await.json;
    let world = &state["customers"][first_customer().to_string()];
    let mut checked = 0;
    for spec in pigello::resources::ALL {
        for row in world[spec.snake_plural].as_array().expect("rows") {
            for field in spec.fields.iter().filter(|f| f.target.is_some()) {
                let target = field.target.expect("a target");
                let values: Vec<&Value> = match &row[field.name] {
                    Value::Array(items) => items.iter().collect(),
                    Value::Null => vec![],
                    v => vec![v],
                };
                for v in values {
                    let id = &v["id"];
                    let known = match pigello::resources::find(target) {
                        Some(t) => world[t.snake_plural]
                            .as_array()
                            .expect("rows")
                            .iter()
                            .any(|o| &o["id"] == id),
                        None => externals[target]
                            .as_array()
                            .expect("a documented kind")
                            .contains(id),
                    };
                    assert!(known, "{}.{} -> {target} {id}", spec.name, field.name);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "{checked} relations checked");
}

/// A stop while the saver is writing: the final save waits its turn (the two
/// once shared a temporary file, and the final rename found it gone).
#[tokio::test]
async fn stopping_while_a_save_is_running_still_saves_the_last_state() {
    let dir = std::env::temp_dir().join(format!("pigello-sandbox-stop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = dir.join("state.json");
    for round in 0..10 {
        let _ = std::fs::remove_file(&file);
        let env = start_with(SandboxConfig {
            tenants: 200,
            state_file: Some(file.clone()),
            ..Default::default()
        })
        .await;
        let collection = path("Tenant", "collection");
        let writes =
            (0..8).map(|i| env.post(&collection, json!({"first_name": format!("S{round}-{i}")})));
        futures_util::future::join_all(writes).await;
        let expected = env.all("Tenant").await.len();
        env.sandbox.stop().await.expect("stops and saves");
        let saved: Value =
            serde_json::from_slice(&std::fs::read(&file).expect("saved")).expect("whole JSON");
        let tenants = saved["customers"][first_customer().to_string()]["tenants"]
            .as_array()
            .map(Vec::len);
        assert_eq!(tenants, Some(expected), "round {round}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
