//! The generate-check-retry loop. A prompt (the target, its context, past
//! mistakes to avoid, the last attempt's errors) goes to the model; the code
//! in its reply is placed into the document and checked; a failure is
//! remembered and sent back, up to the attempt limit. Only a candidate that
//! passes every check becomes an edit.

use std::future::Future;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::check::{Checker, Problem};
use super::edit::{FileChange, ProposedEdit, minimal_edit};
use super::follow::Followed;
use super::memory::MistakeMemory;
use super::merge::{Merged, merge_reply};
use super::place::Placement;
use super::prompt::{Prompt, Task, build};
use super::reply::{Block, ReplyError, blocks};
use super::reply_format::{FormatChoice, Shape};
use super::request_rules;

/// How many past mistakes go into a prompt.
const AVOID_LINES: usize = 5;

/// The model, and the sandbox for generated tests. A trait so the loop can
/// be tested without HTTP.
pub trait Model {
    /// The model's name, which the mistake memory is kept by.
    fn name(&self) -> &str;

    /// How this model is asked to answer a refactor or a fix.
    fn formats(&self) -> FormatChoice;

    /// The model's answer to `prompt`; `fresh` asks the model itself, not
    /// the response cache (retries and regenerations).
    fn complete(&mut self, prompt: &Prompt, fresh: bool) -> impl Future<Output = Result<String, ActionError>> + Send;

    /// The last answer passed its checks: it may be cached now.
    fn accepted(&mut self) {}

    /// Runs the tests in `text` (the candidate text of `path`): the failures,
    /// or `None` when there is no sandbox to run them in.
    fn run_tests(&mut self, path: &Path, text: &str) -> impl Future<Output = Option<Vec<Problem>>> + Send;
}

/// One edit to generate.
#[derive(Debug, Clone)]
pub struct Job {
    pub task: Task,
    /// The file edited and its text when the request was made.
    pub path: PathBuf,
    pub original: String,
    pub placement: Placement,
    /// The code shown to the model as the target.
    pub target_text: String,
    /// The hierarchical context, already within its budget.
    pub context: String,
    pub max_attempts: usize,
    /// Run the candidate's tests in the sandbox as part of the check.
    pub run_tests: bool,
    /// Ask the model anew even on the first attempt (regenerate, `--no-cache`).
    pub fresh: bool,
}

/// A checked edit of `Job::original`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub edit: ProposedEdit,
    /// The region the model worked on: an edit there meanwhile refuses the edit.
    pub target: Range<usize>,
    /// The code as the model wrote it (for Adjust).
    pub code: String,
    pub attempts: usize,
    /// The generated tests ran in the sandbox (and passed: failures are retried).
    pub tests_ran: bool,
    /// What the edit adds beside the target (helpers, imports), for its title.
    pub additions: Vec<String>,
    /// The other files whose calls the edit's new signature updated (a
    /// signature change the instruction asked for).
    pub calls: Vec<FileChange>,
    /// What updating the calls left as it was (calls the old signature did
    /// not accept either, examples in docstrings), for the user.
    pub untouched: Vec<String>,
}

