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

#[cfg(test)]
mod tests {
    use super::*;

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
