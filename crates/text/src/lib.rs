//! Text utilities shared by the stages: normalisation for identity, content hashing, language
//! identification and sentence boundaries.
//!
//! A report's identity is the hash of its *normalised* text, so that the same article saved twice
//! (once with Windows line ends, once with a byte-order mark, once with a trailing blank line) is
//! one report. Normalisation is only used for identity: the stored body keeps the text as decoded,
//! because every span points into it.
//!
//! ```
//! use vigil_text::{content_hash, normalise_for_identity};
//! assert_eq!(normalise_for_identity("\u{feff}Two  killed\r\nin Homs. "), "Two killed in Homs.");
//! assert_eq!(content_hash("Two killed\nin Homs."), content_hash("Two killed in Homs.\n"));
//! ```

mod language;
mod sentences;

pub use language::detect_language;
pub use sentences::{MAX_SENTENCE_BYTES, sentences};

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// The text a report's identity is computed from: Unicode NFC, byte-order marks and zero-width
/// characters removed, every run of white space folded to one space, trimmed. Case and punctuation
/// are kept: they can change meaning ("US" and "us").
pub fn normalise_for_identity(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    // Most text is already in NFC (all ASCII text is): skip the recomposition work then.
    let already_nfc = unicode_normalization::is_nfc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes;
    let chars: Box<dyn Iterator<Item = char>> = if already_nfc {
        Box::new(text.chars())
    } else {
        Box::new(text.nfc())
    };
    for c in chars {
        if matches!(
            c,
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{ad}'
        ) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// SHA-256 of [`normalise_for_identity`] of `text`, as 64 lowercase hex digits.
pub fn content_hash(text: &str) -> String {
    let normalised = normalise_for_identity(text);
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

/// The public identifier derived from a content hash: its first 16 hex digits.
pub fn uid_from_hash(content_hash: &str) -> &str {
    &content_hash[..content_hash.len().min(16)]
}

/// True when `text` has at least one letter or digit: a body of only white space and punctuation
/// is no report.
pub fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn identity_ignores_layout_but_not_words() {
        assert_eq!(content_hash("a b\r\n\r\nc"), content_hash("  a\tb c\n"));
        assert_ne!(content_hash("180 killed"), content_hash("532 killed"));
        // Decomposed and composed forms of "é" are one text.
        assert_eq!(
            content_hash("Montre\u{301}al"),
            content_hash("Montr\u{e9}al")
        );
    }

    #[test]
    fn hash_and_uid_shape() {
        let h = content_hash("At least 180 people were killed.");
        assert_eq!(h.len(), 64);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(uid_from_hash(&h), &h[..16]);
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(s in any::<String>()) {
            let once = normalise_for_identity(&s);
            prop_assert_eq!(normalise_for_identity(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
        }
    }
}
