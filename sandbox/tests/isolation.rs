//! Customers never see each other: random sequences of calls under two
//! customers, where every call that names the other's object (get, patch,
//! delete, a bulk update, a filter on its id) finds nothing (404, never 403),
//! and each customer's objects end exactly as its own calls left them.

mod support;

use std::collections::BTreeMap;

use pigello_sandbox::SECOND_CUSTOMER;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use support::*;

/// A small seeded generator, so a failing sequence can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }
}

/// What one customer's own calls have left: each tenant's id and first name.
type Model = BTreeMap<String, String>;

async fn first_names(env: &Env, who: &pigello::Credentials) -> Model {
    // Without paging parameters, a list answers every row as an array.
    let answer = env
        .call_as(who, Method::GET, &path("Tenant", "list"), None)
        .await;
    answer
        .json
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let id = row["id"].as_str().expect("id").to_owned();
            (id, row["first_name"].as_str().unwrap_or("").to_owned())
        })
        .collect()
}

#[tokio::test]
async fn no_call_under_one_customer_reads_changes_or_learns_of_the_others_objects() {
    for seed in 1..=3u64 {
        let env = start(4).await;
        let people = [
            env.credentials(),
            env.sandbox.credentials_for(SECOND_CUSTOMER),
        ];
        let mut models = [
            first_names(&env, &people[0]).await,
            first_names(&env, &people[1]).await,
        ];
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        for step in 0..150 {
            let me = rng.below(2);
            let other = 1 - me;
            let who = &people[me];
            let theirs: Vec<String> = models[other].keys().cloned().collect();
            let foreign = theirs[rng.below(theirs.len())].clone();
            let context = format!("seed {seed}, step {step}, customer {me}");
            match rng.below(8) {
                0 => {
                    let name = format!("C{seed}-{step}");
                    let made = env
                        .call_as(
                            who,
                            Method::POST,
                            &path("Tenant", "collection"),
                            Some(json!({"first_name": name})),
                        )
                        .await;
                    assert_eq!(made.status, StatusCode::CREATED, "{context}: {}", made.text);
                    models[me].insert(made.id(), name);
                }
                1 => {
                    let mine: Vec<String> = models[me].keys().cloned().collect();
                    let id = mine[rng.below(mine.len())].clone();
                    let name = format!("U{seed}-{step}");
                    let changed = env
                        .call_as(
                            who,
                            Method::PATCH,
                            &path("Tenant", &id),
                            Some(json!({"first_name": name})),
                        )
                        .await;
                    assert_eq!(
                        changed.status,
                        StatusCode::OK,
                        "{context}: {}",
                        changed.text
                    );
                    models[me].insert(id, name);
                }
                2 => {
                    let got = env
                        .call_as(who, Method::GET, &path("Tenant", &foreign), None)
                        .await;
                    assert_eq!(
                        got.status,
                        StatusCode::NOT_FOUND,
                        "{context}: read another's"
                    );
                }
                3 => {
                    let patched = env
                        .call_as(
                            who,
                            Method::PATCH,
                            &path("Tenant", &foreign),
                            Some(json!({"first_name": "Intruder"})),
                        )
                        .await;
                    assert_eq!(
                        patched.status,
                        StatusCode::NOT_FOUND,
                        "{context}: changed another's"
                    );
                }
                4 => {
                    let deleted = env
                        .call_as(who, Method::DELETE, &path("Tenant", &foreign), None)
                        .await;
                    assert_eq!(
                        deleted.status,
                        StatusCode::NOT_FOUND,
                        "{context}: deleted another's"
                    );
                }
                5 => {
                    let items = json!([{"id": foreign, "first_name": "Intruder"}]);
                    let bulk = env
                        .call_as(who, Method::POST, &path("Tenant", "list"), Some(items))
                        .await;
                    assert!(
                        matches!(bulk.status, StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST),
                        "{context}: a bulk update of another's answered {}",
                        bulk.status
                    );
                    assert_ne!(bulk.status, StatusCode::FORBIDDEN);
                }
                6 => {
                    let query = format!("{}?id__in={}", path("Tenant", "list"), theirs.join(","));
                    let listed = env.call_as(who, Method::GET, &query, None).await;
                    assert_eq!(listed.status, StatusCode::OK, "{context}");
                    assert_eq!(listed.json, json!([]), "{context}: listed another's");
                }
                _ => {
                    let mine: Vec<String> = models[me].keys().cloned().collect();
                    if mine.len() > 1 {
                        let id = mine[rng.below(mine.len())].clone();
                        let gone = env
                            .call_as(who, Method::DELETE, &path("Tenant", &id), None)
                            .await;
                        // A seeded tenant others refer to cannot be deleted.
                        match gone.status {
                            StatusCode::NO_CONTENT => {
                                models[me].remove(&id);
                            }
                            status => assert_eq!(status, StatusCode::CONFLICT, "{context}"),
                        }
                    }
                }
            }
        }
        for (me, who) in people.iter().enumerate() {
            let stored = first_names(&env, who).await;
            assert_eq!(
                stored, models[me],
                "seed {seed}: customer {me} ends as its own calls left it"
            );
        }
        let state = env.control(Method::GET, "state", None).await.json;
        let everyone: Vec<&Value> = state["customers"]
            .as_object()
            .expect("customers")
            .values()
            .flat_map(|c| c["tenants"].as_array().into_iter().flatten())
            .collect();
        assert!(everyone.iter().all(|t| t["first_name"] != "Intruder"));
    }
}
