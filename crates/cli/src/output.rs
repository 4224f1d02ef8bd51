//! Plain-text tables and JSON printing for the terminal.

use std::io::{self, Write};

use serde::Serialize;

/// Prints `value` as one line of JSON.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A text table with left-aligned columns, cut to a width per column so that one long title does
/// not wrap every line. Cells are cleaned of control characters: report text is untrusted and must
/// not move the cursor or change the terminal's colours.
pub struct Table {
    headers: Vec<&'static str>,
    max_widths: Vec<usize>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[(&'static str, usize)]) -> Table {
        Table {
            headers: columns.iter().map(|c| c.0).collect(),
            max_widths: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        let cells = cells
            .into_iter()
            .zip(&self.max_widths)
            .map(|(cell, &max)| truncate(&clean(&cell), max))
            .collect();
        self.rows.push(cells);
    }

    pub fn print(&self) -> io::Result<()> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = io::stdout().lock();
        let header: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        write_row(&mut out, &header, &widths)?;
        for row in &self.rows {
            write_row(&mut out, row, &widths)?;
        }
        Ok(())
    }
}

fn write_row(out: &mut impl Write, cells: &[String], widths: &[usize]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if i + 1 == cells.len() {
            line.push_str(cell);
        } else {
            let pad = width - cell.chars().count();
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', pad + 2));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// Replaces control characters (including newlines and escape sequences) with spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Bidirectional overrides can make a terminal line read differently from its bytes.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Cuts `text` to at most `max` characters, marking the cut with an ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

pub fn or_dash(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cleaned_and_cut() {
        assert_eq!(clean("a\x1b[31mb\nc\u{202e}d"), "a [31mb c d");
        assert_eq!(truncate("Baniyas", 10), "Baniyas");
        assert_eq!(truncate("Al-Mukhtariya", 6), "Al-Mu…");
        assert_eq!(or_dash(Some("")), "-");
    }
}
