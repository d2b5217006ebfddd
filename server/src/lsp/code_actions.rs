//! Code actions: each finding's fix (safe ones preferred, unsafe ones
//! labelled) and a "suppress with `# noqa`" action, read from the
//! diagnostic's `data`; "update N call sites" (see `stale_calls.rs`); and
//! `source.fixAll.pyloom`, which applies every
//! safe fix (see [`findings::fix_all`]) as one edit.
//!
//! "Fix all" never removes an import on the line being typed: an import
//! looks unused until the code that uses it is written. The line being typed
//! is the line of the document's most recent edit when that edit is typing
//! (see [`typed_line`]); where the cursor is says nothing of it (a file just
//! opened has it on its first line, often an import).

use std::collections::HashMap;
use std::ops::Range;

use tower_lsp::lsp_types::{self as lsp, CodeActionKind, CodeActionOrCommand, Url};

use super::Backend;
use super::diagnostics::{ActionData, DiagnosticData, text_edit};
use crate::findings::{self, Applicability, Edit};
use crate::notebook::Notebook;

/// The kind of pyloom's "fix all" action.
pub(super) fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.pyloom")
}

/// The kind of the same action over a whole notebook: VS Code's
/// `notebook.codeActionsOnSave` asks it once, in the notebook's first cell,
/// and lets its edit change every cell (a cell's `source.fixAll` on save
/// may change that cell only).
pub(super) fn notebook_fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("notebook.source.fixAll.pyloom")
}

impl Backend {
    pub(super) async fn on_code_action(&self, params: lsp::CodeActionParams) -> Option<lsp::CodeActionResponse> {
        let uri = params.text_document.uri;
        let only = params.context.only.as_deref();
        let wants = |kind: &CodeActionKind| {
            only.is_none_or(|only| only.iter().any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))))
        };
        let mut actions = Vec::new();
        if wants(&CodeActionKind::QUICKFIX) {
            let version = self.snapshot(&uri)?.version;
            for diagnostic in &params.context.diagnostics {
                actions.extend(quick_fixes(&uri, diagnostic, version));
            }
        }
        if wants(&fix_all_kind()) {
            actions.extend(self.fix_all(&uri, self.last_edit_line(&uri)).await.map(CodeActionOrCommand::CodeAction));
        }
        if wants(&notebook_fix_all_kind()) && self.state.notebooks.is_open(uri.as_str()) {
            let fixed = self.fix_all(&uri, self.last_edit_line(&uri)).await;
            actions.extend(fixed.map(|action| CodeActionOrCommand::CodeAction(lsp::CodeAction { kind: Some(notebook_fix_all_kind()), ..action })));
        }
        actions.extend(self.extract_actions(&uri, params.range, &wants).await);
        if wants(&super::symbol_move::move_kind()) {
            actions.extend(self.move_actions(&uri, params.range).await);
        }
        if wants(&CodeActionKind::REFACTOR_INLINE) {
            actions.extend(self.inline_actions(&uri, params.range).await);
        }
        actions.extend(self.stale_call_actions(&uri, params.range, &params.context.diagnostics, &wants).await);
        actions.extend(self.llm_code_actions(&uri, params.range, &params.context.diagnostics, &wants));
        Some(actions)
    }

    /// One action applying every safe fix, except unused-import removals
    /// on the `protected` line.
    async fn fix_all(&self, uri: &Url, protected: Option<u32>) -> Option<lsp::CodeAction> {
        let doc = self.snapshot(uri)?;
        let encoding = self.encoding();
        if doc.rope.len_bytes() > self.settings().files.max_file_bytes {
            return None;
        }
        let protected: Vec<Range<usize>> = protected
            .into_iter()
            .filter_map(|line| {
                let line = usize::try_from(line).ok()?;
                let start = doc.rope.try_line_to_byte(line).ok()?;
                let end = doc.rope.try_line_to_byte(line + 1).unwrap_or(doc.rope.len_bytes());
                Some(start..end)
            })
            .collect();
        let configs = self.findings_configs();
        let path = super::diagnostics::document_path(uri);
        let text = doc.text();
        let edits = if self.state.notebooks.is_open(uri.as_str()) {
            // A notebook's fixes are ruff's, cell by cell: one edit per
            // changed cell, each in its cell (one edit from the first fix to
            // the last would span cells, and the action be left out).
            let notebook = self.state.notebooks.notebook(uri.as_str(), &text)?;
            let fixed = tokio::task::spawn_blocking(move || {
                findings::fix_all_notebook(&path, &notebook, &configs.for_file(&path), &protected).map(|fixed| cell_edits(&notebook, &fixed))
            });
            let edits = fixed.await.map_err(|e| tracing::error!(%uri, "fix all failed: {e}")).ok()??;
            edits.iter().map(|edit| text_edit(&doc, edit, encoding)).collect()
        } else {
            let fixed = tokio::task::spawn_blocking(move || findings::fix_all(&path, &text, &configs.for_file(&path), &protected).map(|f| (text, f)));
            let (text, fixed) = fixed.await.map_err(|e| tracing::error!(%uri, "fix all failed: {e}")).ok()??;
            vec![text_edit(&doc, &changed(&text, &fixed, 0), encoding)]
        };
        Some(lsp::CodeAction {
            title: "pyloom: fix all safely fixable problems".to_owned(),
            kind: Some(fix_all_kind()),
            edit: Some(workspace_edit(uri, edits)),
            ..Default::default()
        })
    }
}

