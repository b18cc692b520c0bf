//! Valid Swedish identity numbers, organisation numbers and GLNs.

use chrono::NaiveDate;
use pigello::validate::{gln_check_digit_ok, luhn_ok};

use crate::rng::Rng;

/// The digit that makes `prefix` + digit pass `ok`.
fn check_digit(prefix: &str, ok: impl Fn(&str) -> bool) -> char {
    ('0'..='9')
        .find(|d| ok(&format!("{prefix}{d}")))
        .unwrap_or('0')
}

/// A personal identity number, `YYYYMMDD-NNNC`, and the birth date it encodes.
pub fn personal_number(rng: &mut Rng) -> (String, NaiveDate) {
    let days = rng.between(0, 365 * 60) as u64;
    let base = NaiveDate::from_ymd_opt(1945, 1, 1).unwrap_or_default();
    let birth = base + chrono::Days::new(days);
    let serial = rng.between(1, 999);
    let ten = format!("{}{serial:03}", birth.format("%y%m%d"));
    let check = check_digit(&ten, luhn_ok);
    (
        format!("{}-{serial:03}{check}", birth.format("%Y%m%d")),
        birth,
    )
}

/// An organisation number, `55NNNN-NNNC`.
pub fn org_number(rng: &mut Rng) -> String {
    let body = format!("55{:07}", rng.below(10_000_000));
    let check = check_digit(&body, luhn_ok);
    format!("{}-{}{check}", &body[..6], &body[6..])
}

/// A Swedish GLN, `735` + 9 digits + the GS1 check digit.
pub fn gln13(rng: &mut Rng) -> String {
    let body = format!("735{:09}", rng.below(1_000_000_000));
    let check = check_digit(&body, gln_check_digit_ok);
    format!("{body}{check}")
}

/// A Swedish mobile number in international form.
pub fn phone(rng: &mut Rng) -> String {
    format!("+4670{:07}", rng.below(10_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pigello::validate::swedish_identity_number_ok;

    #[test]
    fn numbers_pass_their_checks() {
        let mut rng = Rng::new(3);
        for _ in 0..500 {
            let (pn, birth) = personal_number(&mut rng);
            assert!(swedish_identity_number_ok(&pn), "{pn}");
            assert!(pn.starts_with(&birth.format("%Y%m%d").to_string()));
            assert!(swedish_identity_number_ok(&org_number(&mut rng)));
            assert!(gln_check_digit_ok(&gln13(&mut rng)));
        }
    }
}
