//! The model decoders on arbitrary bytes: the typed (strict about types) and
//! the JSON (lenient) decoders of each resource, a page and one object. They
//! may refuse; they may not panic, and a typed page decoded means a JSON page
//! decodes too.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use pigello::client::{JsonRows, RowDecoder};
use pigello::resources::*;

fn typed<T: serde::de::DeserializeOwned>(
    spec: &'static pigello::description::ResourceSpec,
    data: &[u8],
) {
    let page = pigello::decode::<Vec<T>>(spec.name, data);
    let _ = pigello::decode::<T>(spec.name, data);
    let json = JsonRows.decode_rows(spec, Bytes::copy_from_slice(data));
    let _ = JsonRows.decode_row(spec, Bytes::copy_from_slice(data));
    if page.is_ok() {
        assert!(
            json.is_ok(),
            "{}: typed rows decoded, JSON rows did not",
            spec.name
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let [which, body @ ..] = data else {
        return;
    };
    match which % 10 {
        0 => typed::<Tenant>(&TENANT, body),
        1 => typed::<Subtenant>(&SUBTENANT, body),
        2 => typed::<Organizationuser>(&ORGANIZATION_USER, body),
        3 => typed::<Organizationusersegment>(&ORGANIZATION_USER_SEGMENT, body),
        4 => typed::<Organizationuserworkengagement>(&ORGANIZATION_USER_WORK_ENGAGEMENT, body),
        5 => typed::<Workengagement>(&WORK_ENGAGEMENT, body),
        6 => typed::<Integrationuseragent>(&INTEGRATION_USER_AGENT, body),
        7 => typed::<Protectedidentity>(&PROTECTED_IDENTITY, body),
        8 => typed::<Subtenantcontractconnection>(&SUBTENANT_CONTRACT_CONNECTION, body),
        _ => typed::<Subtenanttenantconnection>(&SUBTENANT_TENANT_CONNECTION, body),
    }
});
