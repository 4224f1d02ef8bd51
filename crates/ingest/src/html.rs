//! HTML pages: the article's main text (without navigation, scripts, share buttons or comments)
//! and its metadata (title, Open Graph, `<time>`, JSON-LD `NewsArticle`).

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use serde_json::Value;

use crate::report::Metadata;

/// Fewer words than this is a menu, a cookie wall or an error page, not an article: even a
/// one-sentence wire flash is longer.
const MIN_ARTICLE_WORDS: usize = 8;

/// The charset a page declares in `<meta charset>` or `http-equiv`, read from its raw bytes.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let value: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!value.is_empty()).then_some(value)
}

/// The article in a page: its main text and metadata. `Err` when the page has no article text.
pub(crate) fn extract(html: &str, address: Option<&str>) -> Result<(Metadata, String), String> {
    let document = Document::from(html);
    let mut meta = Metadata::default();
    let json_ld = json_ld_article(&document);

    let meta_content = |selector: &str| -> Option<String> {
        document
            .select(selector)
            .iter()
            .find_map(|node| node.attr("content").map(|v| v.to_string()))
    };
    let ld_str = |key: &str| {
        json_ld
            .as_ref()
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };

    meta.title = meta_content(r#"meta[property="og:title"]"#)
        .or_else(|| ld_str("headline"))
        .or_else(|| {
            let title = document.select("title").text().to_string();
            (!title.trim().is_empty()).then_some(title)
        });
    meta.outlet = meta_content(r#"meta[property="og:site_name"]"#).or_else(|| {
        json_ld
            .as_ref()
            .and_then(|a| a.get("publisher"))
            .and_then(|p| match p {
                Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
                Value::String(s) => Some(s.clone()),
                _ => None,
            })
    });
    meta.url = meta_content(r#"meta[property="og:url"]"#)
        .or_else(|| {
            document
                .select(r#"link[rel="canonical"]"#)
                .attr("href")
                .map(|v| v.to_string())
        })
        .or_else(|| address.map(str::to_string));
    meta.published = meta_content(r#"meta[property="article:published_time"]"#)
        .or_else(|| ld_str("datePublished"))
        .or_else(|| meta_content(r#"meta[itemprop="datePublished"]"#))
        .or_else(|| meta_content(r#"meta[name="pubdate"], meta[name="publishdate"], meta[name="date"], meta[name="dc.date"], meta[name="DC.date.issued"]"#))
        .or_else(|| document.select("time[datetime]").attr("datetime").map(|v| v.to_string()));
    meta.language = document
        .select("html")
        .attr("lang")
        .map(|v| v.to_string())
        .or_else(|| ld_str("inLanguage"))
        .or_else(|| meta_content(r#"meta[http-equiv="content-language"]"#));
    if let Some(modified) =
        meta_content(r#"meta[property="article:modified_time"]"#).or_else(|| ld_str("dateModified"))
    {
        meta.extra
            .insert("modified".into(), Value::String(modified));
    }
    if let Some(author) = meta_content(r#"meta[name="author"]"#) {
        meta.extra.insert("author".into(), Value::String(author));
    }

    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let article = Readability::with_document(document, None, Some(config))
        .ok()
        .and_then(|mut r| r.parse().ok());
    let mut text = article
        .as_ref()
        .map(|a| tidy(&a.text_content))
        .unwrap_or_default();
    if !vigil_text::has_words(&text)
        && let Some(body) = ld_str("articleBody")
    {
        text = tidy(&body);
    }
    if text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
        < MIN_ARTICLE_WORDS
    {
        return Err("html page has no article text".into());
    }
    if let Some(article) = article {
        if meta.title.is_none() && !article.title.trim().is_empty() {
            meta.title = Some(article.title);
        }
        meta.outlet = meta.outlet.or(article.site_name);
        meta.published = meta.published.or(article.published_time);
        meta.language = meta.language.or(article.lang);
        if let Some(byline) = article.byline {
            meta.extra
                .entry("author".into())
                .or_insert(Value::String(byline));
        }
    }
    Ok((meta, text))
}

/// The text of an HTML fragment (a feed item's content), paragraphs kept apart.
pub(crate) fn fragment_text(html: &str) -> String {
    let document = Document::from(html);
    document
        .select("script, style, noscript, iframe, form, button")
        .remove();
    tidy(&document.formatted_text())
}

/// Whether a string holds markup rather than plain text.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let lower = text
        .get(..text.len().min(2048))
        .unwrap_or(text)
        .to_ascii_lowercase();
    [
        "<p>", "<p ", "<br", "<div", "</a>", "<span", "<html", "<body",
    ]
    .iter()
    .any(|t| lower.contains(t))
}

/// Trims each line, drops runs of blank lines beyond one, and trims the whole.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

/// The first JSON-LD object of an article type in the page, looking inside `@graph` lists.
fn json_ld_article(document: &Document) -> Option<serde_json::Map<String, Value>> {
    fn is_article(object: &serde_json::Map<String, Value>) -> bool {
        let names = |t: &Value| -> bool {
            t.as_str()
                .is_some_and(|s| s.ends_with("Article") || s == "BlogPosting" || s == "Report")
        };
        match object.get("@type") {
            Some(Value::Array(types)) => types.iter().any(names),
            Some(t) => names(t),
            None => false,
        }
    }
    fn find(value: Value, depth: usize) -> Option<serde_json::Map<String, Value>> {
        if depth > 4 {
            return None;
        }
        match value {
            Value::Array(items) => items.into_iter().find_map(|v| find(v, depth + 1)),
            Value::Object(mut object) => {
                if is_article(&object) {
                    return Some(object);
                }
                object.remove("@graph").and_then(|g| find(g, depth + 1))
            }
            _ => None,
        }
    }
    document
        .select(r#"script[type="application/ld+json"]"#)
        .iter()
        .filter_map(|node| serde_json::from_str::<Value>(node.text().trim()).ok())
        .find_map(|value| find(value, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_declarations() {
        assert_eq!(
            declared_charset(b"<meta charset=\"windows-1256\">").as_deref(),
            Some("windows-1256")
        );
        assert_eq!(
            declared_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-6\">"
            )
            .as_deref(),
            Some("iso-8859-6")
        );
        assert_eq!(
            declared_charset(b"<html><body>no charset</body></html>"),
            None
        );
    }

    #[test]
    fn fragments_and_tidying() {
        assert_eq!(
            fragment_text("<p>Two killed.</p><script>x()</script><p>Nine hurt.</p>"),
            "Two killed.\n\nNine hurt."
        );
        assert!(looks_like_html("<p>text</p>"));
        assert!(!looks_like_html("a < b and c > d"));
    }
}
