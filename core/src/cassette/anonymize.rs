//! Personal data out of a cassette: each personal or organisation number,
//! e-mail address and phone number in a recorded request or answer becomes a
//! fake of the same shape (a number with a valid check digit and a real date,
//! an e-mail address, a phone number with the same prefix and length),
//! the same fake every time the same value comes again.
//!
//! Each fake is derived from the value with HMAC-SHA256 under a key that is
//! not stored in the cassette (`PIGELLO_ANONYMIZE_KEY`, else one drawn for the
//! process), so the real values cannot be found again by deriving the fake of
//! every possible number. A replayed request is mapped the same way before it
//! is matched; a value that is already one of the cassette's fakes (taken
//! from a replayed answer) is left as it is.

use std::borrow::Cow;
use std::collections::HashSet;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::redact::{Personal, replace_personal};

/// The variable holding the key fakes are derived with.
pub const KEY_VARIABLE: &str = "PIGELLO_ANONYMIZE_KEY";

/// Makes the fakes of one cassette.
pub struct Anonymizer {
    key: Vec<u8>,
    /// The fakes the cassette holds: left as they are in a replayed request.
    fakes: HashSet<String>,
}

impl Anonymizer {
    /// An anonymizer with `key`, or, without one, a key drawn for this process
    /// (then a request holding a real personal value replays only in the
    /// process that recorded it).
    pub fn new(key: Option<&str>) -> Anonymizer {
        let key = match key.filter(|k| !k.is_empty()) {
            Some(key) => key.as_bytes().to_vec(),
            None => {
                let mut drawn = [0u8; 32];
                // No randomness source is a broken platform; a fixed key
                // would still never be stored.
                let _ = getrandom::fill(&mut drawn);
                drawn.to_vec()
            }
        };
        Anonymizer {
            key,
            fakes: HashSet::new(),
        }
    }

    /// Keeps every personal-looking value of `value` as a known fake: what a
    /// cassette recorded with fakes holds.
    pub fn learn(&mut self, value: &Value) {
        visit_strings(value, &mut |text| {
            let _ = replace_personal(text, |_, found| {
                self.fakes.insert(found.to_owned());
                String::new()
            });
        });
    }

    /// `text` with each personal value replaced by its fake.
    pub fn text<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        let Anonymizer { key, fakes } = self;
        replace_personal(text, |kind, found| {
            if fakes.contains(found) {
                return found.to_owned();
            }
            let fake = fake(key, kind, found);
            fakes.insert(fake.clone());
            fake
        })
    }

    /// Every string of a JSON value, anonymized in place.
    pub fn json(&mut self, value: &mut Value) {
        match value {
            Value::String(text) => {
                if let Cow::Owned(changed) = self.text(text) {
                    *text = changed;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.json(item)),
            Value::Object(fields) => fields.values_mut().for_each(|item| self.json(item)),
            _ => {}
        }
    }

    /// A query string with each value anonymized (names are the API's own).
    pub fn query(&mut self, query: &str) -> String {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| (name.into_owned(), self.text(&value).into_owned()))
            .collect();
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }
}

fn visit_strings(value: &Value, visit: &mut impl FnMut(&str)) {
    match value {
        Value::String(text) => visit(text),
        Value::Array(items) => items.iter().for_each(|item| visit_strings(item, visit)),
        Value::Object(fields) => fields.values().for_each(|item| visit_strings(item, visit)),
        _ => {}
    }
}

/// Digits drawn from the keyed hash of `value`: an endless supply.
struct Draw {
    bytes: Vec<u8>,
    at: usize,
}

impl Draw {
    fn new(key: &[u8], kind: Personal, value: &str) -> Draw {
        let mut bytes = Vec::new();
        for round in 0u8..4 {
            // HMAC takes a key of any length.
            let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
            mac.update(&[kind as u8, round]);
            mac.update(value.as_bytes());
            bytes.extend_from_slice(&mac.finalize().into_bytes());
        }
        Draw { bytes, at: 0 }
    }

    /// A number from 0 to `below - 1`.
    fn below(&mut self, below: u32) -> u32 {
        let byte = self.bytes[self.at % self.bytes.len()];
        self.at += 1;
        u32::from(byte) % below
    }

    fn digit(&mut self) -> char {
        char::from_digit(self.below(10), 10).unwrap_or('0')
    }
}

/// The fake of one personal value.
fn fake(key: &[u8], kind: Personal, value: &str) -> String {
    let mut draw = Draw::new(key, kind, value);
    match kind {
        Personal::Email => {
            let local: String = (0..10).map(|_| draw.digit()).collect();
            format!("person{local}@example.com")
        }
        Personal::Phone => fake_phone(&mut draw, value),
        Personal::Number => fake_number(&mut draw, value),
    }
}

