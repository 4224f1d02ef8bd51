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

const ALNUM: u8 = 1;
const ALPHA: u8 = 2;
const UPPER: u8 = 4;
const DIGIT: u8 = 8;

/// What each ASCII byte is (letter, capital, digit); 0 for every other byte.
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        if b.is_ascii_digit() {
            table[i] = ALNUM | DIGIT;
        } else if b.is_ascii_uppercase() {
            table[i] = ALNUM | ALPHA | UPPER;
        } else if b.is_ascii_lowercase() {
            table[i] = ALNUM | ALPHA;
        }
        i += 1;
    }
    table
};

/// A word or number token: `(start, end, norm)` spans, and the counts of its letters and of its
/// upper-case letters, which say whether it is in capitals.
#[inline]
fn word_token(
    (start, end, norm): (usize, usize, (u32, u32)),
    number: bool,
    capitalised: bool,
    (letters, upper): (usize, usize),
    joined: bool,
) -> Token {
    Token {
        start,
        end,
        norm,
        shape: if number { Shape::Number } else { Shape::Word },
        capitalised,
        all_caps: letters >= 2 && upper == letters,
        joined,
    }
}

/// The character at byte `pos` and its length in bytes (ASCII without decoding).
#[inline]
fn char_at(text: &str, pos: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(pos)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = text[pos..].chars().next()?;
    Some((c, c.len_utf8()))
}

/// The character that ends at byte `pos`.
#[inline]
fn char_before(text: &str, pos: usize) -> Option<char> {
    let b = *text.as_bytes().get(pos.checked_sub(1)?)?;
    if b < 0x80 {
        return Some(b as char);
    }
    text[..pos].chars().next_back()
}

