//! Sentence boundaries for news text: punctuation, abbreviations, quotes, and line breaks that
//! separate headlines and paragraphs (or only wrap lines, in hard-wrapped wire copy).
//!
//! UAX #29 keeps no list of abbreviations, so "Gen. Smith" or "the U.S. Army" would end a sentence
//! there. This pass is a small rule set over the raw text: a sentence ends at `.`, `!`, `?`, `…` (or
//! the Arabic `؟` and `۔`), after any closing quotes and brackets, when white space and a
//! sentence opener follow, unless the word before the period is an abbreviation of
//! `data/abbreviations.txt` in a position where it cannot end a sentence. A blank line always ends
//! a sentence; a single line break does too, unless the text is hard-wrapped (most of its lines
//! run to a similar width and stop mid-sentence), where a line break is only a space.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

/// No sentence is longer than this many bytes: a text without punctuation is cut at white space,
/// so that no later stage ever sees an unbounded sentence.
pub const MAX_SENTENCE_BYTES: usize = 2000;

struct Abbreviations {
    before_name: HashSet<String>,
    before_number: HashSet<String>,
    always: HashSet<String>,
    openers: HashSet<String>,
}

fn abbreviations() -> &'static Abbreviations {
    static ABBREVIATIONS: OnceLock<Abbreviations> = OnceLock::new();
    ABBREVIATIONS.get_or_init(|| {
        let mut abbreviations = Abbreviations {
            before_name: HashSet::new(),
            before_number: HashSet::new(),
            always: HashSet::new(),
            openers: HashSet::new(),
        };
        let mut section = "";
        for line in include_str!("../data/abbreviations.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('@') {
                section = match name {
                    "before-name" => "name",
                    "before-number" => "number",
                    "always" => "always",
                    "opener" => "opener",
                    other => panic!("unknown section @{other} in abbreviations.txt"),
                };
                continue;
            }
            let word = line.to_lowercase();
            match section {
                "name" => abbreviations.before_name.insert(word),
                "number" => abbreviations.before_number.insert(word),
                "always" => abbreviations.always.insert(word),
                "opener" => abbreviations.openers.insert(word),
                _ => panic!("abbreviations.txt: entry {line:?} before any section"),
            };
        }
        abbreviations
    })
}

/// The sentences of `text`, as byte ranges in text order, each trimmed of surrounding white
/// space and never empty. Every range starts and ends on a character boundary.
///
/// ```
/// use vigil_text::sentences;
/// let text = "Gen. Ali said 3 were killed in the U.S. Army raid. The U.N. said 5.\nHeadline";
/// let parts: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
/// assert_eq!(parts, ["Gen. Ali said 3 were killed in the U.S. Army raid.", "The U.N. said 5.", "Headline"]);
/// ```
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let wrapped = is_hard_wrapped(text);
    let mut out = Vec::new();
    // One buffer of characters for every block.
    let mut chars = Vec::with_capacity(text.len());
    for block in blocks(text, wrapped) {
        split_block(text, block, &mut chars, &mut out);
    }
    out
}

/// True when the text is hard-wrapped: most lines that continue into another line are of a
/// similar width and stop without ending a sentence.
fn is_hard_wrapped(text: &str) -> bool {
    let mut continued = 0usize;
    let mut wrapped_like = 0usize;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(next) = lines.peek() else {
            break;
        };
        let (line, next) = (line.trim_end(), next.trim());
        if line.trim().is_empty() || next.is_empty() {
            continue;
        }
        continued += 1;
        let width = line.chars().count();
        let ends_sentence = line.ends_with(['.', '!', '?', ':', '"', '”', '’']);
        if (40..=100).contains(&width) && !ends_sentence {
            wrapped_like += 1;
        }
    }
    continued >= 4 && wrapped_like * 2 >= continued
}

/// Splits the text at hard breaks: blank lines, and single line breaks unless the text is wrapped.
fn blocks(text: &str, wrapped: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    for (i, _) in text.match_indices('\n') {
        let line = &text[line_start..i];
        let blank = line.trim().is_empty();
        // A line that stops mid-sentence and a next line that goes on in lower case are one
        // sentence, even in a text too short to tell that it is wrapped.
        let continues = !blank
            && !line.trim_end().ends_with(['.', '!', '?', ':', '"', '”'])
            && text[i + 1..]
                .trim_start_matches([' ', '\t'])
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
        if (!wrapped && !continues) || blank {
            if start < i {
                out.push(start..i);
            }
            start = i + 1;
        }
        line_start = i + 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '؟' | '۔' | '。')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '›' | '}' | '*' | '_'
    )
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '‹' | '{' | '*' | '_'
    )
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = range.start + lead;
    let end = start + trimmed.len();
    if end - start <= MAX_SENTENCE_BYTES {
        out.push(start..end);
        return;
    }
    // Too long: cut at the last white space before the limit (or at the limit, on a char boundary).
    let mut s = start;
    while end - s > MAX_SENTENCE_BYTES {
        let mut cut = s + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        if let Some(space) = text[s..cut].rfind(char::is_whitespace)
            && space > 0
        {
            cut = s + space;
        }
        push_trimmed(text, s..cut, out);
        s = cut;
        while s < end && !text.is_char_boundary(s) {
            s += 1;
        }
    }
    push_trimmed(text, s..end, out);
}

