//! Every operation of the core's manifest (`trialog_core::operations!`) as a handler that reads
//! its arguments from a JSON object and returns its result as JSON. Nothing here names an
//! operation: add one to the manifest and the server serves it at `POST /v1/<name>`.
//!
//! A result is written straight into the response body's bytes: building a `serde_json::Value`
//! first (a map per object) and writing that out was most of a thread page's time in the
//! server (benches/README.md, the HTTP bench).

use trialog_core::api::prelude::*;

use crate::args::Args;

/// One operation as the server runs it.
pub struct Handler {
    pub name: &'static str,
    /// Whether it changes the platform (graceful shutdown waits for these).
    pub writes: bool,
    /// Runs the operation; its result as a JSON document.
    pub call: fn(&trialog_core::Platform, &Actor, Args) -> Result<Vec<u8>, Error>,
}

/// Turns the manifest into one handler function per operation and the table of them.
macro_rules! expand_http {
    ($(
        $(#[doc = $doc:literal])*
        [$access:ident, $($meta:tt)*]
        $name:ident ( $($arg:ident : $ty:ty $(= $default:tt)?),* ) -> $ret:ty = |$core:ident, $actor:ident| $call:expr;
    )*) => {
        $(
            #[allow(unused_mut)]
            fn $name(platform: &trialog_core::Platform, who: &Actor, mut args: Args) -> Result<Vec<u8>, Error> {
                $(let $arg: $ty = http_take!(args, $arg: $ty $(= $default)?);)*
                args.finish(stringify!($name))?;
                let out: $ret = trialog_core::__operation_call!(platform, who, |$core, $actor| $call)?;
                crate::app::json_bytes(&out, stringify!($name))
            }
        )*
        /// Every operation of the manifest, in its order.
        pub static HANDLERS: &[Handler] = &[$(Handler {
            name: stringify!($name),
            writes: trialog_core::__flag!(access $access),
            call: $name,
        }),*];
    };
}

/// One argument: required, or its manifest default when absent or `null`.
macro_rules! http_take {
    ($args:ident, $arg:ident : $ty:ty) => {
        $args.required::<$ty>(stringify!($arg))?
    };
    ($args:ident, $arg:ident : $ty:ty = default) => {
        $args.optional::<$ty>(stringify!($arg))?.unwrap_or_default()
    };
    ($args:ident, $arg:ident : $ty:ty = []) => {
        $args.optional::<$ty>(stringify!($arg))?.unwrap_or_default()
    };
    ($args:ident, $arg:ident : $ty:ty = $default:tt) => {
        $args.optional::<$ty>(stringify!($arg))?.unwrap_or($default)
    };
}

trialog_core::operations!(expand_http);

/// The handler of operation `name`.
pub fn handler(name: &str) -> Option<&'static Handler> {
    HANDLERS.iter().find(|h| h.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_manifest_operation_has_a_handler_in_order() {
        let names: Vec<_> = HANDLERS.iter().map(|h| h.name).collect();
        let manifest: Vec<_> = trialog_core::api::OPERATIONS.iter().map(|op| op.name).collect();
        assert_eq!(names, manifest);
        assert!(HANDLERS.iter().zip(trialog_core::api::OPERATIONS).all(|(h, op)| h.writes == op.writes));
    }

    #[test]
    fn a_handler_reads_defaults_and_refuses_unknown_arguments() {
        let platform = trialog_core::Platform::in_memory().unwrap();
        let create = handler("create_account").unwrap();
        let made = (create.call)(
            &platform,
            &Actor::Anonymous,
            Args::parse(br#"{"new":{"pseudonym":"Kim_aus_Jena"}}"#).unwrap(),
        )
        .unwrap();
        let made: serde_json::Value = serde_json::from_slice(&made).unwrap();
        assert_eq!(made["pseudonym"], "Kim_aus_Jena");
        let list = handler("list_organisations").unwrap();
        let page = (list.call)(&platform, &Actor::Anonymous, Args::parse(b"").unwrap()).unwrap();
        let page: serde_json::Value = serde_json::from_slice(&page).unwrap();
        assert_eq!(page["items"], serde_json::json!([]));
        let refused = (list.call)(&platform, &Actor::Anonymous, Args::parse(br#"{"pages":{}}"#).unwrap());
        assert!(matches!(refused, Err(Error::InvalidInput { field, .. }) if field == "pages"));
    }
}
