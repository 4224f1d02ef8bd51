//! Language identification for reports whose source does not say their language.

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

/// The languages vigil tells apart: those of the conflicts it covers and of the outlets that report
/// on them. Each one adds a model to the binary and to memory, so the list is kept short.
const LANGUAGES: [Language; 13] = [
    Language::English,
    Language::Arabic,
    Language::French,
    Language::Spanish,
    Language::German,
    Language::Russian,
    Language::Ukrainian,
    Language::Turkish,
    Language::Persian,
    Language::Urdu,
    Language::Hebrew,
    Language::Portuguese,
    Language::Italian,
];

/// How much text is looked at. A news report's language is settled in its first paragraphs, and
/// looking at a bounded prefix keeps the cost per report constant.
const SAMPLE_BYTES: usize = 1200;

fn detector() -> &'static LanguageDetector {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        LanguageDetectorBuilder::from_languages(&LANGUAGES)
            .with_low_accuracy_mode()
            .with_preloaded_language_models()
            .build()
    })
}

/// The ISO 639-1 code of the language `text` is written in, or `None` when there is too little
/// text to tell or it is none of the supported languages.
pub fn detect_language(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 12 {
        return None;
    }
    let language = detector().detect_language_of(sample)?;
    Some(iso_code(language))
}

fn iso_code(language: Language) -> &'static str {
    match language {
        Language::English => "en",
        Language::Arabic => "ar",
        Language::French => "fr",
        Language::Spanish => "es",
        Language::German => "de",
        Language::Russian => "ru",
        Language::Ukrainian => "uk",
        Language::Turkish => "tr",
        Language::Persian => "fa",
        Language::Urdu => "ur",
        Language::Hebrew => "he",
        Language::Portuguese => "pt",
        Language::Italian => "it",
        // Unreachable while the detector is built from LANGUAGES; kept total for safety.
        _ => "und",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_languages_of_sample_sentences() {
        let cases = [
            ("At least 180 people were killed in the coastal villages, according to the monitor.", "en"),
            ("قتل ما لا يقل عن 180 شخصا في القرى الساحلية بحسب المرصد السوري لحقوق الإنسان", "ar"),
            ("Au moins 180 personnes ont été tuées dans les villages côtiers, selon l'observatoire.", "fr"),
            ("Al menos 180 personas murieron en los pueblos costeros, según el observatorio.", "es"),
            ("По меньшей мере 180 человек погибли в прибрежных деревнях, сообщает обсерватория.", "ru"),
        ];
        for (text, want) in cases {
            assert_eq!(detect_language(text), Some(want), "{text}");
        }
    }

    #[test]
    fn too_little_text_is_unknown() {
        assert_eq!(detect_language(""), None);
        assert_eq!(detect_language("12 / 34 -- !!"), None);
    }
}
