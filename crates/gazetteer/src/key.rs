//! Transliteration-tolerant name keys: how "Telbeesa" meets "Talbiseh" and "Tsneen" meets "Tasnin".
//!
//! A name is split into words (on spaces, hyphens and punctuation) and each word becomes a key;
//! a name's key is its words' keys joined without a separator, so "Deir Fuul", "Dayr Ful" and
//! "Dayr-Ful" share one key. There are two levels:
//!
//! - the **strict key** ([`name_key`]) folds what transliterations of Arabic disagree on while
//!   keeping the vowels' rough quality: case, diacritics, apostrophes and ayn marks, article words
//!   (al-, el-, as-, ash-, a- ...), e/a, o/u and ou/oo/u, ee/i, ei/ey/ay/ai, aw/au before a
//!   consonant, q/k, dh/z, kh/h, ch/sh, ph/f, dj/j, y/i inside a word, a final -h after a vowel
//!   (ta marbuta), and doubled letters. Arabic-script words are normalised (diacritics and
//!   tatweel removed, alef, ya, ta marbuta and hamza seats folded, the article removed) and stay in
//!   Arabic script.
//! - the **skeleton** ([`skeleton_key`]) keeps only the consonants of the strict key (w and y only
//!   at the start of a word, a vowel at the start of a word as one mark). Arabic-script words get a
//!   skeleton in the same Latin consonant alphabet, so a Latin spelling can meet a name the data
//!   has only in Arabic. Skeletons merge too much on their own: two Latin names that share a
//!   skeleton meet only when their strict keys are also within a small edit distance
//!   ([`variants_meet`]), which keeps "Jableh" and "Jbeil" apart.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Article words dropped from Latin names when they stand alone or are joined by a hyphen.
const ARTICLES: &[&str] = &[
    "al", "el", "il", "ul", "as", "ash", "ad", "ar", "at", "az", "an", "adh", "ath", "es", "esh",
    "ech", "ed", "er", "et", "ez", "en", "ai",
];

/// True when a Latin word is an article ("al", "el", "ash", "Aş" ...). "a" counts only when
/// joined by a hyphen ("a-Zahraa"); callers decide that.
pub fn is_article(word: &str) -> bool {
    if word.len() > 6 {
        return false;
    }
    if word.is_ascii() {
        return ARTICLES.iter().any(|a| a.eq_ignore_ascii_case(word));
    }
    let folded: String = word.nfkd().filter(|c| c.is_ascii_alphabetic()).collect();
    folded.chars().count() == word.chars().count()
        && ARTICLES.iter().any(|a| a.eq_ignore_ascii_case(&folded))
}

/// The script of a word, as far as keys are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Arabic,
    Other,
}

pub fn is_arabic_char(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Letters that belong inside a word besides alphanumerics: apostrophes and ayn/hamza marks.
pub fn is_word_mark(c: char) -> bool {
    matches!(
        c,
        '\'' | '`'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{02BB}'
            | '\u{02BC}'
            | '\u{02BE}'
            | '\u{02BF}'
            | '\u{00B4}'
    )
}

/// Splits a name into words: runs of letters, digits and word marks. Hyphens, spaces and other
/// punctuation separate words. (A word that mixes scripts stays one word, so that a key, which
/// has no separators, splits into the same words as the name it came from.)
pub fn words(name: &str) -> impl Iterator<Item = &str> {
    WordIter {
        rest: name,
        offset: 0,
        full: name,
    }
    .map(|(s, e, full)| &full[s..e])
}

struct WordIter<'a> {
    rest: &'a str,
    offset: usize,
    full: &'a str,
}

impl<'a> Iterator for WordIter<'a> {
    type Item = (usize, usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        let mut start = None;
        for (i, c) in rest.char_indices() {
            let in_word =
                c.is_alphanumeric() || is_combining_mark(c) || (start.is_some() && is_word_mark(c));
            match start {
                None if in_word && !is_combining_mark(c) => start = Some(i),
                Some(s) if !in_word => {
                    let (abs_s, abs_e) = (self.offset + s, self.offset + i);
                    self.offset += i;
                    self.rest = &rest[i..];
                    return Some((abs_s, abs_e, self.full));
                }
                _ => {}
            }
        }
        let s = start?;
        let (abs_s, abs_e) = (self.offset + s, self.offset + rest.len());
        self.offset += rest.len();
        self.rest = "";
        Some((abs_s, abs_e, self.full))
    }
}

