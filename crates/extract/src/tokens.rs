//! Word tokens of a report body, with byte spans and a folded form for lexicon look-ups.
//!
//! Words are runs of letters and digits, with inner apostrophes ("Hay'at", "don't"); a possessive
//! "'s" is a token of its own. Hyphens join words without being tokens ("al-Sharaa" is "al",
//! "sharaa" with `joined` set), so lexicon phrases match whether a report writes "al-Nusra" or
//! "al Nusra". Numbers keep their thousands separators ("7,300") and decimals ("1.5"). Every
//! other character is a one-character punctuation token. The folded form is lower case with
//! typographic apostrophes and quotes made plain.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Word,
    /// Digits, with thousands separators or a decimal part.
    Number,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    norm: (u32, u32),
    pub shape: Shape,
    /// The first character is an upper-case letter.
    pub capitalised: bool,
    /// Every letter is upper case (and there are at least two).
    pub all_caps: bool,
    /// Attached to the previous token by a hyphen ("al-Sharaa", "95-year-old").
    pub joined: bool,
}

/// The tokens of one text, with their folded forms stored in one string.
#[derive(Debug, Default)]
pub struct Tokens {
    pub list: Vec<Token>,
    norms: String,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The folded (lower-case) form of token `i`.
    pub fn norm(&self, i: usize) -> &str {
        let (a, b) = self.list[i].norm;
        &self.norms[a as usize..b as usize]
    }

    /// The folded form of token `i`, or "" past the end.
    pub fn norm_at(&self, i: usize) -> &str {
        if i < self.list.len() {
            self.norm(i)
        } else {
            ""
        }
    }

    pub fn shape(&self, i: usize) -> Option<Shape> {
        self.list.get(i).map(|t| t.shape)
    }

