//! Objects outside the Accounts application (organizations, addresses, roles,
//! contracts, ...). The sandbox does not model them, but a relation must still
//! name an existing object, so each such kind has a fixed, documented set of ids:
//!
//! `e00000KK-0000-4000-a000-0000000000NN`, with `KK` the kind's number in
//! [`KINDS`] (1-based, hex) and `NN` from 1 to [`PER_KIND`].
//! `GET /_sandbox/externals` lists them.

use std::collections::BTreeMap;

use uuid::Uuid;

/// The kinds a relation may point at outside the Accounts application.
pub const KINDS: &[&str] = &[
    "Address",
    "Apartmentcontract",
    "Brfapartment",
    "Building",
    "Contenttype",
    "Externalclient",
    "Industrialpremisescontract",
    "Organization",
    "Outdoorarea",
    "Outdoorsectioncontract",
    "Parkinglot",
    "Parkingspotcontract",
    "Realestate",
    "Role",
    "Segment",
];

/// How many ids each kind has.
pub const PER_KIND: u128 = 8;

/// Whether `kind` is a kind outside the Accounts application.
pub fn is_external(kind: &str) -> bool {
    KINDS.contains(&kind)
}

/// The ids of one external kind (empty for an unknown kind).
pub fn ids(kind: &str) -> Vec<Uuid> {
    let Some(k) = KINDS.iter().position(|&n| n == kind) else {
        return Vec::new();
    };
    (1..=PER_KIND).map(|n| id(k as u128 + 1, n)).collect()
}

/// Whether `id` is one of the ids of `kind`.
pub fn exists(kind: &str, id: &Uuid) -> bool {
    ids(kind).contains(id)
}

/// Every kind with its ids.
pub fn all() -> BTreeMap<&'static str, Vec<Uuid>> {
    KINDS.iter().map(|&k| (k, ids(k))).collect()
}

fn id(kind: u128, n: u128) -> Uuid {
    Uuid::from_u128((0xe000_0000 + kind) << 96 | 0x0000_4000_a000_0000_0000_0000 | n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_readable_and_distinct() {
        assert_eq!(
            ids("Address")[0].to_string(),
            "e0000001-0000-4000-a000-000000000001"
        );
        assert_eq!(
            ids("Segment")[7].to_string(),
            "e000000f-0000-4000-a000-000000000008"
        );
        let every: std::collections::HashSet<_> = all().into_values().flatten().collect();
        assert_eq!(every.len(), KINDS.len() * PER_KIND as usize);
        assert!(ids("Tenant").is_empty());
    }
}
