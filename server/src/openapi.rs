//! The OpenAPI 3.1 document of the server, generated from the manifest and the core's record
//! types by `cargo run -p trialog-stubgen` (which knows every argument and record type) into
//! `server/openapi.json`, and served as it is at `GET /openapi.json`.

/// The document, as generated.
pub const DOCUMENT: &str = include_str!("../openapi.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_has_every_manifest_operation() {
        let doc: serde_json::Value = serde_json::from_str(DOCUMENT).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        for op in trialog_core::api::OPERATIONS {
            let path = format!("/v1/{}", op.name);
            assert!(doc["paths"][&path]["post"].is_object(), "{path} missing: run `cargo run -p trialog-stubgen`");
        }
    }
}
