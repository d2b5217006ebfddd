//! Helpers of other modules: what a module's functions that sanitise their
//! parameters return, for callers elsewhere (`clean_name(x)` of
//! `return os.path.basename(name)` in `util.py` is a path kept in its
//! folder in `views.py`, as the inline call is). A module's first check
//! summarises its functions that call a sanitiser or escaper the models
//! know ([`exported`]); once the graph places a call of one in another
//! file, that file is walked again with the summary under the name it
//! calls it by ([`by_local_name`]).

use rustc_hash::FxHashMap;

use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::has_sink_call;
use super::helpers::{self, Helper};
use super::value::Value;
use crate::findings::names::Names;

/// The module-level functions that hold one of the `sanitising` calls
/// (sorted) and return their parameters' data sanitised, each by where its
/// name starts.
pub(super) fn exported(names: &Names, globals: &FxHashMap<String, Value>, module: &ModModule, sanitising: &[TextSize]) -> Vec<(u32, Helper)> {
    let no_helpers = FxHashMap::default();
    module
        .body
        .iter()
        .filter_map(Stmt::as_function_def_stmt)
        // A function without parameters sanitises nothing of a caller's:
        // not walked.
        .filter(|f| !f.parameters.is_empty() && has_sink_call(sanitising, f.range()))
        .filter_map(|f| Some((f.name.start().to_u32(), helpers::summarise_kept(names, globals, &no_helpers, f, Helper::sanitises)?)))
        .collect()
}

/// The helpers of other modules called at `sites` (where the called name
/// starts in `source`), by that name: `clean_name`, or the dotted name a
/// module's function is called by (`util.clean_name`, written without
/// spaces).
pub(crate) fn by_local_name(source: &str, sites: &[(u32, Helper)]) -> FxHashMap<String, Helper> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut helpers = FxHashMap::default();
    for (site, helper) in sites {
        let (Some(before), Some(rest)) = (source.get(..*site as usize), source.get(*site as usize..)) else { continue };
        let name: String = rest.chars().take_while(|c| word(*c)).collect();
        if name.is_empty() {
            continue;
        }
        let receiver_len: usize = before.chars().rev().take_while(|c| word(*c) || *c == '.').map(char::len_utf8).sum();
        let receiver = &before[before.len() - receiver_len..];
        helpers.insert(format!("{receiver}{name}"), helper.clone());
    }
    helpers
}

/// The dotted name a call's function is written as (`clean_name`,
/// `util.clean_name`), and the name it starts with.
pub(super) fn called_as(func: &Expr) -> Option<(String, &str)> {
    match func {
        Expr::Name(n) => Some((n.id.to_string(), n.id.as_str())),
        Expr::Attribute(a) => {
            let (receiver, root) = called_as(&a.value)?;
            Some((format!("{receiver}.{}", a.attr.as_str()), root))
        }
        _ => None,
    }
}
