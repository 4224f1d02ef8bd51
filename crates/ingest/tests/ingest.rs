//! Integration tests of report intake: every format and encoding on committed fixtures
//! (`fixtures/make_fixtures.py` documents how each was made), every kind of bad input, and a
//! property test that no bytes make reading panic or go silent.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use vigil_ingest::{Config, Failure, Input, discover, read_bytes, read_file};
use vigil_model::{IncomingReport, SourceFormat};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read_with(path: &Path, config: &Config) -> (Vec<IncomingReport>, Vec<Failure>) {
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    read_file(path, config, &mut |item| match item {
        Ok(report) => reports.push(report),
        Err(failure) => failures.push(failure),
    });
    (reports, failures)
}

fn read(name: &str) -> (Vec<IncomingReport>, Vec<Failure>) {
    read_with(&fixture(name), &Config::default())
}

fn one(name: &str) -> IncomingReport {
    let (mut reports, failures) = read(name);
    assert!(failures.is_empty(), "{name}: {failures:?}");
    assert_eq!(reports.len(), 1, "{name}");
    reports.pop().unwrap()
}

fn refuse(name: &str) -> String {
    let (reports, failures) = read(name);
    assert!(reports.is_empty(), "{name} should be refused: {reports:?}");
    assert_eq!(failures.len(), 1, "{name}: {failures:?}");
    failures[0].reason.clone()
}

#[test]
fn sample_reports_keep_front_matter_and_exact_bodies() {
    let expected = [
        (
            "000_e5f14023a5c21753",
            Some("Homs: Islamist Fighters Carry Out Massacre in Alawite Village"),
            Some("The Syrian Observer"),
            "2016-05-13",
        ),
        ("001_acac6afa8d60ef28", None, None, "2025-03-17"),
        (
            "002_e588b089f4cf3d7a",
            Some("Syrian Security Forces Accused of Killing Over 500 Alawite Civilians"),
            None,
            "2025-03-09",
        ),
        (
            "003_5566f96bc46958ba",
            Some("Civilian Massacre Perpetrated by the Syrian Government, According to NGOs"),
            None,
            "2025-03-08",
        ),
        (
            "004_412e8a489ef0d1c4",
            Some(
                "After 2 months of reprieve, regime bombards rebel-held Homs district without explanation",
            ),
            Some("Syria Direct"),
            "2017-02-09",
        ),
    ];
    for (stem, title, outlet, published) in expected {
        let name = format!("seeds/{stem}.txt");
        let report = one(&name);
        let file = std::fs::read_to_string(fixture(&name)).unwrap();
        let body_start = file.match_indices("---\n").nth(1).unwrap().0 + 4;
        assert_eq!(
            report.body,
            &file[body_start..],
            "{stem}: body is everything after the front matter"
        );
        assert_eq!(report.title.as_deref(), title, "{stem}");
        assert_eq!(report.outlet.as_deref(), outlet, "{stem}");
        assert_eq!(report.published.as_deref(), Some(published), "{stem}");
        assert_eq!(report.url, None, "{stem}: empty url is no url");
        assert_eq!(
            (report.language.as_deref(), report.language_detected),
            (Some("en"), false),
            "{stem}"
        );
        assert_eq!(
            (report.format, report.encoding.as_str()),
            (SourceFormat::Text, "UTF-8")
        );
        assert_eq!(report.original, file.as_bytes());
        assert_eq!(report.content_hash, vigil_text::content_hash(&report.body));
    }
}

#[test]
fn the_same_report_without_front_matter_has_the_same_identity() {
    let file = std::fs::read_to_string(fixture("seeds/004_412e8a489ef0d1c4.txt")).unwrap();
    let body_start = file.match_indices("---\n").nth(1).unwrap().0 + 4;
    let with = one("seeds/004_412e8a489ef0d1c4.txt");
    let mut reports = Vec::new();
    read_bytes(
        &file.as_bytes()[body_start..],
        "-",
        None,
        &Config::default(),
        &mut |r| reports.push(r.unwrap()),
    );
    assert_eq!(reports[0].content_hash, with.content_hash);
    assert_eq!(reports[0].published, None);
    assert_eq!(
        (reports[0].language.as_deref(), reports[0].language_detected),
        (Some("en"), true)
    );
}

