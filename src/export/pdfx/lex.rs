//! A content stream read as operations without building a tree: each
//! operation is its operator, the few operands the PDF/X pass reads
//! (numbers and names), and the span of bytes it covers, so that an
//! operation left as it is can be copied byte for byte.
//!
//! `lopdf`'s `Content::decode` made an object for every operand of every
//! operation (each glyph string, each number of a path) and wrote them all
//! out again: some 7 ms for a broadsheet page's 66 KB, where the pass
//! changes a few dozen colour operators.

use std::ops::Range;

/// An operand as the pass needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand<'a> {
    Number(f32),
    /// A name without its slash, `#xx` escapes as written.
    Name(&'a [u8]),
    /// A string, array, dictionary, boolean or null.
    Other,
}

impl Operand<'_> {
    /// The name's bytes with `#xx` escapes decoded.
    pub fn name(&self) -> Option<Vec<u8>> {
        let Operand::Name(raw) = *self else {
            return None;
        };
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let hex = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (raw[i], hex) {
                (b'#', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        Some(out)
    }
}

/// One operation: its operator, operands, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Op<'a> {
    pub operator: &'a [u8],
    pub operands: Vec<Operand<'a>>,
    /// From its first operand to the end of its operator.
    pub span: Range<usize>,
}

impl Op<'_> {
    /// The operands that are numbers.
    pub fn numbers(&self) -> Vec<f32> {
        (self.operands.iter())
            .filter_map(|o| match o {
                Operand::Number(n) => Some(*n),
                _ => None,
            })
            .collect()
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Reads a content stream's operations. An inline image (`BI` … `EI`),
/// which banmian's pages never hold and this pass could not separate, or a
/// token it cannot read, is an error naming the byte where it stands.
pub fn operations(bytes: &[u8]) -> Result<Vec<Op<'_>>, String> {
    let mut lexer = Lexer { bytes, at: 0 };
    let mut ops = Vec::new();
    let mut operands = Vec::new();
    let mut start = None;
    while let Some(begin) = lexer.skip_space() {
        let token = lexer.token()?;
        start.get_or_insert(begin);
        match token {
            Token::Operand(operand) => operands.push(operand),
            Token::Keyword(b"true" | b"false" | b"null") => {
                operands.push(Operand::Other);
            }
            Token::Keyword(b"BI") => {
                return Err(format!(
                    "an inline image at byte {begin} of a content stream"
                ));
            }
            Token::Keyword(operator) => ops.push(Op {
                operator,
                operands: std::mem::take(&mut operands),
                span: start.take().unwrap_or(begin)..lexer.at,
            }),
        }
    }
    if operands.is_empty() {
        Ok(ops)
    } else {
        Err("operands without an operator at the end of a content stream".into())
    }
}

