//! Tests of what a module exports as sanitisers for callers elsewhere
//! ([`super::imported::exported`]).

use std::path::Path;

use rustc_hash::FxHashMap;

use ruff_python_ast::Stmt;
use ruff_python_ast::visitor::Visitor;
use ruff_text_size::Ranged;

use super::{Calls, helpers, imported, models};
use crate::findings::names::Names;

/// Each function that `exported` gives, by name, with its summary.
fn exported(source: &str) -> Vec<(String, helpers::Helper)> {
    let parsed = crate::findings::parse(Path::new("/work/snippet.py"), source);
    let module = parsed.syntax();
    let names = Names::of(module);
    let mut calls = Calls::default();
    calls.visit_body(&module.body);
    let mut sanitising: Vec<_> =
        calls.0.iter().filter(|c| names.qualified(&c.func).is_some_and(|n| models::is_modelled_escaping(&n))).map(|c| c.start()).collect();
    sanitising.sort_unstable();
    let functions: Vec<_> = module.body.iter().filter_map(Stmt::as_function_def_stmt).collect();
    let name_at = |at: u32| functions.iter().find(|f| f.name.start().to_u32() == at).map(|f| f.name.to_string()).unwrap_or_default();
    imported::exported(&names, &FxHashMap::default(), module, &sanitising).into_iter().map(|(at, helper)| (name_at(at), helper)).collect()
}

/// The whole summary of the function `name` of `source`.
fn summarised(source: &str, name: &str) -> Option<helpers::Helper> {
    let parsed = crate::findings::parse(Path::new("/work/snippet.py"), source);
    let module = parsed.syntax();
    let names = Names::of(module);
    let function = module.body.iter().filter_map(Stmt::as_function_def_stmt).find(|f| f.name.as_str() == name)?;
    helpers::summarise(&names, &FxHashMap::default(), &FxHashMap::default(), function)
}

#[test]
fn an_exported_sanitiser_is_summarised_whole_with_what_it_returns_from_constants() {
    let source = "import shlex\n\ndef joined(tool, flag):\n    return shlex.quote(tool) + \" \" + flag\n";
    let whole = summarised(source, "joined").expect("a summary");
    // The walk with constants for parameters was made: a caller passing
    // constants gets constants back.
    assert!(format!("{whole:?}").contains("constant_of_constants: true"), "{whole:?}");
    assert_eq!(exported(source), vec![("joined".to_owned(), whole)]);
}

#[test]
fn functions_that_do_not_sanitise_a_callers_data_are_not_exported() {
    // One returns its parameter as given, one takes none.
    let source = "import html\n\ndef loud(text):\n    html.escape(text)\n    return text\n\ndef banner():\n    return html.escape(\"<b>\")\n";
    assert!(summarised(source, "loud").is_some() && summarised(source, "banner").is_some());
    assert_eq!(exported(source), Vec::new());
}
