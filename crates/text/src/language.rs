//! Language identification for reports whose source does not say their language.
//!
//! Two detectors in turn: whatlang (trigram profiles, tens of microseconds per report) decides
//! when it judges its own answer reliable, which it does for most paragraphs of news; lingua (more
//! accurate on short and mixed text, but around 0.7 ms per report) decides the rest. Both are
//! limited to the same languages, so they cannot disagree about what is possible.

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
    if let Some(code) = quick_guess(sample) {
        return Some(code);
    }
    let language = detector().detect_language_of(sample)?;
    Some(iso_code(language))
}

fn quick_detector() -> &'static whatlang::Detector {
    static DETECTOR: OnceLock<whatlang::Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        use whatlang::Lang::*;
        whatlang::Detector::with_allowlist(vec![
            Eng, Ara, Fra, Spa, Deu, Rus, Ukr, Tur, Pes, Urd, Heb, Por, Ita,
        ])
    })
}

/// whatlang's answer when it is confident, else `None`.
fn quick_guess(sample: &str) -> Option<&'static str> {
    use whatlang::Lang;
    let info = quick_detector().detect(sample)?;
    if !info.is_reliable() || info.confidence() < 0.9 {
        return None;
    }
    Some(match info.lang() {
        Lang::Eng => "en",
        Lang::Ara => "ar",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Deu => "de",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Tur => "tr",
        Lang::Pes => "fa",
        Lang::Urd => "ur",
        Lang::Heb => "he",
        Lang::Por => "pt",
        Lang::Ita => "it",
        _ => return None,
    })
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_languages_of_sample_sentences() {
        let cases = [
            (
                "At least 180 people were killed in the coastal villages, according to the monitor.",
                "en",
            ),
            (
                "قتل ما لا يقل عن 180 شخصا في القرى الساحلية بحسب المرصد السوري لحقوق الإنسان",
                "ar",
            ),
            (
                "Au moins 180 personnes ont été tuées dans les villages côtiers, selon l'observatoire.",
                "fr",
            ),
            (
                "Al menos 180 personas murieron en los pueblos costeros, según el observatorio.",
                "es",
            ),
            (
                "По меньшей мере 180 человек погибли в прибрежных деревнях, сообщает обсерватория.",
                "ru",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(detect_language(text), Some(want), "{text}");
        }
    }

    #[test]
    fn short_text_falls_back_to_the_accurate_detector() {
        // Too short for whatlang to be sure; lingua decides.
        assert_eq!(quick_guess("Two people were killed."), None);
        assert_eq!(
            detect_language("Two people were killed in the shelling."),
            Some("en")
        );
    }

    #[test]
    fn too_little_text_is_unknown() {
        assert_eq!(detect_language(""), None);
        assert_eq!(detect_language("12 / 34 -- !!"), None);
    }
}