/// The line a document's `change` leaves being typed on, if it is typing:
/// text typed, pasted or deleted within one line. A change across lines
/// (an applied fix, sorted imports, lines deleted) types on none, so the
/// imports fix-all left because they were being typed are not kept by the
/// edit that applies it.
pub(super) fn typed_line(change: &lsp::TextDocumentContentChangeEvent) -> Option<u32> {
    change.range.filter(|range| range.start.line == range.end.line).and_then(|_| super::convert::edited_line(change))
}

/// The change from `old` to `fixed` (the same notebook after fixes) as
/// one edit per changed cell, on the cell's text in `old`'s module text.
fn cell_edits(old: &Notebook, fixed: &Notebook) -> Vec<Edit> {
    old.code_cells()
        .into_iter()
        .filter_map(|(cell, range)| {
            let (before, after) = (old.cell_text(cell)?, fixed.cell_text(cell)?);
            (before != after).then(|| changed(&before, &after, range.start))
        })
        .collect()
}

/// The edit making `old` (at `offset` in the document) `new`: only what
/// differs, so the editor keeps what is around.
fn changed(old: &str, new: &str, offset: usize) -> Edit {
    let range = changed_range(old, new);
    let content = new[range.start..new.len() - (old.len() - range.end)].to_owned();
    Edit { range: offset + range.start..offset + range.end, content }
}

/// The part of `old` that differs from `new` (common prefix and suffix
/// left out, on character boundaries), so the editor keeps what is around.
fn changed_range(old: &str, new: &str) -> Range<usize> {
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    prefix..old.len() - suffix
}

/// The fix and the suppression of one of pyloom's diagnostics, if its data
/// was computed for the document's current `version`.
fn quick_fixes(uri: &Url, diagnostic: &lsp::Diagnostic, version: i32) -> Vec<CodeActionOrCommand> {
    if diagnostic.source.as_deref() != Some("pyloom") {
        return Vec::new();
    }
    let Some(data) = diagnostic.data.clone().and_then(|d| serde_json::from_value::<DiagnosticData>(d).ok()) else {
        return Vec::new();
    };
    if data.version != version {
        tracing::debug!(%uri, stale = data.version, version, "code action for an outdated diagnostic skipped");
        return Vec::new();
    }
    let action = |action: ActionData, preferred: bool| {
        let title = match action.applicability {
            Applicability::Safe => action.title,
            Applicability::Unsafe => format!("{} (unsafe)", action.title),
            Applicability::DisplayOnly => format!("{} (review before applying)", action.title),
        };
        CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(workspace_edit(uri, action.edits)),
            is_preferred: preferred.then_some(true),
            ..Default::default()
        })
    };
    let mut actions = Vec::new();
    if let Some(fix) = data.fix {
        let preferred = fix.applicability == Applicability::Safe;
        actions.push(action(fix, preferred));
    }
    if let Some(suppress) = data.suppress {
        actions.push(action(suppress, false));
    }
    actions
}

