//! What a failed rule reports.

use std::fmt;

/// Where in a body a violation is: `ssn`, `user.id`, `[3].custom_id`, `realestates[0].id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Path(String);

impl Path {
    /// The body itself.
    pub fn root() -> Self {
        Path(String::new())
    }
    /// A key inside this path.
    pub fn key(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Path(name.to_owned())
        } else {
            Path(format!("{}.{name}", self.0))
        }
    }
    /// An array index inside this path.
    pub fn index(&self, i: usize) -> Self {
        Path(format!("{}[{i}]", self.0))
    }
    /// The path as text; empty for the body itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(body)")
        } else {
            f.write_str(&self.0)
        }
    }
}

/// Which rule a value broke. [`Rule::code`] is stable and machine-readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A required field is missing.
    Required,
    /// `null` where the field is not nullable.
    NotNull,
    /// The JSON type is wrong (a number where a string belongs, ...).
    Type,
    /// Fewer characters than the minimum.
    MinLength,
    /// More characters than the maximum.
    MaxLength,
    /// The documented pattern does not match.
    Pattern,
    /// Not a uuid.
    Uuid,
    /// Not a `YYYY-MM-DD` calendar date.
    Date,
    /// Not an RFC 3339 date-time.
    DateTime,
    /// Not an e-mail address.
    Email,
    /// Not one of the documented values.
    Enum,
    /// Below the documented minimum.
    Minimum,
    /// Above the documented maximum.
    Maximum,
    /// Fails the Luhn check of a Swedish personal or organisation number.
    Luhn,
    /// Fails the GS1 check digit of a GLN.
    Gln13,
    /// Set together with a field it excludes.
    CannotBeSetWith,
    /// None of a group of fields is set.
    AtLeastOneOf,
    /// Set without a field it requires.
    Requires,
    /// Only part of a group that must be set together is set.
    SetTogetherWith,
    /// Two fields are out of order (an end before its start).
    OrderedWith,
    /// A list holds values its source list does not.
    MustMatchValuesOf,
    /// Another object already holds this value (checked by a server).
    Unique,
    /// A relation names an object that does not exist (checked by a server).
    Reference,
    /// A key that names no documented field (the API would ignore it).
    UnknownField,
    /// Objects and lists nested deeper than [`super::MAX_DEPTH`] levels.
    Nesting,
}

impl Rule {
    /// The stable code of the rule, as used in errors across every language.
    pub const fn code(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::NotNull => "not_null",
            Rule::Type => "type",
            Rule::MinLength => "min_length",
            Rule::MaxLength => "max_length",
            Rule::Pattern => "pattern",
            Rule::Uuid => "uuid",
            Rule::Date => "date",
            Rule::DateTime => "date_time",
            Rule::Email => "email",
            Rule::Enum => "enum",
            Rule::Minimum => "minimum",
            Rule::Maximum => "maximum",
            Rule::Luhn => "luhn",
            Rule::Gln13 => "gln13",
            Rule::CannotBeSetWith => "cannot_be_set_with",
            Rule::AtLeastOneOf => "at_least_one_of",
            Rule::Requires => "requires",
            Rule::SetTogetherWith => "set_together_with",
            Rule::OrderedWith => "ordered_with",
            Rule::MustMatchValuesOf => "must_match_values_of",
            Rule::Unique => "unique",
            Rule::Reference => "reference",
            Rule::UnknownField => "unknown_field",
            Rule::Nesting => "nesting",
        }
    }

    /// Every rule, for tables and bindings.
    pub const ALL: [Rule; 24] = [
        Rule::Required,
        Rule::NotNull,
        Rule::Type,
        Rule::MinLength,
        Rule::MaxLength,
        Rule::Pattern,
        Rule::Uuid,
        Rule::Date,
        Rule::DateTime,
        Rule::Email,
        Rule::Enum,
        Rule::Minimum,
        Rule::Maximum,
        Rule::Luhn,
        Rule::Gln13,
        Rule::CannotBeSetWith,
        Rule::AtLeastOneOf,
        Rule::Requires,
        Rule::SetTogetherWith,
        Rule::OrderedWith,
        Rule::MustMatchValuesOf,
        Rule::Unique,
        Rule::Reference,
        Rule::UnknownField,
    ];

    /// The rule for a stable code.
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One broken rule: where, which, and a sentence a person understands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violation {
    /// Where in the body.
    pub path: Path,
    /// Which rule.
    pub rule: Rule,
    /// What is wrong, naming the field and the limit (never the value).
    pub message: String,
}

impl Violation {
    /// A violation.
    pub fn new(path: Path, rule: Rule, message: impl Into<String>) -> Self {
        Violation {
            path,
            rule,
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.path, self.message, self.rule)
    }
}

/// A body broke one or more rules; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The resource the body was for.
    pub resource: &'static str,
    /// Every violation found, in field order.
    pub violations: Vec<Violation>,
}

impl ValidationError {
    /// `Ok` when nothing is wrong, else the error holding every violation: the
    /// one place a validation error is made.
    pub fn check(resource: &'static str, violations: Vec<Violation>) -> crate::Result<()> {
        if violations.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Validation(ValidationError {
                resource,
                violations,
            }))
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "invalid {} ({n} violation{}): ",
            self.resource,
            if n == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.violations.iter().take(SHOWN_IN_MESSAGE).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        if n > SHOWN_IN_MESSAGE {
            write!(f, "; and {} more", n - SHOWN_IN_MESSAGE)?;
        }
        Ok(())
    }
}

/// How many problems an error's message lists; the rest are counted (every
/// one stays on the error's list). A million bad items make a short message.
pub const SHOWN_IN_MESSAGE: usize = 10;

impl std::error::Error for ValidationError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_lists_the_first_violations_and_counts_the_rest() {
        let many: Vec<Violation> = (0..1000)
            .map(|i| Violation::new(Path::root().index(i), Rule::Required, "missing"))
            .collect();
        let error = ValidationError::check("tenant", many).expect_err("violations");
        let text = error.to_string();
        assert!(
            text.starts_with("invalid tenant (1000 violations): [0]: missing"),
            "{text}"
        );
        assert!(
            text.contains("[9]: missing") && !text.contains("[10]:"),
            "{text}"
        );
        assert!(text.ends_with("; and 990 more"), "{text}");
        assert_eq!(error.issues().len(), 1000);
    }
}
