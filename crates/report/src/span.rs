//! Byte offsets to character offsets: the engine works on bytes, the contract speaks characters.

/// Converts byte offsets of one text to character offsets, in O(log n) per lookup.
#[derive(Debug)]
pub struct CharIndex<'a> {
    /// Byte offset of every 64th character, so lookups scan at most 63 characters.
    checkpoints: Vec<usize>,
    bytes: &'a [u8],
}

const STRIDE: usize = 64;

impl<'a> CharIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let checkpoints = text
            .char_indices()
            .step_by(STRIDE)
            .map(|(at, _)| at)
            .collect();
        Self {
            checkpoints,
            bytes: text.as_bytes(),
        }
    }

    /// The character offset of byte offset `at` (clamped to the text; a byte inside a character
    /// counts as that character).
    pub fn chars(&self, at: usize) -> usize {
        let at = at.min(self.bytes.len());
        let block = self
            .checkpoints
            .partition_point(|&c| c <= at)
            .saturating_sub(1);
        let from = self.checkpoints.get(block).copied().unwrap_or(0);
        let between = &self.bytes[from..at];
        block * STRIDE + between.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
    }
}

/// Byte offsets and characters of every occurrence of any of `chars` in `text`, in order.
///
/// Only one- and three-byte characters are looked for (ASCII and CJK punctuation). A byte loop
/// over a table of the characters' last bytes: the sentence punctuation of Chinese
/// text is three bytes that end in a byte most CJK characters do not, so this is many times
/// faster than decoding every character, and it runs over every report in full.
pub fn char_positions<'t>(
    text: &'t str,
    chars: &'t [char],
) -> impl Iterator<Item = (usize, char)> + 't {
    let mut last_bytes = [false; 256];
    for c in chars {
        let mut buf = [0u8; 4];
        let encoded = c.encode_utf8(&mut buf);
        if let Some(&last) = encoded.as_bytes().last() {
            last_bytes[last as usize] = true;
        }
    }
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        if !last_bytes[b as usize] {
            return None;
        }
        let c = if b < 0x80 {
            char::from(b)
        } else if i >= 2 && (0xE0..=0xEF).contains(&bytes[i - 2]) && bytes[i - 1] & 0xC0 == 0x80 {
            let code = (u32::from(bytes[i - 2] & 0x0F) << 12)
                | (u32::from(bytes[i - 1] & 0x3F) << 6)
                | u32::from(b & 0x3F);
            char::from_u32(code)?
        } else {
            return None;
        };
        let start = i + 1 - c.len_utf8();
        chars.contains(&c).then_some((start, c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_punctuation_by_its_last_byte() {
        let text = "新增就业13万人。确保零就业家庭动态清零；a;b\n完成！";
        let found: Vec<(usize, char)> =
            char_positions(text, &['。', '；', ';', '\n', '！']).collect();
        let want: Vec<(usize, char)> = text
            .char_indices()
            .filter(|(_, c)| matches!(c, '。' | '；' | ';' | '\n' | '！'))
            .collect();
        assert_eq!(found, want);
    }

    #[test]
    fn counts_characters_not_bytes() {
        let text = "新增就业13万人".repeat(20);
        let index = CharIndex::new(&text);
        for (chars, (bytes, _)) in text.char_indices().enumerate() {
            assert_eq!(index.chars(bytes), chars);
        }
        assert_eq!(index.chars(text.len()), text.chars().count());
    }
}
