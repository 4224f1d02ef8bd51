//! Building an `IncomingReport` from a body and the metadata a source gave: the one place where
//! every format's output is checked, hashed and given a language.

use std::collections::BTreeMap;

use serde_json::Value;
use vigil_model::{IncomingReport, SourceFormat};

use crate::meta::{normalise_date, normalise_language};

/// Metadata as a source states it, before normalisation.
#[derive(Debug, Default)]
pub(crate) struct Metadata {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub extra: BTreeMap<String, Value>,
}

fn clean_field(value: Option<String>) -> Option<String> {
    let value = value?;
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

/// Checks and completes a report; the error is the one-line reason it is refused.
pub(crate) fn build(
    source: String,
    body: String,
    original: Vec<u8>,
    format: SourceFormat,
    encoding: &str,
    meta: Metadata,
    max_report_bytes: u64,
) -> Result<IncomingReport, String> {
    if body.len() as u64 > max_report_bytes {
        return Err(format!(
            "too large: {} bytes of text, limit {max_report_bytes} bytes",
            body.len()
        ));
    }
    if !vigil_text::has_words(&body) {
        return Err("no text".into());
    }
    let mut extra = meta.extra;
    let published = match clean_field(meta.published) {
        Some(raw) => match normalise_date(&raw) {
            Some(date) => Some(date),
            None => {
                extra.insert("published_raw".into(), Value::String(raw));
                None
            }
        },
        None => None,
    };
    let given_language = clean_field(meta.language);
    let mut language = given_language.as_deref().and_then(normalise_language);
    if language.is_none()
        && let Some(raw) = given_language
    {
        extra.insert("language_raw".into(), Value::String(raw));
    }
    let language_detected = language.is_none();
    if language.is_none() {
        language = vigil_text::detect_language(&body).map(str::to_string);
    }
    Ok(IncomingReport {
        source,
        url: clean_field(meta.url),
        title: clean_field(meta.title),
        outlet: clean_field(meta.outlet),
        published,
        language_detected: language_detected && language.is_some(),
        language,
        content_hash: vigil_text::content_hash(&body),
        body,
        original,
        format,
        encoding: encoding.to_string(),
        extra,
    })
}