/// The same prefix (`+46 7`, `07`, ...) and separators, other digits.
fn fake_phone(draw: &mut Draw, value: &str) -> String {
    let kept = if value.starts_with("+46") { 4 } else { 2 };
    let mut digits_seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            digits_seen += 1;
            let position = if value.starts_with('+') {
                digits_seen + 1
            } else {
                digits_seen
            };
            if position <= kept { c } else { draw.digit() }
        })
        .collect()
}

/// A number of the same kind and layout (10 or 12 digits, the same separator,
/// a coordination number's day, an organisation number's group digit), with
/// a real date and a valid check digit.
fn fake_number(draw: &mut Draw, value: &str) -> String {
    let digits: Vec<u32> = value.chars().filter_map(|c| c.to_digit(10)).collect();
    let ten = &digits[digits.len() - 10..];
    let organisation = ten[2] >= 2;
    let mut made: Vec<u32> = Vec::with_capacity(10);
    if organisation {
        made.extend([
            draw.below(10),
            draw.below(10),
            2 + draw.below(8),
            draw.below(10),
        ]);
        made.extend((0..2).map(|_| draw.below(10)));
    } else {
        let coordination = ten[4] * 10 + ten[5] > 60;
        let year = draw.below(100);
        let month = 1 + draw.below(12);
        let day = 1 + draw.below(28) + if coordination { 60 } else { 0 };
        made.extend([
            year / 10,
            year % 10,
            month / 10,
            month % 10,
            day / 10,
            day % 10,
        ]);
    }
    made.extend((0..3).map(|_| draw.below(10)));
    made.push(check_digit(&made));
    let mut fake = String::new();
    if digits.len() == 12 {
        let century = if organisation {
            [1, 6]
        } else {
            [digits[0], digits[1]]
        };
        fake.extend(century.iter().filter_map(|d| char::from_digit(*d, 10)));
    }
    fake.extend(made[..6].iter().filter_map(|d| char::from_digit(*d, 10)));
    if let Some(separator) = value.chars().find(|c| *c == '-' || *c == '+') {
        fake.push(separator);
    }
    fake.extend(made[6..].iter().filter_map(|d| char::from_digit(*d, 10)));
    fake
}

/// The Luhn check digit of nine digits.
fn check_digit(nine: &[u32]) -> u32 {
    let sum: u32 = nine
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = if i % 2 == 0 { d * 2 } else { *d };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::luhn_ok;

    fn anonymizer(key: &str) -> Anonymizer {
        Anonymizer::new(Some(key))
    }

    #[test]
    fn a_fake_has_the_shape_and_a_valid_check_digit() {
        let mut a = anonymizer("k");
        for real in [
            "19811218-9876",
            "811218-9876",
            "198112189876",
            "556036-0793",
            "20100312-0005",
        ] {
            let fake = a.text(real).into_owned();
            assert_ne!(fake, real);
            assert_eq!(fake.len(), real.len(), "{real} -> {fake}");
            assert_eq!(fake.contains('-'), real.contains('-'));
            let digits: String = fake.chars().filter(char::is_ascii_digit).collect();
            assert!(luhn_ok(&digits[digits.len() - 10..]), "{real} -> {fake}");
            assert!(
                crate::validate::swedish_identity_number_ok(&fake),
                "{real} -> {fake}"
            );
        }
        let email = a.text("anna.berg@firma.se").into_owned();
        assert!(
            crate::validate::is_email(&email) && email.ends_with("@example.com"),
            "{email}"
        );
        let phone = a.text("+46 70 123 45 67").into_owned();
        assert!(
            phone.starts_with("+46 7") && phone.len() == 16 && phone != "+46 70 123 45 67",
            "{phone}"
        );
    }

    #[test]
    fn the_same_value_gives_the_same_fake_and_another_key_another() {
        let (mut a, mut b) = (anonymizer("one"), anonymizer("two"));
        let text = "ssn 19811218-9876, mail anna@example.se";
        assert_eq!(a.text(text), anonymizer("one").text(text));
        assert_ne!(a.text(text), b.text(text));
        assert!(!a.text(text).contains("9876"));
    }

    #[test]
    fn a_known_fake_is_left_as_it_is() {
        let mut recorder = anonymizer("k");
        let fake = recorder.text("19811218-9876").into_owned();
        let mut replayer = Anonymizer::new(None);
        replayer.learn(&Value::String(fake.clone()));
        assert_eq!(replayer.text(&fake), fake);
        let uuid = "e0000001-0000-4000-a000-000000000006";
        assert_eq!(replayer.text(uuid), uuid);
    }
}