#[test]
fn html_page_main_text_and_metadata() {
    let report = one("good/article.html");
    assert_eq!(report.format, SourceFormat::Html);
    assert_eq!(
        report.title.as_deref(),
        Some("Seven killed in minibus attack near Kafr Nabl")
    );
    assert_eq!(report.outlet.as_deref(), Some("Regional Wire"));
    assert_eq!(
        report.url.as_deref(),
        Some("https://regional-wire.example/2024/05/minibus-attack")
    );
    assert_eq!(report.published.as_deref(), Some("2024-05-14T06:30:00Z"));
    assert_eq!(report.language.as_deref(), Some("en"));
    assert!(report.body.contains("Gunmen opened fire on a minibus near the town of Kafr Nabl on Tuesday, killing seven passengers"));
    assert!(
        report
            .body
            .contains("No group has claimed responsibility for the attack.")
    );
    assert!(report.body.contains("killing seven passengers and wounding four, a local monitoring group said.\n\nResidents said"), "paragraphs stay apart");
    for debris in [
        "NAVIGATION-LINK",
        "SHARE-BUTTON",
        "COMMENT-TEXT",
        "FOOTER-TEXT",
        "TRACKING-SCRIPT-TEXT",
        "INLINE-SCRIPT-TEXT",
        "font-family",
    ] {
        assert!(
            !report.body.contains(debris),
            "{debris} leaked into the body:\n{}",
            report.body
        );
    }
    assert_eq!(
        report.original,
        std::fs::read(fixture("good/article.html")).unwrap()
    );
}

#[test]
fn markdown_front_matter_keeps_unknown_keys() {
    let report = one("good/report.md");
    assert_eq!(report.format, SourceFormat::Markdown);
    assert_eq!(
        report.title.as_deref(),
        Some("Shelling of Al-Waer district")
    );
    assert_eq!(report.outlet.as_deref(), Some("Syria Direct"));
    assert_eq!(
        report.url.as_deref(),
        Some("https://syriadirect.example/waer-shelling")
    );
    assert_eq!(report.published.as_deref(), Some("2017-02-08"));
    assert_eq!(
        report.extra["tags"],
        serde_json::json!(["Homs", "shelling"])
    );
    assert_eq!(report.extra["reviewed"], serde_json::json!(false));
    assert!(report.body.starts_with(
        "\n# Shelling of Al-Waer district\n\nRegime forces shelled the **Al-Waer** district"
    ));
}

#[test]
fn json_lines_go_in_line_by_line_and_bad_lines_are_named() {
    let (reports, failures) = read("good/reports.jsonl");
    let sources: Vec<String> = reports
        .iter()
        .map(|r| r.source.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(
        sources,
        vec!["reports.jsonl#line=1", "reports.jsonl#line=4"]
    );
    let first = &reports[0];
    assert_eq!(first.title.as_deref(), Some("Forty detained in raids"));
    assert_eq!(first.outlet.as_deref(), Some("Daily Dispatch"));
    assert_eq!(first.published.as_deref(), Some("2023-11-02"));
    assert_eq!(first.extra["section"], "world");
    assert_eq!(first.format, SourceFormat::JsonLines);
    let arabic = &reports[1];
    assert_eq!(
        (arabic.language.as_deref(), arabic.language_detected),
        (Some("ar"), true)
    );
    assert!(arabic.body.starts_with("قتل ثلاثة مدنيين"));
    let reasons: Vec<String> = failures
        .iter()
        .map(|f| format!("{}: {}", f.source.rsplit('/').next().unwrap(), f.reason))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].starts_with("reports.jsonl#line=2: invalid JSON: EOF while parsing"),
        "{reasons:?}"
    );
    assert_eq!(
        reasons[1],
        "reports.jsonl#line=5: no text field (text, body or content)"
    );
}

