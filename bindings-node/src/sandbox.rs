//! `NativeSandbox`: the core's sandbox in this process, on a free loopback
//! port. `index.js` exposes it as `Sandbox`.

use std::sync::Mutex;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use pigello::Spelling;
use serde_json::{Map, Value};

use pigello_sandbox::{FaultSpec, SandboxConfig};

use crate::client::{NativeClient, build};
use crate::errors::{invalid_argument, pigello_error};
use crate::guard::{guarded, guarded_sync};
use crate::json::parse;
use crate::options::{SendOptions, given_object, option_error};
use pigello::client::GivenOptions;
use pigello::description::Taker;

#[napi]
pub struct NativeSandbox {
    inner: Mutex<Option<pigello_sandbox::Sandbox>>,
    url: String,
}

impl NativeSandbox {
    fn with<T>(&self, f: impl FnOnce(&pigello_sandbox::Sandbox) -> Result<T>) -> Result<T> {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_ref() {
            Some(sandbox) => f(sandbox),
            None => Err(pigello_error("sandbox_stopped", "the sandbox was stopped")),
        }
    }
}

/// Starts a sandbox.
#[napi]
pub async fn start_sandbox(options: Option<String>) -> Result<NativeSandbox> {
    let given = given_object(options.as_deref())?;
    let given = GivenOptions::read(Taker::Sandbox, Spelling::Camel, given).map_err(option_error)?;
    let options = pigello_sandbox::SandboxOptions {
        seed: given.seed,
        tenants: given.tenants.map(|n| n as usize),
        require_secret: given.require_secret,
        port: given.port,
    };
    guarded(async move {
        let config = SandboxConfig::from(options);
        let sandbox = pigello_sandbox::Sandbox::start(config).await.map_err(|e| {
            pigello_error("sandbox_start", format!("the sandbox could not start: {e}"))
        })?;
        Ok(NativeSandbox {
            url: sandbox.url(),
            inner: Mutex::new(Some(sandbox)),
        })
    })
    .await
}

/// A fault rule written flat, as Node passes it (`{ kind: 'status', status:
/// 503, retryAfter: 1 }`): its keys in snake_case for the sandbox's reader.
fn fault_spec(flat: Map<String, Value>) -> Result<FaultSpec> {
    let snake = flat.into_iter().map(|(key, value)| {
        let mut name = String::new();
        for c in key.chars() {
            if c.is_ascii_uppercase() {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
        }
        (name, value)
    });
    FaultSpec::from_flat(snake.collect())
        .map_err(|e| invalid_argument(format!("a fault rule: {e}")))
}

#[napi]
impl NativeSandbox {
    /// The base URL, `http://127.0.0.1:PORT`.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// A client holding credentials for the first seeded customer.
    #[napi]
    pub fn client(&self, settings: Option<SendOptions>) -> Result<NativeClient> {
        guarded_sync(|| {
            let settings = crate::client::settings(settings)?;
            let credentials = self.with(|s| Ok(s.credentials()))?;
            let inner = build(
                pigello::Client::builder()
                    .credentials(credentials)
                    .base_url(self.url.clone()),
                &settings,
            )?;
            Ok(NativeClient::wrap(inner))
        })
    }

    /// The `PIGELLO_*` variables that make `Client.fromEnv()` reach this
    /// sandbox, as `[name, value]` pairs in the core's order.
    #[napi]
    pub fn env(&self) -> Result<Vec<Vec<String>>> {
        self.with(|s| {
            Ok(s.env()
                .into_iter()
                .map(|(name, value)| vec![name.to_owned(), value])
                .collect())
        })
    }

    /// Back to the seeded world; fault rules are cleared.
    #[napi]
    pub fn reset(&self) -> Result<()> {
        self.with(|s| {
            s.reset()
                .map_err(|e| pigello_error("sandbox_reset", e.to_string()))
        })
    }

    /// Adds a fault rule; returns its index in `faultHits()`.
    #[napi]
    pub fn inject_fault(&self, rule: String) -> Result<u32> {
        let spec = fault_spec(parse(&rule, "the rule")?)?;
        self.with(|s| {
            s.inject_fault(spec)
                .map(|id| id as u32)
                .map_err(invalid_argument)
        })
    }

    /// How many times each fault rule fired, in the order they were added.
    #[napi]
    pub fn fault_hits(&self) -> Result<Vec<u32>> {
        self.with(|s| Ok(s.fault_hits().into_iter().map(|n| n as u32).collect()))
    }

    /// Removes every fault rule.
    #[napi]
    pub fn clear_faults(&self) -> Result<()> {
        self.with(|s| {
            s.clear_faults();
            Ok(())
        })
    }

    /// The last requests the API received, oldest first (credential headers
    /// redacted), each with its keys in camelCase (`requestId`, `bodyKeys`).
    #[napi]
    pub fn requests(&self) -> Result<Value> {
        let seen = self.with(|s| Ok(s.requests()))?;
        let seen = serde_json::to_value(seen)
            .map_err(|e| pigello_error("sandbox_requests", e.to_string()))?;
        let camel = |request: Value| match request {
            Value::Object(fields) => Value::Object(
                fields
                    .into_iter()
                    .map(|(key, value)| (Spelling::Camel.option(&key), value))
                    .collect(),
            ),
            other => other,
        };
        Ok(match seen {
            Value::Array(requests) => Value::Array(requests.into_iter().map(camel).collect()),
            other => other,
        })
    }

    /// Forgets the requests received so far.
    #[napi]
    pub fn clear_requests(&self) -> Result<()> {
        self.with(|s| {
            s.clear_requests();
            Ok(())
        })
    }

    /// The whole state, as the state file holds it.
    #[napi]
    pub fn export_state(&self) -> Result<Value> {
        self.with(|s| Ok(s.export_state()))
    }

    /// Replaces the state with an exported one (refused whole if it breaks a rule).
    #[napi]
    pub fn import_state(&self, state: String) -> Result<()> {
        let state: Value = parse(&state, "the state")?;
        self.with(|s| {
            s.import_state(&state)
                .map_err(|e| invalid_argument(e.to_string()))
        })
    }

    /// Stops the server; later calls to it fail to connect.
    #[napi]
    pub async fn stop(&self) -> Result<()> {
        let taken = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(sandbox) = taken {
            guarded(async move {
                sandbox
                    .stop()
                    .await
                    .map_err(|e| pigello_error("sandbox_stop", e.to_string()))
            })
            .await?;
        }
        Ok(())
    }
}
