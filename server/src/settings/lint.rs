//! The `[lint]` settings section and its own validation: every selector
//! must name ruff rules or pyloom's own checks.

use std::str::FromStr;

use ruff_linter::RuleSelector;
use serde::{Deserialize, Serialize};

use crate::findings::Confidence;

/// Selectors starting with this name pyloom's own checks (`LOOM801`), not ruff's.
pub const OWN_RULE_PREFIX: &str = "LOOM";

/// Rule selection for lint and security findings. Each key that is set
/// replaces the same key of the workspace's ruff configuration (see
/// `findings::config`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LintSettings {
    /// Rule selectors (`"E4"`, `"F401"`, `"S"`, `"LOOM6"`); unset means the
    /// ruff configuration's `select`, else ruff's default rules.
    pub select: Option<Vec<String>>,
    /// Selectors added to `select`.
    pub extend_select: Vec<String>,
    /// Selectors turned off; a prefix of pyloom's own codes turns those off.
    pub ignore: Option<Vec<String>>,
    /// Glob → selectors ignored in matching files.
    pub per_file_ignores: Option<std::collections::BTreeMap<String, Vec<String>>>,
    /// The least confidence a security finding of pyloom's own needs to be
    /// shown: `high`, `medium` (default) or `low`. Findings through a check
    /// the data flow could not judge (the program's own validator) are `low`.
    pub confidence: Confidence,
}

impl Default for LintSettings {
    fn default() -> Self {
        Self { select: None, extend_select: vec!["S".to_owned()], ignore: None, per_file_ignores: None, confidence: Confidence::Medium }
    }
}

impl LintSettings {
    /// Checks that every selector names ruff rules or pyloom's own.
    pub(super) fn validate(&self) -> Result<(), String> {
        let selectors = self
            .select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(self.ignore.iter().flatten())
            .chain(self.per_file_ignores.iter().flat_map(|m| m.values().flatten()));
        for selector in selectors {
            if !selector.starts_with(OWN_RULE_PREFIX) && RuleSelector::from_str(selector).is_err() {
                return Err(format!("lint: unknown rule selector `{selector}`"));
            }
        }
        Ok(())
    }
}
