//! The seven credentials every call carries, and the secret that must never leak.

use std::fmt;

/// A secret value: shown as `<redacted>` by `Debug` and `Display`, reachable only
/// through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// The seven credentials of an activated integration, sent as `X-PIGELLO-*`
/// headers on every call. Where they come from: the Developer Portal, after the
/// integration is activated in the environment.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The Pigello customer whose data is accessed (`X-PIGELLO-CUSTOMER-ID`).
    pub customer_id: String,
    /// The application registered in the Developer Portal (`X-PIGELLO-APPLICATION-ID`).
    pub application_id: String,
    /// The service under the application (`X-PIGELLO-SERVICE-ID`).
    pub service_id: String,
    /// The activated service version (`X-PIGELLO-SERVICE-VERSION-ID`).
    pub service_version_id: String,
    /// The content type of the object the integration is activated on (`X-PIGELLO-CLIENT-CT`).
    pub client_ct: String,
    /// The id of that object (`X-PIGELLO-CLIENT-ENTITY`).
    pub client_object_id: String,
    /// The secret generated for the activation (`X-PIGELLO-CLIENT-SECRET`).
    pub client_secret: Secret,
}

/// One credential: its name in the SDK, its environment variable and its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialName {
    /// The field name (`customer_id`).
    pub field: &'static str,
    /// The environment variable `from_env` reads (`PIGELLO_CUSTOMER_ID`).
    pub env: &'static str,
    /// The HTTP header (`X-PIGELLO-CUSTOMER-ID`).
    pub header: &'static str,
    /// Whether the value is secret.
    pub secret: bool,
}

/// How a caller names the credentials, so an error names a missing one the
/// way the caller wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spelling {
    /// Environment variables (`PIGELLO_CUSTOMER_ID`).
    Env,
    /// snake_case arguments (`customer_id`), as Python and Rust write them.
    #[default]
    Snake,
    /// camelCase options (`customerId`), as JavaScript writes them.
    Camel,
}

impl Spelling {
    /// A credential's name in this spelling.
    pub fn name(self, credential: &CredentialName) -> String {
        match self {
            Spelling::Env => credential.env.to_owned(),
            Spelling::Snake | Spelling::Camel => self.option(credential.field),
        }
    }

    /// An option's name (given in snake_case, as the core and Python spell
    /// it) as this caller writes it: `extra_body` is `extraBody` in
    /// JavaScript. Environment variables name no option, so `Env` keeps it.
    pub fn option(self, snake: &str) -> String {
        match self {
            Spelling::Env | Spelling::Snake => snake.to_owned(),
            Spelling::Camel => {
                let mut out = String::new();
                for (i, word) in snake.split('_').enumerate() {
                    let mut chars = word.chars();
                    match chars.next() {
                        Some(first) if i > 0 => {
                            out.extend(first.to_uppercase());
                            out.push_str(chars.as_str());
                        }
                        _ => out.push_str(word),
                    }
                }
                out
            }
        }
    }

    /// The message for the credentials that are missing or empty, all named
    /// at once, with where to try the SDK without any.
    fn missing(self, credentials: &[&CredentialName]) -> String {
        let names: Vec<String> = credentials.iter().map(|c| self.name(c)).collect();
        let several = names.len() > 1;
        let what = match (self, several) {
            (Spelling::Env, false) => "is not set",
            (Spelling::Env, true) => "are not set",
            (Spelling::Snake, false) => "the credential {} is missing or empty",
            (Spelling::Snake, true) => "the credentials {} are missing or empty",
            (Spelling::Camel, false) => "the client option {} is missing or empty",
            (Spelling::Camel, true) => "the client options {} are missing or empty",
        };
        let what = match self {
            Spelling::Env => format!("{} {what}", names.join(", ")),
            Spelling::Snake | Spelling::Camel => what.replace("{}", &names.join(", ")),
        };
        format!(
            "{what}; to try the SDK without credentials, use the sandbox \
             (pigello.testing.Sandbox in Python, Sandbox in Node, pigello_sandbox in Rust)"
        )
    }
}