impl Generated {
    /// `title` with what the edit adds: `Implement \`total\` (adds helper \`rate\`, \`import math\`)`.
    pub fn title(&self, title: &str) -> String {
        if self.additions.is_empty() { title.to_owned() } else { format!("{title} (adds {})", self.additions.join(", ")) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("cancelled")]
    Cancelled,
    #[error("the model call failed: {0}")]
    Model(String),
    #[error("{}", rejected(*attempts, problems))]
    Rejected { attempts: usize, problems: Vec<Problem> },
}

impl From<crate::llm::LlmError> for ActionError {
    fn from(error: crate::llm::LlmError) -> Self {
        match error {
            crate::llm::LlmError::Cancelled => ActionError::Cancelled,
            other => ActionError::Model(other.to_string()),
        }
    }
}

fn rejected(attempts: usize, problems: &[Problem]) -> String {
    let list: String = problems.iter().map(|p| format!("\n- {p}")).collect();
    format!("the generated code failed the checks {attempts} times; no edit was made. Last errors:{list}")
}

/// Generates, checks and retries until a candidate passes or the attempts
/// run out.
pub async fn generate<M: Model>(model: &mut M, job: &Job, checker: &Checker, memory: Option<&MistakeMemory>) -> Result<Generated, ActionError> {
    let avoid = memory
        .and_then(|m| m.relevant(model.name(), &job.target_text, AVOID_LINES).map_err(|e| tracing::warn!("mistake memory: {e}")).ok())
        .unwrap_or_default();
    let mut errors: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    let mut shape = model.formats().shape(&job.task, &job.target_text, &job.path);
    for attempt in 1..=job.max_attempts.max(1) {
        let prompt = build(&job.task, &job.target_text, &job.context, &avoid, &errors, &shape);
        // A retry asks the model: a cached answer would repeat the mistake.
        let reply = model.complete(&prompt, job.fresh || attempt > 1).await?;
        problems = match read(job, &reply) {
            Err(problem) => vec![problem],
            Ok(Merged { text: candidate, code, additions }) => {
                // The rule broken and what it breaks, together: the model learns both.
                let mut found: Vec<Problem> = request_rules::check(job, &candidate).err().map(|rule| Problem::new("request", rule)).into_iter().collect();
                let (checked, followed) = check_off_thread(checker, job, candidate.clone()).await?;
                found.extend(checked);
                let mut tests_ran = false;
                if found.is_empty()
                    && job.run_tests
                    && let Some(failures) = model.run_tests(&job.path, &candidate).await
                {
                    tests_ran = true;
                    found = failures;
                }
                if found.is_empty() {
                    model.accepted();
                    // With its calls updated: this file's around the edit, the others' beside it.
                    let (candidate, calls, untouched) = match followed {
                        Some(mut followed) => (followed.changes.remove(0).candidate, followed.changes, followed.untouched),
                        None => (candidate, Vec::new(), Vec::new()),
                    };
                    let edit = minimal_edit(&job.original, 0..job.original.len(), &candidate);
                    let target = edit.range.clone();
                    return Ok(Generated { edit, target, code, attempts: attempt, tests_ran, additions, calls, untouched });
                }
                found
            }
        };
        tracing::info!(attempt, problems = problems.len(), "generated code failed its checks");
        if let Some(memory) = memory {
            for p in &problems {
                if let Err(e) = memory.record(model.name(), &p.kind, &p.message) {
                    tracing::warn!("mistake memory: {e}");
                }
            }
        }
        errors = problems.iter().map(ToString::to_string).collect();
        // An answer that could not be read or placed (an edit format's lines
        // not in the file) is asked for again as whole code, which places surely.
        if problems.iter().any(|p| p.kind == "reply") {
            shape = Shape::Code;
        }
    }
    Err(ActionError::Rejected { attempts: job.max_attempts.max(1), problems })
}

/// The reply merged into the file, or why it cannot be placed. A fix may
/// answer with nothing: the lines are deleted.
fn read(job: &Job, reply: &str) -> Result<Merged, Problem> {
    let found = match blocks(reply) {
        Err(ReplyError::Empty) if matches!((&job.task, &job.placement), (Task::Fix { .. }, Placement::Lines { .. })) => vec![Block::Code(String::new())],
        other => other.map_err(|e| Problem::new("reply", e.to_string()))?,
    };
    merge_reply(job, &found).map_err(|e| Problem::new("reply", e))
}

/// Linting and graph checks take milliseconds to seconds: off the async
/// threads, so the server keeps answering meanwhile.
async fn check_off_thread(checker: &Checker, job: &Job, candidate: String) -> Result<(Vec<Problem>, Option<Followed>), ActionError> {
    let (checker, path, original, follows) = (checker.clone(), job.path.clone(), job.original.clone(), request_rules::follows_calls(job));
    tokio::task::spawn_blocking(move || match follows {
        Some(renames) => checker.check_following(&path, &original, &candidate, renames),
        None => (checker.check(&path, &original, &candidate), None),
    })
    .await
    .map_err(|e| ActionError::Model(format!("the checks failed to run: {e}")))
}

/// A Markdown explanation (no edit, so nothing to check but that it is there).
pub async fn explain<M: Model>(model: &mut M, task: &Task, target_text: &str, context: &str, fresh: bool) -> Result<String, ActionError> {
    let reply = model.complete(&build(task, target_text, context, &[], &[], &Shape::Code), fresh).await?;
    let markdown = reply.trim();
    if markdown.is_empty() {
        return Err(ActionError::Model("the model returned an empty explanation".to_owned()));
    }
    model.accepted();
    Ok(markdown.to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::Arc;

    use super::*;
    use crate::actions::targets::function_at;
    use crate::findings::Configs;
    use crate::graph::Graph;
    use crate::settings::LintSettings;

    /// A scripted model: answers in order, remembers the prompts.
    struct Scripted {
        replies: VecDeque<String>,
        prompts: Vec<Prompt>,
        /// Per call: whether the cache was bypassed.
        fresh: Vec<bool>,
        accepted: usize,
        test_failures: Option<Vec<Problem>>,
        formats: FormatChoice,
    }

    impl Scripted {
        fn new(replies: &[&str]) -> Self {
            Self {
                replies: replies.iter().map(|r| (*r).to_owned()).collect(),
                prompts: Vec::new(),
                fresh: Vec::new(),
                accepted: 0,
                test_failures: None,
                formats: FormatChoice::code(),
            }
        }
    }

    impl Model for Scripted {
        fn name(&self) -> &str {
            "scripted"
        }

        fn formats(&self) -> FormatChoice {
            self.formats
        }

        async fn complete(&mut self, prompt: &Prompt, fresh: bool) -> Result<String, ActionError> {
            self.prompts.push(prompt.clone());
            self.fresh.push(fresh);
            self.replies.pop_front().ok_or_else(|| ActionError::Model("script exhausted".to_owned()))
        }

        async fn run_tests(&mut self, _path: &Path, _text: &str) -> Option<Vec<Problem>> {
            self.test_failures.take()
        }

        fn accepted(&mut self) {
            self.accepted += 1;
        }
    }

    const LIB: &str = "def total(xs, tax):\n    return sum(xs) * tax\n";
    const APP: &str = "from lib import total\n\n\ndef run(xs):\n    \"\"\"Total with 20% tax.\"\"\"\n    ...\n";

    fn setup(dir: &Path) -> (Checker, Job) {
        std::fs::write(dir.join("lib.py"), LIB).unwrap();
        std::fs::write(dir.join("app.py"), APP).unwrap();
        let mut graph = Graph::new(vec![dir.to_owned()]);
        graph.update_file(&dir.join("lib.py"), LIB);
        graph.update_file(&dir.join("app.py"), APP);
        let configs = Arc::new(Configs::new(dir, &LintSettings::default()).0);
        let checker = Checker::new(Arc::new(graph), configs);
        let function = function_at(APP, APP.find("...").unwrap()).unwrap();
        let job = Job {
            task: Task::Implement { function: "run".to_owned() },
            path: dir.join("app.py"),
            original: APP.to_owned(),
            target_text: APP[function.range.clone()].to_owned(),
            placement: Placement::Body(function),
            context: "def total(xs, tax): ...".to_owned(),
            max_attempts: 3,
            run_tests: false,
            fresh: false,
        };
        (checker, job)
    }

    fn fenced(code: &str) -> String {
        format!("```python\n{code}```\n")
    }

    #[tokio::test]
    async fn a_broken_call_is_sent_back_and_the_fix_is_offered() {
        let dir = tempfile::tempdir().unwrap();
        let (checker, job) = setup(dir.path());
        let memory = MistakeMemory::open(&dir.path().join("mistakes.sqlite3"), dir.path()).unwrap();
        let mut model = Scripted::new(&[&fenced("return total(xs)\n"), &fenced("return total(xs, 1.2)\n")]);
        let done = generate(&mut model, &job, &checker, Some(&memory)).await.unwrap();
        assert_eq!(done.attempts, 2);
        // Only the first attempt may be served from the cache; only the accepted answer is stored.
        assert_eq!((model.fresh.as_slice(), model.accepted), ([false, true].as_slice(), 1));
        assert_eq!(done.edit.new_text, "return total(xs, 1.2)");
        assert!(done.additions.is_empty());
        assert_eq!(&APP[done.edit.range.clone()], "...");
        assert!(model.prompts[0].user.contains("def total(xs, tax): ..."));
        assert!(!model.prompts[0].user.contains("failed these checks"));
        let retry = &model.prompts[1].user;
        assert!(retry.contains("failed these checks") && retry.contains("line 6: LOOM802"), "{retry}");

        // The mistake is remembered and shows in the next similar prompt.
        let mut next = Scripted::new(&[&fenced("return total(xs, 1.2)\n")]);
        generate(&mut next, &job, &checker, Some(&memory)).await.unwrap();
        assert!(next.prompts[0].user.contains("avoid them:\n- LOOM802"), "{}", next.prompts[0].user);
    }

    #[tokio::test]
    async fn three_bad_answers_end_in_the_errors_and_no_edit() {
        let dir = tempfile::tempdir().unwrap();
        let (checker, job) = setup(dir.path());
        let mut model = Scripted::new(&["I would rather not.", &fenced("return np.sum(xs)\n"), &fenced("return (\n")]);
        let error = generate(&mut model, &job, &checker, None).await.unwrap_err();
        let ActionError::Rejected { attempts, problems } = &error else { panic!("{error:?}") };
        assert_eq!(*attempts, 3);
        assert!(problems.iter().all(|p| p.kind == "reply" && p.message.contains("does not parse")), "{problems:?}");
        assert!(model.prompts[1].user.contains("reply the reply has no code"), "{}", model.prompts[1].user);
        assert!(model.prompts[2].user.contains("F821 Undefined name `np`"));
        assert!(error.to_string().starts_with("the generated code failed the checks 3 times; no edit was made."));
    }

    /// A refactor of `lib.total` in the setup's workspace.
    fn refactor_job(dir: &Path) -> (Checker, Job) {
        let (checker, job) = setup(dir);
        let prepared =
            crate::actions::request::prepare(&crate::actions::request::Action::Refactor { range: 0..0, instruction: "name the tax rate".to_owned() }, LIB)
                .unwrap();
        let job = Job {
            task: prepared.task,
            path: dir.join("lib.py"),
            original: LIB.to_owned(),
            placement: prepared.placement,
            target_text: prepared.target_text,
            ..job
        };
        (checker, job)
    }

    #[tokio::test]
    async fn an_answer_in_the_shape_asked_is_applied_and_a_misplaced_one_is_asked_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (checker, job) = refactor_job(dir.path());
        let renamed = "def total(xs, tax):\n    rate = tax\n    return sum(xs) * rate\n";
        // Asked for a patch, answered as the prompt says: applied.
        let patch = "*** Begin Patch\n*** Update File: lib.py\n@@ def total(xs, tax):\n-    return sum(xs) * tax\n+    rate = tax\n+    return sum(xs) * rate\n*** End Patch\n";
        let mut model = Scripted::new(&[patch]);
        model.formats = FormatChoice::new(crate::settings::actions::EditFormat::Patch, &Default::default(), 1024);
        let done = generate(&mut model, &job, &checker, None).await.unwrap();
        assert!(model.prompts[0].user.contains("*** Update File: lib.py"), "{}", model.prompts[0].user);
        assert_eq!(format!("{}{}{}", &LIB[..done.edit.range.start], done.edit.new_text, &LIB[done.edit.range.end..]), renamed);

        // SEARCH lines that are not in the file: the retry asks for the whole code, and that is applied.
        let wrong = "<<<<<<< SEARCH\n    return sum(xs) * taxes\n=======\n    return 0\n>>>>>>> REPLACE\n";
        let mut model = Scripted::new(&[wrong, &fenced(renamed)]);
        model.formats = FormatChoice::new(crate::settings::actions::EditFormat::SearchReplace, &Default::default(), 1024);
        let done = generate(&mut model, &job, &checker, None).await.unwrap();
        assert_eq!(done.attempts, 2);
        assert!(model.prompts[0].user.contains("`<<<<<<< SEARCH`"), "{}", model.prompts[0].user);
        let retry = &model.prompts[1].user;
        assert!(retry.contains("does not match the file") && retry.contains("exactly one fenced ```python code block"), "{retry}");
        assert!(!retry.contains("`<<<<<<< SEARCH`"), "{retry}");
    }

    #[tokio::test]
    async fn failing_generated_tests_are_retried() {
        let dir = tempfile::tempdir().unwrap();
        let (checker, mut job) = setup(dir.path());
        job.run_tests = true;
        let mut model = Scripted::new(&[&fenced("return total(xs, 1.2)\n"), &fenced("return total(xs, 1.2)\n")]);
        model.test_failures = Some(vec![Problem::new("test", "test_run failed: assert 2 == 3")]);
        let done = generate(&mut model, &job, &checker, None).await.unwrap();
        assert_eq!((done.attempts, done.tests_ran), (2, false));
        assert!(model.prompts[1].user.contains("test test_run failed: assert 2 == 3"));
    }
}
