//! The invariant every merged edit keeps, checked before the lint and graph
//! checks: outside the region the edit replaced, the file defines the same
//! names, of the same kinds, in the same order and containers; and the
//! target is not defined inside itself (what a reply repeating the whole
//! file used to produce when it was pasted into the body).

use std::ops::Range;

use ruff_python_ast::Stmt;
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_text_size::Ranged;

use super::place::DefTarget;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Definition {
    qualified: String,
    is_class: bool,
    start: usize,
}

/// Every class and function definition of `text`, at any depth.
fn definitions(text: &str) -> Option<Vec<Definition>> {
    struct Collector {
        path: Vec<String>,
        found: Vec<Definition>,
    }
    impl<'a> StatementVisitor<'a> for Collector {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let (name, is_class) = match stmt {
                Stmt::FunctionDef(f) => (f.name.to_string(), false),
                Stmt::ClassDef(c) => (c.name.to_string(), true),
                _ => return walk_stmt(self, stmt),
            };
            self.path.push(name);
            self.found.push(Definition { qualified: self.path.join("."), is_class, start: stmt.start().to_usize() });
            walk_stmt(self, stmt);
            self.path.pop();
        }
    }
    let parsed = ruff_python_parser::parse_module(text).ok()?;
    let mut collector = Collector { path: Vec::new(), found: Vec::new() };
    collector.visit_body(&parsed.syntax().body);
    Some(collector.found)
}

/// Checks that `candidate` (which replaced `old` of `original` by `new`)
/// defines the same names outside the replaced region, apart from the
/// declared `helpers`, and that `target` is not nested in itself.
pub fn check(original: &str, candidate: &str, old: Range<usize>, new: Range<usize>, target: Option<&DefTarget>, helpers: &[String]) -> Result<(), String> {
    let before = definitions(original).ok_or("the file does not parse")?;
    // A candidate that does not parse is left to the syntax check, which says where.
    let Some(after) = definitions(candidate) else { return Ok(()) };
    let outside = |defs: &[Definition], region: &Range<usize>| -> Vec<(String, bool)> {
        defs.iter().filter(|d| !region.contains(&d.start) && !helpers.contains(&d.qualified)).map(|d| (d.qualified.clone(), d.is_class)).collect()
    };
    let (kept, now) = (outside(&before, &old), outside(&after, &new));
    if kept != now {
        let lost = kept.iter().find(|d| !now.contains(d));
        let gained = now.iter().find(|d| !kept.contains(d));
        return Err(match (lost, gained) {
            (_, Some((name, _))) => format!("the edit would define `{name}` outside the target; reply with the target's new code only"),
            (Some((name, _)), None) => format!("the edit would remove `{name}`, which is outside the target"),
            (None, None) => "the edit would reorder the definitions outside the target".to_owned(),
        });
    }
    if let Some(target) = target {
        let qualified = target.container.iter().chain([&target.name]).map(String::as_str).collect::<Vec<_>>().join(".");
        let nested = after.iter().find(|d| {
            new.contains(&d.start) && d.qualified.starts_with(&format!("{qualified}.")) && d.qualified.rsplit('.').next() == Some(target.name.as_str())
        });
        if let Some(nested) = nested {
            return Err(format!("the edit would define `{}` inside itself (`{}`); reply with one definition of it", target.name, nested.qualified));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "import os\n\n\ndef total(xs):\n    ...\n\n\ndef other():\n    return 1\n";

    fn target() -> DefTarget {
        DefTarget { name: "total".to_owned(), is_class: false, container: Vec::new(), range: 11..34, docstring: None }
    }

    /// Replaces the stub's `...` (the region) by `body`.
    fn check_body(body: &str) -> Result<(), String> {
        let at = FILE.find("...").unwrap();
        let candidate = format!("{}{body}{}", &FILE[..at], &FILE[at + 3..]);
        check(FILE, &candidate, at..at + 3, at..at + body.len(), Some(&target()), &[])
    }

    #[test]
    fn a_body_that_keeps_everything_else_passes() {
        assert_eq!(check_body("return sum(xs)"), Ok(()));
        assert_eq!(check_body("def helper(x):\n        return x\n    return sum(map(helper, xs))"), Ok(()));
    }

    #[test]
    fn the_target_nested_in_itself_is_refused() {
        let error = check_body("import os\n\n    def total(xs):\n        return sum(xs)").unwrap_err();
        assert!(error.contains("inside itself (`total.total`)"), "{error}");
    }

    #[test]
    fn definitions_outside_the_region_stay_as_they_were() {
        let candidate = FILE.replace("def other():\n    return 1\n", "");
        let error = check(FILE, &candidate, 11..34, 11..34, Some(&target()), &[]).unwrap_err();
        assert!(error.contains("remove `other`"), "{error}");
        let candidate = format!("def extra():\n    pass\n\n\n{FILE}");
        let error = check(FILE, &candidate, 11..34, 11 + 22..34 + 22, Some(&target()), &[]).unwrap_err();
        assert!(error.contains("define `extra` outside"), "{error}");
        assert_eq!(check(FILE, &candidate, 11..34, 11 + 22..34 + 22, Some(&target()), &["extra".to_owned()]), Ok(()));
    }
}