/// The strict key of a whole name (see the module documentation). Empty when the name has no
/// letters. Never panics; idempotent: `name_key(name_key(x)) == name_key(x)` for Latin names.
pub fn name_key(name: &str) -> String {
    let words: Vec<&str> = words(name).collect();
    let mut out = String::new();
    let all_articles = words.iter().all(|w| is_article(w));
    for (i, w) in words.iter().enumerate() {
        let hyphen_a = w.eq_ignore_ascii_case("a") && name_has_hyphen_after(name, w, i, &words);
        if !all_articles && (is_article(w) || hyphen_a) {
            continue;
        }
        word_key_into(w, &mut out);
    }
    refold(&out)
}

/// Folds a concatenation of word keys again, so that rules that meet across a word boundary
/// ("Harb Nafsah": "b" + "n"; "Ba Ub": "a" + "u") apply: the key of a key is itself.
pub fn refold(joined: &str) -> String {
    if joined.is_ascii() {
        return fold_to_fixpoint(joined.as_bytes());
    }
    // Fold each run of Latin letters; Arabic-script runs are already final.
    let mut out = String::with_capacity(joined.len());
    let mut run = String::new();
    for c in joined.chars() {
        if c.is_ascii() {
            run.push(c);
        } else {
            if !run.is_empty() {
                out.push_str(&fold_to_fixpoint(run.as_bytes()));
                run.clear();
            }
            out.push(c);
        }
    }
    if !run.is_empty() {
        out.push_str(&fold_to_fixpoint(run.as_bytes()));
    }
    out
}

fn name_has_hyphen_after(name: &str, word: &str, index: usize, words: &[&str]) -> bool {
    // "a-Zahraa": the word "a" followed directly by a hyphen and another word.
    if index + 1 >= words.len() {
        return false;
    }
    let start = word.as_ptr() as usize - name.as_ptr() as usize;
    name[start + word.len()..].starts_with(['-', '\u{2010}', '\u{2011}'])
}

/// The strict key of one word, appended to `out`. Articles are not dropped here (see
/// [`is_article`]); Arabic-script words lose their attached article.
pub fn word_key_into(word: &str, out: &mut String) {
    if word.chars().any(is_arabic_char) {
        arabic_word_key_into(word, out);
    } else {
        latin_word_key_into(word, out);
    }
}

/// The strict key of one word, as a new string.
pub fn word_key(word: &str) -> String {
    let mut s = String::new();
    word_key_into(word, &mut s);
    s
}

