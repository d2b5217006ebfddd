//! Every edit checked against what was asked. An implementation leaves a
//! real body (not `pass`, `...`, `raise NotImplementedError` or a docstring
//! alone); a refactor or an implementation keeps the target's name and
//! signature unless the instruction asks to change them; tests in a reply
//! to anything but "write tests" never go into the module (they belong in
//! the test file). A broken rule is named in the refusal.

use std::path::Path;

use ruff_python_ast::{Expr, ModModule, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::engine::Job;
use super::merge::scope;
use super::place::{DefTarget, Placement, line_end, line_start};
use super::prompt::Task;
use super::targets::is_stub_statement;

/// What a fix may do to the signature, as if asked.
const FIX_MAY: &str = "change the signature";

/// Words of an instruction that name a part of the signature callers see.
const SIGNATURE_WORDS: [&str; 12] =
    ["signature", "param", "argument", "arg", "keyword", "default", "async", "await", "property", "static", "classmethod", "positional"];

/// Verbs of change: one of them before a signature word asks to change it.
const CHANGE_WORDS: [&str; 21] = [
    "add", "remov", "drop", "delet", "renam", "reorder", "swap", "mov", "make", "chang", "replac", "accept", "tak", "introduc", "requir", "switch", "turn",
    "convert", "insert", "revers", "rearrang",
];

/// Whether `instruction` asks for a change callers see: "rename" (the
/// target or a parameter), or a verb of change among the few words before
/// a word of the signature ("swap the parameters", "make it async", "add a
/// `currency` parameter"). "Document the arguments" asks for none.
fn asks_signature_change(instruction: &str) -> bool {
    let lower = instruction.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).filter(|w| !w.is_empty()).collect();
    words.iter().any(|w| w.starts_with("renam"))
        || words.iter().enumerate().any(|(i, w)| {
            SIGNATURE_WORDS.iter().any(|s| w.starts_with(s)) && words[i.saturating_sub(6)..i].iter().any(|v| CHANGE_WORDS.iter().any(|c| v.starts_with(c)))
        })
}

/// Whether the calls of what the edit gives new parameters are updated
/// with it: a refactor whose instruction asks for a change callers see.
/// `Some(true)` when it asks to rename a parameter (one that left and one
/// that came at its place are one renamed).
pub fn follows_calls(job: &Job) -> Option<bool> {
    let Task::Refactor { instruction } = &job.task else { return None };
    let lower = instruction.to_lowercase();
    asks_signature_change(instruction).then(|| lower.contains("rename") && ["param", "argument", "keyword"].iter().any(|w| lower.contains(w)))
}

