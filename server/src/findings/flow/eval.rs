//! The value of an expression in a function, given what its names hold at
//! that point: how strings are built and where run-time data enters.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::ops::Range;

use ruff_python_ast::{ConversionFlag, Expr, ExprAttribute, ExprCall, InterpolatedStringElement, Operator};

use super::enums;
use super::fold;
use super::guards;
use super::helpers::Helper;
use super::imported;
use super::known_names::{ENVIRON_LINE_FREE, HANDLER_ARGUMENTS, PROCESS_CONSTANTS, PURE, READS, REQUEST_DATA, REQUEST_LINE_FREE, STRING_METHODS};
use super::locals::Locals;
use super::models;
use super::sinks::Family;
use super::value::{Const, Entry, Escaped, Items, Value, range};
use crate::findings::Confidence;
use crate::findings::escaper_names;
use crate::findings::names::{Names, last_part};

/// The function a call runs in another thread (`asyncio.to_thread(f)`,
/// `loop.run_in_executor(executor, f)`), whose result it gives.
fn run_elsewhere<'c>(call: &'c ExprCall, name: &str) -> Option<&'c Expr> {
    match call.func.as_ref() {
        _ if name == "asyncio.to_thread" => call.arguments.args.first(),
        Expr::Attribute(a) if a.attr.as_str() == "run_in_executor" => call.arguments.args.get(1),
        _ => None,
    }
}

/// The names a function sees: its locals as assigned so far, the module's
/// globals and the file's helpers.
pub(crate) struct Scope<'a> {
    pub names: &'a Names,
    pub locals: Locals,
    pub globals: &'a FxHashMap<String, Value>,
    pub helpers: &'a FxHashMap<String, Helper>,
    /// Names the function checks as safe redirect targets.
    pub vetted: Vec<String>,
    /// Names the function redirects to (`redirect(url)`).
    pub redirected: Vec<String>,
    /// XML parsers the function turns external entities on for.
    pub entities: Vec<String>,
    /// A Flask view's route when it has no variable part: then
    /// `request.path` is that constant.
    pub route: Option<String>,
    /// The function wrote an attribute of `self` (kept among the locals
    /// under [`super::own_attribute`]'s key): only then is a read of one
    /// looked up there.
    pub own_attributes: bool,
    /// The values of the calls evaluated while the names hold still (one
    /// statement's sink checks, see [`Scope::remember`]), by the call's
    /// address: each check of `str(str(...x...))`'s calls evaluates the
    /// calls inside it, which made 2,400 nested calls take minutes.
    memo: RefCell<Option<FxHashMap<usize, Value>>>,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(names: &'a Names, globals: &'a FxHashMap<String, Value>, helpers: &'a FxHashMap<String, Helper>) -> Self {
        Scope {
            names,
            locals: Locals::default(),
            globals,
            helpers,
            vetted: Vec::new(),
            redirected: Vec::new(),
            entities: Vec::new(),
            route: None,
            own_attributes: false,
            memo: RefCell::default(),
        }
    }
}