fn fold_latin_char(c: char, buf: &mut Vec<u8>) {
    if c.is_ascii_alphabetic() {
        buf.push(c.to_ascii_lowercase() as u8);
        return;
    }
    if c.is_ascii_digit() {
        buf.push(c as u8);
        return;
    }
    match c {
        'ß' => buf.extend_from_slice(b"ss"),
        'æ' | 'Æ' => buf.extend_from_slice(b"ae"),
        'œ' | 'Œ' => buf.extend_from_slice(b"oe"),
        'ø' | 'Ø' => buf.push(b'o'),
        'đ' | 'Đ' | 'ð' | 'Ð' => buf.push(b'd'),
        'ł' | 'Ł' => buf.push(b'l'),
        'ı' => buf.push(b'i'),
        'ə' | 'Ə' => buf.push(b'a'),
        'þ' | 'Þ' => buf.extend_from_slice(b"th"),
        _ => {
            for d in c.nfkd() {
                if d.is_ascii_alphanumeric() {
                    buf.push(d.to_ascii_lowercase() as u8);
                }
            }
        }
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn latin_word_key_into(word: &str, out: &mut String) {
    // A possessive ("Syria's") names the same place.
    let word = ["'s", "\u{2019}s"]
        .iter()
        .find_map(|s| word.strip_suffix(s).filter(|w| w.chars().count() > 1))
        .unwrap_or(word);
    if word.is_ascii() {
        // Letters and digits, lowercased (what fold_latin_char keeps of ASCII), on the stack.
        let mut raw = [0u8; 48];
        if word.len() <= raw.len() {
            let mut n = 0;
            for &b in word.as_bytes() {
                if b.is_ascii_alphanumeric() {
                    raw[n] = b.to_ascii_lowercase();
                    n += 1;
                }
            }
            fold_to_fixpoint_into(&raw[..n], out);
            return;
        }
    }
    let mut raw: Vec<u8> = Vec::with_capacity(word.len());
    for c in word.chars() {
        fold_latin_char(c, &mut raw);
    }
    fold_to_fixpoint_into(&raw, out);
}

/// The rules can make new digraphs ("qh" becomes "kh"): fold to a fixed point, so that a key is
/// its own key. Every rule shortens the word or removes a letter no rule produces, so this ends.
fn fold_to_fixpoint(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    fold_to_fixpoint_into(raw, &mut out);
    out
}

thread_local! {
    /// Two scratch buffers of the folding, reused from one word to the next.
    static FOLD_BUFFERS: std::cell::RefCell<(Vec<u8>, Vec<u8>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// [`fold_to_fixpoint`], appended to `out`, without allocating once the scratch buffers of the
/// thread have grown.
fn fold_to_fixpoint_into(raw: &[u8], out: &mut String) {
    FOLD_BUFFERS.with(|bufs| {
        let Ok(mut bufs) = bufs.try_borrow_mut() else {
            // Not reentered in practice; stay correct if it ever is.
            let (mut a, mut b) = (Vec::new(), Vec::new());
            fixpoint(raw, &mut a, &mut b, out);
            return;
        };
        let (a, b) = &mut *bufs;
        fixpoint(raw, a, b, out);
    });
}

fn fixpoint(raw: &[u8], a: &mut Vec<u8>, b: &mut Vec<u8>, out: &mut String) {
    latin_fold(raw, a);
    loop {
        latin_fold(a, b);
        if a == b {
            break;
        }
        std::mem::swap(a, b);
    }
    // Only ASCII bytes are pushed by the rules.
    out.push_str(std::str::from_utf8(a).unwrap_or_default());
}

/// The folding rules on a lowercase ASCII word (see the module documentation), into `a`.
fn latin_fold(raw: &[u8], a: &mut Vec<u8>) {
    // 1. Digraphs and single letters, left to right.
    a.clear();
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        let n = raw.get(i + 1).copied();
        let n2 = raw.get(i + 2).copied();
        let n3 = raw.get(i + 3).copied();
        match (c, n) {
            (b'd', Some(b's')) if n2 == Some(b'c') && n3 == Some(b'h') => {
                a.push(b'j');
                i += 4;
            }
            (b's', Some(b'c')) if n2 == Some(b'h') => {
                a.extend_from_slice(b"sh");
                i += 3;
            }
            (b'o', Some(b'u')) | (b'o', Some(b'o')) => {
                a.push(b'u');
                i += 2;
            }
            (b'e', Some(b'e')) => {
                a.push(b'i');
                i += 2;
            }
            (b'k', Some(b'h')) => {
                a.push(b'h');
                i += 2;
            }
            (b'd', Some(b'h')) => {
                a.push(b'z');
                i += 2;
            }
            (b'c', Some(b'h')) => {
                a.extend_from_slice(b"sh");
                i += 2;
            }
            (b'c', Some(b'k')) => {
                a.push(b'k');
                i += 2;
            }
            (b'p', Some(b'h')) => {
                a.push(b'f');
                i += 2;
            }
            (b'd', Some(b'j')) => {
                a.push(b'j');
                i += 2;
            }
            (b'q', _) => {
                a.push(b'k');
                i += 1;
            }
            (b'o', _) => {
                a.push(b'u');
                i += 1;
            }
            (b'e', _) => {
                a.push(b'a');
                i += 1;
            }
            _ => {
                a.push(c);
                i += 1;
            }
        }
    }
    // 2. y and w between letters: y after a vowel or before a vowel (after a consonant) is i;
    //    w after a vowel and before a consonant or the end is u.
    let len = a.len();
    for j in 1..len {
        let prev = a[j - 1];
        let next = a.get(j + 1).copied();
        if a[j] == b'y' {
            let next_vowel = next.is_some_and(is_vowel);
            if is_vowel(prev) && !next_vowel || !is_vowel(prev) {
                a[j] = b'i';
            }
        } else if a[j] == b'w' && is_vowel(prev) && !next.is_some_and(is_vowel) {
            a[j] = b'u';
        }
    }
    // 3. "au" before a consonant or at the end is u (Sanawbar/Sanobar, Zawr/Zor), in place: the
    //    write position never passes the read position.
    let mut w = 0;
    let mut j = 0;
    while j < len {
        if a[j] == b'a'
            && j + 1 < len
            && a[j + 1] == b'u'
            && !(j + 2 < len && is_vowel(a[j + 2]))
            && j > 0
        {
            a[w] = b'u';
            j += 2;
        } else {
            a[w] = a[j];
            j += 1;
        }
        w += 1;
    }
    a.truncate(w);
    // 4. A final h after a vowel (ta marbuta: Jablah, Jableh).
    if a.len() > 2 && a[a.len() - 1] == b'h' && is_vowel(a[a.len() - 2]) {
        a.pop();
    }
    // 5. Doubled letters.
    a.dedup();
}

/// Normalised Arabic letter, or None to drop it.
fn fold_arabic_char(c: char) -> Option<char> {
    match c {
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{0640}'
        | '\u{06D6}'..='\u{06ED}' => None,
        'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
        'ى' => Some('ي'),
        'ة' => Some('ه'),
        'ؤ' => Some('و'),
        'ئ' => Some('ي'),
        'ء' => None,
        'ی' | 'ې' => Some('ي'), // Persian/Urdu ya
        'ک' => Some('ك'),
        'ۀ' | 'ہ' | 'ھ' => Some('ه'),
        '٠'..='٩' => char::from_digit(c as u32 - 0x0660, 10),
        '۰'..='۹' => char::from_digit(c as u32 - 0x06F0, 10),
        // Marks that combine with a letter ("\u{8F0}", open fathatan) never begin a word, so
        // a key that kept one alone would not be its own key.
        c if is_combining_mark(c) => None,
        c if is_arabic_char(c) && c.is_alphabetic() => Some(c),
        c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
        _ => None,
    }
}

fn arabic_word_key_into(word: &str, out: &mut String) {
    let folded: String = word.nfkc().filter_map(fold_arabic_char).collect();
    let mut stripped = folded.as_str();
    loop {
        let next = strip_arabic_article(stripped);
        if next.len() == stripped.len() {
            break;
        }
        stripped = next;
    }
    out.push_str(stripped);
}

/// Removes a leading article "ال" when the rest is at least two letters long.
pub fn strip_arabic_article(word: &str) -> &str {
    if let Some(rest) = word.strip_prefix("ال")
        && rest.chars().count() >= 2
    {
        return rest;
    }
    word
}

/// The consonant skeleton of a strict key (Latin or Arabic), in a Latin alphabet.
pub fn skeleton_of_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    skeleton_word_into(key, &mut out);
    out
}

/// The skeleton of a whole name: each word's skeleton, joined.
pub fn skeleton_key(name: &str) -> String {
    let words: Vec<&str> = words(name).collect();
    let all_articles = words.iter().all(|w| is_article(w));
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        let hyphen_a = w.eq_ignore_ascii_case("a") && name_has_hyphen_after(name, w, i, &words);
        if !all_articles && (is_article(w) || hyphen_a) {
            continue;
        }
        skeleton_word_into(&word_key(w), &mut out);
    }
    out
}

/// Appends the skeleton of one word's strict key.
pub fn skeleton_word_into(key: &str, out: &mut String) {
    let start_len = out.len();
    if key.is_ascii() {
        // The Latin rules of the loop below, on bytes: the first letter keeps a mark (a vowel as
        // "a", w, y), later vowels, w and y go, other letters and digits stay; then doubled
        // letters go.
        let mut last: Option<u8> = None;
        for (i, &b) in key.as_bytes().iter().enumerate() {
            let piece = match b {
                b'a' | b'e' | b'i' | b'o' | b'u' if i == 0 => b'a',
                b'w' | b'y' if i == 0 => b,
                b'a' | b'e' | b'i' | b'o' | b'u' | b'w' | b'y' => continue,
                b if b.is_ascii_alphanumeric() => b,
                _ => continue,
            };
            if last != Some(piece) {
                out.push(char::from(piece));
                last = Some(piece);
            }
        }
        return;
    }
    let mut first = true;
    let chars: Vec<char> = key.chars().collect();
    let n = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let piece: &str = match c {
            // Vowels (and w, y inside a word) leave one mark at the start of a word only.
            'a' | 'e' | 'i' | 'o' | 'u' | 'ا' | 'ع' if first => "a",
            'w' | 'و' if first => "w",
            'y' | 'ي' if first => "y",
            'a' | 'e' | 'i' | 'o' | 'u' | 'w' | 'y' | 'ا' | 'ع' | 'و' | 'ي' => "",
            c if c.is_ascii_alphanumeric() => {
                let mut b = [0u8; 4];
                let s: &str = c.encode_utf8(&mut b);
                out.push_str(s);
                first = false;
                continue;
            }
            // Arabic letters.
            'ب' => "b",
            'ت' | 'ط' => "t",
            'ث' => "th",
            'ج' => "j",
            'ح' | 'خ' => "h",
            'د' | 'ض' => "d",
            'ذ' | 'ز' | 'ظ' => "z",
            'ر' => "r",
            'س' | 'ص' => "s",
            'ش' => "sh",
            'غ' => "gh",
            'ف' => "f",
            'ق' | 'ك' => "k",
            'ل' => "l",
            'م' => "m",
            'ن' => "n",
            'ه' => {
                // A final ha is most often a ta marbuta.
                if i + 1 == n { "" } else { "h" }
            }
            'پ' => "p",
            'چ' => "sh",
            'گ' => "g",
            'ڤ' => "v",
            _ => "",
        };
        out.push_str(piece);
        first = false;
    }
    // Doubled letters (shadda is gone; Latin doubles are already folded).
    let mut word: Vec<u8> = out.as_bytes()[start_len..].to_vec();
    word.dedup();
    out.truncate(start_len);
    out.push_str(std::str::from_utf8(&word).unwrap_or_default());
}