/// Splits `text` into tokens. One pass over the bytes, decoding only non-ASCII characters.
pub fn tokenize(text: &str) -> Tokens {
    let mut tokens = Tokens {
        list: Vec::with_capacity(text.len() / 5),
        norms: String::with_capacity(text.len()),
    };
    let len = text.len();
    let mut i = 0;
    let mut space_before = true;
    let mut joined = false;
    while let Some((c, clen)) = char_at(text, i) {
        let blank = if c.is_ascii() {
            // ASCII white space and control characters: U+0000 to U+0020, and U+007F.
            c <= ' ' || c == '\x7f'
        } else {
            c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}' | '\u{feff}' | '\u{ad}')
        };
        if blank {
            space_before = true;
            joined = false;
            i += clen;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            let numeric_start = c.is_ascii_digit();
            let mut j = i + clen;
            let bytes = text.as_bytes();
            // Only ASCII letters and digits so far, and how many letters and capitals.
            let mut plain = c.is_ascii();
            let (mut letters, mut upper) = (
                usize::from(c.is_ascii_alphabetic()),
                usize::from(c.is_ascii_uppercase()),
            );
            // The common case: ASCII letters and digits that continue the word (only digits in
            // a number, where a letter may split it: "3pm", "7th").
            let want = if numeric_start { DIGIT } else { ALNUM };
            loop {
                while let Some(&d) = bytes.get(j) {
                    let class = CLASS[d as usize];
                    if class & want == 0 {
                        break;
                    }
                    letters += usize::from(class & ALPHA != 0);
                    upper += usize::from(class & UPPER != 0);
                    j += 1;
                }
                let Some((d, dlen)) = char_at(text, j) else {
                    break;
                };
                // Anything else the word takes in (not `plain`) goes through the general folding.
                if d.is_alphanumeric() {
                    let prev = char_before(text, j).unwrap_or(' ');
                    // A number followed by letters: split unless an ordinal suffix ("7th").
                    if numeric_start && !d.is_ascii_digit() && prev.is_ascii_digit() {
                        let rest: String = text[j..]
                            .chars()
                            .take_while(|c| c.is_alphabetic())
                            .map(|c| c.to_ascii_lowercase())
                            .collect();
                        // "7th", and the older "2d", "3d" (all ASCII: bytes are characters).
                        let older = rest == "d" && matches!(prev, '2' | '3');
                        if matches!(rest.as_str(), "st" | "nd" | "rd" | "th") || older {
                            plain = false;
                            j += rest.len();
                        }
                        break;
                    }
                    // "G7", "M23": letters and digits stay together.
                    plain = false;
                    j += dlen;
                    continue;
                }
                let next = char_at(text, j + dlen);
                // Inner apostrophe followed by a letter: "hay'at", "don't"; not the possessive.
                if is_apostrophe(d)
                    && let Some((e, elen)) = next
                    && e.is_alphabetic()
                {
                    let possessive = matches!(e, 's' | 'S')
                        && char_at(text, j + dlen + elen).is_none_or(|(f, _)| !f.is_alphanumeric());
                    if possessive {
                        break;
                    }
                    plain = false;
                    j += dlen;
                    continue;
                }
                // Thousands separators and decimals inside numbers.
                if numeric_start
                    && (d == ',' || d == '.')
                    && next.is_some_and(|(e, _)| e.is_ascii_digit())
                    && text[start..j]
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
                {
                    if d == ',' {
                        // A thousands group has exactly three digits.
                        let digits = text.as_bytes()[j + 1..]
                            .iter()
                            .take_while(|b| b.is_ascii_digit())
                            .count();
                        if digits != 3 {
                            break;
                        }
                    }
                    plain = false;
                    j += 1;
                    continue;
                }
                break;
            }
            let end = j;
            let word = &text[start..end];
            let a = tokens.norms.len() as u32;
            if plain {
                // ASCII letters and digits only: a number when there is no letter.
                tokens.norms.push_str(word);
                tokens.norms[a as usize..].make_ascii_lowercase();
                let b = tokens.norms.len() as u32;
                tokens.list.push(word_token(
                    (start, end, (a, b)),
                    letters == 0,
                    c.is_ascii_uppercase(),
                    (letters, upper),
                    joined,
                ));
                space_before = false;
                joined = false;
                i = j;
                continue;
            }
            let bytes = word.as_bytes();
            let is_number = bytes
                .iter()
                .all(|&b| b.is_ascii_digit() || b == b',' || b == b'.');
            let (mut letters, mut upper) = (0usize, 0usize);
            if is_number {
                tokens.norms.extend(word.chars().filter(|&c| c != ','));
            } else if word.is_ascii() {
                // Letters, digits and ASCII apostrophes ("'" and "`", both folded to "'").
                if bytes.contains(&b'`') {
                    tokens.norms.extend(bytes.iter().map(|&b| match b {
                        b'`' => '\'',
                        b => b.to_ascii_lowercase() as char,
                    }));
                } else {
                    tokens.norms.push_str(word);
                    tokens.norms[a as usize..].make_ascii_lowercase();
                }
                letters = bytes.iter().filter(|b| b.is_ascii_alphabetic()).count();
                upper = bytes.iter().filter(|b| b.is_ascii_uppercase()).count();
            } else {
                for ch in word.chars() {
                    if is_apostrophe(ch) {
                        tokens.norms.push('\'');
                    } else if ch.is_ascii() {
                        tokens.norms.push(ch.to_ascii_lowercase());
                    } else {
                        tokens.norms.extend(ch.to_lowercase());
                    }
                    if ch.is_alphabetic() {
                        letters += 1;
                        upper += usize::from(ch.is_uppercase());
                    }
                }
            }
            let b = tokens.norms.len() as u32;
            tokens.list.push(word_token(
                (start, end, (a, b)),
                is_number,
                c.is_uppercase(),
                (letters, upper),
                joined,
            ));
            space_before = false;
            joined = false;
            i = j;
            continue;
        }
        let next = char_at(text, i + clen);
        // A possessive "'s" after a word.
        if is_apostrophe(c)
            && let Some((e, elen)) = next
            && matches!(e, 's' | 'S')
            && char_at(text, i + clen + elen).is_none_or(|(f, _)| !f.is_alphanumeric())
            && !space_before
        {
            let a = tokens.norms.len() as u32;
            tokens.norms.push_str("'s");
            tokens.list.push(Token {
                start: i,
                end: i + clen + elen,
                norm: (a, a + 2),
                shape: Shape::Word,
                capitalised: false,
                all_caps: false,
                joined: false,
            });
            i += clen + elen;
            continue;
        }
        // A hyphen between two word characters joins them.
        if is_hyphen(c)
            && !space_before
            && next.is_some_and(|(e, _)| e.is_alphanumeric())
            && char_before(text, i).is_some_and(char::is_alphanumeric)
        {
            joined = true;
            i += clen;
            continue;
        }
        let a = tokens.norms.len() as u32;
        tokens.norms.push(fold_punct(c));
        let b = tokens.norms.len() as u32;
        tokens.list.push(Token {
            start: i,
            end: i + clen,
            norm: (a, b),
            shape: Shape::Punct,
            capitalised: false,
            all_caps: false,
            joined: false,
        });
        space_before = false;
        joined = false;
        i += clen;
    }
    debug_assert!(i == len);
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
