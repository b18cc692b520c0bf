//! Enums that keep working when the server sends a value the docs did not list.
//!
//! The generated enums are declared through these macros: one variant per documented
//! value plus `Unknown`, which holds anything else and serializes back unchanged.

/// Declares an integer enum with an `Unknown(i64)` variant.
#[macro_export]
#[doc(hidden)]
macro_rules! int_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value the reference does not list; kept as sent.
            Unknown(i64),
        }

        impl $name {
            /// Every documented value.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value on the wire.
            pub const fn value(self) -> i64 {
                match self {
                    $($name::$variant => $value,)+
                    $name::Unknown(v) => v,
                }
            }

            /// The variant for a wire value; `Unknown` when the docs do not list it.
            pub const fn from_value(v: i64) -> Self {
                match v {
                    $($value => $name::$variant,)+
                    other => $name::Unknown(other),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok($name::from_value(<i64 as ::serde::Deserialize>::deserialize(d)?))
            }
        }
    };
}

/// Declares a string enum with an `Unknown(String)` variant.
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value the reference does not list; kept as sent.
            Unknown(String),
        }

        impl $name {
            /// Every documented value.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value on the wire.
            pub fn value(&self) -> &str {
                match self {
                    $($name::$variant => $value,)+
                    $name::Unknown(v) => v,
                }
            }

            /// The variant for a wire value; `Unknown` when the docs do not list it.
            pub fn from_value(v: &str) -> Self {
                match v {
                    $($value => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Ok($name::from_value(&v))
            }
        }
    };
}