fn split_block(
    text: &str,
    block: Range<usize>,
    chars: &mut Vec<(usize, char)>,
    out: &mut Vec<Range<usize>>,
) {
    let slice = &text[block.clone()];
    chars.clear();
    chars.extend(slice.char_indices());
    let chars = &chars[..];
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (_, c) = chars[i];
        if !is_terminal(c) {
            i += 1;
            continue;
        }
        // Consume the run of terminal punctuation and closing quotes or brackets.
        let mut j = i + 1;
        while j < chars.len() && (is_terminal(chars[j].1) || is_closing(chars[j].1)) {
            j += 1;
        }
        // A boundary needs white space after the punctuation (or the end of the block).
        if j < chars.len() && !chars[j].1.is_whitespace() {
            i = j;
            continue;
        }
        let end = if j < chars.len() {
            chars[j].0
        } else {
            slice.len()
        };
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k >= chars.len() {
            break;
        }
        if ends_sentence(slice, chars, i, k) {
            push_trimmed(text, block.start + start..block.start + end, out);
            start = chars[k].0;
        }
        i = k;
    }
    push_trimmed(text, block.start + start..block.end, out);
}

/// Whether the punctuation at `chars[at]` ends a sentence, given that the next word starts at
/// `chars[next]`.
fn ends_sentence(slice: &str, chars: &[(usize, char)], at: usize, next: usize) -> bool {
    // The first letter or digit of what follows, past opening quotes and brackets.
    let mut n = next;
    while n < chars.len() && is_opening(chars[n].1) {
        n += 1;
    }
    let Some(&(next_pos, first)) = chars.get(n) else {
        return true;
    };
    if first.is_lowercase() {
        return false;
    }
    let period = chars[at].1 == '.';
    if !period {
        return true;
    }
    // The word before the period, without opening quotes or brackets.
    let word_end = chars[at].0;
    let word_start = slice[..word_end]
        .rfind(|c: char| c.is_whitespace())
        .map(|p| p + slice[p..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let word = slice[word_start..word_end].trim_start_matches(is_opening);
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    let abbreviations = abbreviations();
    let next_word: String = slice[next_pos..]
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let next_is_number = first.is_ascii_digit();
    if abbreviations.before_name.contains(&lower) {
        return false;
    }
    if abbreviations.before_number.contains(&lower) {
        return !next_is_number;
    }
    let single_letter = {
        let mut cs = word.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if c.is_alphabetic() && c.is_uppercase())
    };
    let dotted = word.contains('.') && word.chars().any(char::is_alphabetic);
    if single_letter || dotted || abbreviations.always.contains(&lower) {
        return abbreviations.openers.contains(&next_word);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn abbreviations_quotes_and_initials() {
        assert_eq!(
            split("Lt. Col. Ahmad told Mr. Smith. They left."),
            ["Lt. Col. Ahmad told Mr. Smith.", "They left."]
        );
        assert_eq!(
            split("“They were all killed.” Another shouted. “Why?” he asked."),
            [
                "“They were all killed.”",
                "Another shouted.",
                "“Why?” he asked."
            ]
        );
        assert_eq!(
            split("The strike hit at 3 p.m. The toll rose. J. R. Smith said so."),
            [
                "The strike hit at 3 p.m.",
                "The toll rose.",
                "J. R. Smith said so."
            ]
        );
        assert_eq!(
            split("On Jan. 5 the 4 sq. km district was shelled. No. 3 came."),
            [
                "On Jan. 5 the 4 sq. km district was shelled.",
                "No. 3 came."
            ]
        );
        assert_eq!(
            split("They sat in the sun. Then they left."),
            ["They sat in the sun.", "Then they left."]
        );
    }

    #[test]
    fn line_breaks_in_plain_and_wrapped_text() {
        assert_eq!(
            split("NEWS\nNEWS\n\nTwo killed in Homs\nBody text here."),
            ["NEWS", "NEWS", "Two killed in Homs", "Body text here."]
        );
        let wrapped = "THE ARMY SAID THAT FIVE SOLDIERS WERE KILLED IN AN AMBUSH NEAR THE\n\
                       TOWN OF SAN MIGUEL ON TUESDAY NIGHT AND THAT THE REBELS FLED TO THE\n\
                       HILLS AFTER A BATTLE THAT LASTED SEVERAL HOURS ACCORDING TO THE\n\
                       REPORT. THE GOVERNMENT HAS NOT COMMENTED ON THE INCIDENT SO FAR\n\
                       AND THE POLICE ARE STILL LOOKING FOR THE ATTACKERS IN THE AREA OF\n\
                       THE TOWN.\n\nNEW PARAGRAPH.";
        let parts = split(wrapped);
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert!(parts[0].starts_with("THE ARMY") && parts[0].ends_with("REPORT."));
        // A paragraph's first wrapped line does not end a sentence.
        let text = "First paragraph line one of a wire story that goes on for a\n\
                    while and ends here.\n\n   In the town of Huancayo, 350 km east of Lima,\n\
                    professor Parra was shot at the door of his house early in the\n\
                    morning by four men who claimed to be his students, police said.";
        let parts = split(text);
        assert_eq!(parts.len(), 2, "{parts:?}");
    }

    proptest::proptest! {
        #[test]
        fn sentences_are_ordered_trimmed_and_on_char_boundaries(text in "(?s)[a-zA-Z0-9 .!?\"“”'\n\u{0600}-\u{06ff}é…]{0,300}") {
            let mut last = 0;
            for range in sentences(&text) {
                proptest::prop_assert!(range.start >= last && range.start < range.end);
                proptest::prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
                let part = &text[range.clone()];
                proptest::prop_assert_eq!(part.trim(), part);
                last = range.end;
            }
        }
    }

    #[test]
    fn long_text_without_punctuation_is_cut() {
        let text = "word ".repeat(2000);
        let parts = sentences(&text);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|r| r.len() <= MAX_SENTENCE_BYTES));
    }
}
