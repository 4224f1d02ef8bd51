//! End-to-end tests of the `vigil` binary: the README's first command, bad input, versions,
//! standard input, exit codes and crash safety under SIGKILL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn vigil() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    command.env_remove("VIGIL_DB").stdin(Stdio::null());
    command
}

fn run(db: &Path, args: &[&str]) -> Output {
    vigil()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("vigil runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reports")
}

fn report_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn first_command_ingests_the_sample_reports_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.db");
    let examples = examples();
    let first = run(&db, &["ingest", examples.to_str().unwrap(), "--jobs", "1"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let text = stdout(&first);
    assert!(
        text.contains("5 inputs read: 5 stored (0 new versions), 0 duplicates, 0 failed"),
        "{text}"
    );
    assert!(
        text.contains("Homs: Islamist Fighters Carry Out Massacre in Alawite Village"),
        "{text}"
    );

    let again = run(&db, &["ingest", examples.to_str().unwrap(), "--json"]);
    assert!(again.status.success());
    let summary: Value = serde_json::from_str(stdout(&again).trim()).unwrap();
    assert_eq!(summary["stored"], 0);
    assert_eq!(summary["duplicates"], 5);
    assert_eq!(summary["failed"], 0);
    assert_eq!(report_count(&db), 5);

    let list = json_lines(&run(&db, &["reports", "list", "--json"]));
    assert_eq!(list.len(), 5);
    let published: Vec<&str> = list
        .iter()
        .map(|r| r["published"].as_str().unwrap())
        .collect();
    for date in [
        "2016-05-13",
        "2025-03-17",
        "2025-03-09",
        "2025-03-08",
        "2017-02-09",
    ] {
        assert!(published.contains(&date), "{published:?}");
    }
    let syria_direct = list
        .iter()
        .find(|r| r["outlet"] == "Syria Direct")
        .expect("Syria Direct report");
    assert_eq!(syria_direct["language"], "en");
    assert_eq!(syria_direct["format"], "text");

    // The body is the text after the front matter, byte for byte.
    let uid = syria_direct["uid"].as_str().unwrap();
    let shown: Value =
        serde_json::from_str(stdout(&run(&db, &["reports", "show", uid, "--json"])).trim())
            .unwrap();
    let file = std::fs::read_to_string(examples.join("004_412e8a489ef0d1c4.txt")).unwrap();
    let body_start = file.match_indices("---\n").nth(1).unwrap().0 + 4;
    assert_eq!(shown["body"].as_str().unwrap(), &file[body_start..]);
    assert_eq!(shown["original_bytes"], file.len());

    let original = run(&db, &["reports", "show", &uid[..8], "--original"]);
    assert_eq!(original.stdout, file.as_bytes());

    let table = stdout(&run(&db, &["reports", "search", "Waer"]));
    assert!(
        table.contains("regime bombards rebel-held Homs district"),
        "{table}"
    );
    assert!(
        table.contains("[Waer]"),
        "matches are marked in the snippet: {table}"
    );
    let hits = json_lines(&run(&db, &["reports", "search", "Waer", "--json"]));
    let titles: Vec<&str> = hits
        .iter()
        .map(|h| h["report"]["title"].as_str().unwrap_or(""))
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("regime bombards rebel-held Homs district")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.contains("Alawite Village")),
        "{titles:?}"
    );

    let stats: Value =
        serde_json::from_str(stdout(&run(&db, &["stats", "--json"])).trim()).unwrap();
    assert_eq!(stats["reports"], 5);
    assert_eq!(stats["runs"], 2);
    assert_eq!(stats["by_language"]["en"], 5);
}

#[test]
fn list_table_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.db");
    // From the workspace root with a relative path, as the README has it, so sources are stable.
    let ingest = vigil()
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .arg("--db")
        .arg(&db)
        .args(["ingest", "examples/reports", "--jobs", "1", "--quiet"])
        .output()
        .unwrap();
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    assert_eq!(stdout(&ingest), "", "--quiet prints nothing on success");
    insta::assert_snapshot!(stdout(&run(&db, &["reports", "list"])));
}

