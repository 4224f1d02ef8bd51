//! WARC archives (plain or gzip-compressed), streamed record by record: each HTML `response`
//! record is a report whose address is the record's target URI.
//!
//! A small reader of our own rather than the `warc` crate, because that crate buffers whole
//! records in memory, and a hostile archive can declare a record of any size: here every record
//! is held to the per-report limit and larger ones are skipped as they stream past.

use std::io::{self, BufRead, Read};

use serde_json::Value;
use vigil_model::{IncomingReport, SourceFormat};

use crate::report::build;
use crate::{Config, Failure, decode, html};

/// Longest WARC or HTTP header block accepted.
const MAX_HEADER_BYTES: u64 = 64 * 1024;

pub(crate) fn read(
    reader: &mut dyn BufRead,
    source: &str,
    config: &Config,
    sink: &mut dyn FnMut(Result<IncomingReport, Failure>),
) {
    let mut records = 0u64;
    // Every input must end as at least one report or failure, even one with nothing in it.
    let emitted = std::cell::Cell::new(false);
    let mut sink = |item: Result<IncomingReport, Failure>| {
        emitted.set(true);
        sink(item);
    };
    loop {
        match next_record(reader, config, records + 1) {
            Ok(None) => break,
            Ok(Some(record)) => {
                records += 1;
                let located = format!("{source}#record={records}");
                match record {
                    Record::Skipped => {}
                    Record::TooLarge(length) => sink(Err(Failure::new(
                        &located,
                        format!(
                            "too large: record of {length} bytes, limit {} bytes",
                            config.max_report_bytes
                        ),
                    ))),
                    Record::Response {
                        target,
                        date,
                        block,
                    } => {
                        if let Some(result) =
                            response_report(&block, target, date, &located, config)
                        {
                            sink(result.map_err(|reason| Failure::new(&located, reason)));
                        }
                    }
                }
            }
            Err(error) => {
                let what = if records == 0 {
                    "not a WARC archive or corrupt".to_string()
                } else {
                    format!("truncated or corrupt WARC after {records} records")
                };
                let detail = if error.kind() == io::ErrorKind::UnexpectedEof {
                    "the data ends early".to_string()
                } else {
                    error.to_string()
                };
                sink(Err(Failure::new(source, format!("{what}: {detail}"))));
                return;
            }
        }
    }
    if records == 0 {
        sink(Err(Failure::new(source, "empty WARC archive")));
    } else if !emitted.get() {
        sink(Err(Failure::new(
            source,
            format!("no HTML pages among {records} WARC records"),
        )));
    }
}

enum Record {
    Response {
        target: Option<String>,
        date: Option<String>,
        block: Vec<u8>,
    },
    TooLarge(u64),
    Skipped,
}

fn next_record(
    reader: &mut dyn BufRead,
    config: &Config,
    number: u64,
) -> io::Result<Option<Record>> {
    // Records are separated by blank lines; the archive may end after them.
    let mut line = String::new();
    loop {
        line.clear();
        if read_line(reader, &mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    if !line.starts_with("WARC/") {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("record {number} does not start with a WARC version line"),
        ));
    }
    let mut length = None;
    let mut kind = String::new();
    let mut target = None;
    let mut date = None;
    let mut header_bytes = line.len() as u64;
    loop {
        line.clear();
        let n = read_line(reader, &mut line)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "archive ends inside a record header",
            ));
        }
        header_bytes += n as u64;
        if header_bytes > MAX_HEADER_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "record header too long",
            ));
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            let value = value.trim().to_string();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse::<u64>().ok(),
                "warc-type" => kind = value.to_ascii_lowercase(),
                "warc-target-uri" => target = Some(value.trim_matches(['<', '>']).to_string()),
                "warc-date" => date = Some(value),
                _ => {}
            }
        }
    }
    let length = length.ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("record {number} has no Content-Length"),
        )
    })?;
    if kind != "response" || length > config.max_report_bytes {
        let skipped = io::copy(&mut reader.take(length), &mut io::sink())?;
        if skipped < length {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "archive ends inside a record",
            ));
        }
        return Ok(Some(if kind == "response" {
            Record::TooLarge(length)
        } else {
            Record::Skipped
        }));
    }
    let mut block = Vec::with_capacity(length as usize);
    reader.take(length).read_to_end(&mut block)?;
    if (block.len() as u64) < length {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "archive ends inside a record",
        ));
    }
    Ok(Some(Record::Response {
        target,
        date,
        block,
    }))
}

