//! Exact token counts with the BPE of the configured model's family, plus a
//! safety margin where the model's own tokenizer is a different one.

use tiktoken_rs::CoreBPE;

use crate::llm::ProviderKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    O200k,
    Cl100k,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200k => "o200k_base",
            Encoding::Cl100k => "cl100k_base",
        }
    }
}

pub struct TokenCounter {
    pub encoding: Encoding,
    /// Percent of a budget held back because the model counts differently.
    pub margin_percent: u32,
    bpe: &'static CoreBPE,
}

impl TokenCounter {
    /// The counter for `model` on `provider`. OpenAI models are counted with
    /// their own encoding (no margin); others with o200k and a margin.
    /// `margin_override` replaces the per-provider margin.
    pub fn for_model(provider: ProviderKind, model: &str, margin_override: Option<u32>) -> Self {
        let (encoding, exact) = encoding_for(model);
        let margin = if exact {
            0
        } else {
            match provider {
                // Claude's tokenizer yields noticeably more tokens for code.
                ProviderKind::Anthropic => 20,
                // Llama 3, Qwen 2.5, DeepSeek: large BPE vocabularies that
                // land within a few percent of o200k on Python.
                ProviderKind::Ollama | ProviderKind::OpenAi => 10,
            }
        };
        Self::with_encoding(encoding, margin_override.unwrap_or(margin))
    }

    pub fn with_encoding(encoding: Encoding, margin_percent: u32) -> Self {
        let bpe = match encoding {
            Encoding::O200k => tiktoken_rs::o200k_base_singleton(),
            Encoding::Cl100k => tiktoken_rs::cl100k_base_singleton(),
        };
        Self { encoding, margin_percent: margin_percent.min(90), bpe }
    }

    /// Tokens in `text` as plain text (special-token spellings count as text,
    /// which is how providers treat user content).
    pub fn count(&self, text: &str) -> usize {
        self.bpe.count_ordinary(text)
    }

    /// The longest prefix of `text` made of whole lines that counts at most
    /// `budget` tokens (counts grow with the prefix, so a binary search).
    pub fn fit_lines<'t>(&self, text: &'t str, budget: usize) -> &'t str {
        let ends: Vec<usize> = text
            .split_inclusive('\n')
            .scan(0, |end, line| {
                *end += line.len();
                Some(*end)
            })
            .collect();
        let (mut lo, mut hi) = (0, ends.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if self.count(&text[..ends[mid - 1]]) <= budget { lo = mid } else { hi = mid - 1 }
        }
        &text[..if lo == 0 { 0 } else { ends[lo - 1] }]
    }

    /// The part of `budget` that may be filled after the margin.
    pub fn usable(&self, budget: usize) -> usize {
        budget * (100 - self.margin_percent as usize) / 100
    }
}

/// The encoding of a model family, and whether it is that model's own.
fn encoding_for(model: &str) -> (Encoding, bool) {
    let model = model.to_ascii_lowercase();
    let model = model.rsplit('/').next().unwrap_or(&model);
    const O200K: [&str; 8] = ["gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "chatgpt-4o", "gpt-oss", "o1", "o3"];
    const CL100K: [&str; 4] = ["gpt-4", "gpt-3.5", "text-embedding-3", "text-embedding-ada-002"];
    if O200K.iter().any(|p| model.starts_with(p)) || model.starts_with("o4") {
        (Encoding::O200k, true)
    } else if CL100K.iter().any(|p| model.starts_with(p)) {
        (Encoding::Cl100k, true)
    } else {
        (Encoding::O200k, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_families_pick_their_encoding_and_margin() {
        let cases = [
            (ProviderKind::OpenAi, "gpt-4o-mini", Encoding::O200k, 0),
            (ProviderKind::OpenAi, "gpt-4-turbo", Encoding::Cl100k, 0),
            (ProviderKind::OpenAi, "openai/o3-mini", Encoding::O200k, 0),
            (ProviderKind::Ollama, "qwen2.5-coder:7b", Encoding::O200k, 10),
            (ProviderKind::Anthropic, "claude-sonnet-4", Encoding::O200k, 20),
        ];
        for (provider, model, encoding, margin) in cases {
            let counter = TokenCounter::for_model(provider, model, None);
            assert_eq!((counter.encoding, counter.margin_percent), (encoding, margin), "{model}");
        }
        assert_eq!(TokenCounter::for_model(ProviderKind::Ollama, "x", Some(0)).usable(1000), 1000);
    }

    #[test]
    fn counts_are_exact_bpe_counts() {
        let o200k = TokenCounter::with_encoding(Encoding::O200k, 0);
        let cl100k = TokenCounter::with_encoding(Encoding::Cl100k, 0);
        assert_eq!(o200k.count("hello world"), 2);
        assert_eq!(cl100k.count("hello world"), 2);
        assert_eq!(o200k.count(""), 0);
        assert_eq!(o200k.usable(8192), 8192);
        assert_eq!(TokenCounter::with_encoding(Encoding::O200k, 10).usable(8192), 7372);
    }

    #[test]
    fn the_longest_whole_line_prefix_within_a_budget() {
        let counter = TokenCounter::with_encoding(Encoding::O200k, 0);
        let text = "hello world\nsecond line here\nthird\n";
        assert_eq!(counter.fit_lines(text, 0), "");
        assert_eq!(counter.fit_lines(text, 3), "hello world\n");
        assert_eq!(counter.fit_lines(text, 1000), text);
        assert!(counter.count(counter.fit_lines(text, 7)) <= 7);
    }
}
