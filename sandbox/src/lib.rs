//! `pigello-sandbox`: a stateful local emulator of the Pigello Core API's
//! Accounts application, served over real HTTP on loopback.
//!
//! It runs on the SDK's own description of the API and its validators, so it
//! refuses exactly what the SDK refuses, and adds what only a server can check:
//! uniqueness, references between objects, and customer isolation. Faults (a
//! status, latency, a dropped connection, a write followed by a dropped
//! connection) can be injected per method and path, reproducibly.
//!
//! ```no_run
//! # async fn demo() -> Result<(), pigello_sandbox::SandboxError> {
//! use pigello_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig { tenants: 120, ..Default::default() }).await?;
//! println!("{}", sandbox.url()); // http://127.0.0.1:PORT
//! let credentials = sandbox.credentials(); // for the seeded customer
//! # let _ = credentials;
//! sandbox.stop().await?;
//! # Ok(()) }
//! ```
//!
//! What the sandbox assumes where the reference is silent is listed in
//! `sandbox/README.md`.

mod api;
mod auth;
mod body;
pub mod config;
mod control;
mod error;
pub mod externals;
mod faults;
mod list;
mod openapi;
mod persist;
mod rng;
mod seed;
pub mod seen;
mod server;
mod shared;
mod store;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use pigello::{Credentials, Secret};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{FIRST_CUSTOMER, MAX_TENANTS, SECOND_CUSTOMER, SandboxConfig, SandboxOptions};
pub use error::{ApiError, FieldError};
pub use faults::{FaultAction, FaultSpec};
pub use seen::SeenRequest;
pub use store::{STATE_FORMAT, StateError};

use shared::Shared;

/// The secret [`Sandbox::credentials`] hands out when none is required.
pub const DEFAULT_SECRET: &str = "sandbox-secret";

/// Why a sandbox could not start or stop.
#[derive(Debug)]
#[non_exhaustive]
pub enum SandboxError {
    /// The address could not be bound, or the state file not read or written.
    Io(std::io::Error),
    /// The state file is not a valid state document.
    State(StateError),
    /// The seeded world could not be built (a bug: please report it).
    Seed(String),
    /// A setting is out of its range (a world too large to seed, ...).
    Config(String),
}

impl fmt::Display for SandboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SandboxError::Io(e) => write!(f, "{e}"),
            SandboxError::State(e) => write!(f, "state file: {e}"),
            SandboxError::Seed(e) => write!(f, "seeding failed: {e}"),
            SandboxError::Config(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SandboxError {}

impl From<std::io::Error> for SandboxError {
    fn from(e: std::io::Error) -> Self {
        SandboxError::Io(e)
    }
}

/// A running sandbox. Dropping it stops the server too (without saving state);
/// [`Sandbox::stop`] stops it gracefully and saves the state file.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// Saves the state file after writes, when there is one.
    saver: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Seeds the world (or loads the state file), binds the address and serves
    /// on the current tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        if config.tenants > MAX_TENANTS {
            return Err(SandboxError::Config(format!(
                "tenants must be at most {MAX_TENANTS} (the seeded world is built in memory)"
            )));
        }
        let mut store = seed::build(&config).map_err(|e| SandboxError::Seed(e.detail))?;
        if let Some(path) = &config.state_file {
            persist::remove_stale_temporaries(path);
        }
        if let Some(path) = &config.state_file
            && path.exists()
        {
            store
                .import(&persist::read(path)?)
                .map_err(SandboxError::State)?;
        }
        let listener = TcpListener::bind((config.host, config.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config, store));
        let router = router(shared.clone());
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, shared.clone(), router, stopped));
        let saver = shared.config.state_file.clone().map(|path| {
            let interval = shared.config.save_interval;
            tokio::spawn(persist::saver(shared.clone(), path, interval))
        });
        Ok(Sandbox {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
            saver,
        })
    }

    /// The base URL, `http://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Credentials for the first seeded customer.
    pub fn credentials(&self) -> Credentials {
        self.credentials_for(FIRST_CUSTOMER)
    }

    /// The `PIGELLO_*` environment variables that make a client built with
    /// `from_env` (in Rust, Python or Node, in this process or a child one)
    /// reach this sandbox as the first seeded customer.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        pigello::environment_for(&self.url(), &self.credentials())
    }

    /// Credentials for any customer id (a new id starts with an empty world).
    pub fn credentials_for(&self, customer: uuid::Uuid) -> Credentials {
        let secret = self
            .shared
            .config
            .require_secret
            .clone()
            .unwrap_or_else(|| DEFAULT_SECRET.to_owned());
        Credentials {
            customer_id: customer.to_string(),
            application_id: "sandbox-application".into(),
            service_id: "sandbox-service".into(),
            service_version_id: "sandbox-service-version".into(),
            client_ct: "sandbox-content-type".into(),
            client_object_id: "sandbox-entity".into(),
            client_secret: Secret::new(secret),
        }
    }

    /// Puts the seeded world back and clears the fault rules and the requests seen.
    pub fn reset(&self) -> Result<(), SandboxError> {
        control::reset_shared(&self.shared).map_err(|e| SandboxError::Seed(e.detail))
    }

    /// The whole store, as `GET /_sandbox/state` returns it.
    pub fn export_state(&self) -> Value {
        self.shared.store().export()
    }

    /// Replaces the store with an exported document, or changes nothing.
    pub fn import_state(&self, document: &Value) -> Result<(), StateError> {
        self.shared.store().import(document)?;
        self.shared.changed();
        Ok(())
    }

    /// Adds a fault rule and returns its id: its index into
    /// [`Sandbox::fault_hits`] until the rules are cleared.
    pub fn inject_fault(&self, fault: FaultSpec) -> Result<u64, String> {
        match fault.problem() {
            Some(problem) => Err(problem),
            None => Ok(self.shared.faults().add(fault)),
        }
    }

    /// How many times each fault rule fired, in the order they were added.
    pub fn fault_hits(&self) -> Vec<u64> {
        self.shared.faults().list().iter().map(|f| f.hits).collect()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.shared.faults().clear();
    }

    /// The last requests the API received (up to [`seen::KEPT`], oldest
    /// first; the control routes under `/_sandbox/` are not listed), with
    /// credential headers redacted.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.shared.seen().list()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.shared.seen().clear();
    }

    /// Stops accepting, lets requests in flight finish (up to five seconds), and
    /// saves the state file if one was configured.
    pub async fn stop(mut self) -> Result<(), SandboxError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(saver) = self.saver.take() {
            saver.abort();
            let _ = saver.await;
        }
        if let Some(path) = &self.shared.config.state_file {
            persist::save(&self.shared, path)?;
        }
        Ok(())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(saver) = self.saver.take() {
            saver.abort();
        }
    }
}

fn router(shared: Arc<Shared>) -> Router {
    api::routes(Router::new())
        .nest("/_sandbox", control::routes())
        .merge(control::index())
        .fallback(|| async {
            ApiError::not_found("no such path (every path of the API ends with '/')")
        })
        .with_state(shared)
}