/// True when a strict key is written in Latin letters (as opposed to Arabic script).
pub fn is_latin_key(key: &str) -> bool {
    key.is_ascii()
}

/// The largest edit distance between two Latin strict keys that share a skeleton for them to
/// count as the same name: a quarter of the shorter key; none below five letters ("Gaza" and
/// "Giza" stay apart).
pub fn max_edits(a: &str, b: &str) -> usize {
    let n = a.len().min(b.len());
    if n < 5 { 0 } else { n / 4 }
}

/// Do two spellings meet, the way the index matches a report's words to a gazetteer name? Yes
/// when their strict keys are equal, or when their skeletons are equal (at least two letters)
/// and, for two Latin spellings, their strict keys are within [`max_edits`] edits. A Latin and an
/// Arabic spelling meet on equal skeletons of at least four letters ("Salhab" and "سلحب").
pub fn variants_meet(a: &str, b: &str) -> bool {
    let (ka, kb) = (name_key(a), name_key(b));
    if ka.is_empty() || kb.is_empty() {
        return false;
    }
    if ka == kb {
        return true;
    }
    skeleton_match(&ka, &skeleton_key(a), &kb, &skeleton_key(b))
}

/// True when the Levenshtein distance between two ASCII strings is at most `max`. The distance
/// is at least the difference of the lengths, which settles most pairs without the table; short
/// strings use a table on the stack.
fn within_edits(a: &[u8], b: &[u8], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    if b.len() >= 64 {
        // Keys are ASCII: the distance over chars is the distance over bytes.
        return strsim::generic_levenshtein(&a.to_vec(), &b.to_vec()) <= max;
    }
    let mut row = [0usize; 64];
    for (j, r) in row.iter_mut().enumerate().take(b.len() + 1) {
        *r = j;
    }
    for (i, &ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let up = row[j + 1];
            let cost = usize::from(ca != cb);
            row[j + 1] = (diag + cost).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()] <= max
}

/// The skeleton rule of [`variants_meet`], on precomputed keys.
pub fn skeleton_match(ka: &str, sa: &str, kb: &str, sb: &str) -> bool {
    if sa != sb || sa.len() < 2 {
        return false;
    }
    match (is_latin_key(ka), is_latin_key(kb)) {
        (true, true) => within_edits(ka.as_bytes(), kb.as_bytes(), max_edits(ka, kb)),
        (false, false) => true,
        _ => sa.len() >= 4,
    }
}