enum Token<'a> {
    Operand(Operand<'a>),
    Keyword(&'a [u8]),
}

struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Skips white space and comments; where the next token starts.
    fn skip_space(&mut self) -> Option<usize> {
        loop {
            match self.peek()? {
                b if is_space(b) => self.at += 1,
                b'%' => {
                    while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                        self.at += 1;
                    }
                }
                _ => return Some(self.at),
            }
        }
    }

    fn unexpected(&self) -> String {
        format!(
            "an unreadable token at byte {} of a content stream",
            self.at
        )
    }

    /// A run of regular characters (not space, not a delimiter).
    fn regular(&mut self) -> &'a [u8] {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| !is_space(b) && !is_delimiter(b))
        {
            self.at += 1;
        }
        &self.bytes[start..self.at]
    }

    fn token(&mut self) -> Result<Token<'a>, String> {
        let Some(first) = self.peek() else {
            return Err(self.unexpected());
        };
        match first {
            b'/' => {
                self.at += 1;
                Ok(Token::Operand(Operand::Name(self.regular())))
            }
            b'(' | b'<' | b'[' => {
                self.value()?;
                Ok(Token::Operand(Operand::Other))
            }
            b')' | b'>' | b']' | b'{' | b'}' => Err(self.unexpected()),
            _ => {
                let word = self.regular();
                if word.is_empty() {
                    return Err(self.unexpected());
                }
                let numeric = word
                    .iter()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
                if !numeric {
                    return Ok(Token::Keyword(word));
                }
                std::str::from_utf8(word)
                    .ok()
                    .and_then(|w| w.parse::<f32>().ok())
                    .map(|n| Token::Operand(Operand::Number(n)))
                    .ok_or_else(|| format!("an unreadable number at byte {}", self.at))
            }
        }
    }

    /// Skips one value: a string, array or dictionary, nested as deep as
    /// it goes, or a single token.
    fn value(&mut self) -> Result<(), String> {
        match self.peek() {
            Some(b'(') => self.literal(),
            Some(b'<') if self.bytes.get(self.at + 1) == Some(&b'<') => {
                self.at += 2;
                self.until(b">>")
            }
            Some(b'<') => {
                let end = (self.bytes[self.at..].iter())
                    .position(|&b| b == b'>')
                    .ok_or_else(|| self.unexpected())?;
                self.at += end + 1;
                Ok(())
            }
            Some(b'[') => {
                self.at += 1;
                self.until(b"]")
            }
            _ => self.token().map(|_| ()),
        }
    }

    /// Values up to and past `close` (`]` or `>>`).
    fn until(&mut self, close: &[u8]) -> Result<(), String> {
        loop {
            self.skip_space().ok_or_else(|| self.unexpected())?;
            if self.bytes[self.at..].starts_with(close) {
                self.at += close.len();
                return Ok(());
            }
            self.value()?;
        }
    }

    /// A literal string: balanced parentheses, backslash escapes.
    fn literal(&mut self) -> Result<(), String> {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err("a string that does not end in a content stream".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::Content;

    /// What `lopdf` reads: each operator with its operands' count.
    fn lopdf_ops(bytes: &[u8]) -> Vec<(String, usize)> {
        (Content::decode(bytes).unwrap().operations.into_iter())
            .map(|op| (op.operator, op.operands.len()))
            .collect()
    }

    const TRICKY: &str = "q 1 0 0 -1 0 842 cm % a comment (with a paren\n\
        /P <</MCID 0 /Alt (a >> b \\) c)>> BDC BT /F1 9.5 Tf [(a\\(b) -250 <0041> (c)] TJ \
        (nested (parens) ok) Tj ET EMC /Cs#201 cs .5 -.25 +3 5. scn Q";

    #[test]
    fn operations_and_operands_are_what_lopdf_reads() {
        let ops = operations(TRICKY.as_bytes()).unwrap();
        let mine: Vec<(String, usize)> = (ops.iter())
            .map(|op| {
                (
                    String::from_utf8_lossy(op.operator).into_owned(),
                    op.operands.len(),
                )
            })
            .collect();
        assert_eq!(mine, lopdf_ops(TRICKY.as_bytes()));
        let scn = ops.iter().find(|op| op.operator == b"scn").unwrap();
        assert_eq!(scn.numbers(), [0.5, -0.25, 3.0, 5.0]);
        let cs = ops.iter().find(|op| op.operator == b"cs").unwrap();
        assert_eq!(cs.operands[0].name().unwrap(), b"Cs 1");
    }

    #[test]
    fn each_span_is_its_operation_byte_for_byte() {
        let ops = operations(TRICKY.as_bytes()).unwrap();
        let copied: Vec<&str> = ops.iter().map(|op| &TRICKY[op.span.clone()]).collect();
        assert_eq!(copied[1], "1 0 0 -1 0 842 cm");
        assert_eq!(copied[2], "/P <</MCID 0 /Alt (a >> b \\) c)>> BDC");
        let joined = copied.join("\n");
        assert_eq!(lopdf_ops(joined.as_bytes()), lopdf_ops(TRICKY.as_bytes()));
    }

    #[test]
    fn inline_images_and_broken_tokens_are_errors() {
        let err = operations(b"q BI /W 1 /H 1 /CS /RGB /BPC 8 ID abc EI Q").unwrap_err();
        assert!(err.contains("inline image at byte 2"), "{err}");
        assert!(operations(b"(never closed Tj").is_err());
        assert!(operations(b"1 2 ] re").is_err());
        assert!(operations(b"0 0 1 1 re f 7").is_err());
    }
}