impl Scope<'_> {
    /// Recurses once per level of `expr`: a generated chain of thousands of
    /// `+` (which ruff's parser reads, growing its stack the same way)
    /// overflowed the thread's stack and aborted the whole run.
    pub(crate) fn eval(&self, expr: &Expr) -> Value {
        let call = match expr {
            Expr::Call(call) => Some(std::ptr::from_ref(call) as usize),
            _ => None,
        };
        if let Some(known) = call.and_then(|at| self.memo.borrow().as_ref()?.get(&at).cloned()) {
            return known;
        }
        let value = stacker::maybe_grow(crate::syntax::RED_ZONE, crate::syntax::STACK_GROWTH, || self.eval_here(expr));
        if let (Some(at), Some(memo)) = (call, self.memo.borrow_mut().as_mut()) {
            memo.insert(at, value.clone());
        }
        value
    }

    /// Whether calls' values are kept until told otherwise: only while no
    /// name changes (no statement is walked), since a call's value is what
    /// its names hold.
    pub(crate) fn remember(&self, on: bool) {
        *self.memo.borrow_mut() = on.then(FxHashMap::default);
    }

    fn eval_here(&self, expr: &Expr) -> Value {
        match expr {
            Expr::StringLiteral(s) => Value::literal(s, s.value.to_str()),
            Expr::BytesLiteral(b) => {
                let bytes: Vec<u8> = b.value.bytes().collect();
                // Not folded as text, but a constant all the same.
                Value { known: None, alternatives: true, ..Value::constant(&String::from_utf8_lossy(&bytes)) }
            }
            Expr::NumberLiteral(n) => n.value.as_int().and_then(ruff_python_ast::Int::as_i64).map(|i| Value::known(Const::Int(i))).unwrap_or_default(),
            Expr::BooleanLiteral(b) => Value::known(Const::Bool(b.value)),
            Expr::NoneLiteral(_) | Expr::EllipsisLiteral(_) => Value::default(),
            Expr::FString(f) => {
                let mut value = Value { built: true, ..Value::default() };
                let mut constant = true;
                for element in f.value.elements() {
                    let part = match element {
                        InterpolatedStringElement::Literal(l) => Value::constant(&l.value),
                        // `{x!r}` is `repr(x)`: its line breaks are written `\n`.
                        InterpolatedStringElement::Interpolation(i) if i.conversion == ConversionFlag::Repr => self.eval(&i.expression).escaped(Escaped::Lines),
                        InterpolatedStringElement::Interpolation(i) => self.eval(&i.expression),
                    };
                    constant &= part.computed_from_constants();
                    value = value.concat(part);
                }
                // Its text is not known (conversions, format specs), but
                // made of constants alone when its parts are.
                value.alternatives = constant;
                value
            }
            Expr::BinOp(op) => {
                let right = if self.restarts_itself(op) { Value::some_constant() } else { self.eval(&op.right) };
                let left = self.eval(&op.left);
                if let Some(known) = fold::arithmetic(op.op, left.known.as_ref(), right.known.as_ref()) {
                    return match known {
                        Const::Str(text) => Value::constant(&text),
                        known => Value::known(known),
                    };
                }
                match op.op {
                    Operator::Add => left.concat(right),
                    Operator::Mod => {
                        let right = right.placed_in(&left.text);
                        Value { known: None, ..left.concat(right) }
                    }
                    _ => left.tainted_by(right).with_text(""),
                }
            }
            Expr::Tuple(t) => self.all(t.elts.iter()),
            Expr::List(l) if !l.elts.iter().any(Expr::is_starred_expr) => Value::container(Items::List(l.elts.iter().map(|e| self.eval(e)).collect())),
            Expr::List(l) => self.all(l.elts.iter()),
            Expr::Set(s) => self.all(s.elts.iter()),
            Expr::Dict(d) => {
                let keys: Option<Vec<Const>> = d.items.iter().map(|item| item.key.as_ref().and_then(|k| self.eval(k).known)).collect();
                match keys {
                    Some(keys) => Value::container(Items::Dict(keys.into_iter().zip(d.items.iter().map(|item| self.eval(&item.value))).collect())),
                    None => self.all(d.items.iter().map(|item| &item.value)),
                }
            }
            Expr::Name(name) => self.name(name.id.as_str(), expr),
            Expr::Attribute(attribute) => self.attribute(attribute, expr),
            Expr::Subscript(subscript) => {
                let base = self.eval(&subscript.value);
                // A local's key: one part of what it holds.
                let mut read = match (subscript.value.as_ref(), subscript.slice.as_ref()) {
                    (Expr::Name(_), Expr::StringLiteral(_)) => base.clone().part_read_at(expr),
                    _ => base.clone().read_at(expr),
                };
                // `request.META["REMOTE_ADDR"]`: what the server wrote.
                if let (Expr::Attribute(mapping), Expr::StringLiteral(key)) = (subscript.value.as_ref(), subscript.slice.as_ref())
                    && matches!(mapping.attr.as_str(), "META" | "environ")
                    && ENVIRON_LINE_FREE.contains(&key.value.to_str())
                    && self.is_request(&mapping.value)
                {
                    read.entry.iter_mut().for_each(|e| e.escaped = Escaped::Lines);
                }
                if let Some(member) = enums::member(&base) {
                    return member;
                }
                self.element(&base, subscript).unwrap_or_else(|| read.opaque())
            }
            Expr::Call(call) => self.call(call),
            Expr::If(e) => match self.truth(&e.test) {
                Some(true) => self.eval(&e.body),
                Some(false) => self.eval(&e.orelse),
                None => self.eval(&e.body).either(self.eval(&e.orelse)),
            },
            Expr::BoolOp(e) => self
                .decided(e.op == ruff_python_ast::BoolOp::And, &e.values)
                .unwrap_or_else(|| e.values.iter().map(|v| self.eval(v)).reduce(Value::either).unwrap_or_default()),
            Expr::Await(e) => self.eval(&e.value),
            Expr::Named(e) => self.eval(&e.value),
            Expr::Starred(e) => self.eval(&e.value),
            Expr::ListComp(c) => self.eval(&c.elt).tainted_by(self.all(c.generators.iter().map(|g| &g.iter))),
            Expr::SetComp(c) => self.eval(&c.elt).tainted_by(self.all(c.generators.iter().map(|g| &g.iter))),
            Expr::Generator(c) => self.eval(&c.elt).tainted_by(self.all(c.generators.iter().map(|g| &g.iter))),
            Expr::Compare(c) => self.compare(c),
            Expr::UnaryOp(u) => self.unary(u.op, &u.operand),
            Expr::Lambda(_) => Value::default(),
            _ => Value::entered(expr, "a run-time value".into(), Confidence::Low),
        }
    }

    /// `[sys.executable] + sys.argv` (a reloader's; `sys.argv[1:]` too,
    /// with more terms between): the program run again with the arguments
    /// it was started with, which gives whoever started it nothing new.
    /// Those arguments are then none of the operator's data; the terms
    /// between are judged as they are.
    fn restarts_itself(&self, op: &ruff_python_ast::ExprBinOp) -> bool {
        let is = |e: &Expr, name: &str| self.names.qualified(e).as_deref() == Some(name);
        let argv = match op.right.as_ref() {
            Expr::Subscript(s) => s.slice.is_slice_expr() && is(&s.value, "sys.argv"),
            other => is(other, "sys.argv"),
        };
        let mut first = op.left.as_ref();
        while let Expr::BinOp(inner) = first
            && inner.op == Operator::Add
        {
            first = &inner.left;
        }
        op.op == Operator::Add && argv && matches!(first, Expr::List(l) if l.elts.first().is_some_and(|e| is(e, "sys.executable")))
    }

    /// The parts of a collection: not one string, but what any element is
    /// made of; computed from constants alone when every element is (none
    /// is: `"..." % ()`, `"...".format()`).
    fn all<'e>(&self, exprs: impl Iterator<Item = &'e Expr>) -> Value {
        let mut constant = true;
        let mut all =
            exprs.map(|e| self.eval(e)).inspect(|v| constant &= v.computed_from_constants()).reduce(|a, b| a.tainted_by(b).with_text("")).unwrap_or_default();
        all.alternatives = constant;
        all
    }

    fn name(&self, id: &str, expr: &Expr) -> Value {
        if let Some(value) = self.locals.get(id).or_else(|| self.globals.get(id)) {
            return value.clone();
        }
        match self.names.qualified(expr).as_deref() {
            Some("flask.request") => Value::entered(expr, "`request`".into(), Confidence::High),
            Some("sys.argv") => Value::entered(expr, "`sys.argv`".into(), Confidence::High),
            Some("os.environ") => Value::entered(expr, "`os.environ`".into(), Confidence::High),
            // Where the module itself is: the program's own path.
            Some("__file__") => Value::default(),
            _ => Value::entered(expr, format!("`{id}`"), Confidence::Low),
        }
    }

    fn attribute(&self, attribute: &ExprAttribute, expr: &Expr) -> Value {
        let attr = attribute.attr.as_str();
        if self.own_attributes
            && matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
            && let Some(written) = self.locals.get(&super::own_attribute(attr))
        {
            return written.clone().read_at(expr);
        }
        if let (Some(route), "path", true) = (&self.route, attr, self.is_request(&attribute.value)) {
            return Value::constant(route);
        }
        if REQUEST_DATA.contains(&attr) && self.is_request(&attribute.value) {
            let mut value = Value::entered(expr, format!("`request.{attr}`"), Confidence::High);
            // WebOb and werkzeug build the whole URL percent-encoded: no raw
            // line break to forge a log entry with (Starlette's keeps its
            // path decoded).
            if attr == "url" && !self.names.imports("starlette") && !self.names.imports("fastapi") {
                value.entry.iter_mut().for_each(|e| e.escaped = Escaped::Lines);
            }
            return value;
        }
        match self.names.qualified(expr).as_deref() {
            Some("sys.argv") => Value::entered(expr, "`sys.argv`".into(), Confidence::High),
            Some("os.environ") => Value::entered(expr, "`os.environ`".into(), Confidence::High),
            Some("os.sep" | "os.path.sep") => Value::separator(),
            // Constants of the process: a command made of them and literals is the program's own.
            Some(name) if PROCESS_CONSTANTS.contains(&name) => Value::some_constant(),
            _ if self.is_module_constant(expr) => Value::default(),
            _ => {
                let object = self.eval(&attribute.value);
                if let Some(part) = enums::part(&object, attr) {
                    return part;
                }
                // `urlparse(u).hostname`: still the URL's data, and known for
                // where it leads (a check of it is a check of the URL).
                let part = (guards::URL_PARTS.contains(&attr) && guards::parsed_url(&object)).then(|| format!("{}{attr}", guards::URL_PART));
                let mut value = Value { built: false, made_by: part, ..object.read_at(expr).opaque() };
                // What the server parsed of a request (`request.method`) is
                // what the request is for every sink but a log.
                if REQUEST_LINE_FREE.contains(&attr) && self.is_request(&attribute.value) {
                    value.entry.iter_mut().for_each(|e| e.escaped = Escaped::Lines);
                }
                value
            }
        }
    }

    /// A constant of an imported module, named in capitals (`os.P_WAIT`,
    /// `subprocess.PIPE`, `settings.BASE_DIR`): the program's own.
    pub(crate) fn is_module_constant(&self, expr: &Expr) -> bool {
        let Expr::Attribute(a) = expr else { return false };
        let capitals = a.attr.chars().any(|c| c.is_ascii_uppercase()) && !a.attr.chars().any(|c| c.is_ascii_lowercase());
        let Expr::Name(module) = a.value.as_ref() else { return false };
        capitals
            && !self.locals.contains_key(module.id.as_str())
            && self.names.qualified(&a.value).is_some_and(|q| self.names.imports(q.split('.').next().unwrap_or_default()))
    }

    /// Flask's `request`, or a `request` parameter (a Django view's).
    fn is_request(&self, expr: &Expr) -> bool {
        match expr {
            // Flask's under any name (`from flask import request as freq`).
            Expr::Name(name) => match self.names.qualified(expr).as_deref() {
                Some("flask.request") => true,
                Some("request") => matches!(name.id.as_str(), "request" | "req"),
                _ => false,
            },
            Expr::Attribute(a) => a.attr.as_str() == "request",
            _ => false,
        }
    }

    /// What a callee stands for, through the file's imports and through
    /// locals that hold a lookup by constant name (`m = __import__("os")`
    /// then `m.system`), with where such a lookup was made.
    pub(crate) fn callee(&self, func: &Expr) -> (Option<String>, Option<Range<usize>>) {
        match func {
            Expr::Name(n) => {
                if let Some((target, at)) = self.locals.get(n.id.as_str()).and_then(|v| v.refers.clone()) {
                    return (Some(target), Some(at));
                }
            }
            Expr::Attribute(a) => {
                if let (Some(base), Some(at)) = self.callee(&a.value) {
                    return (Some(format!("{base}.{}", a.attr.as_str())), Some(at));
                }
            }
            Expr::Call(call) => {
                if let Some(Value { refers: Some((target, at)), .. }) = self.lookup(call) {
                    return (Some(target), Some(at));
                }
            }
            _ => {}
        }
        (self.names.qualified(func), None)
    }

    /// A lookup by constant name of what a local holds:
    /// `getattr(m, "system")` where `m = __import__("os")`.
    fn lookup(&self, call: &ExprCall) -> Option<Value> {
        let [object, Expr::StringLiteral(attr)] = call.arguments.args.as_ref() else { return None };
        if self.names.qualified(&call.func).as_deref() != Some("getattr") {
            return None;
        }
        let (Some(base), Some(at)) = self.callee(object) else { return None };
        Some(Value { refers: Some((format!("{base}.{}", attr.value.to_str()), at)), ..Value::default() })
    }

    /// A call's value; through the program's own escaper or quoting
    /// function (`escape_sqlite(table)`, `self.quote_name(column)`), which
    /// the flow cannot read, the data passed a check it cannot judge.
    fn call(&self, call: &ExprCall) -> Value {
        let mut value = self.call_value(call);
        if own_escaper(call.func.as_ref()) && self.names.qualified(&call.func).is_none_or(|name| !models::is_modelled_escaping(&name)) {
            value.entry.iter_mut().for_each(|e| e.unjudged = true);
        }
        value
    }

    fn call_value(&self, call: &ExprCall) -> Value {
        if let Some(value) = self.lookup(call) {
            return value;
        }
        if let Some(target) = self.names.dynamic(call) {
            return Value { refers: Some((target, range(call))), ..Value::default() };
        }
        let func = call.func.as_ref();
        if let Some(member) = func.as_name_expr().and_then(|_| enums::member(&self.eval(func))) {
            return member;
        }
        let qualified = self.names.qualified(func);
        let name = qualified.as_deref().unwrap_or_default();
        let args = || self.all(call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)));
        if models::is_source(name) {
            return Value::entered(call, format!("`{name}()`"), Confidence::High);
        }
        // `loop.run_in_executor(None, sys.stdin.readline)`,
        // `asyncio.to_thread(input)`: what the function given returns.
        if let Some(run) = run_elsewhere(call, name).and_then(|f| self.names.qualified(f)).filter(|f| models::is_source(f)) {
            return Value::entered(call, format!("`{run}()`"), Confidence::High);
        }
        // `int(x)`: a number is no text of the client's, whatever the sink
        // (the judge takes it as a constant; no flow finding starts at it).
        if models::is_conversion(name) {
            return Value::some_constant();
        }
        let argument = || call.arguments.args.first().map(|a| self.eval(a)).unwrap_or_default();
        // `pickle.dumps(x)`: the program's own object, serialised.
        if models::is_serializer(name) {
            return argument().escaped(Escaped::Serialized);
        }
        match models::sanitizer(name) {
            Some([]) => return Value::default(),
            Some(families) if families.contains(&Family::Html) => return argument().escaped(Escaped::Html),
            Some(families) if families.contains(&Family::Log) => return argument().escaped(Escaped::Lines),
            Some(families) if families.contains(&Family::Shell) => return argument().escaped(Escaped::Shell),
            Some(families) if families.contains(&Family::Ldap) => return argument().escaped(Escaped::Ldap),
            Some(families) if families.contains(&Family::NoSql) => return args().stringified(),
            // `safe_join(base, name)`: the path is the last argument's.
            Some(_) => return call.arguments.args.last().map(|a| self.eval(a)).unwrap_or_default().escaped(Escaped::Path),
            // Escaping of whichever markup library; quoting of whichever shell or URL.
            None if escapes_html(name) => return argument().escaped(Escaped::Html),
            None if name.ends_with(".quote") => return Value::default(),
            None => {}
        }
        // A row or a model object: what the database holds, not the key
        // it was looked up by (`Article.objects.get(pk=request.GET["id"])`).
        let method = match func {
            Expr::Attribute(a) => Some((a.attr.as_str(), a.value.as_attribute_expr().map(|r| r.attr.as_str()))),
            _ => None,
        };
        if let Some(mapping) = self.client_mapping(call, name, method.map(|(m, _)| m)) {
            return mapping;
        }
        if models::is_stored(name, method, |m| self.names.imports(m)) {
            let called = method.map_or_else(|| short(name), |(method, _)| method);
            return Value::entered(call, format!("{} (`{called}()`)", Entry::STORED), Confidence::Low);
        }
        if let Some(rows) = self.rows_of_own_query(call, method) {
            return rows;
        }
        // `_("...")`: a translated message is the program's own text (the
        // message is the last argument; `pgettext` takes a context first).
        if (name.starts_with("django.utils.translation.") || name.starts_with("gettext.")) && short(name).contains("gettext") {
            return call.arguments.args.last().map(|a| self.eval(a)).unwrap_or_default();
        }
        if let Some((called, root)) = imported::called_as(func)
            && let Some(helper) = self.helpers.get(&called)
            && !self.locals.contains_key(root)
        {
            return self.through_helper(helper, call);
        }
        // A path or a command line computed from constants alone is one
        // (`os.path.join` is no `str.join`).
        if PURE.contains(&name) {
            let given = args();
            if given.entry.is_none() {
                let folder = folder_of(name, call);
                let decoded = given.decoded || (name.starts_with("base64.") && name.contains("decode"));
                return Value { made_by: qualified, alternatives: given.computed_from_constants(), decoded, ..folder };
            }
        }
        // The receiver of a method, evaluated once (chains of calls would
        // otherwise evaluate their start once per link and check).
        let mut evaluated_receiver = None;
        if let Expr::Attribute(attribute) = func {
            let method = attribute.attr.as_str();
            if HANDLER_ARGUMENTS.contains(&method) && matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") {
                return Value::entered(call, format!("`self.{method}()`"), Confidence::High);
            }
            // `hashlib.sha256(x).hexdigest()`: hex digits, whatever `x` held.
            if method == "hexdigest" && call.arguments.is_empty() {
                return Value::some_constant();
            }
            let receiver = self.eval(&attribute.value);
            // `fs.get(id)` of `fs = gridfs.GridFS(db)`: a method of an object
            // the function made that a model names by the maker
            // (`gridfs.GridFS.get` gives a file, not a path).
            if let Some(file) = receiver
                .made_by
                .as_deref()
                .filter(|_| models::may_give_a_file(method))
                .map(|maker| format!("{maker}.{method}"))
                .filter(|m| models::is_file_object(m))
            {
                let read = Value::entered(call, format!("`.{method}()`"), Confidence::Low).tainted_by(args()).tainted_by(receiver);
                return Value { made_by: Some(file), ..read };
            }
            if READS.contains(&method) {
                return Value::entered(call, format!("`.{method}()`"), Confidence::High).tainted_by(receiver);
            }
            // On a string; psycopg's `sql.SQL(...).format` composes safely.
            if (method == "format" || method == "join") && receiver.made_by.is_none() {
                let parts = if method == "format" { args().placed_in(&receiver.text) } else { args() };
                return receiver.concat(parts);
            }
            // `request.args.get("page", type=int)`: Flask converts it, or gives the default.
            if matches!(method, "get" | "getlist")
                && call.arguments.find_keyword("type").is_some_and(|t| matches!(&t.value, Expr::Name(n) if matches!(n.id.as_str(), "int" | "float" | "bool")))
            {
                return Value::default();
            }
            if let Some(element) = self.element_by_method(method, &receiver, call) {
                return element;
            }
            if matches!(method, "get" | "getlist")
                && attribute.value.is_name_expr()
                && receiver.items.is_none()
                && matches!(call.arguments.args.first(), Some(Expr::StringLiteral(_)))
            {
                let default = call.arguments.args.get(1).map(|d| self.eval(d)).unwrap_or_default();
                return receiver.part_read_at(call).opaque().tainted_by(default);
            }
            if let Some(value) = self.on_known_text(method, &receiver, call) {
                return value;
            }
            if STRING_METHODS.contains(&method) {
                let base = receiver.read_at(call);
                return Value { made_by: None, ..base }.tainted_by(args());
            }
            if method == "cursor" {
                // A cursor of a connection: the same database.
                return Value { made_by: Some(format!("{}.cursor()", receiver.made_by.unwrap_or_default())), ..Value::default() };
            }
            evaluated_receiver = Some(receiver);
        }
        if matches!(name, "repr" | "format" | "bytes") {
            return args();
        }
        // Containers the walk fills element by element.
        if call.arguments.is_empty() && matches!(name, "dict" | "list" | "configparser.ConfigParser" | "configparser.RawConfigParser") {
            let items = if name == "list" { Items::List(Vec::new()) } else { Items::Dict(Vec::new()) };
            return Value { made_by: qualified, ..Value::container(items) };
        }
        let unknown = Value::entered(call, format!("`{}()`", short(name)), Confidence::Low);
        let mut value = unknown.tainted_by(args());
        if let Some(receiver) = evaluated_receiver {
            value = value.tainted_by(receiver);
        }
        let own = match func {
            Expr::Name(n) => self.locals.contains_key(n.id.as_str()),
            Expr::Attribute(a) => matches!(a.value.as_ref(), Expr::Name(n) if matches!(n.id.as_str(), "self" | "cls")),
            _ => false,
        };
        if qualified.is_none() || own {
            value.entry.iter_mut().for_each(|e| e.through_unnamed = true);
        }
        value.tail = folder_of(name, call).tail;
        // A path normalised by a method (`Path(x).resolve()`), for the
        // containment checks of [`super::guards`].
        let normalised = matches!(func, Expr::Attribute(a) if matches!(a.attr.as_str(), "resolve" | "absolute"));
        value.made_by = qualified.or_else(|| normalised.then(|| "pathlib.Path.resolve".to_owned()));
        value
    }
}