/// Whether `candidate` (the whole merged file) does what `job` asked; else
/// the rule it breaks.
pub fn check(job: &Job, candidate: &str) -> Result<(), String> {
    // What does not parse is the syntax check's to report.
    let (Ok(before), Ok(after)) = (parse(&job.original), parse(candidate)) else { return Ok(()) };
    shadows_no_builtin(&before, &after)?;
    let (target, instruction) = match (&job.task, &job.placement) {
        (Task::Implement { .. }, Placement::Body(f)) => (f.def(), None),
        (Task::Refactor { instruction }, Placement::Definition(def)) if !def.is_class => (def.clone(), Some(instruction.as_str())),
        // A fix keeps the name and a real body; a parameter it adds (an
        // undefined name given a default) is its callers' check to judge.
        (Task::Fix { .. }, Placement::Definition(def)) if !def.is_class => (def.clone(), Some(FIX_MAY)),
        (Task::Fix { .. }, Placement::Lines { within: Some(def), .. }) if !def.is_class => (def.clone(), Some(FIX_MAY)),
        _ => return Ok(()),
    };
    let Some(Stmt::FunctionDef(old)) = definition(&before, &target) else { return Ok(()) };
    let asked = |words: &[&str]| {
        let lower = instruction.unwrap_or_default().to_lowercase();
        words.iter().any(|w| lower.contains(w))
    };
    let Some(Stmt::FunctionDef(new)) = definition(&after, &target) else {
        // A name the instruction leaves to the model ("rename it to something
        // clearer"); its callers are still checked.
        if asked(&["rename"]) {
            return Ok(());
        }
        return Err(format!(
            "rule \"a refactor keeps the target's name\": the edit no longer defines `{}`; keep the name (or ask for a rename: \"rename it to NEW_NAME\")",
            target.name
        ));
    };
    // An implementation, and a rewrite of a real body, leave a real body:
    // no stand-in, and no `raise NotImplementedError` left among its
    // statements.
    let implements = matches!(job.task, Task::Implement { .. });
    if (implements || !is_placeholder(&old.body)) && (is_placeholder(&new.body) || new.body.iter().any(is_not_implemented)) {
        let rule = if implements { "implement leaves a real body" } else { "an edit keeps a real body" };
        return Err(format!(
            "rule \"{rule}\": `{}` is (or is left) a placeholder (`pass`, `...`, `raise NotImplementedError` or a docstring alone); write the whole body",
            target.name
        ));
    }
    // Its callers use what it returns: an annotated return type changes
    // only when asked (one added where there was none is a hint).
    let returns = |def: &StmtFunctionDef, source: &str| def.returns.as_deref().map(|r| source[r.range()].split_whitespace().collect::<String>());
    if let (Some(was), Some(is)) = (returns(old, &job.original), returns(new, candidate))
        && was != is
        && !asked(&["return", "type", "annotation", "hint", "signature"])
    {
        let action = if instruction.is_some() { "a refactor" } else { "an implementation" };
        return Err(format!(
            "rule \"{action} keeps the target's return type\": the edit changes `-> {was}` to `-> {is}`, which was not asked and which its callers may rely on; keep it"
        ));
    }
    let ((old_decorators, old_def), (new_decorators, new_def)) = (signature(old, &job.original), signature(new, candidate));
    let decorators_asked = old_def == new_def && asked(&["decorat", "cache", "caching", "memoiz"]);
    let (was, is) = (format!("{old_decorators}{old_def}"), format!("{new_decorators}{new_def}"));
    if was != is && !decorators_asked && !instruction.is_some_and(asks_signature_change) {
        let action = if instruction.is_some() { "a refactor" } else { "an implementation" };
        return Err(format!(
            "rule \"{action} keeps the target's signature\": the edit changes `{was}` to `{is}`, which was not asked; keep the parameters, decorators and `async` as they are"
        ));
    }
    Ok(())
}

/// `raise NotImplementedError` (or `...`) among a body's statements.
fn is_not_implemented(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Raise(raise) => raise.exc.as_deref().is_some_and(|e| {
            let callee = match e {
                Expr::Call(call) => &*call.func,
                other => other,
            };
            matches!(callee, Expr::Name(n) if n.id.as_str() == "NotImplementedError")
        }),
        Stmt::Expr(e) => e.value.is_ellipsis_literal_expr(),
        _ => false,
    }
}

/// A definition the edit adds at module or class level must not take a
/// builtin's name: every `round(...)` of the module would call it.
fn shadows_no_builtin(before: &ModModule, after: &ModModule) -> Result<(), String> {
    let defined = |module: &ModModule| -> Vec<String> {
        let mut names = Vec::new();
        for stmt in &module.body {
            match stmt {
                Stmt::FunctionDef(f) => names.push(f.name.to_string()),
                Stmt::ClassDef(c) => {
                    names.push(c.name.to_string());
                    names.extend(c.body.iter().filter_map(|s| match s {
                        Stmt::FunctionDef(f) => Some(format!("{}.{}", c.name, f.name)),
                        _ => None,
                    }));
                }
                _ => {}
            }
        }
        names
    };
    let old = defined(before);
    for name in defined(after).into_iter().filter(|n| !old.contains(n) && !n.contains('.')) {
        if ruff_python_stdlib::builtins::is_python_builtin(&name, 13, false) {
            return Err(format!(
                "rule \"no new definition shadows a builtin\": the edit defines `{name}`, and every `{name}(...)` of the module would call it; give the helper another name"
            ));
        }
    }
    Ok(())
}

fn parse(text: &str) -> Result<ModModule, ()> {
    ruff_python_parser::parse_module(text).map(|p| p.into_syntax()).map_err(drop)
}

fn definition<'a>(module: &'a ModModule, target: &DefTarget) -> Option<&'a Stmt> {
    scope(module, &target.container)?.iter().find(|s| matches!(s, Stmt::FunctionDef(f) if f.name.as_str() == target.name))
}

