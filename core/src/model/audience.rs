//! Who may read a forum board: the forums keep boards, the policy decides with their audience.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::account::Perspective;
use crate::error::{Error, Result};
use crate::ids::OrgId;

/// Who may read a board, and so post in it. Moderators and admins read every board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Audience {
    /// Everyone, signed in or not (posting still needs an account).
    Public,
    /// Signed-in accounts.
    Members,
    /// Accounts that took part from one of these perspectives, e.g. relatives only.
    Perspectives { perspectives: Vec<Perspective> },
    /// Accounts holding a role in this organisation (its staff, counsellors, supervisors).
    Organisation { org: OrgId },
}

impl Audience {
    /// Who the audience is, in words, for refusals: "relatives", "signed-in members".
    pub fn describe(&self) -> String {
        match self {
            Audience::Public => "everyone".into(),
            Audience::Members => "signed-in members".into(),
            Audience::Perspectives { perspectives } => {
                let names: Vec<&str> = perspectives.iter().map(|p| perspective_readers(*p)).collect();
                names.join(" and ")
            }
            Audience::Organisation { org } => format!("people of organisation {org}"),
        }
    }
}

fn perspective_readers(p: Perspective) -> &'static str {
    match p {
        Perspective::LivedExperience => "people with lived experience",
        Perspective::Relative => "relatives",
        Perspective::Professional => "professionals",
        Perspective::Undisclosed => "people who keep their perspective undisclosed",
    }
}

/// `public`, `members`, `perspectives:relative,professional`, `org:3`.
impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Public => f.write_str("public"),
            Audience::Members => f.write_str("members"),
            Audience::Perspectives { perspectives } => {
                let names: Vec<&str> = perspectives.iter().map(|p| p.as_str()).collect();
                write!(f, "perspectives:{}", names.join(","))
            }
            Audience::Organisation { org } => write!(f, "org:{org}"),
        }
    }
}

impl FromStr for Audience {
    type Err = Error;

    /// Accepts the forms [`Audience`]'s `Display` writes; a bare perspective (`relative`) means
    /// that perspective alone.
    fn from_str(s: &str) -> Result<Self> {
        let text = s.trim().to_ascii_lowercase();
        let bad = || {
            Error::invalid(
                "audience",
                format!("'{s}' is not public, members, perspectives:relative[,professional…] or org:ID"),
            )
        };
        match text.split_once(':') {
            None if text == "public" => Ok(Audience::Public),
            None if text == "members" => Ok(Audience::Members),
            None => {
                text.parse::<Perspective>().map(|p| Audience::Perspectives { perspectives: vec![p] }).map_err(|_| bad())
            }
            Some(("perspectives" | "perspective", list)) => {
                let perspectives = list.split(',').map(str::parse).collect::<Result<Vec<Perspective>>>()?;
                Ok(Audience::Perspectives { perspectives })
            }
            Some(("org" | "organisation", id)) => {
                id.trim().parse().map(|org| Audience::Organisation { org }).map_err(|_| bad())
            }
            Some(_) => Err(bad()),
        }
    }
}
