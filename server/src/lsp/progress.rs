//! Cancellable work-done progress for long commands (snippet runs, LLM
//! calls): one registry of running work by progress token, so the single
//! `window/workDoneProgress/cancel` handler can stop whichever work owns it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio_util::sync::CancellationToken;
use tower_lsp::Client;
use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;

use super::Backend;

/// Running work by progress token.
#[derive(Default)]
pub(super) struct Running(Mutex<HashMap<String, CancellationToken>>);

impl Running {
    fn insert(&self, token: &ProgressToken, cancel: CancellationToken) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(key(token), cancel);
    }

    fn remove(&self, token: &ProgressToken) -> Option<CancellationToken> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(&key(token))
    }
}

/// One piece of work the user sees and can cancel. Its cancellation token
/// works with or without a progress token: `$/cancelRequest` drops the
/// handler's future, which drops this and cancels the work with it.
pub(super) struct Work {
    token: Option<ProgressToken>,
    cancel: CancellationToken,
    backend: Backend,
}

impl Backend {
    /// Begins cancellable progress titled `title`, on the client's token if
    /// it sent one, else on a new one when the client accepts it.
    pub(super) async fn begin_work(&self, client_token: Option<ProgressToken>, title: String) -> Work {
        let token = match client_token {
            Some(token) => Some(token),
            None => self.create_progress_token().await,
        };
        let cancel = CancellationToken::new();
        if let Some(token) = &token {
            self.state.running.insert(token, cancel.clone());
            let begin = WorkDoneProgressBegin { title, cancellable: Some(true), message: None, percentage: None };
            send(&self.client, token, WorkDoneProgress::Begin(begin)).await;
        }
        Work { token, cancel, backend: self.clone() }
    }

    async fn create_progress_token(&self) -> Option<ProgressToken> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let token = NumberOrString::String(format!("pyloom/work/{}", NEXT.fetch_add(1, Ordering::Relaxed)));
        match self.client.send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams { token: token.clone() }).await {
            Ok(()) => Some(token),
            Err(e) => {
                tracing::debug!("no work-done progress: {e}");
                None
            }
        }
    }

    /// `window/workDoneProgress/cancel`: the user cancelled from the progress UI.
    pub(super) fn cancel_work(&self, token: &ProgressToken) {
        if let Some(cancel) = self.state.running.remove(token) {
            cancel.cancel();
        }
    }
}

impl Work {
    pub(super) fn cancelled(&self) -> &CancellationToken {
        &self.cancel
    }

    /// A sender for progress messages from code that cannot await (a model's
    /// streaming callback), forwarded by a task of its own so the work never
    /// waits on the editor. Dropping the sender ends the forwarder.
    pub(super) fn reporter(&self) -> (tokio::sync::mpsc::UnboundedSender<String>, Option<tokio::task::JoinHandle<()>>) {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let forwarder = self.token.clone().map(|token| {
            let client = self.backend.client.clone();
            tokio::spawn(async move {
                while let Some(message) = rx.recv().await {
                    let report = WorkDoneProgressReport { message: Some(message), cancellable: Some(true), percentage: None };
                    send(&client, &token, WorkDoneProgress::Report(report)).await;
                }
            })
        });
        (tx, forwarder)
    }

    /// Ends the progress with a closing message.
    pub(super) async fn end(mut self, message: Option<String>) {
        if let Some(token) = self.token.take() {
            self.backend.state.running.remove(&token);
            send(&self.backend.client, &token, WorkDoneProgress::End(WorkDoneProgressEnd { message })).await;
        }
    }
}

impl Drop for Work {
    /// Work dropped before `end` (its request was cancelled, or it failed
    /// early) stops whatever still runs under it and closes its progress.
    fn drop(&mut self) {
        self.cancel.cancel();
        if let Some(token) = self.token.take() {
            self.backend.state.running.remove(&token);
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let client = self.backend.client.clone();
                let end = WorkDoneProgressEnd { message: Some("cancelled".to_owned()) };
                runtime.spawn(async move { send(&client, &token, WorkDoneProgress::End(end)).await });
            }
        }
    }
}

async fn send(client: &Client, token: &ProgressToken, value: WorkDoneProgress) {
    client.send_notification::<Progress>(ProgressParams { token: token.clone(), value: ProgressParamsValue::WorkDone(value) }).await;
}

fn key(token: &ProgressToken) -> String {
    match token {
        NumberOrString::Number(number) => number.to_string(),
        NumberOrString::String(string) => string.clone(),
    }
}
