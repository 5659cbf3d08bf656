//! GeoNames postal-code files: any bytes (invalid UTF-8 included) give places and problems.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trialog_core::geo::read_postal_codes;

fuzz_target!(|bytes: &[u8]| {
    if let Ok((places, _problems)) = read_postal_codes(bytes) {
        for place in places {
            let c = place.coordinates;
            assert!(c.latitude.is_finite() && c.longitude.is_finite(), "a place off the map: {c:?}");
        }
    }
});