    pub fn is_punct(&self, i: usize, c: &str) -> bool {
        i < self.list.len() && self.list[i].shape == Shape::Punct && self.norm(i) == c
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

fn fold_punct(c: char) -> char {
    match c {
        '“' | '”' | '„' | '«' | '»' | '″' => '"',
        '’' | '‘' | 'ʼ' | '`' | '′' => '\'',
        '–' | '—' | '―' | '‒' => '-',
        other => other,
    }
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Tokens {
    let mut tokens = Tokens {
        list: Vec::with_capacity(text.len() / 5),
        norms: String::with_capacity(text.len()),
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let end_of = |k: usize| if k < n { chars[k].0 } else { text.len() };
    let mut i = 0;
    let mut space_before = true;
    let mut joined = false;
    while i < n {
        let (pos, c) = chars[i];
        if c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}' | '\u{feff}' | '\u{ad}') {
            space_before = true;
            joined = false;
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let start_i = i;
            let numeric_start = c.is_ascii_digit();
            let mut j = i + 1;
            while j < n {
                let d = chars[j].1;
                if d.is_alphanumeric() {
                    // A number followed by letters: split unless an ordinal suffix ("7th").
                    if numeric_start && !d.is_ascii_digit() && chars[j - 1].1.is_ascii_digit() {
                        let rest: String = chars[j..]
                            .iter()
                            .take_while(|(_, c)| c.is_alphabetic())
                            .map(|(_, c)| c.to_ascii_lowercase())
                            .collect();
                        // "7th", and the older "2d", "3d".
                        let older = rest == "d" && matches!(chars[j - 1].1, '2' | '3');
                        if matches!(rest.as_str(), "st" | "nd" | "rd" | "th") || older {
                            j += rest.chars().count();
                        }
                        break;
                    }
                    if !numeric_start && d.is_ascii_digit() && chars[j - 1].1.is_alphabetic() {
                        // "G7", "M23": keep letters and digits together.
                        j += 1;
                        continue;
                    }
                    j += 1;
                    continue;
                }
                // Inner apostrophe followed by a letter: "hay'at", "don't"; not the possessive.
                if is_apostrophe(d) && j + 1 < n && chars[j + 1].1.is_alphabetic() {
                    let possessive = matches!(chars[j + 1].1, 's' | 'S')
                        && (j + 2 >= n || !chars[j + 2].1.is_alphanumeric());
                    if possessive {
                        break;
                    }
                    j += 1;
                    continue;
                }
                // Thousands separators and decimals inside numbers.
                if numeric_start
                    && (d == ',' || d == '.')
                    && j + 1 < n
                    && chars[j + 1].1.is_ascii_digit()
                    && chars[start_i..j]
                        .iter()
                        .all(|(_, c)| c.is_ascii_digit() || *c == ',' || *c == '.')
                {
                    if d == ',' {
                        // A thousands group has exactly three digits.
                        let digits = chars[j + 1..]
                            .iter()
                            .take_while(|(_, c)| c.is_ascii_digit())
                            .count();
                        if digits != 3 {
                            break;
                        }
                    }
                    j += 1;
                    continue;
                }
                break;
            }
            let start = pos;
            let end = end_of(j);
            let word = &text[start..end];
            let is_number = word
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
            let a = tokens.norms.len() as u32;
            for ch in word.chars() {
                if is_apostrophe(ch) {
                    tokens.norms.push('\'');
                } else if is_number && ch == ',' {
                    continue;
                } else if ch.is_ascii() {
                    tokens.norms.push(ch.to_ascii_lowercase());
                } else {
                    tokens.norms.extend(ch.to_lowercase());
                }
            }
            let b = tokens.norms.len() as u32;
            let (mut letters, mut upper) = (0usize, 0usize);
            for c in word.chars().filter(|c| c.is_alphabetic()) {
                letters += 1;
                upper += usize::from(c.is_uppercase());
            }
            tokens.list.push(Token {
                start,
                end,
                norm: (a, b),
                shape: if is_number {
                    Shape::Number
                } else {
                    Shape::Word
                },
                capitalised: word.chars().next().is_some_and(char::is_uppercase),
                all_caps: letters >= 2 && upper == letters,
                joined,
            });
            space_before = false;
            joined = false;
            i = j;
            continue;
        }
        // A possessive "'s" after a word.
        if is_apostrophe(c)
            && i + 1 < n
            && matches!(chars[i + 1].1, 's' | 'S')
            && (i + 2 >= n || !chars[i + 2].1.is_alphanumeric())
            && !space_before
        {
            let a = tokens.norms.len() as u32;
            tokens.norms.push_str("'s");
            tokens.list.push(Token {
                start: pos,
                end: end_of(i + 2),
                norm: (a, a + 2),
                shape: Shape::Word,
                capitalised: false,
                all_caps: false,
                joined: false,
            });
            i += 2;
            continue;
        }
        // A hyphen between two word characters joins them.
        if is_hyphen(c)
            && !space_before
            && i + 1 < n
            && chars[i + 1].1.is_alphanumeric()
            && i > 0
            && chars[i - 1].1.is_alphanumeric()
        {
            joined = true;
            i += 1;
            continue;
        }
        let a = tokens.norms.len() as u32;
        tokens.norms.push(fold_punct(c));
        let b = tokens.norms.len() as u32;
        tokens.list.push(Token {
            start: pos,
            end: end_of(i + 1),
            norm: (a, b),
            shape: Shape::Punct,
            capitalised: false,
            all_caps: false,
            joined: false,
        });
        space_before = false;
        joined = false;
        i += 1;
    }
    tokens
}

/// Folded tokens of a lexicon phrase, the same way report text is folded.
pub fn phrase_tokens(phrase: &str) -> Vec<String> {
    let tokens = tokenize(phrase);
    (0..tokens.len())
        .map(|i| tokens.norm(i).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        let t = tokenize(text);
        (0..t.len())
            .map(|i| {
                let tok = &t.list[i];
                assert_eq!(&text[tok.start..tok.end].len(), &(tok.end - tok.start));
                format!("{}{}", if tok.joined { "~" } else { "" }, t.norm(i))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn words_numbers_hyphens_and_possessives() {
        assert_eq!(
            show("Hay’at Tahrir al-Sham's 7,300 fighters, 95-year-old; 3pm, 7th, 1.5 M23."),
            "hay'at tahrir al ~sham 's 7300 fighters , 95 ~year ~old ; 3 pm , 7th , 1.5 m23 ."
        );
        assert_eq!(show("“Two killed” — in Homs"), "\" two killed \" - in homs");
        assert_eq!(show("12,45 and 1,2345"), "12 , 45 and 1 , 2345");
    }
}
