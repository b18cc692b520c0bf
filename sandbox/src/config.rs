//! How a sandbox is started.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

/// The customer id the seeded world (and [`crate::Sandbox::credentials`]) uses.
pub const FIRST_CUSTOMER: uuid::Uuid =
    uuid::Uuid::from_u128(0x00000000_0000_4000_8000_000000000001);
/// A second, smaller seeded customer, to show that customers do not see each other.
pub const SECOND_CUSTOMER: uuid::Uuid =
    uuid::Uuid::from_u128(0x00000000_0000_4000_8000_000000000002);

/// Everything a sandbox can be told at start.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The address to bind; loopback by default.
    pub host: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Seeds the generated world and the ids the sandbox hands out.
    pub seed: u64,
    /// How many tenants the first customer gets (the second gets a fifth, at least one).
    pub tenants: usize,
    /// When set, every call must send exactly this `X-PIGELLO-CLIENT-SECRET`;
    /// otherwise any non-empty value passes.
    pub require_secret: Option<String>,
    /// A state file to load at start (if it exists), save after each write
    /// and at stop, atomically (see `persist`).
    pub state_file: Option<PathBuf>,
    /// Save the state file at most this often; right after each write (writes
    /// during a save coalesced) when absent.
    pub save_interval: Option<std::time::Duration>,
    /// The largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            seed: 1,
            tenants: 50,
            require_secret: None,
            state_file: None,
            save_interval: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// The most tenants a sandbox seeds: a million rows take about a gigabyte and
/// a few seconds; more would take the machine's memory rather than fail.
pub const MAX_TENANTS: usize = 1_000_000;

/// 10 MiB, the most the client sends: a bulk write of several thousand
/// objects fits.
pub const DEFAULT_MAX_BODY_BYTES: usize = pigello::client::MAX_BODY_BYTES;

/// What the packages let a caller say when starting an in-process sandbox,
/// each left out taking the sandbox's default: the one place those defaults
/// are applied.
///
/// ```
/// use pigello_sandbox::{SandboxConfig, SandboxOptions};
/// let config = SandboxConfig::from(SandboxOptions { tenants: Some(5), ..Default::default() });
/// assert_eq!((config.seed, config.tenants), (SandboxConfig::default().seed, 5));
/// ```
#[derive(Debug, Clone, Default)]
pub struct SandboxOptions {
    /// Seeds the generated world and ids.
    pub seed: Option<u64>,
    /// Tenants of the first seeded customer.
    pub tenants: Option<usize>,
    /// Accept only this client secret.
    pub require_secret: Option<String>,
    /// A fixed port; a free one when left out.
    pub port: Option<u16>,
}

impl From<SandboxOptions> for SandboxConfig {
    fn from(options: SandboxOptions) -> Self {
        let defaults = SandboxConfig::default();
        SandboxConfig {
            seed: options.seed.unwrap_or(defaults.seed),
            tenants: options.tenants.unwrap_or(defaults.tenants),
            require_secret: options.require_secret,
            port: options.port.unwrap_or(defaults.port),
            ..defaults
        }
    }
}
