//! JSON arrays and JSON Lines of report objects.

use std::io::BufRead;

use serde_json::{Map, Value};
use vigil_model::{IncomingReport, SourceFormat};

use crate::report::{Metadata, build};
use crate::{Config, Failure, html};

const TEXT_KEYS: [&str; 5] = ["text", "body", "content", "article", "articleBody"];

/// One report object to a report; the error is the reason it is refused.
pub(crate) fn report_from_object(
    object: Map<String, Value>,
    source: String,
    original: Vec<u8>,
    format: SourceFormat,
    config: &Config,
) -> Result<IncomingReport, String> {
    let mut meta = Metadata::default();
    let mut text = None;
    for (key, value) in object {
        let as_text = || match &value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
            _ => None,
        };
        match key.as_str() {
            k if TEXT_KEYS.contains(&k) && text.is_none() => {
                if let Some(s) = value.as_str().filter(|s| !s.trim().is_empty()) {
                    text = Some(s.to_string());
                    continue;
                }
                meta.extra.insert(key, value);
            }
            "title" | "headline" => meta.title = as_text(),
            "url" | "link" | "address" => meta.url = as_text(),
            "published" | "date" | "published_at" | "publishedAt" | "pubDate" | "datePublished" => {
                meta.published = as_text()
            }
            "outlet" | "source" | "publisher" | "site" | "site_name" => meta.outlet = as_text(),
            "language" | "lang" | "inLanguage" => meta.language = as_text(),
            _ => {
                meta.extra.insert(key, value);
            }
        }
    }
    let Some(text) = text else {
        return Err("no text field (text, body or content)".into());
    };
    let body = if html::looks_like_html(&text) {
        html::fragment_text(&text)
    } else {
        text
    };
    build(
        source,
        body,
        original,
        format,
        "UTF-8",
        meta,
        config.max_report_bytes,
    )
}

/// A JSON document: an array of report objects, one object, or an object holding the array.
pub(crate) fn read_document(
    text: &str,
    source: &str,
    config: &Config,
    sink: &mut dyn FnMut(Result<IncomingReport, Failure>),
) {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => return sink(Err(Failure::new(source, format!("invalid JSON: {error}")))),
    };
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut object) => {
            let holder = [
                "reports",
                "items",
                "articles",
                "data",
                "results",
                "documents",
            ]
            .into_iter()
            .find(|k| object.get(*k).is_some_and(Value::is_array));
            match holder.and_then(|k| object.remove(k)) {
                Some(Value::Array(items)) => items,
                _ => {
                    let original = text.as_bytes().to_vec();
                    let result = report_from_object(
                        object,
                        source.to_string(),
                        original,
                        SourceFormat::Json,
                        config,
                    );
                    return sink(result.map_err(|reason| Failure::new(source, reason)));
                }
            }
        }
        _ => return sink(Err(Failure::new(source, "JSON holds no report objects"))),
    };
    if items.is_empty() {
        return sink(Err(Failure::new(source, "JSON holds no report objects")));
    }
    for (index, item) in items.into_iter().enumerate() {
        let located = format!("{source}#index={index}");
        let result = match item {
            Value::Object(object) => {
                let original = serde_json::to_vec(&object).unwrap_or_default();
                report_from_object(
                    object,
                    located.clone(),
                    original,
                    SourceFormat::Json,
                    config,
                )
            }
            _ => Err("not a JSON object".into()),
        };
        sink(result.map_err(|reason| Failure::new(&located, reason)));
    }
}

/// JSON Lines, streamed: one report object per line, each line held to the per-report limit.
pub(crate) fn read_lines(
    reader: &mut dyn BufRead,
    source: &str,
    config: &Config,
    sink: &mut dyn FnMut(Result<IncomingReport, Failure>),
) {
    let limit = config.max_report_bytes;
    let mut line = Vec::new();
    let mut number = 0u64;
    // Every input must end as at least one report or failure, even one with nothing in it.
    let emitted = std::cell::Cell::new(false);
    let mut sink = |item: Result<IncomingReport, Failure>| {
        emitted.set(true);
        sink(item);
    };
    loop {
        number += 1;
        line.clear();
        let located = format!("{source}#line={number}");
        let read = std::io::Read::take(&mut *reader, limit + 1).read_until(b'\n', &mut line);
        match read {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) => {
                return sink(Err(Failure::new(&located, format!("cannot read: {error}"))));
            }
        }
        if line.len() as u64 > limit && line.last() != Some(&b'\n') {
            sink(Err(Failure::new(
                &located,
                format!("too large: line longer than the limit of {limit} bytes"),
            )));
            // Skip the rest of the line without holding it.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                match std::io::Read::take(&mut *reader, 1 << 20).read_until(b'\n', &mut rest) {
                    Ok(0) => return,
                    Ok(_) if rest.last() == Some(&b'\n') => break,
                    Ok(_) => continue,
                    Err(_) => return,
                }
            }
            continue;
        }
        let bytes = if number == 1 {
            line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&line)
        } else {
            &line[..]
        };
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() {
            continue;
        }
        let result = match serde_json::from_slice::<Value>(trimmed) {
            Ok(Value::Object(object)) => report_from_object(
                object,
                located.clone(),
                trimmed.to_vec(),
                SourceFormat::JsonLines,
                config,
            ),
            Ok(_) => Err("not a JSON object".into()),
            Err(error) => Err(format!("invalid JSON: {error}")),
        };
        sink(result.map_err(|reason| Failure::new(&located, reason)));
    }
    if !emitted.get() {
        sink(Err(Failure::new(
            source,
            "no reports: the file has only blank lines",
        )));
    }
}