pub(super) fn workspace_edit(uri: &Url, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..Default::default() }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::cell_edits;
    use crate::findings::{Config, fix_all_notebook};
    use crate::notebook::{Cell, CellKind, Notebook};
    use crate::settings::LintSettings;

    /// Fix-all of the notebook of code cells `cells`, applied as the
    /// editor applies the action's edits: each cell's text after it.
    fn check_notebook_fix_all(cells: &[&str], expected: Expect) {
        check_fix_all_with("no-config", "", cells, expected);
    }

    /// [`check_notebook_fix_all`] with the ruff settings `ruff_toml`, in
    /// a folder of its own (`name`).
    fn check_fix_all_with(name: &str, ruff_toml: &str, cells: &[&str], expected: Expect) {
        let dir = std::env::temp_dir().join(format!("pyloom-notebook-fix-all-{name}"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        if !ruff_toml.is_empty() {
            std::fs::write(dir.join("ruff.toml"), ruff_toml).expect("ruff.toml");
        }
        let config = Config::load(&dir, &LintSettings::default()).0;
        let notebook = Notebook::from_cells(cells.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
        let Some(fixed) = fix_all_notebook(&dir.join("nb.ipynb"), &notebook, &config, &[]) else {
            expected.assert_eq("nothing to fix");
            return;
        };
        let mut text = notebook.source().to_owned();
        for edit in cell_edits(&notebook, &fixed).iter().rev() {
            text.replace_range(edit.range.clone(), &edit.content);
        }
        let cells: Vec<String> = notebook.code_cells().iter().map(|(cell, _)| format!("{:?}", fixed.cell_text(*cell).unwrap_or_default())).collect();
        // The edits make the editor's notebook the fixed one.
        assert_eq!(text, fixed.source(), "{cells:?}");
        expected.assert_eq(&cells.join("\n"));
    }

    #[test]
    fn a_notebooks_fix_all_leaves_its_cells_as_ruff_check_fix_does() {
        // `ruff check --fix --isolated` (0.17.6) on the same notebook gives
        // these cells: no empty line where an import ended a cell, an
        // emptied cell empty.
        check_notebook_fix_all(
            &["x = 1\nimport os", "import sys", "import json\nimport re\nprint(json)\n", "print(x)"],
            expect![[r#"
                "x = 1"
                ""
                "import json\n\nprint(json)\n"
                "print(x)""#]],
        );
    }

    #[test]
    fn a_notebooks_fix_all_keeps_the_imports_its_escapes_use() {
        // ruff removes them all (F401 stays reported, as ruff does); the
        // escapes would then raise NameError.
        check_notebook_fix_all(
            &[
                "import json\nimport os\nimport numpy as np\nimport sys\nimport re, shutil\n",
                "%time x = os.getcwd()\n!echo {json.dumps([1])}\nnp?\nshutil.which?",
            ],
            expect![[r#"
                "import json\nimport os\nimport numpy as np\nimport re, shutil\n"
                "%time x = os.getcwd()\n!echo {json.dumps([1])}\nnp?\nshutil.which?""#]],
        );
        // Must not: an import no escape spells is removed beside them.
        check_notebook_fix_all(
            &["import os\nimport sys\n", "%time x = os.getcwd()"],
            expect![[r#"
                "import os\n"
                "%time x = os.getcwd()""#]],
        );
    }

    #[test]
    fn a_notebooks_fix_all_keeps_the_bindings_its_escapes_read() {
        // ruff's safe F841 fix deletes `as e`; `!echo {e}` would print `{e}`.
        check_notebook_fix_all(&["try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    !echo {e}\n"], expect![[r#"nothing to fix"#]]);
        // Must not: with the escape reading another name, ruff's fix.
        check_notebook_fix_all(
            &["try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    !echo {err}\n"],
            expect![[r#""try:\n    1 / 0\nexcept ZeroDivisionError:\n    !echo {err}\n""#]],
        );
    }

    #[test]
    fn a_notebooks_fix_all_writes_each_cell_with_its_own_line_breaks() {
        // ruff's isort writes the text's first line break (cell 1's) after
        // every cell's imports.
        let isort = "[lint]\nextend-select = [\"I\"]\n";
        check_fix_all_with(
            "isort",
            isort,
            &["import sys\r\nprint(sys)\r\n", "x = 1\nimport re\nprint(re, x)\n", "import re\nimport json\nprint(re, json)\n"],
            expect![[r#"
                "import sys\r\n\r\nprint(sys)\r\n"
                "x = 1\nimport re\n\nprint(re, x)\n"
                "import json\nimport re\n\nprint(re, json)\n""#]],
        );
        check_fix_all_with(
            "isort",
            isort,
            &["import sys\nprint(sys)\n", "x = 1\r\nimport re\r\nprint(re, x)\r\n"],
            expect![[r#"
                "import sys\n\nprint(sys)\n"
                "x = 1\r\nimport re\r\n\r\nprint(re, x)\r\n""#]],
        );
    }

    #[test]
    fn a_notebooks_fix_all_removes_an_unused_import_before_sorting_its_block() {
        // `ruff check --fix` (0.16.4) on the notebook: no blank line where
        // the import was.
        let isort = "[lint]\nextend-select = [\"I\"]\n";
        check_fix_all_with("isort", isort, &["import sys\nprint(1)"], expect![[r#""print(1)""#]]);
        // Must not: the block keeping an import is sorted, its blank line added.
        check_fix_all_with("isort", isort, &["import sys\nimport os\nprint(os)"], expect![[r#""import os\n\nprint(os)""#]]);
    }

    #[test]
    fn a_notebook_with_nothing_to_fix_gets_no_edit() {
        check_notebook_fix_all(&["import os\n", "print(os)"], expect![[r#"nothing to fix"#]]);
    }
}
