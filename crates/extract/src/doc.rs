//! A report body prepared for the annotators: tokens, sentences, paragraphs, quotations and
//! every lexicon phrase found in it.

use std::ops::Range;

use vigil_model::Span;

use crate::lexicon::{Hit, Lexicon, What};
use crate::tokens::{Shape, Tokens, tokenize};

/// One sentence: its bytes, its tokens, and the paragraph it belongs to.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub span: Span,
    pub toks: Range<usize>,
    pub paragraph: usize,
}

/// The prepared body.
#[derive(Debug)]
pub struct Doc<'a> {
    pub body: &'a str,
    pub toks: Tokens,
    pub hits: Vec<Hit>,
    /// `hits[hit_start[i]..hit_start[i + 1]]` are the hits that start at token `i`.
    hit_start: Vec<u32>,
    /// The kinds of the hits that start at each token ([`What::bit`], or-ed).
    kinds: Vec<u128>,
    pub sentences: Vec<Sentence>,
    /// The sentence of each token.
    pub tok_sentence: Vec<u32>,
    /// Whether each token is inside a quotation.
    pub in_quote: Vec<bool>,
    /// The text is written all in capitals (wire copy of another era).
    pub all_caps: bool,
}

impl<'a> Doc<'a> {
    pub fn new(body: &'a str, lexicon: &Lexicon) -> Doc<'a> {
        let toks = tokenize(body);
        let (mut words, mut caps) = (0usize, 0usize);
        for t in toks.list.iter().filter(|t| t.shape == Shape::Word) {
            words += 1;
            caps += usize::from(t.all_caps);
        }
        let all_caps = words >= 20 && caps * 10 >= words * 7;
        let hits = lexicon.index.find_all(body, &toks, all_caps);
        let mut hit_start = vec![0u32; toks.len() + 1];
        {
            let mut h = 0usize;
            for (i, slot) in hit_start.iter_mut().enumerate() {
                while h < hits.len() && (hits[h].start as usize) < i {
                    h += 1;
                }
                *slot = h as u32;
            }
        }
        let mut kinds = vec![0u128; toks.len()];
        for h in &hits {
            kinds[h.start as usize] |= h.what.bit();
        }
        // Sentences and paragraphs.
        let mut sentences = Vec::new();
        let mut tok_sentence = vec![0u32; toks.len()];
        let mut paragraph = 0usize;
        let mut last_end = 0usize;
        let mut t = 0usize;
        for range in vigil_text::sentences(body) {
            let gap = &body[last_end..range.start];
            if gap.matches('\n').count() >= 2 {
                paragraph += 1;
            }
            last_end = range.end;
            while t < toks.len() && toks.list[t].start < range.start {
                t += 1;
            }
            let first = t;
            while t < toks.len() && toks.list[t].start < range.end {
                t += 1;
            }
            // A token that runs past the sentence end (never for well-formed text) stays in it.
            for slot in &mut tok_sentence[first..t] {
                *slot = sentences.len() as u32;
            }
            sentences.push(Sentence {
                span: Span::new(range.start, range.end),
                toks: first..t,
                paragraph,
            });
        }
        // Quotations: typographic quotes open and close; straight quotes toggle; a paragraph
        // ends any quotation left open.
        let mut in_quote = vec![false; toks.len()];
        let mut open = false;
        let mut current_paragraph = usize::MAX;
        for (i, tok) in toks.list.iter().enumerate() {
            let p = sentences
                .get(tok_sentence[i] as usize)
                .map_or(0, |s| s.paragraph);
            if p != current_paragraph {
                open = false;
                current_paragraph = p;
            }
            if tok.shape == Shape::Punct {
                match &body[tok.start..tok.end] {
                    "“" | "«" | "„" => {
                        open = true;
                        continue;
                    }
                    "”" | "»" => {
                        open = false;
                        continue;
                    }
                    "\"" => {
                        open = !open;
                        continue;
                    }
                    _ => {}
                }
            }
            in_quote[i] = open;
        }
        Doc {
            body,
            toks,
            hits,
            hit_start,
            kinds,
            sentences,
            tok_sentence,
            in_quote,
            all_caps,
        }
    }

    /// The hits that start at token `i`, longest first.
    pub fn hits_at(&self, i: usize) -> &[Hit] {
        if i >= self.toks.len() {
            return &[];
        }
        &self.hits[self.hit_start[i] as usize..self.hit_start[i + 1] as usize]
    }

    /// Whether a hit of one of the kinds of `mask` ([`What::bit`]) starts at token `i`: for a
    /// predicate that names whole kinds, the same as `find_at(i, predicate).is_some()`.
    #[inline]
    pub fn has(&self, i: usize, mask: u128) -> bool {
        self.kinds.get(i).is_some_and(|k| k & mask != 0)
    }

    /// The longest hit at token `i` that `f` accepts.
    pub fn find_at(&self, i: usize, f: impl Fn(&What) -> bool) -> Option<Hit> {
        self.hits_at(i).iter().find(|h| f(&h.what)).copied()
    }

    /// The longest hit at token `i` that `f` accepts and that ends at or before `end`.
    pub fn find_within(&self, i: usize, end: usize, f: impl Fn(&What) -> bool) -> Option<Hit> {
        self.hits_at(i)
            .iter()
            .find(|h| h.end() <= end && f(&h.what))
            .copied()
    }

    /// The hit that ends just before token `end` (its last token is `end - 1`) and that `f`
    /// accepts, looking at most `max_len` tokens back; the longest one.
    pub fn find_ending_at(
        &self,
        end: usize,
        max_len: usize,
        f: impl Fn(&What) -> bool,
    ) -> Option<Hit> {
        let lo = end.saturating_sub(max_len);
        (lo..end).find_map(|s| {
            self.hits_at(s)
                .iter()
                .find(|h| h.end() == end && f(&h.what))
                .copied()
        })
    }

    pub fn norm(&self, i: usize) -> &str {
        self.toks.norm_at(i)
    }

    /// The body text of tokens `a..b`.
    pub fn text(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.toks.len() {
            return "";
        }
        &self.body[self.toks.list[a].start..self.toks.list[b - 1].end]
    }

    /// The byte span of tokens `a..b`.
    pub fn span(&self, a: usize, b: usize) -> Span {
        if a >= b || b > self.toks.len() {
            let at = self.toks.list.get(a).map_or(self.body.len(), |t| t.start);
            return Span::new(at, at);
        }
        Span::new(self.toks.list[a].start, self.toks.list[b - 1].end)
    }

    pub fn is_number(&self, i: usize) -> bool {
        self.toks.shape(i) == Some(Shape::Number)
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.toks.shape(i) == Some(Shape::Word)
    }

    pub fn is_punct(&self, i: usize) -> bool {
        self.toks.shape(i) == Some(Shape::Punct)
    }

    /// A capitalised word that is not the first word of its sentence (a proper name, most
    /// likely); in an all-capitals text no word counts.
    pub fn is_proper(&self, i: usize) -> bool {
        if self.all_caps || !self.is_word(i) {
            return false;
        }
        let tok = &self.toks.list[i];
        tok.capitalised
    }

    /// The value of a number token ("7,300" is 7300), when it is a whole number.
    pub fn number_value(&self, i: usize) -> Option<u64> {
        if !self.is_number(i) {
            return None;
        }
        let n = self.norm(i);
        if n.contains('.') {
            return None;
        }
        n.parse().ok()
    }

    pub fn sentence_of(&self, tok: usize) -> usize {
        self.tok_sentence.get(tok).copied().unwrap_or(0) as usize
    }
}
