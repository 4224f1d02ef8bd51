//! Fuzzes text identity: normalisation must be idempotent on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let once = vigil_text::normalise_for_identity(text);
    assert_eq!(vigil_text::normalise_for_identity(&once), once);
});
