//! The session endpoints (`/v1/auth/...`, hand-written beside the generated operations because
//! they make or end the bearer token itself) and bearer tokens onto actors. A token only ever
//! yields an account: the operator is not reachable over HTTP, and admin rights come only from
//! an account holding the admin role.

use serde_json::{Value, json};
use trialog_core::{AccountId, Actor, AuthSessionId, Error, NewAccount, Platform};

use crate::args::Args;
use crate::problem::Problem;

/// The actor of a bearer token; `401` when it is unknown, revoked or expired.
pub fn resolve(platform: &Platform, token: &str) -> Result<Actor, Problem> {
    match platform.sessions().resolve(token) {
        Ok(session) => Ok(Actor::account(session.account)),
        Err(Error::PermissionDenied { reason, .. }) => Err(Problem::unauthenticated(&reason)),
        Err(other) => Err(other.into()),
    }
}

/// `POST /v1/auth/sign_in` `{pseudonym, password, label?}`.
pub fn sign_in(platform: &Platform, lifetime: chrono::Duration, mut args: Args) -> Result<Value, Error> {
    let pseudonym: String = args.required("pseudonym")?;
    let password: String = args.required("password")?;
    let label: Option<String> = args.optional("label")?;
    args.finish("sign_in")?;
    let signed_in = platform.sessions().sign_in(&pseudonym, &password, lifetime, label.as_deref())?;
    Ok(json!(signed_in))
}

/// `POST /v1/auth/sign_up` `{new, password, label?}`: a new account with its password (as the
/// policy lets the actor create accounts: anyone not signed in), signed in at once. The server
/// limits sign-ups per client address before this runs (`crate::limits`).
pub fn sign_up(platform: &Platform, actor: &Actor, lifetime: chrono::Duration, mut args: Args) -> Result<Value, Error> {
    let new: NewAccount = args.required("new")?;
    let password: String = args.required("password")?;
    let label: Option<String> = args.optional("label")?;
    args.finish("sign_up")?;
    let (account, signed_in) = platform.sessions().sign_up(actor, &new, &password, lifetime, label.as_deref())?;
    Ok(json!({ "account": account, "token": signed_in.token, "session": signed_in.session }))
}

/// `POST /v1/auth/sign_out`: ends the session of the bearer token.
pub fn sign_out(platform: &Platform, token: Option<&str>, args: Args) -> Result<Value, Error> {
    args.finish("sign_out")?;
    let token = token.ok_or_else(|| Error::denied("sign out", "there is no bearer token to end"))?;
    Ok(json!(platform.sessions().sign_out(token)?))
}

/// `POST /v1/auth/sessions` `{account?}`: an account's sessions (the own by default).
pub fn list(platform: &Platform, actor: &Actor, mut args: Args) -> Result<Value, Error> {
    let account: Option<AccountId> = args.optional("account")?;
    args.finish("sessions")?;
    let account = match (account, actor) {
        (Some(account), _) => account,
        (None, Actor::Account { id }) => *id,
        (None, _) => return Err(Error::denied("list sessions", "sign in first")),
    };
    Ok(json!(platform.sessions().list(actor, account)?))
}

/// `POST /v1/auth/revoke` `{id}`: revokes one session (its account or an admin).
pub fn revoke(platform: &Platform, actor: &Actor, mut args: Args) -> Result<Value, Error> {
    let id: u64 = args.required("id")?;
    args.finish("revoke")?;
    Ok(json!(platform.sessions().revoke(actor, AuthSessionId(id))?))
}
