//! Library methods that call overridable methods of their own receiver:
//! `worker.start()` on a `threading.Thread` subclass runs the subclass's
//! `run`, `handler.handle(record)` its `emit`. The library's code between
//! them is not indexed as calls, so the table below says which library
//! method runs which methods on `self`; the call bound to the library
//! method then also reaches the workspace overrides of those methods that
//! its receiver may run (narrowed as override dispatch is), added at query
//! time as [`Via::Protocol`] calls (no stored edge, nothing to re-link).

use super::dispatch::Via;
use super::dispatch_site::Dispatch;
use super::hooks::{add_sites, sort_sites};
use super::queries::Caller;
use super::{Graph, SymbolId, SymbolKind};

/// (a library method, as the resolver qualifies it; the methods it calls on
/// its receiver, which subclasses override to be called back).
const RUNS_ON_SELF: &[(&str, &[&str])] = &[
    ("threading.Thread.start", &["run"]),
    ("multiprocessing.process.BaseProcess.start", &["run"]),
    ("logging.Handler.handle", &["filter", "emit"]),
    ("logging.Formatter.format", &["formatMessage", "formatTime", "formatException", "formatStack", "usesTime"]),
    ("json.encoder.JSONEncoder.encode", &["iterencode", "default"]),
    ("json.encoder.JSONEncoder.iterencode", &["default"]),
    ("unittest.case.TestCase.run", &["setUp", "tearDown", "setUpClass", "tearDownClass"]),
    ("unittest.case.TestCase.debug", &["setUp", "tearDown"]),
    ("ast.NodeVisitor.visit", &["generic_visit"]),
    ("ast.NodeTransformer.visit", &["generic_visit"]),
    ("socketserver.BaseServer.serve_forever", &["service_actions", "handle_request", "process_request", "verify_request", "finish_request"]),
    ("socketserver.BaseServer.handle_request", &["verify_request", "process_request", "finish_request", "handle_error"]),
    ("socketserver.BaseRequestHandler.__init__", &["setup", "handle", "finish"]),
    (
        "html.parser.HTMLParser.feed",
        &[
            "handle_starttag",
            "handle_endtag",
            "handle_startendtag",
            "handle_data",
            "handle_comment",
            "handle_decl",
            "handle_pi",
            "handle_charref",
            "handle_entityref",
            "unknown_decl",
        ],
    ),
    ("html.parser.HTMLParser.close", &["handle_data"]),
    ("string.Formatter.format", &["vformat", "parse", "get_field", "get_value", "format_field", "convert_field", "check_unused_args"]),
    ("string.Formatter.vformat", &["parse", "get_field", "get_value", "format_field", "convert_field", "check_unused_args"]),
    ("argparse.ArgumentParser.parse_args", &["parse_known_args", "error", "exit"]),
    ("collections.UserDict.__getitem__", &["__missing__"]),
    ("cmd.Cmd.cmdloop", &["preloop", "postloop", "precmd", "postcmd", "onecmd", "emptyline", "default"]),
    ("cmd.Cmd.onecmd", &["emptyline", "default"]),
];

/// The methods the library method `qualified` runs on its receiver.
fn runs_on_self(qualified: &str) -> &'static [&'static str] {
    RUNS_ON_SELF.iter().find(|(method, _)| *method == qualified).map_or(&[], |(_, runs)| runs)
}

impl Graph {
    /// The class of the library method `id`: its class when the library is
    /// indexed, else the external symbol named for the qualified name it is
    /// under (the one a workspace `class` statement has as its base).
    fn library_class(&self, id: SymbolId) -> Option<SymbolId> {
        if let Some(class) = self.method_class(id) {
            return Some(class);
        }
        let symbol = self.symbol(id).filter(|s| s.kind == SymbolKind::External)?;
        let (owner, _) = symbol.qualified_name.rsplit_once('.')?;
        self.externals.get(owner).map(|&node| SymbolId(node))
    }

    /// For each call in `direct` bound to a library method of the table, the
    /// workspace overrides of the methods it runs on its receiver, as
    /// [`Via::Protocol`] callees at the calls that may run them.
    pub(super) fn library_hook_callees(&self, direct: &[Caller], caller: SymbolId) -> Vec<Caller> {
        let mut out = Vec::new();
        for callee in direct {
            let Some(target) = self.symbol(callee.symbol).filter(|s| s.file.is_none_or(|f| self.is_library(f))) else { continue };
            let runs = runs_on_self(target.qualified_name);
            let Some(class) = self.library_class(callee.symbol).filter(|_| !runs.is_empty()) else { continue };
            let below = self.below(class);
            // Each site's receiver is read once, whatever the number of
            // overrides it is asked about.
            let dispatches: Vec<Dispatch> = callee
                .sites
                .iter()
                .map(|site| self.dispatch(site, self.enclosing_symbol(site.file, site.span.start).unwrap_or(caller), callee.symbol))
                .collect();
            for name in runs {
                for (method, instance) in self.overriding(class, name, &below) {
                    if self.symbol(method).and_then(|m| m.file).is_none_or(|f| self.is_library(f)) {
                        continue;
                    }
                    let sites = callee.sites.iter().zip(&dispatches).filter(|(_, dispatch)| dispatch.admits(self, instance));
                    add_sites(&mut out, method, sites.map(|(site, _)| site.clone()), Via::Protocol);
                }
            }
        }
        out.retain(|c| !c.sites.is_empty());
        sort_sites(&mut out);
        out
    }

