//! `pyloom context FILE:LINE` and `pyloom llm ask FILE:LINE "question"`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use tokio_util::sync::CancellationToken;

use super::{LlmClient, LlmError, Progress, ProviderKind, Request, Session, ask_request};
use crate::context::{context_at, fim_location, parse_location};
use crate::index::commands::FilePosition;
use crate::project::{locate, workspace_settings};
use crate::settings::Settings;
use crate::settings::llm::LlmSettings;

/// Overrides of the `llm` settings for one command.
#[derive(Args, Debug, Default)]
pub struct ProviderArgs {
    #[arg(long, value_enum)]
    provider: Option<ProviderArg>,
    #[arg(long)]
    model: Option<String>,
    #[arg(long)]
    base_url: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ProviderArg {
    Openai,
    Ollama,
    Anthropic,
}

impl ProviderArgs {
    fn apply(&self, settings: &mut Settings) {
        let primary = &mut settings.llm.primary;
        if let Some(provider) = self.provider {
            let kind = match provider {
                ProviderArg::Openai => ProviderKind::OpenAi,
                ProviderArg::Ollama => ProviderKind::Ollama,
                ProviderArg::Anthropic => ProviderKind::Anthropic,
            };
            if kind != primary.provider {
                // The configured URL and key variable belong to the other provider.
                primary.base_url = None;
                primary.api_key_env = None;
                primary.provider = kind;
            }
        }
        if let Some(model) = &self.model {
            primary.model.clone_from(model);
        }
        if let Some(url) = &self.base_url {
            primary.base_url = Some(url.clone());
        }
    }
}

/// The project root, the canonical file and line of `location`, and the
/// workspace settings with the overrides.
pub(crate) fn prepare(location: &str, provider: &ProviderArgs) -> Result<(PathBuf, PathBuf, usize, Settings), String> {
    let (file, line) = parse_location(location)?;
    let (root, file) = locate(&file)?;
    let mut settings = workspace_settings(&root);
    provider.apply(&mut settings);
    settings.llm.validate()?;
    Ok((root, file, line, settings))
}

/// Prints the context exactly as it would be sent (stdout) and its token
/// account (stderr).
pub fn run_context(location: &str, budget: Option<usize>, provider: &ProviderArgs, fim: bool) -> ExitCode {
    if fim {
        return run_fim_context(location, budget, provider);
    }
    let result = prepare(location, provider)
        .and_then(|(root, file, line, settings)| context_at(&root, &file, line, budget.unwrap_or(settings.context.budget), &settings));
    match result {
        Ok((context, _)) => {
            crate::stdout::print(&context.packed.text);
            eprint!("{}", context.account());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// `pyloom tokens`: the token count of stdin as the configured model's
/// context is counted, or with `fit`, the whole lines of stdin that fit.
pub fn run_tokens(fit: Option<usize>, provider: &ProviderArgs) -> ExitCode {
    let mut text = String::new();
    if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
        return fail(&format!("cannot read stdin: {e}"));
    }
    let root = std::env::current_dir().unwrap_or_default();
    let mut settings = workspace_settings(&root);
    provider.apply(&mut settings);
    let primary = &settings.llm.primary;
    let counter = crate::context::TokenCounter::for_model(primary.provider, &primary.model, Some(0));
    match fit {
        Some(budget) => crate::stdout::print(counter.fit_lines(&text, budget)),
        None => crate::stdout::print(&format!("{}\n", counter.count(&text))),
    }
    ExitCode::SUCCESS
}

/// `--fim`: the graph context of a completion at FILE:LINE:COL.
fn run_fim_context(location: &str, budget: Option<usize>, provider: &ProviderArgs) -> ExitCode {
    let budget = budget.unwrap_or(fim_location::DEFAULT_BUDGET);
    let result = location.parse::<FilePosition>().and_then(|position| {
        let (root, _) = locate(&position.file)?;
        let mut settings = workspace_settings(&root);
        provider.apply(&mut settings);
        fim_location::fim_context_at(&root, &position, budget, &settings)
    });
    match result {
        Ok((context, took)) => {
            let (text, account) = fim_location::show(&context, budget, took);
            crate::stdout::print(&text);
            eprint!("{account}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// The text of the model's answer to `request`, asked of the model
/// `settings` configures (the cache as they say), retries and failovers
/// noted on stderr; the error says how to configure a model when none
/// answers.
pub fn answer(settings: &LlmSettings, request: &Request) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the async runtime: {e}"))?;
    settings.validate()?;
    let client = LlmClient::new(settings.clone(), Arc::new(Session::default()), LlmClient::open_cache(settings))?;
    let endpoint = settings.primary.label();
    eprintln!("pyloom: asking {endpoint}");
    let answer = runtime.block_on(client.complete(request, &CancellationToken::new(), &mut |progress| match progress {
        Progress::Retrying { endpoint, retry, wait, reason } => eprintln!("pyloom: {endpoint}: {reason}; retry {retry} in {:.1}s", wait.as_secs_f64()),
        Progress::FailingOver { from, to, reason } => eprintln!("pyloom: {from} failed ({reason}); trying {to}"),
        Progress::Text(_) => {}
    }));
    match answer {
        Ok(done) => Ok(done.text),
        Err(e @ (LlmError::Connect { .. } | LlmError::MissingApiKey { .. })) => {
            Err(format!("no model to ask ({e}); configure one with `llm.provider`, `llm.model` and `llm.base_url`; nothing was written"))
        }
        Err(e) => Err(format!("the model failed: {e}; nothing was written")),
    }
}

/// Streams the answer to stdout; retries and failovers are noted on stderr.
/// An answer that breaks off is reported as an error (exit code 1).
pub fn run_ask(location: &str, question: &str, budget: Option<usize>, provider: &ProviderArgs) -> ExitCode {
    let prepared = prepare(location, provider).and_then(|(root, file, line, settings)| {
        let (context, counter) = context_at(&root, &file, line, budget.unwrap_or(settings.context.budget), &settings)?;
        let request = ask_request(&context, question, &counter, settings.llm.max_output_tokens)?;
        eprint!("{}", context.account());
        Ok((request, settings))
    });
    let (request, settings) = match prepared {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    let cache = LlmClient::open_cache(&settings.llm);
    let client = match LlmClient::new(settings.llm, Arc::new(Session::default()), cache) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let mut stdout = std::io::stdout();
    let mut printed = false;
    let result = runtime.block_on(client.complete(&request, &CancellationToken::new(), &mut |progress| match progress {
        Progress::Text(text) => {
            printed |= !text.is_empty();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
        }
        Progress::Retrying { endpoint, retry, wait, reason } => {
            eprintln!("pyloom: {endpoint}: {reason}; retry {retry} in {:.1}s", wait.as_secs_f64());
        }
        Progress::FailingOver { from, to, reason } => eprintln!("pyloom: {from} failed ({reason}); trying {to}"),
    }));
    if printed {
        crate::stdout::print("\n");
    }
    match result {
        Ok(done) => {
            let source = if done.cached { " (cached)" } else { "" };
            eprintln!("pyloom: {}{source}: {} prompt + {} answer tokens", done.endpoint, done.usage.prompt_tokens, done.usage.completion_tokens);
            ExitCode::SUCCESS
        }
        Err(e) if printed => fail(&format!("the answer above is incomplete: {e}")),
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("pyloom: error: {message}");
    ExitCode::FAILURE
}
