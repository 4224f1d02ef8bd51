//! RSS and Atom feeds: each item a report, with the full content where the feed carries it.

use serde_json::{Value, json};
use vigil_model::{IncomingReport, SourceFormat};

use crate::report::{Metadata, build};
use crate::{Config, Failure, html};

pub(crate) fn read(
    bytes: &[u8],
    source: &str,
    config: &Config,
    sink: &mut dyn FnMut(Result<IncomingReport, Failure>),
) {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(error) => {
            return sink(Err(Failure::new(
                source,
                format!("broken feed XML: {error}"),
            )));
        }
    };
    let format = match feed.feed_type {
        feed_rs::model::FeedType::Atom => SourceFormat::Atom,
        _ => SourceFormat::Rss,
    };
    let outlet = feed.title.as_ref().map(|t| plain(&t.content));
    if feed.entries.is_empty() {
        return sink(Err(Failure::new(source, "feed has no items")));
    }
    for (index, entry) in feed.entries.into_iter().enumerate() {
        let located = format!("{source}#item={}", index + 1);
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty());
        let summary = entry
            .summary
            .as_ref()
            .map(|s| s.content.clone())
            .filter(|s| !s.trim().is_empty());
        let raw = content.clone().or(summary.clone()).unwrap_or_default();
        let body = if html::looks_like_html(&raw) {
            html::fragment_text(&raw)
        } else {
            raw.trim().to_string()
        };
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .map(|l| l.href.clone());
        let published = entry
            .published
            .or(entry.updated)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        let title = entry.title.as_ref().map(|t| plain(&t.content));
        let mut meta = Metadata {
            title: title.clone(),
            outlet: outlet.clone(),
            url: link.clone(),
            published: published.clone(),
            language: entry.language.clone().or_else(|| feed.language.clone()),
            ..Metadata::default()
        };
        if !entry.id.is_empty() {
            meta.extra
                .insert("feed_item_id".into(), Value::String(entry.id.clone()));
        }
        let categories: Vec<Value> = entry
            .categories
            .iter()
            .map(|c| Value::String(c.term.clone()))
            .collect();
        if !categories.is_empty() {
            meta.extra
                .insert("categories".into(), Value::Array(categories));
        }
        let authors: Vec<Value> = entry
            .authors
            .iter()
            .filter_map(|a| a.name.clone())
            .map(Value::String)
            .collect();
        if !authors.is_empty() {
            meta.extra.insert("authors".into(), Value::Array(authors));
        }
        // The feed item as read: its fields with the content markup untouched.
        let original = serde_json::to_vec(&json!({
            "id": entry.id, "title": title, "link": link, "published": published,
            "content": content, "summary": summary,
        }))
        .unwrap_or_default();
        let result = build(
            located.clone(),
            body,
            original,
            format,
            "UTF-8",
            meta,
            config.max_report_bytes,
        )
        .map_err(|reason| {
            if reason == "no text" {
                "feed item has no text".to_string()
            } else {
                reason
            }
        });
        sink(result.map_err(|reason| Failure::new(&located, reason)));
    }
}

/// Titles can carry markup or entities; reports want plain text.
fn plain(text: &str) -> String {
    if html::looks_like_html(text) || text.contains('&') {
        html::fragment_text(text)
    } else {
        text.trim().to_string()
    }
}