/// `os.path.join(base, "")`: the folder's path ending in a separator
/// (what else the call gives is the caller's to work out).
fn folder_of(name: &str, call: &ExprCall) -> Value {
    let joins = matches!(name, "os.path.join" | "posixpath.join" | "ntpath.join");
    match call.arguments.args.last() {
        Some(Expr::StringLiteral(last)) if joins && call.arguments.args.len() > 1 && last.value.is_empty() => Value::separator(),
        _ => Value::default(),
    }
}

impl Value {
    fn with_text(mut self, text: &str) -> Value {
        self.text = text.to_owned();
        self.lead = text.to_owned();
        self.tail = text.to_owned();
        self
    }
}

/// Whether the callee's name says it escapes or quotes a value
/// (`escape_sqlite`, `quote_name`, `sql_escape`; not `unquote`, nor an
/// HTML escaper, which [`escapes_html`] reads as one): the reading the
/// S608 fix's refusal makes too.
fn own_escaper(func: &Expr) -> bool {
    let name = match func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    // Asked of every call the walk evaluates: the dotted callee is written
    // out only for a name that reads as an escaper's.
    escaper_names::names_escaping(name, "")
        && (func.is_name_expr() || imported::called_as(func).is_some_and(|(whole, _)| escaper_names::names_escaping(name, &whole)))
}

/// `html.escape`, `markupsafe.escape`, and a project's own HTML escaper,
/// which its name says is one (`escape_html`, `html_escape`,
/// `utils.escape_for_html`; not `unescape_html`).
fn escapes_html(name: &str) -> bool {
    let last = short(name).to_ascii_lowercase();
    name.ends_with(".escape") || ((last.starts_with("escape") || last.ends_with("_escape")) && last.contains("html"))
}

fn short(name: &str) -> &str {
    if name.is_empty() { "a call" } else { last_part(name) }
}
