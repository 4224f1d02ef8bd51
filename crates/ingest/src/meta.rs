//! Normalising metadata: publication dates to ISO 8601, language names and tags to ISO 639-1.

/// A publication date or date-time in a common form, as `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SSZ`
/// (when the source gives a time zone) or `YYYY-MM-DDTHH:MM:SS` (local time, zone unknown).
pub(crate) fn normalise_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(
            dt.with_timezone(&chrono::Utc)
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        );
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = chrono::DateTime::parse_from_str(s, format) {
            return Some(
                dt.with_timezone(&chrono::Utc)
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string(),
            );
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(s, format) {
            return Some(dt.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    // A plain date (jiff also accepts a date-time here, so the forms with a time come first).
    if let Ok(date) = s.parse::<jiff::civil::Date>() {
        return Some(date.to_string());
    }
    for format in [
        "%Y/%m/%d",
        "%d/%m/%Y",
        "%d.%m.%Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%A, %B %d, %Y",
        "%A %d %B %Y",
        "%B %d %Y",
    ] {
        if let Ok(date) = chrono::NaiveDate::parse_from_str(s, format) {
            return Some(date.format("%Y-%m-%d").to_string());
        }
    }
    // A leading ISO date followed by something else ("2025-03-08 14:05 local time").
    let leading = s.get(..10)?;
    leading
        .parse::<jiff::civil::Date>()
        .ok()
        .map(|d| d.to_string())
}

/// An ISO 639-1 code from a language tag (`en-US`, `ar_SY`), a three-letter code or an English name.
pub(crate) fn normalise_language(raw: &str) -> Option<String> {
    let lower = raw.trim().to_ascii_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    if primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return Some(primary.to_string());
    }
    let code = match primary {
        "eng" | "english" => "en",
        "ara" | "arabic" => "ar",
        "fra" | "fre" | "french" => "fr",
        "spa" | "spanish" => "es",
        "deu" | "ger" | "german" => "de",
        "rus" | "russian" => "ru",
        "ukr" | "ukrainian" => "uk",
        "tur" | "turkish" => "tr",
        "fas" | "per" | "persian" | "farsi" => "fa",
        "urd" | "urdu" => "ur",
        "heb" | "hebrew" => "he",
        "por" | "portuguese" => "pt",
        "ita" | "italian" => "it",
        "kur" | "kurdish" => "ku",
        _ => return None,
    };
    Some(code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let cases = [
            ("2025-03-08", "2025-03-08"),
            ("2025-03-08T14:05:00+02:00", "2025-03-08T12:05:00Z"),
            ("2025-03-08T14:05:00Z", "2025-03-08T14:05:00Z"),
            ("Sat, 08 Mar 2025 14:05:00 GMT", "2025-03-08T14:05:00Z"),
            ("Sat, 08 Mar 2025 14:05:00 +0300", "2025-03-08T11:05:00Z"),
            ("2025-03-08 14:05", "2025-03-08T14:05:00"),
            ("March 8, 2025", "2025-03-08"),
            ("8 March 2025", "2025-03-08"),
            ("2025/03/08", "2025-03-08"),
            ("2025-03-08 14:05 local time", "2025-03-08"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalise_date(raw).as_deref(), Some(want), "{raw}");
        }
        for bad in ["", "yesterday", "2025-13-45", "Thursday"] {
            assert_eq!(normalise_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn languages() {
        assert_eq!(normalise_language("en-US").as_deref(), Some("en"));
        assert_eq!(normalise_language("ar_SY").as_deref(), Some("ar"));
        assert_eq!(normalise_language("English").as_deref(), Some("en"));
        assert_eq!(normalise_language("fre").as_deref(), Some("fr"));
        assert_eq!(normalise_language("klingon"), None);
    }
}
