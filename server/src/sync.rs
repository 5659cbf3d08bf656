//! The replica endpoints (`docs/replicas.md`): `GET /v1/sync?since=<cursor>` answers a
//! snapshot or the changes after a cursor, as the core's `sync` module projects them for the
//! bearer's account; `POST /v1/sync/send` runs one queued write of a device at most once;
//! `POST /v1/sync/older` answers a board's older pages, each thread with its first posts.

use serde_json::{Value, json};
use trialog_core::sync::Handshake;
use trialog_core::{Actor, BoardId, Error, Platform};

use crate::app::json_bytes;
use crate::args::Args;
use crate::ops;

/// The query string as a JSON body: `since` (a cursor), `version` (the replica protocol
/// version the device speaks; none: 1) and `language` (the language of the articles it holds),
/// each at most once; `since` and `version` whole numbers.
pub fn query_arguments(query: Option<&str>) -> Result<Vec<u8>, Error> {
    let mut given = serde_json::Map::new();
    for pair in query.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = match name {
            "since" => {
                json!(value.parse::<u64>().map_err(|_| Error::invalid("since", "must be a cursor: a whole number"))?)
            }
            "version" => json!(value.parse::<u32>().map_err(|_| Error::invalid("version", "must be a whole number"))?),
            "language" => json!(value),
            _ => return Err(Error::invalid(name, "is not a parameter of /v1/sync (`since`, `version`, `language`)")),
        };
        if given.insert(name.to_string(), value).is_some() {
            return Err(Error::invalid(name, "is given more than once"));
        }
    }
    Ok(Value::Object(given).to_string().into_bytes())
}

/// `GET /v1/sync`: the answer holds only what the device's protocol version knows
/// (`docs/replicas.md`, "Protocol versions").
pub fn changes(platform: &Platform, actor: &Actor, mut args: Args) -> Result<Vec<u8>, Error> {
    let since: Option<u64> = args.optional("since")?;
    let version: Option<u32> = args.optional("version")?;
    let language: Option<String> = args.optional("language")?;
    args.finish("sync")?;
    let handshake = Handshake::parse(version, language.as_deref())?;
    let batch = platform.syncing().changes_for(actor, since, &handshake)?;
    batch.to_json(handshake.version)
}

/// `POST /v1/sync/send` `{id, operation, args}`: `operation` must be a write of the manifest.
/// The answer is what became of the write (`applied` with the operation's answer, `refused`
/// with the kind and reason, or `running`): a refusal is an answer here, not an error, because
/// the device marks the queued item failed with it.
pub fn send(platform: &Platform, actor: &Actor, mut args: Args) -> Result<Vec<u8>, Error> {
    let id: String = args.required("id")?;
    let operation: String = args.required("operation")?;
    let inner: Value = args.optional("args")?.unwrap_or_else(|| json!({}));
    args.finish("send")?;
    let handler = ops::handler(&operation)
        .filter(|h| h.writes)
        .ok_or_else(|| Error::invalid("operation", format!("{operation} is not a write operation of the manifest")))?;
    let inner = Args::from_value(inner, "args")?;
    // The answer is kept for the write's replays, so it is held as a value here.
    let apply = || {
        let answer = (handler.call)(platform, actor, inner)?;
        serde_json::from_slice(&answer).map_err(|e| Error::Internal { detail: format!("answer of {operation}: {e}") })
    };
    let sent = platform.syncing().send_once(actor, &id, apply)?;
    json_bytes(&sent, "sync send")
}

/// `POST /v1/sync/older` `{board, cursor, pages}`: up to `pages` (1 to 5, default 1) pages of
/// the board's threads from `cursor` (absent: its first page), each thread with its first page
/// of posts, as the bearer may see them; `next_cursor` continues.
pub fn older(platform: &Platform, actor: &Actor, mut args: Args) -> Result<Vec<u8>, Error> {
    let board: BoardId = args.required("board")?;
    let cursor: Option<String> = args.optional("cursor")?;
    let pages: Option<u32> = args.optional("pages")?;
    args.finish("older")?;
    let older = platform.syncing().older(actor, board, cursor, pages.unwrap_or(1))?;
    json_bytes(&older, "sync older")
}
