//! From what the user pointed at to what the model is asked: the task, the
//! code shown as the target, where the answer goes and which line the
//! context centres on. Shared by the language server and the CLI.

use std::ops::Range;

use super::place::{Placement, whole_lines};
use super::prompt::Task;
use super::targets::{comment_at, definition_on_lines, function_in, statement_at};
use ruff_text_size::TextRange;

/// An action on a document, located by byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Implement { offset: usize },
    Generate { offset: usize },
    Refactor { range: Range<usize>, instruction: String },
    Fix { range: Range<usize>, code: String, message: String },
    Explain { range: Range<usize> },
    WriteTests { offset: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub task: Task,
    /// Where the answer goes in the document (for tests: in the test file).
    pub placement: Placement,
    pub target_text: String,
    /// The 1-based line whose definition the context centres on.
    pub line: usize,
    /// For progress and summaries: `Implement \`total\``.
    pub title: String,
    /// The function the action is about, if any.
    pub function: Option<String>,
}

/// The largest target sent whole: the context is fitted to the budget, and
/// the target must leave room for it and the answer (about 8K tokens).
const MAX_TARGET_BYTES: usize = 24_000;

/// What `action` asks of the model on `source`, or why it cannot be done there.
pub fn prepare(action: &Action, source: &str) -> Result<Prepared, String> {
    prepare_in_cells(action, source, None)
}

/// [`prepare`] on a notebook's joined `cells` (see [`function_in`]).
pub fn prepare_in_cells(action: &Action, source: &str, cells: Option<&[TextRange]>) -> Result<Prepared, String> {
    let prepared = prepare_unbounded(action, source, cells)?;
    if prepared.target_text.len() > MAX_TARGET_BYTES {
        return Err(format!("the code to send is {} bytes, more than one request takes ({MAX_TARGET_BYTES}); select less", prepared.target_text.len()));
    }
    Ok(prepared)
}

fn prepare_unbounded(action: &Action, source: &str, cells: Option<&[TextRange]>) -> Result<Prepared, String> {
    let line_of = |offset: usize| crate::line_ends::line_number(source, offset);
    match action {
        Action::Implement { offset } => {
            let f = function_in(source, cells, *offset).ok_or("there is no function at the cursor to implement")?;
            if !f.is_stub {
                return Err(format!(
                    "`{}` already has a body (only `...`, `pass` or `raise NotImplementedError` bodies are implemented); use Refactor to change it",
                    f.name
                ));
            }
            Ok(Prepared {
                task: Task::Implement { function: f.name.clone() },
                target_text: source[f.range.clone()].to_owned(),
                line: line_of(f.range.start),
                title: format!("Implement `{}`", f.name),
                function: Some(f.name.clone()),
                placement: Placement::Body(f),
            })
        }
        Action::Generate { offset } => {
            let comment = comment_at(source, *offset).ok_or("there is no instruction comment (`# TODO: ...`) on this line")?;
            // The enclosing function is the target shown, so the code fits in.
            let shown = function_in(source, cells, comment.line.start).map_or(comment.line.clone(), |f| f.range);
            Ok(Prepared {
                task: Task::FromComment { instruction: comment.instruction.clone() },
                target_text: source[whole_lines(source, shown).0].to_owned(),
                line: line_of(comment.line.start),
                title: format!("Generate code for \"{}\"", comment.instruction),
                function: function_in(source, cells, comment.line.start).map(|f| f.name),
                placement: Placement::Lines {
                    within: function_in(source, cells, comment.line.start).map(|f| f.def()),
                    range: comment.line,
                    indent: comment.indent,
                },
            })
        }
        Action::Refactor { range, instruction } => {
            if instruction.trim().is_empty() {
                return Err("a refactoring needs an instruction (what to change)".to_owned());
            }
            let range = selection_or_function(source, cells, range.clone())?;
            let (lines, indent) = whole_lines(source, range);
            // A selection of one definition is a rewrite of that definition.
            let placement = match definition_on_lines(source, lines.clone()) {
                Some(def) => Placement::Definition(def),
                None => Placement::Lines { range: lines.clone(), indent, within: function_in(source, cells, lines.start).map(|f| f.def()) },
            };
            let title = match &placement {
                Placement::Definition(def) => format!("Refactor `{}`", def.name),
                _ => "Refactor the selection".to_owned(),
            };
            Ok(Prepared {
                task: Task::Refactor { instruction: instruction.clone() },
                target_text: source[lines.clone()].to_owned(),
                line: line_of(lines.start),
                title,
                function: function_in(source, cells, lines.start).map(|f| f.name),
                placement,
            })
        }
        Action::Fix { range, code, message } => {
            // In a function, the function is rewritten; outside any, the
            // module-level statement the problem is in (an unused import).
            let function = function_in(source, cells, range.start);
            let (lines, placement) = match &function {
                Some(f) => (whole_lines(source, f.range.clone()).0, Placement::Definition(f.def())),
                None => {
                    let statement = statement_at(source, range.start).unwrap_or_else(|| whole_lines(source, range.clone()).0);
                    let (lines, indent) = whole_lines(source, statement);
                    (lines.clone(), Placement::Lines { range: lines, indent, within: None })
                }
            };
            Ok(Prepared {
                task: Task::Fix { code: code.clone(), message: message.clone() },
                target_text: source[lines.clone()].to_owned(),
                line: line_of(range.start),
                title: format!("Fix {code}"),
                function: function.map(|f| f.name),
                placement,
            })
        }
        Action::Explain { range } => {
            let f = function_in(source, cells, range.start);
            let shown = f.as_ref().map_or_else(|| whole_lines(source, range.clone()).0, |f| f.range.clone());
            let symbol = f.as_ref().map_or_else(|| "the selected code".to_owned(), |f| f.name.clone());
            Ok(Prepared {
                task: Task::Explain { symbol: symbol.clone() },
                target_text: source[shown.clone()].to_owned(),
                line: line_of(shown.start),
                title: format!("Explain `{symbol}`"),
                function: f.map(|f| f.name),
                placement: Placement::Append,
            })
        }
        Action::WriteTests { offset } => {
            let f = function_in(source, cells, *offset).ok_or("there is no function at the cursor to test")?;
            Ok(Prepared {
                // The caller names the import path; the task needs the module too.
                task: Task::WriteTests { function: f.name.clone() },
                target_text: source[f.range.clone()].to_owned(),
                line: line_of(f.range.start),
                title: format!("Write tests for `{}`", f.name),
                function: Some(f.name),
                placement: Placement::Append,
            })
        }
    }
}

