//! Token usage for the session, per endpoint, for `pyloom.status`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;

use super::Usage;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct UsageTotals {
    pub requests: u64,
    pub failures: u64,
    pub cache_hits: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

#[derive(Default)]
pub struct UsageLedger {
    by_endpoint: Mutex<BTreeMap<String, UsageTotals>>,
}

impl UsageLedger {
    pub fn record_answer(&self, endpoint: &str, usage: Usage) {
        self.update(endpoint, |t| {
            t.requests += 1;
            t.prompt_tokens += usage.prompt_tokens;
            t.completion_tokens += usage.completion_tokens;
        });
    }

    pub fn record_cache_hit(&self, endpoint: &str) {
        self.update(endpoint, |t| t.cache_hits += 1);
    }

    pub fn record_failure(&self, endpoint: &str) {
        self.update(endpoint, |t| t.failures += 1);
    }

    /// Totals per endpoint label, in name order.
    pub fn snapshot(&self) -> BTreeMap<String, UsageTotals> {
        self.by_endpoint.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn update(&self, endpoint: &str, f: impl FnOnce(&mut UsageTotals)) {
        let mut map = self.by_endpoint.lock().unwrap_or_else(|e| e.into_inner());
        f(map.entry(endpoint.to_owned()).or_default());
    }
}
