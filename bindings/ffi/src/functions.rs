//! Free functions that need no platform: the deliberate hand-written extras beside the
//! manifest (the matching solvers live in `matching.rs`).

use trialog_core::forums::markup;
use trialog_core::geo::{self, Coordinates};
use trialog_core::{ContentKey, Error};

use trialog_core::api::guard;

/// A new random platform content key (32 bytes) for `PlatformConfig.contentKey`. Keep it in
/// the device's or server's key store: without it no counselling message can be read.
#[uniffi::export]
pub fn generate_content_key() -> Result<Vec<u8>, Error> {
    guard(|| Ok(ContentKey::generate()?.to_bytes().to_vec()))
}

/// A post body's light markup (paragraphs, `> ` quotes, links) as safe HTML: every character of
/// the body is escaped; the only elements are `p`, `br`, `blockquote` and `a`.
#[uniffi::export]
pub fn post_html(body: String) -> String {
    markup::to_html(&body)
}

/// The great-circle distance between two points in kilometres. Throws `InvalidInput` for
/// coordinates out of range.
#[uniffi::export]
pub fn distance_km(a: Coordinates, b: Coordinates) -> Result<f64, Error> {
    guard(|| {
        let a = Coordinates::new(a.latitude, a.longitude)?;
        let b = Coordinates::new(b.latitude, b.longitude)?;
        Ok(geo::distance_km(a, b))
    })
}
