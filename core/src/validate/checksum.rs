//! Check digits: Luhn for Swedish identity numbers, GS1 mod 10 for GLNs.

/// The Luhn (mod 10) check over a string of ASCII digits, the check digit last.
pub fn luhn_ok(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A Swedish personal identity number (`personnummer`, coordination numbers
/// included) or organisation number, as the API's `luhn` format takes it.
///
/// Accepted shapes: ten digits (`5560360793`), twelve digits with the century
/// (`199001011234`), and either with a `-` or `+` before the last four digits
/// (`556036-0793`, `19900101-1234`). The check digit is computed over the last ten
/// digits, as the Swedish Tax Agency defines it: the century is not part of it.
/// The field's length limits (12-13 for `ssn`, 10-11 for `org_no`) are separate rules.
pub fn swedish_identity_number_ok(value: &str) -> bool {
    let bytes = value.as_bytes();
    let digits: String = match bytes.len().checked_sub(5).map(|i| bytes[i]) {
        Some(b'-' | b'+') => {
            let (head, tail) = value.split_at(value.len() - 5);
            format!("{head}{}", &tail[1..])
        }
        _ => value.to_owned(),
    };
    if digits.len() != 10 && digits.len() != 12 {
        return false;
    }
    luhn_ok(&digits[digits.len() - 10..])
}

/// The GS1 mod-10 check digit of a GLN (GLN-13; the same algorithm serves every
/// GS1 key length): weights 3 and 1 alternate from the digit left of the check digit.
pub fn gln_check_digit_ok(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() < 2 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (body, check) = bytes.split_at(bytes.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    (10 - sum % 10) % 10 == u32::from(check[0] - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_known_values() {
        assert!(luhn_ok("8112189876")); // Skatteverket's worked example
        assert!(!luhn_ok("8112189875"));
        assert!(!luhn_ok(""));
        assert!(!luhn_ok("81121898a6"));
    }

    #[test]
    fn swedish_numbers_in_every_shape() {
        assert!(swedish_identity_number_ok("198112189876"));
        assert!(swedish_identity_number_ok("19811218-9876"));
        assert!(swedish_identity_number_ok("8112189876"));
        assert!(swedish_identity_number_ok("811218-9876"));
        assert!(swedish_identity_number_ok("811218+9876"));
        // The century is outside the check: 20xx numbers use the same check digit.
        assert!(swedish_identity_number_ok("201112189876") == luhn_ok("1112189876"));
        assert!(!swedish_identity_number_ok("19811218-9875"));
        assert!(!swedish_identity_number_ok("1981121-89876"));
        assert!(!swedish_identity_number_ok("stringstring"));
        assert!(!swedish_identity_number_ok("98112189876")); // eleven digits
        assert!(!swedish_identity_number_ok("-"));
        assert!(!swedish_identity_number_ok("ÅÄÖÅÄ-ÅÄÖ"));
    }

    #[test]
    fn gln_known_values() {
        assert!(gln_check_digit_ok("7350053850019"));
        assert!(gln_check_digit_ok("4006381333931")); // GS1's worked GTIN-13 example
        assert!(!gln_check_digit_ok("4006381333932"));
        assert!(!gln_check_digit_ok("stringstrings"));
        assert!(!gln_check_digit_ok("7"));
    }
}
