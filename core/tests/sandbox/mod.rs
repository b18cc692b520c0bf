//! A sandbox in-process and a client pointed at it, with short retry delays so
//! the retry tests run quickly.
#![allow(dead_code)]

use std::time::Duration;

use pigello::Client;
use pigello::client::RetryPolicy;
pub use pigello_sandbox::{FaultAction, FaultSpec, Sandbox, SandboxConfig};
use serde_json::Value;

pub async fn start(tenants: usize) -> (Sandbox, Client) {
    start_with(SandboxConfig {
        tenants,
        ..Default::default()
    })
    .await
}

pub async fn start_with(config: SandboxConfig) -> (Sandbox, Client) {
    let sandbox = Sandbox::start(config).await.expect("the sandbox starts");
    let client = client_for(&sandbox);
    (sandbox, client)
}

pub fn client_for(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.url())
        .credentials(sandbox.credentials())
        .retry_policy(RetryPolicy {
            initial_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(100),
            ..RetryPolicy::default()
        })
        .build()
        .expect("a client")
}

/// The rows of a resource as the sandbox stores them for the first customer.
pub fn stored(sandbox: &Sandbox, resource: &str) -> Vec<Value> {
    let spec = pigello::resources::find(resource).expect("a resource");
    sandbox.export_state()["customers"][pigello_sandbox::FIRST_CUSTOMER.to_string()]
        [spec.snake_plural]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A fault rule that counts the calls it matches without changing them.
pub fn counter(method: &str, path: &str) -> FaultSpec {
    FaultSpec::new(Some(method), path, FaultAction::Latency { ms: 0 })
}

/// A rule that answers the first GET of `path` with a 503, once: a call that
/// is retried.
pub fn one_503(path: &str) -> FaultSpec {
    FaultSpec::new(
        Some("GET"),
        path,
        FaultAction::Status {
            status: 503,
            retry_after: None,
        },
    )
    .times(1)
}