/// A body that only stands in for one: empty, a docstring, `pass`, `...`,
/// `raise NotImplementedError`, in any mix.
fn is_placeholder(body: &[Stmt]) -> bool {
    body.iter().all(|s| is_stub_statement(s) || matches!(s, Stmt::Expr(e) if e.value.is_string_literal_expr()))
}

/// What callers see of a function, as text: its decorators (`@property `)
/// and its definition (`async def f(self, qty=1)`, annotations aside,
/// default values kept).
fn signature(def: &StmtFunctionDef, source: &str) -> (String, String) {
    let text = |e: &Expr| &source[e.range().start().to_usize()..e.range().end().to_usize()];
    // Every decorator: one added or dropped changes what a call runs
    // (`@lru_cache` on an unhashable receiver, a route or a login check gone).
    let decorators: Vec<String> = def.decorator_list.iter().map(|d| text(&d.expression).split_whitespace().collect()).collect();
    let p = &def.parameters;
    let mut parts: Vec<String> = Vec::new();
    for (i, param) in p.posonlyargs.iter().chain(&p.args).enumerate() {
        parts.push(match &param.default {
            Some(default) => format!("{}={}", param.parameter.name, text(default)),
            None => param.parameter.name.to_string(),
        });
        if i + 1 == p.posonlyargs.len() {
            parts.push("/".to_owned());
        }
    }
    match &p.vararg {
        Some(vararg) => parts.push(format!("*{}", vararg.name)),
        None if !p.kwonlyargs.is_empty() => parts.push("*".to_owned()),
        None => {}
    }
    for param in &p.kwonlyargs {
        parts.push(match &param.default {
            Some(default) => format!("{}={}", param.parameter.name, text(default)),
            None => param.parameter.name.to_string(),
        });
    }
    if let Some(kwarg) = &p.kwarg {
        parts.push(format!("**{}", kwarg.name));
    }
    let decorators: String = decorators.iter().map(|d| format!("@{d} ")).collect();
    let kind = if def.is_async { "async def" } else { "def" };
    (decorators, format!("{kind} {}({})", def.name, parts.join(", ")))
}

/// `code` without the tests a reply may carry beside the answer: `test_*`
/// functions, `Test*` classes, `import pytest`/`unittest` and an
/// `if __name__ == "__main__":` demo. Kept when the task writes tests, when
/// the edited file (`path`) is a test file, when `keep` (the target) is
/// such a name, or when nothing else would be left.
pub fn without_tests(code: &str, task: &Task, path: &Path, keep: Option<&str>) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let test_file = name.starts_with("test_") || name.ends_with("_test.py") || name == "conftest.py";
    if matches!(task, Task::WriteTests { .. }) || test_file {
        return code.to_owned();
    }
    let Ok(module) = parse(code) else { return code.to_owned() };
    let is_test = |stmt: &Stmt| match stmt {
        Stmt::FunctionDef(f) => f.name.starts_with("test") && Some(f.name.as_str()) != keep,
        Stmt::ClassDef(c) => c.name.starts_with("Test") && Some(c.name.as_str()) != keep,
        Stmt::Import(i) => i.names.iter().all(|a| is_test_module(&a.name)),
        Stmt::ImportFrom(i) => i.module.as_ref().is_some_and(|m| is_test_module(m)),
        Stmt::If(i) => matches!(i.test.as_ref(), Expr::Compare(c) if c.left.as_name_expr().is_some_and(|n| n.id.as_str() == "__name__")),
        _ => false,
    };
    let tests: Vec<&Stmt> = module.body.iter().filter(|s| is_test(s)).collect();
    if tests.is_empty() || tests.len() == module.body.len() {
        return code.to_owned();
    }
    let mut out = String::new();
    let mut at = 0;
    for stmt in tests {
        let start = line_start(code, stmt.start().to_usize());
        out.push_str(&code[at..start.max(at)]);
        at = line_end(code, stmt.end().to_usize());
    }
    out.push_str(&code[at..]);
    format!("{}\n", out.trim_end())
}

