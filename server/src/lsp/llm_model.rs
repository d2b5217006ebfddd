//! The model as the action engine sees it, in the server: the configured
//! LLM client under the action's cancellation, with progress lines, and the
//! snippet sandbox for generated tests.

use std::path::Path;

use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::Backend;
use crate::actions::check::{Problem, test_problems};
use crate::actions::engine::{ActionError, Model};
use crate::actions::prompt::Prompt;
use crate::actions::reply_format::FormatChoice;
use crate::llm::{LlmClient, Progress};
use crate::snippets::TestRequest;

pub(super) struct LspModel {
    pub client: LlmClient,
    pub name: String,
    pub formats: FormatChoice,
    pub max_output_tokens: u32,
    pub cancel: CancellationToken,
    pub progress: UnboundedSender<String>,
    pub backend: Backend,
    pub calls: usize,
    /// The answers so far; the accepted one is cached.
    pub attempts: crate::llm::Attempts,
}

impl Model for LspModel {
    fn name(&self) -> &str {
        &self.name
    }

    fn formats(&self) -> FormatChoice {
        self.formats
    }

    async fn complete(&mut self, prompt: &Prompt, fresh: bool) -> Result<String, ActionError> {
        self.calls += 1;
        let _ = self.progress.send(format!("attempt {}: asking {}", self.calls, self.name));
        let request = prompt.request(self.max_output_tokens, fresh);
        let progress = self.progress.clone();
        let result = self
            .client
            .complete(&request, &self.cancel, &mut |p| {
                if let Progress::Retrying { reason, retry, .. } = p {
                    let _ = progress.send(format!("retry {retry}: {reason}"));
                }
            })
            .await?;
        Ok(self.attempts.record(result))
    }

    fn accepted(&mut self) {
        self.attempts.accept(&self.client);
    }

    async fn run_tests(&mut self, path: &Path, text: &str) -> Option<Vec<Problem>> {
        let _ = self.progress.send("running the generated tests in the sandbox".to_owned());
        let request = TestRequest { file: path.to_owned(), source: text.to_owned(), line: None };
        match self.backend.run_request(&request).await {
            Ok(results) => Some(test_problems(results)),
            Err(e) => {
                tracing::info!("generated tests not run: {e:#}");
                None
            }
        }
    }
}
