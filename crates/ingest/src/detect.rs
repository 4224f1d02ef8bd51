//! Telling what a file is: its format from its name or first bytes, and binaries from their magic.

/// How a document is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Markdown,
    Html,
    Json,
    JsonLines,
    Feed,
    Warc,
    WarcGzip,
}

impl Kind {
    /// Whether a file of this kind is one report, held whole to the per-report size limit.
    pub(crate) fn is_single_report(self) -> bool {
        matches!(self, Kind::Text | Kind::Markdown | Kind::Html)
    }
}

/// The kind a file name says, if it says one.
pub(crate) fn kind_from_name(name: &str) -> Option<Kind> {
    let name = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    if name.ends_with(".warc.gz") {
        return Some(Kind::WarcGzip);
    }
    let extension = name.rsplit_once('.')?.1;
    Some(match extension {
        "txt" | "text" => Kind::Text,
        "md" | "markdown" | "mdown" => Kind::Markdown,
        "html" | "htm" | "xhtml" | "shtml" => Kind::Html,
        "json" => Kind::Json,
        "jsonl" | "ndjson" => Kind::JsonLines,
        "rss" | "atom" | "xml" | "rdf" => Kind::Feed,
        "warc" => Kind::Warc,
        _ => return None,
    })
}

/// The kind the start of a (decoded) document shows, if it shows one.
pub(crate) fn kind_from_content(text: &str) -> Option<Kind> {
    let head: String = text
        .trim_start()
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("warc/") {
        return Some(Kind::Warc);
    }
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return Some(Kind::Html);
    }
    if head.starts_with('<') {
        if head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf") {
            return Some(Kind::Feed);
        }
        if head.contains("<html") || head.contains("<body") || head.contains("<p>") {
            return Some(Kind::Html);
        }
    }
    if head.starts_with('[') {
        return Some(Kind::Json);
    }
    if head.starts_with('{') {
        // One object per line is JSON Lines; one object over many lines is JSON.
        let first_line = text.trim_start().lines().next().unwrap_or("");
        let is_whole_object = serde_json::from_str::<serde_json::Value>(first_line.trim()).is_ok();
        let more_lines = text.trim().lines().count() > 1;
        return Some(if is_whole_object && more_lines {
            Kind::JsonLines
        } else {
            Kind::Json
        });
    }
    None
}

/// What kind of binary file `bytes` starts like, if any.
pub(crate) fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"RIFF", "RIFF media (WebP, WAV or AVI)"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"PK\x05\x06", "ZIP archive"),
        (b"\x1f\x8b", "gzip archive"),
        (b"BZh", "bzip2 archive"),
        (b"\xfd7zXZ\x00", "xz archive"),
        (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
        (b"Rar!\x1a\x07", "RAR archive"),
        (b"\x7fELF", "ELF executable"),
        (b"MZ", "Windows executable"),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"\x00\x00\x01\x00", "icon image"),
        (b"OggS", "Ogg media"),
        (b"ID3", "MP3 audio"),
        (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
        (b"wOFF", "web font"),
        (b"wOF2", "web font"),
    ];
    if let Some((_, name)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(name);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("MP4/QuickTime media");
    }
    // Text in UTF-16 has NUL bytes but announces itself with a byte-order mark.
    let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    if !utf16 && bytes[..bytes.len().min(8192)].contains(&0) {
        return Some("contains NUL bytes");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        assert_eq!(kind_from_name("a/b/Report.TXT"), Some(Kind::Text));
        assert_eq!(kind_from_name("crawl.warc.gz"), Some(Kind::WarcGzip));
        assert_eq!(kind_from_name("crawl.warc"), Some(Kind::Warc));
        assert_eq!(kind_from_name("feed.xml"), Some(Kind::Feed));
        assert_eq!(kind_from_name("dump.ndjson"), Some(Kind::JsonLines));
        assert_eq!(kind_from_name("README"), None);
        assert_eq!(kind_from_name("photo.png"), None);
    }

    #[test]
    fn kinds_from_content() {
        assert_eq!(
            kind_from_content("  <!DOCTYPE html><html>"),
            Some(Kind::Html)
        );
        assert_eq!(
            kind_from_content("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"),
            Some(Kind::Feed)
        );
        assert_eq!(
            kind_from_content(
                "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
            ),
            Some(Kind::Feed)
        );
        assert_eq!(
            kind_from_content("{\"text\": \"a\"}\n{\"text\": \"b\"}\n"),
            Some(Kind::JsonLines)
        );
        assert_eq!(
            kind_from_content("{\n \"text\": \"a\"\n}"),
            Some(Kind::Json)
        );
        assert_eq!(kind_from_content("[{\"text\": \"a\"}]"), Some(Kind::Json));
        assert_eq!(kind_from_content("WARC/1.0\r\n"), Some(Kind::Warc));
        assert_eq!(kind_from_content("Gunmen killed two people."), None);
    }

    #[test]
    fn binaries() {
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\n...."), Some("PNG image"));
        assert_eq!(binary_kind(b"PK\x03\x04...."), Some("ZIP archive"));
        assert_eq!(binary_kind(b"text\x00more"), Some("contains NUL bytes"));
        assert_eq!(binary_kind(b"\xff\xfeh\x00i\x00"), None);
        assert_eq!(binary_kind("plain text".as_bytes()), None);
    }
}