#[test]
fn a_json_line_over_the_limit_is_skipped_without_holding_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let long = format!("{{\"text\": \"{}\"}}\n", "word ".repeat(2000));
    std::fs::write(
        &path,
        format!("{long}{{\"text\": \"Two people were killed in an ambush on the road.\"}}\n"),
    )
    .unwrap();
    let config = Config {
        max_report_bytes: 1000,
        ..Config::default()
    };
    let (reports, failures) = read_with(&path, &config);
    assert_eq!(reports.len(), 1);
    assert!(reports[0].source.ends_with("#line=2"));
    assert_eq!(failures.len(), 1);
    assert!(failures[0].source.ends_with("#line=1"));
    assert_eq!(
        failures[0].reason,
        "too large: line longer than the limit of 1000 bytes"
    );
}

#[test]
fn json_arrays_and_field_aliases() {
    let (reports, failures) = read("good/reports.json");
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(reports.len(), 2);
    assert!(reports[0].source.ends_with("reports.json#index=0"));
    assert_eq!(
        reports[0].url.as_deref(),
        Some("https://news.example/market")
    );
    assert_eq!(reports[0].outlet.as_deref(), Some("Frontline News"));
    assert_eq!(
        reports[0].published.as_deref(),
        Some("2024-01-20T08:00:00Z")
    );
    assert_eq!(reports[1].language.as_deref(), Some("en"));
    assert!(!reports[1].language_detected);
    assert_eq!(reports[1].published.as_deref(), Some("2024-01-21"));
    assert_eq!(reports[1].format, SourceFormat::Json);
}

#[test]
fn rss_items_with_full_content() {
    let (reports, failures) = read("good/feed.rss");
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(reports.len(), 2);
    let first = &reports[0];
    assert!(first.source.ends_with("feed.rss#item=1"));
    assert_eq!(first.format, SourceFormat::Rss);
    assert_eq!(
        first.title.as_deref(),
        Some("Families flee villages after killings")
    );
    assert_eq!(
        first.url.as_deref(),
        Some("https://coastal-post.example/2025/03/flee")
    );
    assert_eq!(first.published.as_deref(), Some("2025-03-08T12:05:00Z"));
    assert_eq!(first.outlet.as_deref(), Some("Coastal Post"));
    assert_eq!(first.language.as_deref(), Some("en"));
    assert_eq!(
        first.body,
        "Hundreds of families fled villages in the mountains after armed men killed dozens of residents, witnesses said.\n\nMany walked for hours to reach the nearest town."
    );
    assert_eq!(first.extra["categories"], serde_json::json!(["Syria"]));
    assert_eq!(
        reports[1].body,
        "Rescue teams recovered eleven bodies from the rubble of a collapsed building, the civil defence said."
    );
}

#[test]
fn atom_entries() {
    let report = one("good/feed.atom");
    assert_eq!(report.format, SourceFormat::Atom);
    assert_eq!(
        report.title.as_deref(),
        Some("Deux civils tués dans un bombardement")
    );
    assert_eq!(report.outlet.as_deref(), Some("Le Veilleur"));
    assert_eq!(report.published.as_deref(), Some("2024-06-02T18:30:02Z"));
    assert_eq!(report.language.as_deref(), Some("fr"));
    assert_eq!(
        report.body,
        "Deux civils ont été tués et cinq blessés lors d'un bombardement sur le village, selon les habitants."
    );
    assert_eq!(
        report.extra["authors"],
        serde_json::json!(["Claire Martin"])
    );
}

#[test]
fn warc_html_responses_plain_and_gzipped() {
    let plain = one("good/crawl.warc");
    let gzipped = one("good/crawl.warc.gz");
    for report in [&plain, &gzipped] {
        assert!(report.source.ends_with("#record=3"), "{}", report.source);
        assert_eq!(report.format, SourceFormat::Warc);
        assert_eq!(
            report.url.as_deref(),
            Some("https://dispatch.example/south")
        );
        assert_eq!(report.title.as_deref(), Some("Clashes in the south"));
        assert_eq!(report.outlet.as_deref(), Some("Daily Dispatch"));
        assert_eq!(report.extra["warc_date"], "2024-05-15T10:00:00Z");
        assert!(report.body.contains("Fighting between two armed factions in the south killed five fighters and a child on Monday"));
        assert!(!report.body.contains("NAVIGATION-LINK"));
    }
    assert_eq!(plain.content_hash, gzipped.content_hash);
}

