//! The shape of answer the prompt asks for. A fenced block of the target's
//! whole new code is what the merge places most surely and what small
//! models get right most often, so it is the default. A large target
//! rewritten whole spends the answer's token budget on lines that do not
//! change (a cut-off answer is refused) and tempts `# ... existing code ...`
//! placeholders; there a refactor or a fix asks for the edit format the
//! model was trained on: `*** Begin Patch` for OpenAI's GPT-4.1, GPT-5,
//! o-series and codex models, SEARCH/REPLACE blocks for Claude. Every
//! format is read by [`super::formats`] into the same merge and checks.

use std::path::Path;

use super::prompt::Task;
use crate::settings::actions::EditFormat;
use crate::settings::llm::{ProviderKind, ProviderSettings};

/// What the prompt asks the answer to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// One fenced ```python block.
    Code,
    SearchReplace,
    /// A patch of `file` (the edited file's name, which the patch names).
    Patch {
        file: String,
    },
}

/// An edit format the merge reads, chosen for one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Code,
    SearchReplace,
    Patch,
}

/// How one model is asked to answer: the format the settings force, else
/// the one it was trained on for large targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatChoice {
    forced: Option<Format>,
    trained: Format,
    /// Tokens the answer may take (`llm.max_output_tokens`).
    answer_tokens: u32,
}

impl FormatChoice {
    pub fn new(setting: EditFormat, endpoint: &ProviderSettings, answer_tokens: u32) -> Self {
        let forced = match setting {
            EditFormat::Auto => None,
            EditFormat::Code => Some(Format::Code),
            EditFormat::SearchReplace => Some(Format::SearchReplace),
            EditFormat::Patch => Some(Format::Patch),
        };
        Self { forced, trained: trained_format(endpoint.provider, &endpoint.model), answer_tokens }
    }

    /// The choice for the configured primary model.
    pub fn configured(settings: &crate::settings::Settings) -> Self {
        Self::new(settings.actions.edit_format, &settings.llm.primary, settings.llm.max_output_tokens)
    }

    /// Always a code block: scripted models and the explain action.
    pub fn code() -> Self {
        Self { forced: Some(Format::Code), trained: Format::Code, answer_tokens: 0 }
    }

    /// The shape for `task` on `target` (its code as shown) in `path`. Only
    /// a refactor and a fix rewrite code that is already there; the other
    /// tasks write new code, which has nothing to search for.
    pub fn shape(self, task: &Task, target: &str, path: &Path) -> Shape {
        if !matches!(task, Task::Refactor { .. } | Task::Fix { .. }) {
            return Shape::Code;
        }
        let format = self.forced.unwrap_or(if whole_fits(target, self.answer_tokens) { Format::Code } else { self.trained });
        match format {
            Format::Code => Shape::Code,
            Format::SearchReplace => Shape::SearchReplace,
            Format::Patch => Shape::Patch { file: path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()) },
        }
    }
}

/// Whether `target` rewritten whole takes at most half the answer's
/// tokens (the rest for what the model changes and adds). Code runs about
/// three bytes to a token in the tokenizers of the models we read.
fn whole_fits(target: &str, answer_tokens: u32) -> bool {
    target.len() / 3 <= answer_tokens as usize / 2
}

/// The edit format a model was trained to answer in, by its family; a code
/// block for the rest (small and local models write whole code best). The
/// name may carry a router's prefix (`openai/gpt-5`) or a tag (`:latest`).
fn trained_format(provider: ProviderKind, model: &str) -> Format {
    let lower = model.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or_default();
    let o_series = name.strip_prefix('o').and_then(|rest| rest.chars().next()).is_some_and(|c| c.is_ascii_digit());
    if provider == ProviderKind::Anthropic || name.starts_with("claude") {
        Format::SearchReplace
    } else if name.starts_with("gpt-4.1") || name.starts_with("gpt-5") || name.contains("codex") || o_series {
        Format::Patch
    } else {
        Format::Code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(provider: ProviderKind, model: &str) -> ProviderSettings {
        ProviderSettings { provider, model: model.to_owned(), ..ProviderSettings::default() }
    }

    fn refactor() -> Task {
        Task::Refactor { instruction: "simplify".to_owned() }
    }

    const PATH: &str = "/work/shop/cart.py";

    #[test]
    fn a_large_target_is_asked_in_the_format_the_model_was_trained_on() {
        let large = "    x = 1\n".repeat(200);
        let shape = |provider, model: &str| FormatChoice::new(EditFormat::Auto, &endpoint(provider, model), 1024).shape(&refactor(), &large, Path::new(PATH));
        let patch = Shape::Patch { file: "cart.py".to_owned() };
        for model in ["gpt-5", "gpt-4.1-mini", "o3", "o4-mini", "openai/gpt-5-codex", "gpt-5-codex:latest"] {
            assert_eq!(shape(ProviderKind::OpenAi, model), patch, "{model}");
        }
        assert_eq!(shape(ProviderKind::Anthropic, "claude-sonnet-4-5"), Shape::SearchReplace);
        assert_eq!(shape(ProviderKind::OpenAi, "anthropic/claude-opus-4"), Shape::SearchReplace);
        // Small and local models, and names that only look like a family, write whole code.
        for model in ["qwen2.5-coder:7b", "gpt-4o", "llama3.1", "omni-coder", "deepseek-coder-v2"] {
            assert_eq!(shape(ProviderKind::OpenAi, model), Shape::Code, "{model}");
        }
        assert_eq!(shape(ProviderKind::Ollama, "qwen2.5-coder:7b"), Shape::Code);
    }

    #[test]
    fn small_targets_and_new_code_are_asked_whole_unless_the_settings_say() {
        let gpt5 = endpoint(ProviderKind::OpenAi, "gpt-5");
        let auto = FormatChoice::new(EditFormat::Auto, &gpt5, 1024);
        let small = "def f(x):\n    return x\n";
        let large = "    x = 1\n".repeat(200);
        let path = Path::new(PATH);
        assert_eq!(auto.shape(&refactor(), small, path), Shape::Code);
        // A larger answer budget takes the large target whole too.
        assert_eq!(FormatChoice::new(EditFormat::Auto, &gpt5, 8192).shape(&refactor(), &large, path), Shape::Code);
        // Implementing, writing tests or code from a comment has nothing to search for.
        for task in
            [Task::Implement { function: "f".to_owned() }, Task::WriteTests { function: "f".to_owned() }, Task::FromComment { instruction: "x".to_owned() }]
        {
            assert_eq!(auto.shape(&task, &large, path), Shape::Code, "{task:?}");
        }
        let fix = Task::Fix { code: "F821".to_owned(), message: "x".to_owned() };
        assert_eq!(auto.shape(&fix, &large, path), Shape::Patch { file: "cart.py".to_owned() });
        // Forced by the settings: for every refactor and fix, whatever the size and the model.
        let forced = FormatChoice::new(EditFormat::SearchReplace, &endpoint(ProviderKind::Ollama, "qwen2.5-coder:7b"), 1024);
        assert_eq!(forced.shape(&refactor(), small, path), Shape::SearchReplace);
        assert_eq!(FormatChoice::new(EditFormat::Code, &gpt5, 1024).shape(&refactor(), &large, path), Shape::Code);
        assert_eq!(FormatChoice::code().shape(&refactor(), &large, path), Shape::Code);
    }
}
