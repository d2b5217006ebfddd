//! `pyloom.updateCalls {uri, position}`: the calls of the function named
//! at `position` lack the arguments of its new parameters without a
//! default; the configured model proposes each
//! ([`crate::actions::call_arguments`]), every proposal is checked at its
//! call ([`crate::ide::call_arguments::fill`]), and the calls are updated
//! in one `workspace/applyEdit` under a change annotation, or none is and
//! the error names each call that failed.

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;

use super::Backend;
use super::llm_actions::failed;
use super::locations::Locator;
use crate::actions::call_arguments::{Change, proposals, request};
use crate::actions::edit::FileChange;
use crate::ide::call_arguments::{fill, site_context};
use crate::llm::{LlmClient, LlmError};

pub(super) const UPDATE_CALLS: &str = "pyloom.updateCalls";

#[derive(Debug, Deserialize)]
struct UpdateArgs {
    uri: Url,
    /// On the function's name.
    position: Position,
}

impl Backend {
    pub(super) async fn update_calls_with_model(&self, arguments: Vec<Value>) -> Result<Value> {
        let args: UpdateArgs = arguments
            .into_iter()
            .next()
            .and_then(|a| serde_json::from_value(a).ok())
            .ok_or_else(|| Error::invalid_params(format!("{UPDATE_CALLS} takes {{uri, position}}")))?;
        self.sync_open_documents().await;
        let (graph, file) = self.linked_graph_file(&args.uri).await.ok_or_else(|| Error::invalid_params(format!("{} is not in the workspace", args.uri)))?;
        let stale = self.state.stale_calls.stale(&args.uri, &graph, file);
        let on_line = {
            let mut locator = Locator::new(&graph, self.encoding());
            stale.iter().position(|c| locator.range(file, c.span).is_some_and(|r| r.start.line == args.position.line))
        };
        let calls = &stale[on_line.ok_or_else(|| failed("no function on that line has calls to update; they may have been updated already".to_owned()))?];
        let asking = calls.asking.as_ref().ok_or_else(|| failed(format!("the calls of `{}` need no argument from the model", calls.name)))?;
        let text = &graph.file(file).ok_or_else(|| failed("the file left the workspace".to_owned()))?.text();
        let def = text.get(calls.span.start as usize..).and_then(|t| t.lines().next()).unwrap_or_default();
        let change = Change { name: &calls.name, old: &calls.old, def: &format!("def {def}"), required: &asking.required };
        let sites: Vec<_> = asking.sites.iter().map(|s| (site_context(&graph, s), s.parameters.clone())).collect();
        let settings = self.settings();
        let request = request(&change, &sites, settings.llm.max_output_tokens);
        let endpoint = settings.llm.primary.label();
        let no_model = |e: String| failed(format!("no model to ask ({e}); configure one with `llm.provider`, `llm.model` and `llm.base_url`"));
        let client = LlmClient::new(settings.llm, self.state.llm.session.clone(), None).map_err(no_model)?;
        let title = format!("Update the calls of `{}`", calls.name);
        let work = self.begin_work(None, format!("{title}: asking {endpoint}")).await;
        let answer = client.complete(&request, work.cancelled(), &mut |_| {}).await;
        work.end(None).await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(LlmError::Cancelled) => return Err(Error { code: ErrorCode::RequestCancelled, message: "cancelled".into(), data: None }),
            Err(e @ (LlmError::Connect { .. } | LlmError::MissingApiKey { .. })) => return Err(no_model(e.to_string())),
            Err(e) => return Err(failed(format!("the model failed: {e}; no call was updated"))),
        };
        let filled = fill(&graph, asking, &proposals(&answer.text)).map_err(|reasons| {
            let list: String = reasons.iter().map(|r| format!("\n- {r}")).collect();
            failed(format!("the model's arguments failed their checks; no call was updated:{list}"))
        })?;
        let changes: Vec<FileChange> = filled
            .into_iter()
            .filter_map(|f| {
                let entry = graph.file(f.file)?;
                Some(FileChange { path: entry.path.clone(), original: entry.text().to_string(), candidate: f.text })
            })
            .collect();
        let applied = self.apply_changes(&changes, &title, &format!("every call of `{}` with the model's arguments", calls.name)).await?;
        Ok(json!({
            "applied": applied,
            "files": changes.len(),
            "calls": asking.sites.len(),
            "endpoint": answer.endpoint,
            "summary": format!("{title}: {} call(s) in {} file(s), arguments checked", asking.sites.len(), changes.len()),
        }))
    }
}