#[test]
fn encodings_are_detected_and_decoded() {
    let cases = [
        (
            "good/arabic-windows-1256.txt",
            "windows-1256",
            "ar",
            "قتل ما لا يقل عن عشرين مدنيا",
        ),
        (
            "good/arabic-iso-8859-6.txt",
            "ISO-8859-6",
            "ar",
            "قتل ما لا يقل عن عشرين مدنيا",
        ),
        (
            "good/arabic-1256.html",
            "windows-1256",
            "ar",
            "وقال الدفاع المدني",
        ),
        (
            "good/french-windows-1252.txt",
            "windows-1252",
            "fr",
            "« C’était un carnage », a déclaré",
        ),
        (
            "good/french-latin-1.txt",
            "windows-1252",
            "fr",
            "ont été tués lors d'un bombardement sur le marché",
        ),
        (
            "good/utf16-le.txt",
            "UTF-16LE",
            "en",
            "the café on the square",
        ),
        (
            "good/utf16-be.txt",
            "UTF-16BE",
            "en",
            "the café on the square",
        ),
        (
            "good/utf8-bom.txt",
            "UTF-8",
            "en",
            "Two civilians were killed",
        ),
    ];
    for (name, encoding, language, text) in cases {
        let report = one(name);
        assert_eq!(report.encoding, encoding, "{name}");
        assert_eq!(report.language.as_deref(), Some(language), "{name}");
        assert!(report.body.contains(text), "{name}: {}", report.body);
        assert!(
            !report.body.starts_with('\u{feff}'),
            "{name}: the byte-order mark is not text"
        );
    }
    // The same words in two encodings are one report.
    assert_eq!(
        one("good/arabic-windows-1256.txt").content_hash,
        one("good/arabic-iso-8859-6.txt").content_hash
    );
    assert_eq!(
        one("good/utf16-le.txt").content_hash,
        one("good/utf8-bom.txt").content_hash
    );
}

#[test]
fn bad_inputs_get_one_line_reasons() {
    let cases = [
        ("bad/empty.txt", "empty file"),
        ("bad/photo.png", "binary file (PNG image)"),
        ("bad/photo-named-as-text.txt", "binary file (PNG image)"),
        ("bad/archive.zip", "binary file (ZIP archive)"),
        (
            "bad/invalid-bytes.txt",
            "not text: invalid UTF-8 and no encoding decodes it cleanly",
        ),
        ("bad/no-article.html", "html page has no article text"),
        ("bad/only-punctuation.txt", "no text"),
    ];
    for (name, reason) in cases {
        assert_eq!(refuse(name), reason, "{name}");
    }
    assert!(refuse("bad/broken-feed.xml").starts_with("broken feed XML: "));
    for name in ["bad/broken-feed.xml", "bad/invalid-bytes.txt"] {
        assert!(!refuse(name).contains('\n'), "{name}: reasons are one line");
    }
}

#[test]
fn a_truncated_warc_gz_keeps_what_came_before_the_break() {
    let (reports, failures) = read("bad/truncated.warc.gz");
    assert!(
        reports.is_empty(),
        "the only HTML page is in the cut-off record"
    );
    assert_eq!(failures.len(), 1);
    assert_eq!(
        failures[0].reason,
        "truncated or corrupt WARC after 2 records: the data ends early"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let file = std::fs::File::create(&path).unwrap();
    // 200 MB on one line, sparse on disk: the size alone decides.
    file.set_len(200 * 1024 * 1024).unwrap();
    let (reports, failures) = read_with(&path, &Config::default());
    assert!(reports.is_empty());
    assert_eq!(
        failures[0].reason,
        "too large: 209715200 bytes, limit 20971520 bytes"
    );
}

#[test]
fn discovery_walks_folders_and_names_what_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b/inner")).unwrap();
    std::fs::write(root.join("a.txt"), "x").unwrap();
    std::fs::write(root.join("b/inner/c.html"), "x").unwrap();
    std::fs::write(root.join(".hidden.txt"), "x").unwrap();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/config"), "x").unwrap();
    std::os::unix::fs::symlink(root, root.join("b/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("dangling.txt")).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(root.join("sock")).unwrap();

    let missing = root.join("missing.txt");
    let (inputs, failures) = discover(&[root.to_path_buf(), missing.clone(), PathBuf::from("-")]);
    let files: Vec<String> = inputs
        .iter()
        .map(|i| match i {
            Input::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
            Input::Stdin => "-".into(),
        })
        .collect();
    assert_eq!(files, vec!["a.txt", "b/inner/c.html", "-"]);
    let reasons: Vec<String> = failures
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f.source
                    .strip_prefix(&root.display().to_string())
                    .unwrap_or(&f.source),
                f.reason
            )
        })
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("/b/loop: directory loop: links back to")),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"/dangling.txt: no such file or directory".to_string()),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"/sock: not a regular file".to_string()),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"/missing.txt: no such file or directory".to_string()),
        "{reasons:?}"
    );
    assert_eq!(failures.len(), 4, "{reasons:?}");

    // Read directly, a socket is refused without being opened.
    let (_, failures) = read_with(&root.join("sock"), &Config::default());
    assert_eq!(failures[0].reason, "not a regular file");
}