#[test]
fn bad_inputs_are_named_counted_and_do_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(
        inputs.join("good.txt"),
        "Two civilians were killed in shelling on the town on Monday, residents said.",
    )
    .unwrap();
    std::fs::write(inputs.join("empty.txt"), "").unwrap();
    std::fs::write(
        inputs.join("image.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89",
    )
    .unwrap();
    std::fs::write(
        inputs.join("feed.jsonl"),
        "{\"text\": \"Gunmen abducted 12 farmers near the village, local sources said.\"}\n{not json\n{\"text\": \"An air strike hit a market, killing at least 9 people.\"}\n",
    )
    .unwrap();
    let db = dir.path().join("vigil.db");
    let missing = dir.path().join("no-such-file.txt");
    let output = run(
        &db,
        &[
            "ingest",
            inputs.to_str().unwrap(),
            missing.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "some inputs failed: exit 1");
    let summary: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(summary["stored"], 3, "{summary}");
    assert_eq!(summary["failed"], 4, "{summary}");
    let failures: Vec<String> = summary["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f["source"].as_str().unwrap(),
                f["reason"].as_str().unwrap()
            )
        })
        .collect();
    let has = |needle: &str| failures.iter().any(|f| f.contains(needle));
    assert!(has("empty.txt: empty file"), "{failures:?}");
    assert!(has("image.png: binary file"), "{failures:?}");
    assert!(has("feed.jsonl#line=2: "), "{failures:?}");
    assert!(has("no-such-file.txt: "), "{failures:?}");

    // Without --json, each failure is one line on stderr naming the input.
    let again = run(&db, &["ingest", inputs.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    let error_text = stderr(&again);
    let errors: Vec<&str> = error_text
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(str::trim)
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        stdout(&again).contains("0 stored (0 new versions), 3 duplicates, 3 failed"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn a_changed_text_at_the_same_address_is_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.db");
    let file = dir.path().join("article.md");
    let write = |toll: u32| {
        let text = format!(
            "---\ntitle: Killings on the coast\nurl: https://news.example/coast\npublished: 2025-03-08\n---\n\nAt least {toll} civilians were killed, according to the monitor.\n"
        );
        std::fs::write(&file, text).unwrap();
    };
    write(180);
    assert!(
        run(&db, &["ingest", file.to_str().unwrap()])
            .status
            .success()
    );
    write(532);
    let second = run(&db, &["ingest", file.to_str().unwrap(), "--json"]);
    let summary: Value = serde_json::from_str(stdout(&second).trim()).unwrap();
    assert_eq!(summary["stored"], 1);
    assert_eq!(summary["new_versions"], 1);

    let list = json_lines(&run(&db, &["reports", "list", "--json"]));
    assert_eq!(list.len(), 2);
    let newest = list.iter().find(|r| r["version"] == 2).unwrap();
    let shown: Value = serde_json::from_str(
        stdout(&run(
            &db,
            &["reports", "show", newest["uid"].as_str().unwrap(), "--json"],
        ))
        .trim(),
    )
    .unwrap();
    assert!(
        shown["body"]
            .as_str()
            .unwrap()
            .contains("At least 532 civilians")
    );
    assert_eq!(
        shown["previous_id"],
        list.iter().find(|r| r["version"] == 1).unwrap()["id"]
    );
    assert_eq!(shown["versions"].as_array().unwrap().len(), 2);
}

#[test]
fn standard_input_is_a_report() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.db");
    let mut child = vigil()
        .arg("--db")
        .arg(&db)
        .args(["ingest", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Security forces detained 40 people in raids on three villages overnight, a rights group said.")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let summary: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(summary["stored"], 1);
    let list = json_lines(&run(&db, &["reports", "list", "--json"]));
    assert_eq!(list[0]["source"], "-");
    assert_eq!(list[0]["language"], "en");
}

#[test]
fn usage_errors_exit_2_and_help_has_examples() {
    let output = vigil().args(["ingest"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = vigil().args(["frobnicate"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    for args in [
        vec!["--help"],
        vec!["ingest", "--help"],
        vec!["reports", "list", "--help"],
        vec!["reports", "show", "--help"],
        vec!["reports", "search", "--help"],
        vec!["stats", "--help"],
        vec!["bench", "ingest", "--help"],
    ] {
        let output = vigil().args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(
            stdout(&output).contains("Example"),
            "{args:?} help has no example"
        );
    }
}

#[test]
fn missing_report_and_database_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.db");
    let output = run(&db, &["reports", "show", "ffffffffffff"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("error: no report with id"),
        "{}",
        stderr(&output)
    );
    let not_a_db = dir.path().join("notes.txt");
    std::fs::write(
        &not_a_db,
        "this is not a database, just some notes that are long enough to matter",
    )
    .unwrap();
    let output = run(&not_a_db, &["stats"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("error: cannot open database"),
        "{}",
        stderr(&output)
    );
}

/// The crash test the store's design rests on: SIGKILL at several points of a long ingest, then a
/// re-run, must leave exactly one copy of every report and a sound database.
#[test]
fn ingest_survives_sigkill_at_any_point() {
    const REPORTS: i64 = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("reports");
    let generate = vigil()
        .args([
            "bench",
            "generate",
            corpus.to_str().unwrap(),
            "--reports",
            &REPORTS.to_string(),
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(generate.status.success(), "{}", stderr(&generate));
    let db = dir.path().join("crash.db");

    // Kill once almost at once, then each time the store has grown by a further step.
    let mut kills_mid_run = 0;
    let mut stored_before = 0;
    for step in 0..5 {
        let mut child = vigil()
            .arg("--db")
            .arg(&db)
            .args([
                "ingest",
                corpus.to_str().unwrap(),
                "--batch-size",
                "200",
                "--quiet",
                "--no-extract",
            ])
            .spawn()
            .unwrap();
        let target = stored_before + 1500;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            std::thread::sleep(Duration::from_millis(if step == 0 { 30 } else { 5 }));
            if step == 0 || Instant::now() > deadline || child.try_wait().unwrap().is_some() {
                break;
            }
            if db.exists() && count_if_readable(&db).is_some_and(|n| n >= target) {
                break;
            }
        }
        // SIGKILL: no destructor, no rollback handler, no chance to tidy up.
        let _ = child.kill();
        let _ = child.wait();
        let stored = count_if_readable(&db).unwrap_or(0);
        assert!(
            stored >= stored_before,
            "reports were lost: {stored} < {stored_before}"
        );
        assert!(stored <= REPORTS, "reports were doubled: {stored}");
        if stored > stored_before && stored < REPORTS {
            kills_mid_run += 1;
        }
        stored_before = stored;
    }
    assert!(
        kills_mid_run >= 2,
        "the kills should land while reports are being stored"
    );

    let finish = run(
        &db,
        &["ingest", corpus.to_str().unwrap(), "--json", "--no-extract"],
    );
    assert!(finish.status.success(), "{}", stderr(&finish));
    let summary: Value = serde_json::from_str(stdout(&finish).trim()).unwrap();
    assert_eq!(
        summary["stored"].as_i64().unwrap() + summary["duplicates"].as_i64().unwrap(),
        REPORTS
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let distinct: i64 = conn
        .query_row(
            "SELECT count(DISTINCT content_hash) FROM reports",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(report_count(&db), REPORTS);
    assert_eq!(distinct, REPORTS);
    // FTS5's own check compares the index with the reports table, row by row.
    conn.execute(
        "INSERT INTO reports_fts(reports_fts) VALUES('integrity-check')",
        [],
    )
    .expect("full-text index matches the reports");
    let matched: i64 = conn
        .query_row(
            "SELECT count(*) FROM reports_fts WHERE reports_fts MATCH 'killed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        matched, REPORTS,
        "every synthetic report says 'killed' in its first sentence"
    );
}

fn count_if_readable(db: &Path) -> Option<i64> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    conn.busy_timeout(Duration::from_millis(200)).ok()?;
    conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0))
        .ok()
}

/// Checks of the codebase itself: the layering ARCHITECTURE.md promises, and file headers.
mod tidy {
    use std::path::Path;

    fn workspace() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
    }

    fn vigil_dependencies(krate: &str) -> Vec<String> {
        let manifest =
            std::fs::read_to_string(workspace().join("crates").join(krate).join("Cargo.toml"))
                .unwrap();
        let mut deps = Vec::new();
        let mut section = String::new();
        for line in manifest.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                section = line.to_string();
            } else if section == "[dependencies]"
                && let Some(name) = line
                    .split(['=', '.', ' '])
                    .next()
                    .filter(|n| n.starts_with("vigil-"))
            {
                deps.push(name.to_string());
            }
        }
        deps.sort();
        deps
    }

    #[test]
    fn layering_matches_architecture_md() {
        let allowed: &[(&str, &[&str])] = &[
            ("model", &[]),
            ("text", &[]),
            ("ingest", &["vigil-model", "vigil-text"]),
            ("store", &["vigil-model"]),
            ("gazetteer", &["vigil-model"]),
            ("extract", &["vigil-gazetteer", "vigil-model", "vigil-text"]),
            ("export", &["vigil-model"]),
            ("link", &["vigil-model"]),
            (
                "cli",
                &[
                    "vigil-export",
                    "vigil-extract",
                    "vigil-gazetteer",
                    "vigil-ingest",
                    "vigil-link",
                    "vigil-model",
                    "vigil-store",
                    "vigil-text",
                ],
            ),
        ];
        for (krate, expected) in allowed {
            assert_eq!(
                vigil_dependencies(krate),
                *expected,
                "dependencies of crates/{krate}"
            );
        }
        let crates: Vec<String> = std::fs::read_dir(workspace().join("crates"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        for krate in &crates {
            assert!(
                allowed.iter().any(|(k, _)| k == krate),
                "crates/{krate} is missing from the layering check and ARCHITECTURE.md"
            );
        }
    }

    #[test]
    fn every_source_file_says_what_it_is() {
        let mut missing = Vec::new();
        let mut stack = vec![workspace().join("crates")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.to_string_lossy().contains("/snapshots/")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if !text.starts_with("//!") {
                        missing.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "files without a //! header: {missing:?}"
        );
    }
}

/// `vigil extract` and `vigil eval` on files, without a database.
mod extract {
    use std::path::{Path, PathBuf};

    use serde_json::Value;

    use super::{examples, json_lines, stderr, stdout, vigil};

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/tests")
    }

    #[test]
    fn extract_prints_one_object_per_report_in_the_contract() {
        let out = vigil().arg("extract").arg(examples()).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let reports = json_lines(&out);
        assert_eq!(reports.len(), 5);
        for r in &reports {
            let source = r["report"]["source"].as_str().unwrap();
            assert!(source.ends_with(".txt"), "{source}");
            assert!(r["report"]["published"].is_string());
            let incidents = r["incidents"].as_array().unwrap();
            assert!(!incidents.is_empty(), "{source}");
            for m in incidents {
                for key in [
                    "event_type",
                    "sub_event_type",
                    "date",
                    "place",
                    "actors",
                    "victims",
                    "figures",
                    "historical",
                    "evidence",
                ] {
                    assert!(m.get(key).is_some(), "{key} missing in {m}");
                }
                assert!(m["place"]["lat"].is_number() && m["place"]["lon"].is_number());
            }
        }
        // The Waer report: the killed figure of Thursday's gas cylinders, with its claimant.
        let waer = reports
            .iter()
            .find(|r| r["report"]["source"].as_str().unwrap().contains("004_"))
            .unwrap();
        let thursday: Vec<&Value> = waer["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| {
                m["date"]["start"] == "2017-02-09"
                    && m["place"]["name"].as_str().unwrap().contains("Wa")
            })
            .collect();
        let claim = &thursday[0]["figures"]["killed"]["claims"][0];
        assert_eq!(claim["low"], 1);
        assert_eq!(claim["claimant"], "pro-opposition sources");
    }

    #[test]
    fn extract_reads_every_input_format_and_prints_a_table() {
        let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ingest/tests/fixtures/good");
        let out = vigil()
            .args(["extract", "--format", "table"])
            .arg(good.join("reports.jsonl"))
            .arg(good.join("article.html"))
            .output()
            .unwrap();
        // reports.jsonl holds one malformed line: named on stderr, exit code 1, the rest printed.
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.starts_with("report"), "{text}");
        // The HTML article's incident, with its place and figures.
        assert!(
            text.lines()
                .any(|l| l.starts_with("article") && l.contains("Kafranbel")),
            "{text}"
        );
        let jsonl = vigil()
            .arg("extract")
            .arg(good.join("reports.jsonl"))
            .output()
            .unwrap();
        let first = &json_lines(&jsonl)[0];
        assert!(
            first["report"]["source"]
                .as_str()
                .unwrap()
                .ends_with("reports.jsonl#line=1")
        );
        // "detained 40 people in raids on three villages": no village is named, so no incident.
        assert_eq!(first["incidents"], Value::Array(vec![]));
    }

    #[test]
    fn eval_prints_the_score_py_table_and_meets_the_sample_targets() {
        let out = vigil()
            .args(["eval", "--gold"])
            .arg(fixtures().join("gold/seeds"))
            .arg(fixtures().join("reports/seeds"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        let last = text.lines().last().unwrap();
        assert!(last.starts_with("score: core_recall=1.000 "), "{text}");
        // The same predictions through `vigil extract` and score.py give the same table.
        let extracted = vigil()
            .arg("extract")
            .arg(fixtures().join("reports/seeds"))
            .output()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("out.jsonl");
        std::fs::write(&jsonl, &extracted.stdout).unwrap();
        let from_file = vigil()
            .args(["eval", "--gold"])
            .arg(fixtures().join("gold/seeds"))
            .arg("--predictions")
            .arg(&jsonl)
            .output()
            .unwrap();
        assert_eq!(stdout(&from_file), text);
        if let Ok(py) = std::process::Command::new("python3")
            .arg(fixtures().join("gold/score.py"))
            .arg(&jsonl)
            .arg(fixtures().join("gold/seeds"))
            .output()
        {
            assert!(py.status.success(), "{}", stderr(&py));
            assert_eq!(stdout(&py), text, "score.py and vigil eval differ");
        }
        let json = vigil()
            .args(["eval", "--json", "--gold"])
            .arg(fixtures().join("gold/seeds"))
            .arg("--predictions")
            .arg(&jsonl)
            .output()
            .unwrap();
        let scores: Value = serde_json::from_str(stdout(&json).trim()).unwrap();
        assert_eq!(scores["core_recall"], 1.0);
        assert_eq!(scores["invented_figures"], 0);
    }
}
#[test]
fn the_database_comes_from_vigil_db_when_no_flag_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.db");
    let report = dir.path().join("r.txt");
    std::fs::write(
        &report,
        "Gunmen killed three shepherds near the village at dawn, relatives said.",
    )
    .unwrap();
    let output = vigil()
        .current_dir(dir.path())
        .env("VIGIL_DB", &db)
        .args(["ingest", report.to_str().unwrap(), "--quiet"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(report_count(&db), 1);
    assert!(
        !dir.path().join("vigil.db").exists(),
        "the default is not used when VIGIL_DB is set"
    );
}

/// Linking end to end: the gold cross-report links of the sample reports, through the store and
/// the CLI, from gold mentions (linking alone) and from vigil's own extraction.
mod link {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use serde_json::Value;

    use super::{examples, json_lines, run, stderr, stdout};

    fn gold_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../link/tests/gold")
    }

    /// Every incident with its mentions as (report file stem, ordinal).
    fn incidents_with_members(db: &Path) -> Vec<(Value, BTreeSet<(String, u64)>)> {
        let reports = json_lines(&run(db, &["reports", "list", "--json"]));
        let stem_of: BTreeMap<String, String> = reports
            .iter()
            .map(|r| {
                let source = r["source"].as_str().unwrap();
                let stem = Path::new(source)
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (r["uid"].as_str().unwrap().to_string(), stem)
            })
            .collect();
        let list = json_lines(&run(db, &["incidents", "list", "--json"]));
        list.into_iter()
            .map(|incident| {
                let id = incident["id"].as_str().unwrap().to_string();
                let shown: Value = serde_json::from_str(
                    stdout(&run(db, &["incidents", "show", &id, "--json"])).trim(),
                )
                .unwrap();
                let members = shown["mentions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| {
                        (
                            stem_of[m["report"]["id"].as_str().unwrap()].clone(),
                            m["ordinal"].as_u64().unwrap(),
                        )
                    })
                    .collect();
                (incident, members)
            })
            .collect()
    }

    /// Gold names (`doc/incident-id`) → (doc, ordinal).
    fn gold_ordinals() -> BTreeMap<String, (String, u64)> {
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(gold_dir()).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            if path.extension().is_none_or(|e| e != "json") || stem == "links" {
                continue;
            }
            let gold: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for (i, incident) in gold["incidents"].as_array().unwrap().iter().enumerate() {
                out.insert(
                    format!("{stem}/{}", incident["id"].as_str().unwrap()),
                    (stem.clone(), i as u64),
                );
            }
        }
        out
    }

    fn links() -> Value {
        serde_json::from_str(&std::fs::read_to_string(gold_dir().join("links.json")).unwrap())
            .unwrap()
    }

    #[test]
    fn gold_mentions_become_the_gold_incidents_through_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.db");
        let ingest = run(
            &db,
            &[
                "ingest",
                examples().to_str().unwrap(),
                "--no-extract",
                "--quiet",
            ],
        );
        assert!(ingest.status.success(), "{}", stderr(&ingest));
        let mentions = gold_dir().join("mentions.jsonl");
        let linked = run(&db, &["link", "--mentions", mentions.to_str().unwrap()]);
        assert!(linked.status.success(), "{}", stderr(&linked));

        let incidents = incidents_with_members(&db);
        let ordinals = gold_ordinals();
        let links = links();
        let incident_of = |name: &str| -> &Value {
            let key = &ordinals[name];
            &incidents
                .iter()
                .find(|(_, members)| members.contains(key))
                .unwrap_or_else(|| panic!("{name}"))
                .0
        };
        // Every "same" group is one incident holding exactly its mentions.
        let mut grouped = BTreeSet::new();
        for group in links["same"].as_array().unwrap() {
            let keys: BTreeSet<(String, u64)> = group
                .as_array()
                .unwrap()
                .iter()
                .map(|n| ordinals[n.as_str().unwrap()].clone())
                .collect();
            assert!(
                incidents.iter().any(|(_, members)| *members == keys),
                "{group} is not one incident"
            );
            grouped.extend(keys);
        }
        // Everything else stands alone.
        for (incident, members) in &incidents {
            if members.is_disjoint(&grouped) {
                assert_eq!(members.len(), 1, "merged beyond the gold: {incident}");
            }
        }
        for pair in links["part_of"].as_array().unwrap() {
            let (local, wave) = (
                incident_of(pair[0].as_str().unwrap()),
                incident_of(pair[1].as_str().unwrap()),
            );
            assert_eq!(local["part_of"], wave["id"], "{pair}");
        }
        let wave = incident_of("001_acac6afa8d60ef28/coast-wave");
        let killed = &wave["figures"]["killed"];
        assert_eq!(killed["best"], 532);
        assert_eq!(killed["low"], 532);
        assert_eq!(killed["claims"].as_array().unwrap().len(), 3);
        for field in [
            "claimant",
            "report",
            "published",
            "low",
            "high",
            "qualifier",
            "text",
            "span",
        ] {
            assert!(
                killed["claims"][0].get(field).is_some(),
                "claims carry {field}: {killed}"
            );
        }
        assert!(killed["rationale"].as_str().unwrap().starts_with(
            "best 532: newest figure of Syrian Observatory for Human Rights, 9 Mar 2025"
        ));
        assert_eq!(wave["reports"].as_array().unwrap().len(), 3);
        for field in [
            "id",
            "event_type",
            "sub_event_type",
            "date",
            "place",
            "actors",
            "figures",
            "reports",
            "part_of",
            "flags",
        ] {
            assert!(wave.get(field).is_some(), "incidents carry {field}");
        }

        // A rebuild gives the same incidents.
        let before = stdout(&run(&db, &["incidents", "list", "--json"]));
        let rebuilt = run(&db, &["link", "--rebuild"]);
        assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
        assert_eq!(stdout(&run(&db, &["incidents", "list", "--json"])), before);
    }

    /// The incremental benchmark on a small synthetic store: three batches of new reports of
    /// the store's last days linked incrementally, then `--check` links everything again and
    /// compares every incident, its mentions, figures and wave.
    #[test]
    fn incremental_linking_of_synthetic_batches_equals_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.db");
        let kept = dir.path().join("bench.db");
        let out = run(
            &db,
            &[
                "bench",
                "link-incremental",
                "--incidents",
                "1200",
                "--reports",
                "80",
                "--runs",
                "3",
                "--check",
                "--store",
                kept.to_str().unwrap(),
                "--json",
                "-q",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let figures: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(figures["new_mentions"], 240);
        let base = figures["store_incidents"].as_u64().unwrap();
        assert!((960..=1500).contains(&base), "{figures}");
        assert!(figures["checked_incidents"].as_u64().unwrap() > base);
        // The kept store is the one built, not the one the runs added to; --db is untouched.
        assert!(kept.exists());
        assert!(!db.exists());
    }

    #[test]
    fn incremental_linking_report_by_report_equals_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.db");
        assert!(
            run(
                &db,
                &["ingest", examples().to_str().unwrap(), "--no-extract", "-q"]
            )
            .status
            .success()
        );
        // Reports arrive one at a time, newest first.
        let all = std::fs::read_to_string(gold_dir().join("mentions.jsonl")).unwrap();
        for (i, line) in all.lines().rev().enumerate() {
            let file = dir.path().join(format!("m{i}.jsonl"));
            std::fs::write(&file, format!("{line}\n")).unwrap();
            let out = run(&db, &["link", "--mentions", file.to_str().unwrap(), "-q"]);
            assert!(out.status.success(), "{}", stderr(&out));
        }
        let incremental = stdout(&run(&db, &["incidents", "list", "--json"]));
        assert!(run(&db, &["link", "--rebuild", "-q"]).status.success());
        let rebuilt = stdout(&run(&db, &["incidents", "list", "--json"]));
        let sorted = |text: &str| text.lines().map(str::to_string).collect::<BTreeSet<_>>();
        assert_eq!(sorted(&incremental), sorted(&rebuilt));
        assert_eq!(incremental.lines().count(), 25);

        // Re-extraction: each report's mentions replaced in turn (waves and their parts among
        // them), linked incrementally each time, still give what a rebuild gives.
        for i in 0..all.lines().count() {
            let file = dir.path().join(format!("m{i}.jsonl"));
            let out = run(&db, &["link", "--mentions", file.to_str().unwrap(), "-q"]);
            assert!(out.status.success(), "{}", stderr(&out));
            // (New mention ids may give incidents new ids: compare with a rebuild now.)
            let again = stdout(&run(&db, &["incidents", "list", "--json"]));
            assert!(run(&db, &["link", "--rebuild", "-q"]).status.success());
            let rebuilt = stdout(&run(&db, &["incidents", "list", "--json"]));
            assert_eq!(sorted(&again), sorted(&rebuilt), "after re-extracting m{i}");
            assert_eq!(again.lines().count(), 25);
        }
    }

    #[test]
    fn incidents_list_filters_and_shows() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.db");
        assert!(
            run(
                &db,
                &["ingest", examples().to_str().unwrap(), "--no-extract", "-q"]
            )
            .status
            .success()
        );
        let mentions = gold_dir().join("mentions.jsonl");
        assert!(
            run(
                &db,
                &["link", "--mentions", mentions.to_str().unwrap(), "-q"]
            )
            .status
            .success()
        );
        let count = |args: &[&str]| {
            let mut all = vec!["incidents", "list", "--json"];
            all.extend_from_slice(args);
            let out = run(&db, &all);
            assert!(out.status.success(), "{}", stderr(&out));
            json_lines(&out).len()
        };
        assert_eq!(count(&[]), 25);
        assert_eq!(count(&["--min-killed", "100"]), 1);
        assert_eq!(count(&["--since", "2025-01-01"]), 12);
        assert_eq!(count(&["--until", "2016-12-31"]), 7);
        assert_eq!(
            count(&["--since", "2017-02-08", "--until", "2017-02-08"]),
            2
        );
        assert_eq!(count(&["--country", "sy"]), 25);
        assert_eq!(count(&["--country", "IQ"]), 0);
        // Baniyas: the town's incidents within 5 km, not the region's point 13 km away.
        assert_eq!(count(&["--near", "35.18,35.95,5"]), 4);
        assert_eq!(count(&["--type", "battles"]), 3);
        assert_eq!(count(&["--type", "air_drone_strike"]), 4);
        assert_eq!(count(&["--actor", "assad loyal"]), 3);
        assert_eq!(count(&["--no-historical"]), 23);
        assert_eq!(count(&["--limit", "3"]), 3);
        let bad = run(&db, &["incidents", "list", "--near", "95,0,10"]);
        assert_eq!(bad.status.code(), Some(2));
        let bad = run(&db, &["incidents", "list", "--type", "picnic"]);
        assert_eq!(bad.status.code(), Some(2));

        // The table and the detail view.
        let table = stdout(&run(&db, &["incidents", "list", "--min-killed", "100"]));
        assert!(
            table.contains("532 (532-999)") && table.contains("Syrian coast, SY"),
            "{table}"
        );
        let id = table
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        let shown = stdout(&run(&db, &["incidents", "show", &id[..6]]));
        for expected in [
            "best 532: newest figure of Syrian Observatory for Human Rights, 9 Mar 2025",
            "superseded",
            "Syrian Observatory for Human Rights",
            "mentions and evidence",
            "SOHR: over 532 Alawite civilians",
        ] {
            assert!(
                shown.contains(expected),
                "{expected:?} missing from\n{shown}"
            );
        }
        let missing = run(&db, &["incidents", "show", "ffffffffffff"]);
        assert_eq!(missing.status.code(), Some(1));
        assert!(
            stderr(&missing).contains("no incident"),
            "{}",
            stderr(&missing)
        );
    }

    #[test]
    fn ingest_extracts_and_links_the_sample_reports() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.db");
        let out = run(&db, &["ingest", examples().to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("5 reports extracted"), "{text}");
        assert!(
            text.contains("killed") && text.contains("part of"),
            "the incident table is printed: {text}"
        );

        // With vigil's own extraction, the gold groups that extraction supports meet.
        let incidents = incidents_with_members(&db);
        let wave = incidents
            .iter()
            .find(|(i, _)| i["aggregate"] == true && i["figures"]["killed"]["best"] == 532)
            .unwrap_or_else(|| panic!("no wave with best 532: {incidents:#?}"));
        let docs: BTreeSet<&str> = wave.1.iter().map(|(doc, _)| doc.as_str()).collect();
        assert_eq!(
            docs.len(),
            3,
            "the coastal wave is told by three reports: {docs:?}"
        );
        assert_eq!(wave.0["figures"]["killed"]["low"], 532);
        let baniyas = incidents
            .iter()
            .filter(|(i, m)| {
                m.len() >= 3
                    && i["aggregate"] == false
                    && i["place"]["name"]
                        .as_str()
                        .is_some_and(|n| n.contains("niy"))
            })
            .count();
        assert_eq!(
            baniyas, 1,
            "the Baniyas killings are one incident of three reports"
        );
        let parts = incidents
            .iter()
            .filter(|(i, _)| i["part_of"] == wave.0["id"])
            .count();
        assert!(
            parts >= 5,
            "the village attacks are part of the wave: {parts}"
        );

        // Ingesting again extracts nothing twice.
        let again = run(&db, &["ingest", examples().to_str().unwrap()]);
        assert!(
            !stdout(&again).contains("reports extracted"),
            "{}",
            stdout(&again)
        );
    }
}

/// `vigil export`, `vigil import` and `vigil compare` on the sample reports: every format read
/// back with an independent reader and checked against the store's own incidents.
mod exports {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};

    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Date32Type, Float64Type, Int64Type};
    use serde_json::Value;
    use vigil_model::{FigureKind, Incident};

    use super::{examples, json_lines, run, stderr, stdout};

    fn sample(dir: &Path) -> PathBuf {
        let db = dir.join("vigil.db");
        let out = run(&db, &["ingest", examples().to_str().unwrap(), "--quiet"]);
        assert!(out.status.success(), "{}", stderr(&out));
        db
    }

    fn incidents(db: &Path, filters: &[&str]) -> Vec<Incident> {
        let mut args = vec!["incidents", "list", "--json"];
        args.extend_from_slice(filters);
        json_lines(&run(db, &args))
            .into_iter()
            .map(|v| serde_json::from_value(v).unwrap())
            .collect()
    }

    fn export(db: &Path, format: &str, out: &Path, filters: &[&str]) {
        let mut args = vec!["export", "--format", format, "--out", out.to_str().unwrap()];
        args.extend_from_slice(filters);
        let output = run(db, &args);
        assert!(output.status.success(), "{format}: {}", stderr(&output));
        assert!(
            stderr(&output).starts_with("exported "),
            "{}",
            stderr(&output)
        );
    }

    /// CSV rows as maps, with the formula guard undone.
    fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
        let mut reader = csv::Reader::from_path(path).unwrap();
        let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                headers
                    .iter()
                    .cloned()
                    .zip(r.iter().map(|c| vigil_export::unguard(c).to_string()))
                    .collect()
            })
            .collect()
    }

    fn killed(incident: &Incident) -> Option<u64> {
        incident
            .figures
            .get(&FigureKind::Killed)
            .and_then(|f| f.best.or(f.low))
    }

    fn days(d: jiff::civil::Date) -> i32 {
        (d - jiff::civil::date(1970, 1, 1)).get_days()
    }

    #[test]
    fn every_format_reads_back_against_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let db = sample(dir.path());
        let stored = incidents(&db, &[]);
        assert!(stored.len() >= 10, "the samples give incidents");
        let path = |ext: &str| dir.path().join(format!("out.{ext}"));

        // JSON Lines: the store's incidents, whole.
        export(&db, "jsonl", &path("jsonl"), &[]);
        let text = std::fs::read_to_string(path("jsonl")).unwrap();
        let back: Vec<Incident> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(back, stored);

        // ACLED CSV.
        export(&db, "acled-csv", &path("acled.csv"), &[]);
        let rows = csv_rows(&path("acled.csv"));
        assert_eq!(rows.len(), stored.len());
        for (row, incident) in rows.iter().zip(&stored) {
            assert_eq!(row["event_id_cnty"], incident.id);
            assert_eq!(row["event_type"], incident.event_type.acled_name());
            assert_eq!(row["sub_event_type"], incident.sub_event_type.acled_name());
            assert_eq!(row["fatalities"], killed(incident).unwrap_or(0).to_string());
            match &incident.place {
                Some(p) => {
                    let lat: f64 = row["latitude"].parse().unwrap();
                    let lon: f64 = row["longitude"].parse().unwrap();
                    assert!(
                        (lat - p.lat).abs() < 1e-4 && (lon - p.lon).abs() < 1e-4,
                        "{}",
                        incident.id
                    );
                    assert_eq!(row["location"], p.name);
                    assert_eq!(row["admin1"], p.admin1.clone().unwrap_or_default());
                    if p.country.as_deref() == Some("SY") {
                        assert_eq!(
                            (row["country"].as_str(), row["iso"].as_str()),
                            ("Syria", "760")
                        );
                    }
                }
                None => assert_eq!(row["latitude"], ""),
            }
            if let Some(outlet) = incident.reports.iter().find_map(|r| r.outlet.as_deref()) {
                assert!(
                    row["source"].contains(outlet),
                    "{} lacks {outlet}",
                    row["source"]
                );
            }
            if let Some((start, end)) = incident.date.bounds() {
                let day: jiff::civil::Date = row["event_date"].parse().unwrap();
                assert!(start <= day && day <= end, "{}", incident.id);
            }
        }

        // UCDP CSV.
        export(&db, "ucdp-csv", &path("ucdp.csv"), &[]);
        let rows = csv_rows(&path("ucdp.csv"));
        assert_eq!(rows.len(), stored.len());
        for (row, incident) in rows.iter().zip(&stored) {
            assert_eq!(row["id"], incident.id);
            assert_eq!(row["best"], killed(incident).unwrap_or(0).to_string());
            assert_eq!(row["number_of_sources"], incident.reports.len().to_string());
            let (start, end) = incident
                .date
                .bounds()
                .map(|(s, e)| (s.to_string(), e.to_string()))
                .unwrap_or_default();
            assert_eq!(
                (row["date_start"].clone(), row["date_end"].clone()),
                (start, end)
            );
        }

        // GeoJSON, parsed by the geojson crate.
        export(&db, "geojson", &path("geojson"), &[]);
        let text = std::fs::read_to_string(path("geojson")).unwrap();
        let geojson::GeoJson::FeatureCollection(fc) = text.parse::<geojson::GeoJson>().unwrap()
        else {
            panic!("not a FeatureCollection");
        };
        assert_eq!(fc.features.len(), stored.len());
        for (feature, incident) in fc.features.iter().zip(&stored) {
            assert_eq!(
                feature.id,
                Some(geojson::feature::Id::String(incident.id.clone()))
            );
            match (&feature.geometry, &incident.place) {
                (Some(g), Some(p)) => match &g.value {
                    geojson::GeometryValue::Point { coordinates } => {
                        let c = coordinates.as_slice();
                        assert!((c[0] - p.lon).abs() < 1e-6 && (c[1] - p.lat).abs() < 1e-6);
                    }
                    other => panic!("{other:?}"),
                },
                (None, None) => {}
                other => panic!("geometry and place disagree: {other:?}"),
            }
            let props = feature.properties.as_ref().unwrap();
            assert_eq!(
                props["killed_best"].as_u64(),
                incident
                    .figures
                    .get(&FigureKind::Killed)
                    .and_then(|f| f.best)
            );
            assert_eq!(
                props["reports"].as_u64(),
                Some(incident.reports.len() as u64)
            );
        }

        // Parquet, read by parquet's Arrow reader.
        export(&db, "parquet", &path("parquet"), &[]);
        let file = std::fs::File::open(path("parquet")).unwrap();
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let mut row = 0;
        for batch in reader {
            let batch = batch.unwrap();
            let ids = batch
                .column_by_name("id")
                .unwrap()
                .as_string::<i32>()
                .clone();
            let best = batch
                .column_by_name("killed_best")
                .unwrap()
                .as_primitive::<Int64Type>()
                .clone();
            let start = batch
                .column_by_name("date_start")
                .unwrap()
                .as_primitive::<Date32Type>()
                .clone();
            let lat = batch
                .column_by_name("latitude")
                .unwrap()
                .as_primitive::<Float64Type>()
                .clone();
            let claims = batch
                .column_by_name("claims")
                .unwrap()
                .as_list::<i32>()
                .clone();
            for i in 0..batch.num_rows() {
                let incident = &stored[row];
                assert_eq!(ids.value(i), incident.id);
                let want = incident
                    .figures
                    .get(&FigureKind::Killed)
                    .and_then(|f| f.best);
                assert_eq!((!best.is_null(i)).then(|| best.value(i) as u64), want);
                assert_eq!(
                    (!start.is_null(i)).then(|| start.value(i)),
                    incident.date.start.map(days)
                );
                assert_eq!(
                    (!lat.is_null(i)).then(|| lat.value(i)),
                    incident.place.as_ref().map(|p| p.lat)
                );
                let n: usize = incident.figures.values().map(|f| f.claims.len()).sum();
                assert_eq!(claims.value_length(i) as usize, n);
                if n > 0 {
                    let texts = claims.value(i);
                    let texts = texts
                        .as_struct()
                        .column_by_name("text")
                        .unwrap()
                        .as_string::<i32>()
                        .clone();
                    let first = incident
                        .figures
                        .values()
                        .flat_map(|f| &f.claims)
                        .next()
                        .unwrap();
                    assert_eq!(texts.value(0), first.text);
                }
                row += 1;
            }
        }
        assert_eq!(row, stored.len());

        // Claims CSV: one row per claim, in the incidents' order.
        export(&db, "claims-csv", &path("claims.csv"), &[]);
        let rows = csv_rows(&path("claims.csv"));
        let claims: Vec<(&Incident, &vigil_model::Claim)> = stored
            .iter()
            .flat_map(|i| {
                i.figures
                    .values()
                    .flat_map(move |f| f.claims.iter().map(move |c| (i, c)))
            })
            .collect();
        assert_eq!(rows.len(), claims.len());
        assert!(!claims.is_empty());
        for (row, (incident, claim)) in rows.iter().zip(&claims) {
            assert_eq!(row["incident_id"], incident.id);
            assert_eq!(row["text"], claim.text);
            assert_eq!(row["claimant"], claim.claimant.clone().unwrap_or_default());
            assert_eq!(
                row["low"],
                claim.low.map(|v| v.to_string()).unwrap_or_default()
            );
            assert_eq!(
                row["high"],
                claim.high.map(|v| v.to_string()).unwrap_or_default()
            );
        }
    }

    #[test]
    fn export_takes_the_filters_of_incidents_list() {
        let dir = tempfile::tempdir().unwrap();
        let db = sample(dir.path());
        for filters in [
            &["--since", "2025-03-01", "--country", "sy"][..],
            &["--type", "air_drone_strike"][..],
            &["--min-killed", "10", "--no-historical"][..],
            &["--near", "35.18,35.95,30", "--limit", "3"][..],
        ] {
            let listed: Vec<String> = incidents(&db, filters).into_iter().map(|i| i.id).collect();
            let out = dir.path().join("filtered.jsonl");
            export(&db, "jsonl", &out, filters);
            let exported: Vec<String> = std::fs::read_to_string(&out)
                .unwrap()
                .lines()
                .map(|l| {
                    serde_json::from_str::<Value>(l).unwrap()["id"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            assert_eq!(exported, listed, "{filters:?}");
            assert!(
                !listed.is_empty(),
                "{filters:?} selects something on the samples"
            );
        }
        // To standard output, the same bytes as to a file.
        let out = dir.path().join("all.csv");
        export(&db, "acled-csv", &out, &[]);
        let piped = run(&db, &["export", "--format", "acled-csv", "--quiet"]);
        assert!(piped.status.success());
        let file = std::fs::read_to_string(&out).unwrap();
        // The timestamp column is the export time: compare without it.
        let strip = |t: &str| -> Vec<String> {
            t.lines()
                .map(|l| {
                    l.rsplit_once(',')
                        .map(|(a, _)| a.to_string())
                        .unwrap_or_default()
                })
                .collect()
        };
        assert_eq!(strip(&stdout(&piped)), strip(&file));
    }

    #[test]
    fn a_failed_export_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = sample(dir.path());
        let target = dir.path().join("taken");
        std::fs::create_dir(&target).unwrap();
        let out = run(
            &db,
            &[
                "export",
                "--format",
                "geojson",
                "--out",
                target.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).starts_with("error: "), "{}", stderr(&out));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        let unknown = run(&db, &["export", "--format", "xlsx"]);
        assert_eq!(unknown.status.code(), Some(2));
        assert!(
            stderr(&unknown).contains("acled-csv"),
            "{}",
            stderr(&unknown)
        );
    }

    fn fixture(name: &str) -> String {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../export/tests/fixtures")
            .join(name)
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn imports_report_bad_rows_by_line_and_are_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("vigil.db");
        let acled = fixture("acled.csv");
        let first = run(&db, &["import", "acled", &acled]);
        assert_eq!(
            first.status.code(),
            Some(1),
            "bad rows make the exit code 1"
        );
        let err = stderr(&first);
        for line in [7, 8, 9, 10, 11, 12] {
            assert!(err.contains(&format!("acled.csv: line {line}: ")), "{err}");
        }
        assert!(
            stdout(&first).contains(
                "acled.csv: 11 rows: 5 new, 0 updated, 0 unchanged, 6 skipped (bad rows)"
            ),
            "{}",
            stdout(&first)
        );
        let again = run(&db, &["--json", "import", "acled", &acled]);
        let summary: Value = serde_json::from_str(stdout(&again).trim()).unwrap();
        assert_eq!(
            (
                summary["inserted"].as_u64(),
                summary["unchanged"].as_u64(),
                summary["failed"].as_u64()
            ),
            (Some(0), Some(5), Some(6))
        );
        assert_eq!(summary["failures"][0]["line"], 7);

        let ucdp = run(&db, &["--json", "import", "ucdp", &fixture("ucdp.csv")]);
        let summary: Value = serde_json::from_str(stdout(&ucdp).trim()).unwrap();
        assert_eq!(
            (summary["inserted"].as_u64(), summary["failed"].as_u64()),
            (Some(2), Some(2))
        );

        let wrong = run(&db, &["import", "ucdp", &acled]);
        assert_eq!(wrong.status.code(), Some(1));
        assert!(
            stderr(&wrong).contains("not a UCDP GED file: the header has no id, date_start column"),
            "{}",
            stderr(&wrong)
        );
    }

    #[test]
    fn compare_finds_each_incident_in_its_own_export() {
        let dir = tempfile::tempdir().unwrap();
        let db = sample(dir.path());
        let none = run(&db, &["compare", "--with", "acled"]);
        assert_eq!(none.status.code(), Some(1));
        assert!(
            stderr(&none).contains("vigil import acled"),
            "{}",
            stderr(&none)
        );

        let stored = incidents(&db, &[]);
        let comparable = stored
            .iter()
            .filter(|i| i.place.is_some() && i.date.is_known())
            .count();
        for (format, dataset) in [("acled-csv", "acled"), ("ucdp-csv", "ucdp")] {
            let out = dir.path().join(format!("{dataset}.csv"));
            export(&db, format, &out, &[]);
            run(&db, &["import", dataset, out.to_str().unwrap(), "--quiet"]);
            let lines = json_lines(&run(
                &db,
                &[
                    "--json", "compare", "--with", dataset, "--days", "0", "--km", "1",
                ],
            ));
            let summary = lines.last().unwrap();
            assert_eq!(summary["kind"], "summary");
            assert_eq!(
                summary["matched"].as_u64(),
                Some(comparable as u64),
                "{dataset}: {summary}"
            );
            assert_eq!(
                summary["reference_unmatched"].as_u64(),
                Some(0),
                "{dataset}: {summary}"
            );
            for m in lines.iter().filter(|l| l["kind"] == "match") {
                assert_eq!(m["km"].as_f64(), Some(0.0), "{m}");
                assert_eq!(m["days_apart"].as_i64(), Some(0), "{m}");
                // Its own row, or one indistinguishable from it (same place, day, type and toll).
                if m["reference"]["event_id"] != m["incident"]["id"] {
                    assert_eq!(m["fatalities_difference"].as_i64().unwrap_or(0), 0, "{m}");
                }
            }
            let table = run(&db, &["compare", "--with", dataset]);
            assert!(table.status.success(), "{}", stderr(&table));
            let text = stdout(&table);
            assert!(
                text.contains(&format!(
                    "{} incidents compared with {}",
                    stored.len(),
                    dataset.to_uppercase()
                )),
                "{text}"
            );
            assert!(
                text.contains("\nMatched\n") && text.contains("without a vigil counterpart"),
                "{text}"
            );
        }
    }
}

/// `vigil places`, `vigil geocode` and `vigil gazetteer`: the gazetteer's commands, on the bundled
/// index (compiled once per machine into the cache folder, shared with the gazetteer's tests).
mod places {
    use super::*;

    fn json_lines(out: &Output) -> Vec<serde_json::Value> {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
            .collect()
    }

    #[test]
    fn places_prints_one_json_line_per_place_mention() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.txt");
        std::fs::write(
            &report,
            "---\ntitle: Shelling\npublished: 2016-05-13\n---\n\nWarplanes raided Tsneen and \
             Hirbnafsah in the northern Homs countryside, a resident of Waer said.\n",
        )
        .unwrap();
        let out = vigil()
            .args(["places", "--json"])
            .arg(&report)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines = json_lines(&out);
        let tsneen = lines
            .iter()
            .find(|l| l["text"] == "Tsneen")
            .expect("Tsneen");
        for field in [
            "report",
            "span",
            "text",
            "name",
            "geonames_id",
            "lat",
            "lon",
            "admin1",
            "country",
            "precision",
            "score",
            "candidates",
        ] {
            assert!(tsneen.get(field).is_some(), "missing {field}: {tsneen}");
        }
        assert_eq!(tsneen["geonames_id"], 2872);
        assert_eq!(tsneen["country"], "SY");
        assert_eq!(tsneen["precision"], "settlement");
        // Spans point into the body (the text after the front matter).
        let file = std::fs::read_to_string(&report).unwrap();
        let body_start = file.find("\n---\n").unwrap() + 5;
        assert_eq!(tsneen["span"][0], file.find("Tsneen").unwrap() - body_start);
        let region = lines
            .iter()
            .find(|l| l["text"] == "northern Homs countryside")
            .expect("region");
        assert_eq!(region["precision"], "region");
        let waer = lines.iter().find(|l| l["text"] == "Waer").expect("Waer");
        assert_eq!(waer["precision"], "district");

        // The table view names the same places.
        let out = vigil().arg("places").arg(&report).output().unwrap();
        let table = String::from_utf8_lossy(&out.stdout);
        assert!(
            table.contains("Tasnīn") && table.contains("Ḩarbinafsah"),
            "{table}"
        );
    }

    #[test]
    fn geocode_resolves_one_name_near_a_country_or_a_place() {
        let out = vigil()
            .args(["geocode", "Sweida", "--near", "SY", "--json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let best = &json_lines(&out)[0];
        assert_eq!(best["place"]["geonames_id"], 172408);
        let out = vigil()
            .args(["geocode", "Tripoli", "--near", "Lebanon", "--json"])
            .output()
            .unwrap();
        assert_eq!(json_lines(&out)[0]["place"]["country"], "LB");
        let out = vigil().args(["geocode", "Xqzzyvw"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let out = vigil()
            .args(["geocode", "Homs", "--near", "Nowhere-at-all-xq"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
    }

    #[test]
    fn gazetteer_import_builds_an_index_of_the_users_own() {
        let dir = tempfile::tempdir().unwrap();
        let dump = dir.path().join("XX.txt");
        std::fs::write(
            &dump,
            "99000001\tQaryat Vigil\tQaryat Vigil\tVigiltown\t34.5\t37.5\tP\tPPL\tSY\t\t11\t\t\t\t120\t\t400\tAsia/Damascus\t2024-01-01\n",
        )
        .unwrap();
        let imports = dir.path().join("gaz");
        let out = vigil()
            .args(["gazetteer", "import"])
            .arg(&dump)
            .arg("--dir")
            .arg(&imports)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let index = imports.join("index.vgi");
        assert!(index.is_file());
        let out = vigil()
            .args(["geocode", "Vigiltown", "--json", "--gazetteer"])
            .arg(&index)
            .output()
            .unwrap();
        assert_eq!(json_lines(&out)[0]["place"]["geonames_id"], 99000001);
        let out = vigil()
            .args(["gazetteer", "info", "--json", "--gazetteer"])
            .arg(&index)
            .output()
            .unwrap();
        let info = &json_lines(&out)[0];
        assert!(info["places"].as_u64().unwrap() > 300_000, "{info}");
        let out = vigil()
            .args(["gazetteer", "nearest", "35.18", "35.95"])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("Tartus"));
    }
}
