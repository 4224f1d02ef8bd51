//! Plain text and Markdown, with optional YAML front matter.

use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

use crate::report::Metadata;

/// Splits a document into its front matter's metadata and the body after it. Without a front
/// matter block the whole text is the body. The body is returned exactly as written after the
/// block's closing line: spans point into it.
pub(crate) fn split(text: &str) -> (Metadata, &str) {
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return (Metadata::default(), text);
    };
    // The block ends at the first line that is exactly `---` or `...`.
    let mut offset = 0;
    let mut close = None;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare == "..." {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((block_end, body_start)) = close else {
        return (Metadata::default(), text);
    };
    let block = &after_open[..block_end];
    let body = &after_open[body_start..];
    (parse_block(block), body)
}

fn parse_block(block: &str) -> Metadata {
    let mut meta = Metadata::default();
    let docs = match YamlLoader::load_from_str(block) {
        Ok(docs) => docs,
        Err(error) => {
            meta.extra.insert(
                "front_matter_error".into(),
                Value::String(error.to_string()),
            );
            return meta;
        }
    };
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return meta;
    };
    for (key, value) in map {
        let Some(key) = yaml_key(&key) else { continue };
        let text = yaml_scalar(&value);
        match key.to_ascii_lowercase().as_str() {
            "title" | "headline" => meta.title = text,
            "outlet" | "source" | "publisher" | "site" => meta.outlet = text,
            "url" | "link" | "canonical" => meta.url = text,
            "published" | "date" | "published_at" | "pubdate" => meta.published = text,
            "language" | "lang" => meta.language = text,
            _ => {
                meta.extra.insert(key, yaml_to_json(&value));
            }
        }
    }
    meta
}

fn yaml_key(key: &Yaml) -> Option<String> {
    match key {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Real(r) => Some(r.clone()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn yaml_scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn yaml_to_json(value: &Yaml) -> Value {
    match value {
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Real(r) => r
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(r.clone()), Value::Number),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| Some((yaml_key(k)?, yaml_to_json(v))))
                .collect(),
        ),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fields_and_exact_body() {
        let text = "---\ntitle: \"Killings\"\nurl: \"\"\npublished: 2025-03-08\ntags: [coast, Baniyas]\n---\n\nBody line.\n";
        let (meta, body) = split(text);
        assert_eq!(meta.title.as_deref(), Some("Killings"));
        assert_eq!(meta.url.as_deref(), Some(""));
        assert_eq!(meta.published.as_deref(), Some("2025-03-08"));
        assert_eq!(meta.extra["tags"], serde_json::json!(["coast", "Baniyas"]));
        assert_eq!(body, "\nBody line.\n");
    }

    #[test]
    fn no_or_unclosed_front_matter_is_all_body() {
        assert_eq!(split("Just text.").1, "Just text.");
        assert_eq!(
            split("---\ntitle: x\nno closing line").1,
            "---\ntitle: x\nno closing line"
        );
        assert_eq!(split("--- not a block\n---\n").1, "--- not a block\n---\n");
    }

    #[test]
    fn broken_yaml_keeps_the_body() {
        let (meta, body) = split("---\ntitle: [unclosed\n---\nBody.");
        assert!(meta.extra.contains_key("front_matter_error"));
        assert_eq!(body, "Body.");
    }
}