    /// The calls of library methods of the table that run `id`, a
    /// workspace method overriding a method they call on their receiver,
    /// as [`Via::Protocol`] callers.
    pub(super) fn library_hook_callers(&self, id: SymbolId) -> Vec<Caller> {
        let (Some(class), Some(name)) = (self.method_class(id), self.symbol(id).map(|s| s.name)) else { return Vec::new() };
        if self.symbol(id).and_then(|s| s.file).is_none_or(|f| self.is_library(f)) {
            return Vec::new();
        }
        let mut instances = vec![class];
        instances.extend(self.inheriting(class, name));
        let mut out = Vec::new();
        for ancestor in self.ancestors(class) {
            for (method, runs) in RUNS_ON_SELF {
                let Some((owner, called)) = method.rsplit_once('.') else { continue };
                if !runs.contains(&name) || self.symbol(ancestor).is_none_or(|a| a.qualified_name != owner) {
                    continue;
                }
                let external = || self.externals.get(*method).map(|&node| SymbolId(node));
                let Some(target) = self.own_method(ancestor, called).or_else(external) else { continue };
                for caller in self.callers(target) {
                    let sites = caller.sites.iter().filter(|site| {
                        let dispatch = self.dispatch(site, caller.symbol, target);
                        instances.iter().any(|&i| dispatch.admits(self, i))
                    });
                    add_sites(&mut out, caller.symbol, sites.cloned(), Via::Protocol);
                }
            }
        }
        out.retain(|c| !c.sites.is_empty());
        sort_sites(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::graph::tests::calls_both_ways;

    /// What the symbol named by the cursor calls and who calls it.
    fn check(fixture: &str, outgoing: Expect, incoming: Expect) {
        let (calls, callers) = calls_both_ways(fixture, false);
        outgoing.assert_eq(&calls);
        incoming.assert_eq(&callers);
    }

    /// Library base classes calling their subclasses back. The twins: a
    /// subclass that overrides nothing (`Idle`), an unrelated class with
    /// the same names (`Other`), and a receiver of another subclass.
    const WORKERS: &str = r#"
//- /work.py
import logging
import threading
class Worker(threading.Thread):
    def run(self): pass
    def launch(self):
        self.start()
class Idle(threading.Thread):
    pass
class Other:
    def start(self): pass
    def run(self): pass
class Sink(logging.Handler):
    def emit(self, record): pass
def go(worker: Worker, idle: Idle, other: Other, sink: Sink, record):
    worker.start()
    idle.start()
    other.start()
    sink.handle(record)
"#;

    #[test]
    fn a_library_method_runs_the_workspace_overrides_it_calls_on_its_receiver() {
        check(
            &WORKERS.replacen("def go", "def g$0o", 1),
            expect![[r#"
            threading.Thread.start at work.py:15:12, work.py:16:10
            work.Other.start at work.py:17:11
            logging.Handler.handle at work.py:18:10
            work.Worker.run at work.py:15:12 (implicit call)
            work.Sink.emit at work.py:18:10 (implicit call)
        "#]],
            expect![""],
        );
        check(
            &WORKERS.replacen("def run(self): pass\n    def launch", "def r$0un(self): pass\n    def launch", 1),
            expect![""],
            expect![[r#"
            work.Worker.launch at work.py:6:14 (implicit call)
            work.go at work.py:15:12 (implicit call)
        "#]],
        );
        check(
            &WORKERS.replacen("def emit", "def em$0it", 1),
            expect![""],
            expect![[r#"
            work.go at work.py:18:10 (implicit call)
        "#]],
        );
    }

    #[test]
    fn a_library_method_reaches_no_class_that_does_not_override_or_is_unrelated() {
        // `Other.run` is named like the hook, but `Other` is no `Thread`.
        check(&WORKERS.replacen("    def run(self): pass\nclass Sink", "    def r$0un(self): pass\nclass Sink", 1), expect![""], expect![""]);
        // Without its `run`, `Worker.start()` runs the library's own.
        check(
            &WORKERS.replacen("    def run(self): pass\n    def launch", "    def launch", 1).replacen("def go", "def g$0o", 1),
            expect![[r#"
            threading.Thread.start at work.py:14:12, work.py:15:10
            work.Other.start at work.py:16:11
            logging.Handler.handle at work.py:17:10
            work.Sink.emit at work.py:17:10 (implicit call)
        "#]],
            expect![""],
        );
    }
}
