//! Any JSON, any string, any number from a caller or a server gives a typed error or
//! a violation, never a panic.

use pigello::prelude::*;
use pigello::resources::ALL;
use pigello::validate::{
    Mode, Path, validate_bulk, validate_create, validate_object, validate_patch,
};
use serde_json::{Value, json};

fn decode_err(bytes: &[u8]) -> (String, String) {
    match pigello::decode::<Tenant>("Tenant", bytes) {
        Err(Error::Decode {
            path,
            message,
            model,
        }) => {
            assert_eq!(model, "Tenant");
            (path, message)
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn not_json_is_a_decode_error() {
    for bytes in [&b""[..], b"{", b"nul", b"\xff\xfe", b"{\"id\": }", b"[1, 2"] {
        decode_err(bytes);
    }
}

#[test]
fn invalid_utf8_escapes_are_a_decode_error() {
    // A lone surrogate, and a high surrogate followed by a non-surrogate escape.
    for bytes in [
        &br#"{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "first_name": "\ud800"}"#[..],
        br#"{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "first_name": "\ud800\u0041"}"#,
        br#"{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "first_name": "\uZZZZ"}"#,
    ] {
        let (path, message) = decode_err(bytes);
        assert_eq!(path, "first_name", "{message}");
    }
    decode_err(b"{\"id\": \"497f6eca-6276-4993-bfeb-53cbbbba6f08\", \"first_name\": \"\xc3\x28\"}");
}

#[test]
fn deeply_nested_json_is_a_decode_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    decode_err(deep.as_bytes());
    let deep_field = format!(
        r#"{{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "profile_picture": {}1{}}}"#,
        "{\"a\":".repeat(10_000),
        "}".repeat(10_000)
    );
    decode_err(deep_field.as_bytes());
}

#[test]
fn a_wrong_type_names_the_field() {
    let (path, _) =
        decode_err(br#"{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "first_name": 5}"#);
    assert_eq!(path, "first_name");
    let (path, _) = decode_err(br#"{"id": "not-a-uuid"}"#);
    assert_eq!(path, "id");
    let (path, _) = decode_err(
        br#"{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "birth_date": "2023-02-29"}"#,
    );
    assert_eq!(path, "birth_date");
    let (path, _) = decode_err(
        br#"{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "realestates": [{"id": 1}]}"#,
    );
    assert_eq!(path, "realestates[0].id");
}

#[test]
fn numbers_past_every_integer_type_are_refused_or_kept() {
    // Past i64 in an integer field of a read model: a decode error naming the field.
    let r = pigello::decode::<Integrationuseragent>(
        "Integrationuseragent",
        br#"{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "clashing_priority": 99999999999999999999}"#,
    );
    assert!(
        matches!(r, Err(Error::Decode { ref path, .. }) if path == "clashing_priority"),
        "{r:?}"
    );
    // Past int32 on input: a maximum violation, whatever the size.
    for n in [
        json!(2_147_483_648_i64),
        json!(u64::MAX),
        json!(-2_147_483_649_i64),
    ] {
        let found = validate_patch(&INTEGRATION_USER_AGENT, &json!({ "clashing_priority": n }));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(matches!(found[0].rule.code(), "maximum" | "minimum"));
    }
    // A float or an exponent is not an integer.
    let found = validate_patch(
        &INTEGRATION_USER_AGENT,
        &json!({ "clashing_priority": 1e300 }),
    );
    assert_eq!(found[0].rule.code(), "type");
}

#[test]
fn unknown_enum_values_from_a_server_round_trip() {
    let json =
        br#"{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "status": 42, "sni_number": "99.999"}"#;
    let s: Subtenant = pigello::decode("Subtenant", json).expect("decodes");
    assert_eq!(s.status, Some(SubtenantStatus::Unknown(42)));
    assert_eq!(
        s.sni_number,
        Some(SubtenantSniNumber::Unknown("99.999".into()))
    );
    let again = serde_json::to_value(&s).expect("encodes");
    assert_eq!(again["status"], 42);
    assert_eq!(again["sni_number"], "99.999");
}

#[test]
fn huge_strings_are_measured_not_choked_on() {
    let huge = "å".repeat(5_000_000);
    let found = validate_patch(
        &TENANT,
        &json!({ "first_name": huge, "ssn": huge, "invoice_email": huge }),
    );
    let rules: Vec<(&str, &str)> = found
        .iter()
        .map(|v| (v.path.as_str(), v.rule.code()))
        .collect();
    assert!(rules.contains(&("first_name", "max_length")));
    assert!(rules.contains(&("ssn", "max_length")));
    assert!(rules.contains(&("ssn", "luhn")));
    assert!(rules.contains(&("invoice_email", "email")));
    // The message gives the length, never the value.
    assert!(found.iter().all(|v| v.message.len() < 300));
}

#[test]
fn bodies_that_are_not_objects_are_one_violation() {
    for body in [json!(null), json!([]), json!("tenant"), json!(1)] {
        let found = validate_create(&TENANT, &body);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].path.as_str(), found[0].rule.code()), ("", "type"));
    }
    let found = validate_bulk(&TENANT, &[json!({"first_name": "A"}), json!(7)]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path.as_str(), "[1]");
}

/// A small deterministic generator of arbitrary JSON values (xorshift), so the
/// sweep below is the same on every run.
struct Arbitrary(u64);

impl Arbitrary {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn value(&mut self, depth: u32) -> Value {
        const STRINGS: &[&str] = &[
            "",
            " ",
            "\n",
            "\u{0}",
            "å",
            "19811218-9876",
            "7350053850019",
            "2024-02-29",
            "2024-02-29T12:00:00Z",
            "497f6eca-6276-4993-bfeb-53cbbbba6f08",
            "a@b.se",
            "+46701234567\n",
            "0007:5560360793",
            "fff",
            "\u{202e}",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "-",
            "+",
            "@",
            "..",
            "[",
            "$",
        ];
        match self.next() % if depth == 0 { 6 } else { 8 } {
            0 => Value::Null,
            1 => json!(self.next().is_multiple_of(2)),
            2 => json!(self.next() as i64),
            3 => json!(f64::from_bits(self.next() & 0x7fef_ffff_ffff_ffff)),
            4 => json!(STRINGS[(self.next() as usize) % STRINGS.len()]),
            5 => json!("x".repeat((self.next() % 300) as usize)),
            6 => Value::Array(
                (0..self.next() % 4)
                    .map(|_| self.value(depth - 1))
                    .collect(),
            ),
            _ => {
                let mut o = serde_json::Map::new();
                for _ in 0..self.next() % 4 {
                    let key = ["id", "x", "", "first_name"][(self.next() % 4) as usize];
                    o.insert(key.into(), self.value(depth - 1));
                }
                Value::Object(o)
            }
        }
    }
}

#[test]
fn arbitrary_values_in_every_field_never_panic_and_always_explain() {
    let mut arbitrary = Arbitrary(0x9e37_79b9_7f4a_7c15);
    let mut violations = 0usize;
    for spec in ALL {
        for _ in 0..400 {
            let mut body = serde_json::Map::new();
            for field in spec.fields {
                if arbitrary.next().is_multiple_of(3) {
                    body.insert(field.name.into(), arbitrary.value(3));
                }
            }
            let body = Value::Object(body);
            for mode in [Mode::Create, Mode::Patch] {
                for v in validate_object(spec, &body, mode, &Path::root()) {
                    assert!(!v.message.is_empty());
                    assert!(
                        spec.field(v.path.as_str().split(['.', '[']).next().unwrap_or(""))
                            .is_some(),
                        "{v:?}"
                    );
                    violations += 1;
                }
            }
        }
    }
    assert!(
        violations > 1000,
        "the sweep should hit many rules, hit {violations}"
    );
}