impl Credentials {
    /// The seven credentials, in the order of [`Credentials::values`].
    pub const NAMES: [CredentialName; 7] = [
        CredentialName {
            field: "customer_id",
            env: "PIGELLO_CUSTOMER_ID",
            header: "X-PIGELLO-CUSTOMER-ID",
            secret: false,
        },
        CredentialName {
            field: "application_id",
            env: "PIGELLO_APPLICATION_ID",
            header: "X-PIGELLO-APPLICATION-ID",
            secret: false,
        },
        CredentialName {
            field: "service_id",
            env: "PIGELLO_SERVICE_ID",
            header: "X-PIGELLO-SERVICE-ID",
            secret: false,
        },
        CredentialName {
            field: "service_version_id",
            env: "PIGELLO_SERVICE_VERSION_ID",
            header: "X-PIGELLO-SERVICE-VERSION-ID",
            secret: false,
        },
        CredentialName {
            field: "client_ct",
            env: "PIGELLO_CLIENT_CT",
            header: "X-PIGELLO-CLIENT-CT",
            secret: false,
        },
        CredentialName {
            field: "client_object_id",
            env: "PIGELLO_CLIENT_OBJECT_ID",
            header: "X-PIGELLO-CLIENT-ENTITY",
            secret: false,
        },
        CredentialName {
            field: "client_secret",
            env: "PIGELLO_CLIENT_SECRET",
            header: "X-PIGELLO-CLIENT-SECRET",
            secret: true,
        },
    ];

    /// The seven values, in the order of [`Credentials::NAMES`].
    pub fn values(&self) -> [&str; 7] {
        [
            &self.customer_id,
            &self.application_id,
            &self.service_id,
            &self.service_version_id,
            &self.client_ct,
            &self.client_object_id,
            self.client_secret.expose(),
        ]
    }

    /// The seven `(header, value)` pairs to send.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        Self::NAMES.iter().map(|n| n.header).zip(self.values())
    }

    /// The seven credentials, as given.
    pub fn new(
        customer_id: impl Into<String>,
        application_id: impl Into<String>,
        service_id: impl Into<String>,
        service_version_id: impl Into<String>,
        client_ct: impl Into<String>,
        client_object_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Credentials {
            customer_id: customer_id.into(),
            application_id: application_id.into(),
            service_id: service_id.into(),
            service_version_id: service_version_id.into(),
            client_ct: client_ct.into(),
            client_object_id: client_object_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// Reads the credentials through `lookup` (an environment, a dict, ...). A
    /// missing or empty value is an error that names its variable.
    pub fn from_lookup(mut lookup: impl FnMut(&str) -> Option<String>) -> crate::Result<Self> {
        Self::from_values(|name| lookup(name.env), Spelling::Env)
    }

    /// The credentials from the values a caller gave (keyword arguments, an
    /// options object): `value` gives each one, or `None` when it was left out.
    /// A missing or empty value is an error naming it as the caller spells it.
    ///
    /// ```
    /// use pigello::{Credentials, Spelling};
    /// let error = Credentials::from_values(|n| (n.field != "client_ct").then(|| "x".into()), Spelling::Camel)
    ///     .unwrap_err();
    /// assert!(error.to_string().contains("clientCt"), "{error}");
    /// ```
    pub fn from_values(
        mut value: impl FnMut(&CredentialName) -> Option<String>,
        spelling: Spelling,
    ) -> crate::Result<Self> {
        let given = Self::NAMES.map(|n| value(&n).filter(|v| !v.is_empty()));
        let missing: Vec<&CredentialName> = Self::NAMES
            .iter()
            .zip(&given)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| n)
            .collect();
        if !missing.is_empty() {
            return Err(crate::Error::Config(spelling.missing(&missing)));
        }
        // What an HTTP header can carry: visible ASCII, spaces and tabs.
        let check = |n: &CredentialName, v: Option<String>| {
            let v = v.unwrap_or_default();
            if v.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) {
                Ok(v)
            } else {
                Err(crate::Error::Config(format!(
                    "{} holds a character that cannot be sent in a header",
                    spelling.name(n)
                )))
            }
        };
        let [
            customer_id,
            application_id,
            service_id,
            service_version_id,
            client_ct,
            client_object_id,
            client_secret,
        ] = given;
        let n = &Self::NAMES;
        Ok(Credentials {
            customer_id: check(&n[0], customer_id)?,
            application_id: check(&n[1], application_id)?,
            service_id: check(&n[2], service_id)?,
            service_version_id: check(&n[3], service_version_id)?,
            client_ct: check(&n[4], client_ct)?,
            client_object_id: check(&n[5], client_object_id)?,
            client_secret: Secret(check(&n[6], client_secret)?),
        })
    }

    /// Reads the credentials from the `PIGELLO_*` environment variables.
    pub fn from_env() -> crate::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("customer_id", &self.customer_id)
            .field("application_id", &self.application_id)
            .field("service_id", &self.service_id)
            .field("service_version_id", &self.service_version_id)
            .field("client_ct", &self.client_ct)
            .field("client_object_id", &self.client_object_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "customer {} via application {} (secret <redacted>)",
            self.customer_id, self.application_id
        )
    }
}