fn is_test_module(name: &str) -> bool {
    let root = name.split('.').next().unwrap_or(name);
    matches!(root, "pytest" | "unittest" | "hypothesis")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::actions::place::whole_lines;
    use crate::actions::targets::{definition_on_lines, function_at};

    const FILE: &str = "class Cart:\n    def add(self, sku, qty=1):\n        \"\"\"Add.\"\"\"\n        ...\n";

    fn job(task: Task, placement: Placement) -> Job {
        job_in(FILE, task, placement)
    }

    fn job_in(original: &str, task: Task, placement: Placement) -> Job {
        Job {
            task,
            path: "cart.py".into(),
            original: original.to_owned(),
            placement,
            target_text: String::new(),
            context: String::new(),
            max_attempts: 1,
            run_tests: false,
            fresh: false,
        }
    }

    fn implement() -> Job {
        job(Task::Implement { function: "add".to_owned() }, Placement::Body(function_at(FILE, FILE.find("...").unwrap()).unwrap()))
    }

    fn refactor(instruction: &str) -> Job {
        refactor_in(FILE, "    def add", "...\n", instruction)
    }

    /// A refactor of the definition from the line of `first` through the
    /// line that ends with `last` in `file`.
    pub(in crate::actions) fn refactor_in(file: &str, first: &str, last: &str, instruction: &str) -> Job {
        let start = file.find(first).unwrap();
        let end = file.find(last).unwrap() + last.len();
        let def = definition_on_lines(file, whole_lines(file, start..end).0).unwrap();
        job_in(file, Task::Refactor { instruction: instruction.to_owned() }, Placement::Definition(def))
    }

    #[test]
    fn an_implementation_is_a_real_body() {
        let body = |b: &str| FILE.replace("        ...\n", b);
        assert_eq!(check(&implement(), &body("        self.items[sku] = qty\n")), Ok(()));
        for placeholder in
            ["        pass\n", "        raise NotImplementedError(\"todo\")\n", "        \"\"\"Still to do.\"\"\"\n        ...\n", "        ...\n"]
        {
            let error = check(&implement(), &body(placeholder)).unwrap_err();
            assert!(error.starts_with("rule \"implement leaves a real body\": `add` is (or is left) a placeholder"), "{placeholder:?}: {error}");
        }
    }

    #[test]
    fn a_refactor_keeps_the_name_and_signature_unless_asked() {
        let done = FILE.replace("        ...\n", "        self.items[sku] = qty\n");
        assert_eq!(check(&refactor("simplify"), &done), Ok(()));
        // Annotations are no signature change.
        assert_eq!(check(&refactor("add type hints"), &done.replace("(self, sku, qty=1)", "(self, sku: str, qty: int = 1) -> None")), Ok(()));
        let renamed = check(&refactor("simplify"), &done.replace("def add", "def add_item")).unwrap_err();
        assert!(renamed.starts_with("rule \"a refactor keeps the target's name\": the edit no longer defines `add`"), "{renamed}");
        let property = done.replace("    def add", "    @property\n    def add");
        let error = check(&refactor("simplify"), &property).unwrap_err();
        assert!(
            error.starts_with(
                "rule \"a refactor keeps the target's signature\": the edit changes `def add(self, sku, qty=1)` to `@property def add(self, sku, qty=1)`"
            ),
            "{error}"
        );
        let default = check(&refactor("simplify"), &done.replace("qty=1", "qty=2")).unwrap_err();
        assert!(default.contains("`def add(self, sku, qty=1)` to `def add(self, sku, qty=2)`"), "{default}");
        assert!(check(&implement(), &done.replace("(self, sku, qty=1)", "(self, sku)")).unwrap_err().starts_with("rule \"an implementation keeps"));
        // What it returns, too.
        let typed = FILE.replace("(self, sku, qty=1):", "(self, sku, qty=1) -> int:");
        let mut returns = refactor("simplify");
        returns.original = typed.clone();
        let error = check(&returns, &typed.replace("-> int:", "-> tuple[int, int]:")).unwrap_err();
        assert!(error.starts_with("rule \"a refactor keeps the target's return type\": the edit changes `-> int` to `-> tuple[int,int]`"), "{error}");
        returns.task = Task::Refactor { instruction: "return the old and new quantity".to_owned() };
        assert_eq!(check(&returns, &typed.replace("-> int:", "-> tuple[int, int]:")), Ok(()));
        // Naming the parameters is not asking to change them.
        let swapped = done.replace("(self, sku, qty=1)", "(self, qty, sku)");
        assert!(check(&refactor("document the arguments in the docstring"), &swapped).is_err());
        assert_eq!(check(&refactor("swap the parameters: qty first"), &swapped), Ok(()));
        // Asked for: allowed here (its callers are still checked).
        assert_eq!(check(&refactor("make qty keyword-only"), &done.replace("sku, qty=1", "sku, *, qty=1")), Ok(()));
        assert_eq!(check(&refactor("make it async"), &done.replace("    def add", "    async def add")), Ok(()));
    }

    #[test]
    fn a_decorator_added_or_dropped_is_a_signature_change_unless_asked() {
        let done = FILE.replace("        ...\n", "        self.items[sku] = qty\n");
        let cached = done.replace("    def add", "    @functools.lru_cache(maxsize=None)\n    def add");
        let error = check(&refactor("make it faster"), &cached).unwrap_err();
        assert!(error.contains("changes `def add(self, sku, qty=1)` to `@functools.lru_cache(maxsize=None) def add(self, sku, qty=1)`"), "{error}");
        assert_eq!(check(&refactor("cache its results"), &cached), Ok(()));
        // Asked for a decorator, the parameters still stay.
        let error = check(&refactor("cache its results"), &cached.replace("qty=1", "qty=2")).unwrap_err();
        assert!(error.starts_with("rule \"a refactor keeps the target's signature\""), "{error}");
    }

    #[test]
    fn a_rewrite_or_a_fix_keeps_a_real_body_and_adds_no_builtin() {
        let done = FILE.replace("        ...\n", "        self.items[sku] = qty\n");
        let refactor_done = |instruction: &str| {
            let mut job = refactor(instruction);
            job.original = done.clone();
            job
        };
        // An implementation left half done.
        let half = FILE.replace("        ...\n", "        if not sku:\n            return\n        raise NotImplementedError\n");
        assert!(check(&implement(), &half).unwrap_err().starts_with("rule \"implement leaves a real body\""));
        // A refactor of a real body into a stand-in.
        for stand_in in ["        ...\n", "        raise NotImplementedError\n", "        \"\"\"Add.\"\"\"\n"] {
            let replaced = done.replace("        self.items[sku] = qty\n", stand_in);
            let error = check(&refactor_done("simplify"), &replaced).unwrap_err();
            assert!(error.starts_with("rule \"an edit keeps a real body\""), "{stand_in:?}: {error}");
        }
        // A fix keeps a real body; a parameter it adds is for the callers' check.
        let mut fix = refactor_done("");
        fix.task = Task::Fix { code: "F821".to_owned(), message: "Undefined name".to_owned() };
        assert!(check(&fix, &done.replace("        self.items[sku] = qty\n", "        pass\n")).unwrap_err().starts_with("rule \"an edit keeps a real body\""));
        assert_eq!(check(&fix, &done.replace("qty=1", "qty=1, extra=None")), Ok(()));
        // A helper named like a builtin.
        let helper = format!("def round(x):\n    return x\n\n\n{done}");
        assert!(check(&refactor_done("simplify"), &helper).unwrap_err().starts_with("rule \"no new definition shadows a builtin\": the edit defines `round`"));
    }

    #[test]
    fn tests_in_a_reply_are_left_out_of_the_module() {
        let task = Task::Implement { function: "total".to_owned() };
        let reply = "import pytest\nimport math\n\n\ndef total(xs):\n    return math.fsum(xs)\n\n\ndef test_total():\n    assert total([1]) == 1\n\n\n@pytest.mark.parametrize(\"x\", [1])\ndef test_more(x):\n    assert total([x]) == x\n\n\nif __name__ == \"__main__\":\n    print(total([1]))\n";
        let module = Path::new("shop/m.py");
        assert_eq!(without_tests(reply, &task, module, Some("total")), "import math\n\n\ndef total(xs):\n    return math.fsum(xs)\n");
        // The target itself, a test-writing task and a reply of tests only are kept.
        let test_target = "def test_total():\n    assert 1\n\n\ndef test_other():\n    assert 2\n";
        assert_eq!(without_tests(test_target, &task, module, Some("test_total")), "def test_total():\n    assert 1\n");
        assert_eq!(without_tests(reply, &Task::WriteTests { function: "total".to_owned() }, module, None), reply);
        assert_eq!(without_tests(reply, &task, Path::new("tests/test_m.py"), Some("total")), reply);
        assert_eq!(without_tests("def test_a():\n    pass\n", &task, module, None), "def test_a():\n    pass\n");
    }
}
