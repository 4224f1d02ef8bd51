//! Fuzzes the geoparser: `find_places` and `resolve_spans` must never panic on any text, and
//! every span must point into the text at character boundaries.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vigil_gazetteer::{Gazetteer, GeoparseConfig, find_places, resolve_spans};
use vigil_model::Span;

fn gazetteer() -> &'static Gazetteer {
    static GAZ: OnceLock<Gazetteer> = OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::bundled().expect("bundled gazetteer"))
}

fuzz_target!(|data: (&str, u16, u16)| {
    let (text, a, b) = data;
    let gaz = gazetteer();
    let config = GeoparseConfig {
        exclude: vec![Span::new(0, usize::from(a).min(text.len()))],
        ..Default::default()
    };
    for m in find_places(gaz, text, &config) {
        assert_eq!(m.span.slice(text), Some(m.text.as_str()));
    }
    let (s, e) = (usize::from(a.min(b)), usize::from(a.max(b)));
    for m in resolve_spans(gaz, text, &[Span::new(s, e)], &config) {
        assert!(m.span.slice(text).is_some());
    }
});