#[test]
fn an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.txt");
    std::fs::write(
        &path,
        "Three people were killed in the attack, officials said.",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (reports, failures) = read_with(&path, &Config::default());
    // Root reads any file whatever its mode; everyone else must get the reason.
    if running_as_root() {
        assert_eq!(reports.len(), 1);
    } else {
        assert_eq!(failures[0].reason, "cannot read: permission denied");
    }
    // A path that vanished between discovery and reading.
    let (_, failures) = read_with(&dir.path().join("gone.txt"), &Config::default());
    assert_eq!(failures[0].reason, "no such file or directory");
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn empty_containers_still_say_something() {
    let config = Config::default();
    for (bytes, hint, reason) in [
        (
            &b"\n\n  \n"[..],
            "x.jsonl",
            "no reports: the file has only blank lines",
        ),
        (&b"[]"[..], "x.json", "JSON holds no report objects"),
        (
            &b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 2\r\n\r\nab\r\n\r\n"[..],
            "x.warc",
            "no HTML pages among 1 WARC records",
        ),
    ] {
        let mut items = Vec::new();
        read_bytes(bytes, "-", Some(hint), &config, &mut |i| items.push(i));
        assert_eq!(items.len(), 1, "{hint}");
        assert_eq!(items[0].as_ref().unwrap_err().reason, reason, "{hint}");
    }
}

const HINTS: [Option<&str>; 11] = [
    None,
    Some("a.txt"),
    Some("a.md"),
    Some("a.html"),
    Some("a.json"),
    Some("a.jsonl"),
    Some("a.rss"),
    Some("a.atom"),
    Some("a.warc"),
    Some("a.warc.gz"),
    Some("a.bin"),
];

const PREFIXES: [&[u8]; 9] = [
    b"",
    b"---\ntitle: x\n",
    b"<!doctype html><html><body><p>",
    b"{\"text\": \"",
    b"[{\"text\": ",
    b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><description>",
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
    b"\xff\xfe",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn no_bytes_make_reading_panic_or_go_silent(
        prefix in 0..PREFIXES.len(),
        hint in 0..HINTS.len(),
        tail in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = PREFIXES[prefix].to_vec();
        bytes.extend_from_slice(&tail);
        let mut items = 0;
        let config = Config { max_report_bytes: 4096, max_document_bytes: 8192 };
        read_bytes(&bytes, "fuzz", HINTS[hint], &config, &mut |item| {
            items += 1;
            if let Ok(report) = item {
                assert!(vigil_text::has_words(&report.body));
                assert_eq!(report.content_hash, vigil_text::content_hash(&report.body));
            } else if let Err(failure) = item {
                assert!(!failure.reason.contains('\n'));
            }
        });
        prop_assert!(items >= 1, "every input ends as a report or a failure");
    }

    #[test]
    fn any_text_file_round_trips_its_body(body in "[a-zA-Z0-9 ,.\n\u{600}-\u{6ff}é’]{1,400}") {
        prop_assume!(body.chars().any(char::is_alphanumeric));
        prop_assume!(!body.trim_start().starts_with(['<', '{', '[']) && !body.starts_with("---"));
        let mut items = Vec::new();
        read_bytes(body.as_bytes(), "note.txt", None, &Config::default(), &mut |i| items.push(i));
        let report = items.pop().unwrap().unwrap();
        prop_assert_eq!(report.body, body);
    }
}
