//! The records that several layers read: accounts (the policy decides on them, the actor
//! resolves to one) and organisations (roles and job postings name them). They live below the
//! domains that keep them, so that `actor`, `policy` and `page` need no domain module; the
//! `accounts` and `orgs` domains re-export them and own their tables and operations.

pub mod account;
pub mod article;
pub mod audience;
pub mod course;
pub mod interest;
pub mod moderation;
pub mod organisation;
pub mod rights;
pub mod search;

macro_rules! named_enum {
    ($t:ty, $field:literal, $($variant:ident => $name:literal),* $(,)?) => {
        impl $t {
            /// The name used in files, the CLI and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),* }
            }
            /// Every value, in declaration order.
            pub const ALL: &'static [$t] = &[$(Self::$variant),*];
        }
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for $t {
            type Err = $crate::error::Error;
            /// Accepts the name with `_` or `-`, in any case.
            fn from_str(s: &str) -> $crate::error::Result<Self> {
                let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
                Self::ALL.iter().copied().find(|v| v.as_str() == wanted).ok_or_else(|| {
                    let names: Vec<_> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::error::Error::invalid($field, format!("'{s}' is not one of {}", names.join(", ")))
                })
            }
        }
    };
}
/// The named enums of every domain use it (`crate::accounts::named_enum` re-exports it).
pub(crate) use named_enum;
