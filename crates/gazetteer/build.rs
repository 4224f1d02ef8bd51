//! Build script: fingerprints the bundled data and the code that compiles it, so that the cached
//! index of `Gazetteer::bundled()` is rebuilt exactly when either changes.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest);
    let inputs = [
        "../../data/gazetteer/places.tsv.gz",
        "../../data/gazetteer/admins.tsv.gz",
        "../../data/gazetteer/countries.tsv",
        "data/countries.tsv",
        "data/districts.tsv",
        "data/regions.tsv",
        "src/key.rs",
        "src/index.rs",
        "src/source.rs",
    ];
    // FNV-1a, 64 bits: a fingerprint, not a security measure.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for input in inputs {
        let path = root.join(input);
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = std::fs::read(&path).unwrap_or_default();
        for b in input.bytes().chain(bytes) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=VIGIL_GAZETTEER_FINGERPRINT={hash:016x}");
}
