//! The native addon of the `pigello` Node package. It only translates: the
//! rules, the requests and the sandbox are the Rust core's. The JavaScript
//! layer beside it (`index.js`) gives the classes their Node shape.

// Under `cfg(test)` the napi macros register nothing, so what only JavaScript
// calls looks unused to the compiler.
#![cfg_attr(test, allow(dead_code))]

mod call_handles;
mod client;
mod errors;
mod guard;
mod json;
mod logging;
mod options;
mod rows;
mod sandbox;
mod telemetry;

use napi_derive::napi;

/// A resource as the JavaScript layer needs it to build the client's properties.
#[napi(object)]
pub struct ResourceInfo {
    /// The resource's name, as the API spells it (`Tenant`).
    pub name: String,
    /// The client property (`tenants`, `organizationUsers`).
    pub property: String,
    /// Whether the resource has an invite endpoint.
    pub invite: bool,
}

/// Every resource of the Accounts API, in the core's order.
#[napi]
pub fn resources() -> Vec<ResourceInfo> {
    pigello::resources::ALL
        .iter()
        .map(|spec| ResourceInfo {
            name: spec.name.to_owned(),
            property: spec.camel_plural.to_owned(),
            invite: spec.invite_path.is_some(),
        })
        .collect()
}

/// The version of the package (and of the core it is built from).
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// How deep a value sent may nest, and what a deeper one is called: the
/// core's bound, which `json.js` checks values against before they cross.
#[napi(object)]
pub struct Nesting {
    pub max_depth: u32,
    pub too_deep: String,
}

#[napi]
pub fn nesting() -> Nesting {
    Nesting {
        max_depth: pigello::validate::MAX_DEPTH as u32,
        too_deep: pigello::validate::too_deep(),
    }
}

/// The candidate closest to a misspelled `name` (the core's rule, as for
/// unknown fields and filters), if one is close enough to suggest.
#[napi]
pub fn closest_name(name: String, candidates: Vec<String>) -> Option<String> {
    pigello::validate::closest(&name, candidates.iter().map(String::as_str)).map(str::to_owned)
}
