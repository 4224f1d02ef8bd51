//! Turning bytes into text: byte-order marks, UTF-8, declared charsets, and legacy encodings
//! detected from the content.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes `bytes`. `declared` is a charset the container names (HTTP header, `<meta charset>`);
/// it is trusted only when it decodes the bytes without errors.
pub(crate) fn decode(bytes: &[u8], declared: Option<&str>) -> Result<Decoded, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return Ok(Decoded {
            text: String::from_utf8_lossy(rest).into_owned(),
            encoding: "UTF-8",
        });
    }
    for (bom, encoding) in [(&b"\xff\xfe"[..], UTF_16LE), (&b"\xfe\xff"[..], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            if had_errors && !plausible(&text) {
                return Err(format!("not text: invalid {}", encoding.name()));
            }
            return Ok(Decoded {
                text: text.into_owned(),
                encoding: encoding.name(),
            });
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            encoding: "UTF-8",
        });
    }
    if let Some(encoding) = declared.and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        && encoding != UTF_8
    {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors && plausible(&text) {
            return Ok(Decoded {
                text: text.into_owned(),
                encoding: encoding.name(),
            });
        }
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, Utf8Detection::Allow);
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if encoding == UTF_8
        || (had_errors && text.chars().filter(|&c| c == '\u{fffd}').count() > 3)
        || !plausible(&text)
    {
        return Err("not text: invalid UTF-8 and no encoding decodes it cleanly".into());
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
    })
}

/// Whether decoded text looks like writing: letters, digits, spaces and punctuation, with few
/// control characters, replacement characters or stray symbols. Random bytes read as a legacy
/// encoding come out as symbol soup and fail this.
pub(crate) fn plausible(text: &str) -> bool {
    let mut total = 0usize;
    let mut odd = 0usize;
    for c in text.chars() {
        total += 1;
        let ordinary = c.is_alphanumeric()
            || c.is_whitespace()
            || c.is_ascii_punctuation()
            || matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}' | '«' | '»' | '°' | '€' | '£' | '§' | '©' | '®' | '·' | '¡' | '¿' | '،' | '؛' | '؟' | '٪' | '\u{0640}')
            || ('\u{064b}'..='\u{065f}').contains(&c)
            || ('\u{0300}'..='\u{036f}').contains(&c);
        if !ordinary || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) {
            odd += 1;
        }
    }
    total > 0 && odd * 20 <= total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_windows_1256_is_detected() {
        let arabic =
            "قتل ما لا يقل عن عشرين مدنيا في قصف على بلدة في ريف حمص الشمالي، بحسب ناشطين محليين.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(arabic);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, arabic);
        assert_eq!(decoded.encoding, "windows-1256");
    }

    #[test]
    fn boms_and_declared_charsets() {
        let decoded = decode(b"\xff\xfeA\x00b\x00", None).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            ("Ab", "UTF-16LE")
        );
        let decoded = decode(b"\xef\xbb\xbfHi", None).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.encoding), ("Hi", "UTF-8"));
        let decoded = decode(b"caf\xe9 cr\xe8me", Some("iso-8859-1")).unwrap();
        assert_eq!(decoded.text, "café crème");
    }

    #[test]
    fn symbol_soup_is_refused() {
        let soup: Vec<u8> = (0..400u32)
            .map(|i| 0x80 + ((i * 37) % 0x40) as u8)
            .collect();
        assert!(decode(&soup, None).is_err());
    }
}