/// Reads one line, at most `MAX_HEADER_BYTES` long, as lossy UTF-8.
fn read_line(reader: &mut dyn BufRead, line: &mut String) -> io::Result<usize> {
    let mut bytes = Vec::new();
    let n = reader
        .take(MAX_HEADER_BYTES)
        .read_until(b'\n', &mut bytes)?;
    line.push_str(&String::from_utf8_lossy(&bytes));
    Ok(n)
}

/// The report in an HTTP response block, or `None` when the response is not an HTML page.
fn response_report(
    block: &[u8],
    target: Option<String>,
    date: Option<String>,
    located: &str,
    config: &Config,
) -> Option<Result<IncomingReport, String>> {
    let split = find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, i + 2)))?;
    let head = String::from_utf8_lossy(&block[..split.0]).to_string();
    if !head.starts_with("HTTP/") {
        return None;
    }
    let header = |name: &str| {
        head.lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    };
    let content_type = header("content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut payload = block[split.1..].to_vec();
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        payload = match dechunk(&payload) {
            Some(p) => p,
            None => return Some(Err("cannot decode chunked HTTP payload".into())),
        };
    }
    if header("content-encoding").is_some_and(|v| v.eq_ignore_ascii_case("gzip")) {
        let mut inflated = Vec::new();
        let decoder = libflate::gzip::Decoder::new(&payload[..]);
        let ok = decoder.and_then(|d| {
            d.take(config.max_report_bytes + 1)
                .read_to_end(&mut inflated)
        });
        if ok.is_err() {
            return Some(Err("cannot inflate gzip HTTP payload".into()));
        }
        payload = inflated;
    }
    let sniffed_html = {
        let start =
            String::from_utf8_lossy(&payload[..payload.len().min(512)]).to_ascii_lowercase();
        start.contains("<html") || start.contains("<!doctype html")
    };
    if !(content_type.contains("html") || (content_type.is_empty() && sniffed_html)) {
        return None;
    }
    let charset = content_type
        .split("charset=")
        .nth(1)
        .map(|c| c.trim_matches(['"', ' ', ';']).to_string())
        .or_else(|| html::declared_charset(&payload));
    let decoded = match decode::decode(&payload, charset.as_deref()) {
        Ok(d) => d,
        Err(reason) => return Some(Err(reason)),
    };
    let (mut meta, text) = match html::extract(&decoded.text, target.as_deref()) {
        Ok(found) => found,
        Err(reason) => return Some(Err(reason)),
    };
    // The archive's record names the address the page was fetched from; a canonical URL in the
    // page is kept beside it.
    if let Some(target) = target
        && let Some(canonical) = meta.url.replace(target.clone()).filter(|c| *c != target)
    {
        meta.extra
            .insert("canonical_url".into(), Value::String(canonical));
    }
    if let Some(date) = date {
        meta.extra.insert("warc_date".into(), Value::String(date));
    }
    Some(build(
        located.to_string(),
        text,
        block.to_vec(),
        SourceFormat::Warc,
        decoded.encoding,
        meta,
        config.max_report_bytes,
    ))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Decodes an HTTP/1.1 chunked body; `None` when it is malformed.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let line_end = find(data, b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::dechunk;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").as_deref(),
            Some(&b"hello world"[..])
        );
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"ff\r\nshort"), None);
    }
}
