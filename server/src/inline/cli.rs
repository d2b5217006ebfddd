//! `pyloom complete FILE:LINE:COL`: the checked suggestion at a position,
//! or with `--prompt` the call the model would get.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use tokio_util::sync::CancellationToken;

use crate::index::commands::{FilePosition, offset_of};
use crate::llm::{LlmClient, LlmError, Session};
use crate::project::{load_graph, locate, workspace_settings};
use crate::settings::CompletionProvider;

#[derive(Args, Debug)]
pub struct CompleteArgs {
    /// FILE:LINE:COL, 1-based (the column in characters).
    position: FilePosition,
    /// Print the URL and JSON body the model would get, and stop.
    #[arg(long)]
    prompt: bool,
    /// Overrides `completion.provider`.
    #[arg(long, value_enum)]
    provider: Option<CompletionProvider>,
    /// Overrides `completion.model`.
    #[arg(long)]
    model: Option<String>,
    /// Overrides `completion.base_url`.
    #[arg(long)]
    base_url: Option<String>,
}

pub fn run(args: &CompleteArgs) -> ExitCode {
    match complete(args) {
        Ok(Some(text)) => {
            crate::stdout::print(&format!("{text}\n"));
            ExitCode::SUCCESS
        }
        Ok(None) => {
            eprintln!("pyloom: no suggestion passed the checks");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("pyloom: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn complete(args: &CompleteArgs) -> Result<Option<String>, String> {
    let (root, file) = locate(&args.position.file)?;
    let mut settings = workspace_settings(&root);
    let completion = &mut settings.completion;
    if args.provider.is_some_and(|p| completion.provider != Some(p)) {
        // The configured URL and key variable belong to the other provider.
        completion.base_url = None;
        completion.api_key_env = None;
        completion.provider = args.provider;
    }
    completion.model = args.model.clone().or(completion.model.take());
    completion.base_url = args.base_url.clone().or(completion.base_url.take());
    let (mut graph, _) = load_graph(&root, &settings, false)?;
    // The file may be outside the indexed folders or excluded: add it.
    let text = crate::index::read_source(&file, settings.files.max_file_bytes)?;
    graph.update_file(&file, &text);
    let id = graph.file_id(&file).ok_or_else(|| format!("{} is outside the workspace {}", file.display(), root.display()))?;
    let FilePosition { line, column, .. } = args.position;
    let offset = offset_of(&text, line, column).ok_or_else(|| format!("{}:{line}:{column} is past the end of the file", file.display()))? as usize;
    let stream = settings.completion.stream;
    let prepared = super::prepare(&graph, id, offset, &settings, &[], stream)?;
    let client = LlmClient::new(settings.completion.client_settings(&settings.llm), Arc::new(Session::default()), None)?;
    eprintln!("pyloom: {} context files, {} tokens, {} secrets masked", prepared.context_files, prepared.context_tokens, prepared.secrets_masked);
    if args.prompt {
        let preview = serde_json::to_string_pretty(&client.preview(&prepared.request)).map_err(|e| e.to_string())?;
        return Ok(Some(preview));
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let mut streamed = String::new();
    let result = runtime.block_on(client.complete(&prepared.request, &CancellationToken::new(), &mut |progress| {
        if let crate::llm::Progress::Text(text) = progress {
            streamed.push_str(text);
        }
    }));
    let answer = match result {
        Ok(done) => done.text,
        // A chat answer cut at the output limit: its whole lines may hold.
        Err(LlmError::Truncated { .. }) if !streamed.is_empty() => streamed,
        Err(e) => return Err(e.to_string()),
    };
    Ok(super::finish(&graph, id, offset, prepared.shape, &answer, None).map(|s| s.text))
}
