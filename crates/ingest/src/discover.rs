//! Expanding the paths a user gave into the inputs to read.

use std::io;
use std::path::PathBuf;

use walkdir::WalkDir;

use crate::{Failure, Input};

/// Files as they are; folders recursively in name order, following symlinks, skipping hidden
/// entries (names starting with `.`, such as `.git`) inside them; `-` as standard input. Missing
/// paths, symlink loops and files that are not regular files come back as failures.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<Failure>) {
    let mut inputs = Vec::new();
    let mut failures = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if shown == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) => {
                failures.push(Failure::new(&shown, io_reason(&error)));
                continue;
            }
        };
        if metadata.is_file() {
            inputs.push(Input::File(path.clone()));
            continue;
        }
        if !metadata.is_dir() {
            failures.push(Failure::new(&shown, "not a regular file"));
            continue;
        }
        let walker = WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
            });
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    inputs.push(Input::File(entry.into_path()))
                }
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) => failures.push(Failure::new(
                    &entry.path().display().to_string(),
                    "not a regular file",
                )),
                Err(error) => {
                    let at = error
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| shown.clone());
                    let reason = match (error.loop_ancestor(), error.io_error()) {
                        (Some(ancestor), _) => {
                            format!("directory loop: links back to {}", ancestor.display())
                        }
                        (None, Some(io)) => io_reason(io),
                        (None, None) => error.to_string(),
                    };
                    failures.push(Failure::new(&at, reason));
                }
            }
        }
    }
    (inputs, failures)
}

/// A one-line, lowercase reason for an I/O error.
pub(crate) fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "cannot read: permission denied".into(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_string();
            format!("cannot read: {}", text.to_lowercase())
        }
    }
}
