//! A request body onto an operation's arguments, strictly: the body is one JSON object whose
//! keys are the operation's argument names; a key given twice anywhere in the body, a key the
//! operation (or a record inside it) does not know, or a value of the wrong type is an
//! `InvalidInput` naming the field — never silently ignored. `null` counts as not given.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use trialog_core::Error;
use trialog_core::import::strict_json;

/// The arguments of one call, taken one by one by the generated handlers.
pub struct Args {
    given: Map<String, Value>,
}

impl Args {
    /// Parses a body (empty means no arguments) into its top-level arguments.
    pub fn parse(body: &[u8]) -> Result<Args, Error> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Args { given: Map::new() });
        }
        let text = std::str::from_utf8(body).map_err(|e| Error::invalid("body", format!("is not UTF-8: {e}")))?;
        // The core's reader for every JSON a person hands in: a key named twice is refused.
        let value = strict_json(text).map_err(|problem| {
            let field = if problem.field.is_empty() { "body".to_string() } else { problem.field };
            Error::invalid(field, problem.reason)
        })?;
        match value {
            Value::Object(given) => Ok(Args { given }),
            _ => Err(Error::invalid("body", "must be a JSON object of the operation's arguments")),
        }
    }

    /// Arguments given as a JSON object inside another body (a queued write's `args`).
    pub fn from_value(value: Value, field: &str) -> Result<Args, Error> {
        match value {
            Value::Object(given) => Ok(Args { given }),
            _ => Err(Error::invalid(field, "must be a JSON object of the operation's arguments")),
        }
    }

    /// An argument without a default: missing (or `null`) is an error naming it, unless its
    /// type is an `Option`, which then is `None`.
    pub fn required<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, Error> {
        match self.given.remove(name) {
            None | Some(Value::Null) => {
                serde_json::from_value(Value::Null).map_err(|_| Error::invalid(name, "is required"))
            }
            Some(value) => strict(name, value),
        }
    }

    /// An argument that has a default: `None` when it was not given or is `null`.
    pub fn optional<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, Error> {
        match self.given.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => strict(name, value).map(Some),
        }
    }

    /// After every argument was taken: anything left is not an argument of the operation.
    pub fn finish(self, operation: &str) -> Result<(), Error> {
        match self.given.keys().next() {
            None => Ok(()),
            Some(key) => Err(Error::invalid(key.as_str(), format!("is not an argument of {operation}"))),
        }
    }
}

/// A value as type `T`, refusing fields `T` would ignore and naming the path at fault.
fn strict<T: DeserializeOwned>(name: &str, value: Value) -> Result<T, Error> {
    let mut unknown = None;
    let mut track = serde_path_to_error::Track::new();
    let result = {
        let tracked = serde_path_to_error::Deserializer::new(value, &mut track);
        serde_ignored::deserialize(tracked, |path| {
            unknown.get_or_insert_with(|| path.to_string());
        })
    };
    let path =
        |inner: &str| if inner == "." || inner.is_empty() { name.to_string() } else { format!("{name}.{inner}") };
    match (result, unknown) {
        (Ok(_), Some(field)) => Err(Error::invalid(path(&field), "is not a field here")),
        (Ok(value), None) => Ok(value),
        (Err(e), _) => {
            let at = track.path().to_string();
            let reason = e.to_string();
            match reason.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
                Some(field) if at == "." => Err(Error::invalid(path(field), "is required")),
                Some(field) => Err(Error::invalid(path(&format!("{at}.{field}")), "is required")),
                None => Err(Error::invalid(path(&at), reason)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trialog_core::{NewAccount, PageRequest};

    fn field_of(error: Error) -> String {
        match error {
            Error::InvalidInput { field, .. } => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn takes_arguments_by_name_and_refuses_leftovers() {
        let mut args = Args::parse(br#"{"new": {"pseudonym": "Kim_aus_Jena"}, "page": null}"#).unwrap();
        let new: NewAccount = args.required("new").unwrap();
        assert_eq!(new.pseudonym, "Kim_aus_Jena");
        assert_eq!(args.optional::<PageRequest>("page").unwrap(), None);
        args.finish("create_account").unwrap();
        let args = Args::parse(br#"{"bogus": 1}"#).unwrap();
        assert_eq!(field_of(args.finish("create_account").unwrap_err()), "bogus");
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        let top = Args::parse(br#"{"id": 1, "id": 2}"#).err().unwrap();
        assert_eq!(field_of(top), "id");
        let nested = Args::parse(br#"{"new": {"pseudonym": "a", "pseudonym": "b"}}"#).err().unwrap();
        assert_eq!(field_of(nested), "new.pseudonym");
        let in_list = Args::parse(br#"{"rows": [{}, {"a": 1, "a": 1}]}"#).err().unwrap();
        assert_eq!(field_of(in_list), "rows[1].a");
    }

    #[test]
    fn unknown_nested_fields_and_bad_types_name_their_path() {
        let mut args = Args::parse(br#"{"new": {"pseudonym": "Kim", "colour": "red"}}"#).unwrap();
        assert_eq!(field_of(args.required::<NewAccount>("new").unwrap_err()), "new.colour");
        let mut args = Args::parse(br#"{"new": {"pseudonym": 5}}"#).unwrap();
        assert_eq!(field_of(args.required::<NewAccount>("new").unwrap_err()), "new.pseudonym");
        let mut args = Args::parse(br#"{"new": {}}"#).unwrap();
        assert_eq!(field_of(args.required::<NewAccount>("new").unwrap_err()), "new.pseudonym");
        let mut args = Args::parse(b"{}").unwrap();
        assert_eq!(field_of(args.required::<NewAccount>("new").unwrap_err()), "new");
    }

    #[test]
    fn bodies_that_are_not_one_object_are_refused() {
        assert!(Args::parse(b"").is_ok());
        for body in [&b"[1]"[..], b"{\"a\":1} x", b"{", b"\"text\""] {
            assert_eq!(field_of(Args::parse(body).err().unwrap()), "body", "{}", String::from_utf8_lossy(body));
        }
    }
}
