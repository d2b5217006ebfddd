//! The `context` settings section: how the model's context is budgeted.

use serde::{Deserialize, Serialize};

/// The `context` settings section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContextSettings {
    /// Total tokens: context, instructions and answer.
    pub budget: usize,
    /// Percent of the budget for level 1 (full code).
    pub level1_percent: usize,
    /// Percent for level 2 (signatures); the rest is the reserve.
    pub level2_percent: usize,
    /// Drop comments and blank lines from level-1 code when it would not fit.
    pub compress: bool,
    /// Replaces the per-provider tokenizer safety margin (percent).
    pub safety_margin_percent: Option<u32>,
}

impl Default for ContextSettings {
    fn default() -> Self {
        Self { budget: 8192, level1_percent: 40, level2_percent: 30, compress: true, safety_margin_percent: None }
    }
}

impl ContextSettings {
    pub fn validate(&self) -> Result<(), String> {
        if self.level1_percent + self.level2_percent >= 100 {
            return Err("context.level1_percent + context.level2_percent must leave a reserve (be under 100)".to_owned());
        }
        if self.safety_margin_percent.is_some_and(|m| m > 90) {
            return Err("context.safety_margin_percent must be at most 90".to_owned());
        }
        Ok(())
    }

    /// The reserve for instructions and the answer, in percent.
    pub fn reserve_percent(&self) -> usize {
        100 - self.level1_percent - self.level2_percent
    }
}