/// The selection, or the function at an empty one.
fn selection_or_function(source: &str, cells: Option<&[TextRange]>, range: Range<usize>) -> Result<Range<usize>, String> {
    if range.start < range.end {
        return Ok(range);
    }
    function_in(source, cells, range.start).map(|f| f.range).ok_or_else(|| "select the code to refactor".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "def f(x):\n    # TODO: double x\n    pass\n\n\ndef g(y):\n    return y\n";

    #[test]
    fn each_action_finds_its_target() {
        let implement = prepare(&Action::Implement { offset: 36 }, SOURCE).unwrap();
        assert_eq!((implement.title.as_str(), implement.line), ("Implement `f`", 1));
        let generate = prepare(&Action::Generate { offset: 20 }, SOURCE).unwrap();
        assert_eq!(generate.task, Task::FromComment { instruction: "double x".to_owned() });
        assert_eq!(generate.target_text, "def f(x):\n    # TODO: double x\n    pass\n");
        let refactor = prepare(&Action::Refactor { range: 60..60, instruction: "add hints".to_owned() }, SOURCE).unwrap();
        assert_eq!(refactor.target_text, "def g(y):\n    return y\n");
        let fix = prepare(&Action::Fix { range: 60..61, code: "F821".to_owned(), message: "m".to_owned() }, SOURCE).unwrap();
        assert!(matches!(&fix.placement, Placement::Definition(d) if d.name == "g"), "{fix:?}");
        assert_eq!(fix.target_text, "def g(y):\n    return y\n");
        // Outside any function: the module-level statement.
        let module = "import os\nimport sys\n\nprint(sys.argv)\n";
        let fix = prepare(&Action::Fix { range: 7..9, code: "F401".to_owned(), message: "unused".to_owned() }, module).unwrap();
        assert_eq!(fix.placement, Placement::Lines { range: 0..10, indent: String::new(), within: None });
        assert_eq!((fix.target_text.as_str(), fix.line), ("import os\n", 1));
    }

    #[test]
    fn actions_that_do_not_fit_say_why() {
        assert!(prepare(&Action::Implement { offset: 60 }, SOURCE).unwrap_err().contains("already has a body"));
        assert!(prepare(&Action::Generate { offset: 60 }, SOURCE).unwrap_err().contains("no instruction comment"));
        assert!(prepare(&Action::Refactor { range: 0..5, instruction: " ".to_owned() }, SOURCE).is_err());
        let huge = format!("def f():\n{}", "    x = 1\n".repeat(3000));
        let error = prepare(&Action::Refactor { range: 0..huge.len(), instruction: "shorten".to_owned() }, &huge).unwrap_err();
        assert!(error.contains("select less"), "{error}");
    }
}
