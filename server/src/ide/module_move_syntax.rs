//! What a module move reads from one file's syntax tree: its import
//! statements as written (the summary keeps imports resolved, not the
//! spelling of `from ..pkg import`), and its string literals that may
//! spell a dotted module path.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::graph::Span;

/// `name [as alias]` of an import statement.
#[derive(Debug)]
pub(super) struct ImportedName {
    pub name: String,
    pub span: Span,
    /// `name as alias`, whole.
    pub range: Span,
    /// The local name, when `as` gives one.
    pub alias: Option<String>,
}

#[derive(Debug)]
pub(super) enum ImportStatement {
    /// `import a.b [as c], d`, and the whole statement.
    Import(Vec<ImportedName>, Span),
    /// `from ..a.b import c [as d]`; `spec` spans the dots and the module;
    /// `names` is empty for `*`.
    From { level: u32, module: Option<String>, spec: Span, names: Vec<ImportedName>, statement: Span },
}

/// A plain string literal (no f-string, not implicitly concatenated).
#[derive(Debug)]
pub(super) struct Literal {
    pub value: String,
    /// Where the value is written between the quotes; `None` when it is
    /// not written as itself (escapes, line continuations).
    pub content: Option<Span>,
    /// The literal with its quotes.
    pub range: Span,
    /// An entry of a module-level `__all__`.
    pub in_all: bool,
    /// The function it is passed to, when that imports a module by name
    /// (`import_module`, `__import__`).
    pub imported_by: Option<&'static str>,
}

/// The literal text of an f-string (its parts outside `{…}`), and whether
/// it names a module to import (`import_module(f"…")`, `__import__`).
#[derive(Debug)]
pub(super) struct FormattedString {
    pub literal: String,
    pub span: Span,
    pub imported: bool,
}

#[derive(Debug, Default)]
pub(super) struct Syntax {
    pub imports: Vec<ImportStatement>,
    pub literals: Vec<Literal>,
    pub formatted: Vec<FormattedString>,
    /// Calls importing a module by a name that is no literal
    /// (`import_module(".".join(parts))`, `__import__(name)`, an f-string),
    /// or loading one from a file by a path that is none.
    pub computed_imports: Vec<Span>,
    /// Modules looked up by a built name (`sys.modules["pkg." + m]`,
    /// `globals()[m]`; see `module_lookups`).
    pub built_lookups: Vec<Span>,
    /// Calls listing a package's modules or a folder's files
    /// (`pkgutil.iter_modules(pkg.__path__)`, `os.listdir`, `Path.glob`).
    pub module_listings: Vec<Span>,
    /// The string literals passed as `name=` to a call (`setup(name="pkg")`:
    /// the distribution's name, not a module's).
    pub distribution_names: Vec<Span>,
}

pub(super) fn read(path: &std::path::Path, text: &str) -> Syntax {
    let parsed = crate::syntax::parse_unchecked_source(text, ast::PySourceType::from(path));
    let mut reader = Reader { text, syntax: Syntax::default(), in_all: false, imported: None };
    reader.visit_body(&parsed.syntax().body);
    reader.syntax
}

struct Reader<'t> {
    text: &'t str,
    syntax: Syntax,
    in_all: bool,
    imported: Option<&'static str>,
}

fn names(aliases: &[ast::Alias]) -> Vec<ImportedName> {
    aliases
        .iter()
        .filter(|a| a.name.as_str() != "*")
        .map(|a| ImportedName {
            name: a.name.to_string(),
            span: Span::from(a.name.range()),
            range: Span::from(a.range),
            alias: a.asname.as_ref().map(|n| n.to_string()),
        })
        .collect()
}

fn is_all(targets: &[Expr]) -> bool {
    targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__all__"))
}

impl Reader<'_> {
    /// The dots and module of `from <spec> import`: from after `from` to
    /// the module's end (or the last dot).
    fn spec(&self, from: &ast::StmtImportFrom) -> Span {
        let start = from.range.start().to_usize() + "from".len();
        let rest = &self.text[start..];
        let start = start + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        let end = match &from.module {
            Some(module) => module.range.end().to_usize(),
            None => start + self.text[start..].chars().take_while(|c| *c == '.').count(),
        };
        Span::new(start as u32, end as u32)
    }

    fn literal(&mut self, string: &ast::ExprStringLiteral) {
        if string.value.is_implicit_concatenated() {
            return;
        }
        let value = string.value.to_str().to_owned();
        let written = &self.text[string.range.start().to_usize()..string.range.end().to_usize()];
        let prefix = written.find(['\'', '"']).unwrap_or(0);
        let quotes = if written[prefix..].starts_with("\"\"\"") || written[prefix..].starts_with("'''") { 3 } else { 1 };
        let start = string.range.start().to_usize() + prefix + quotes;
        let end = string.range.end().to_usize().saturating_sub(quotes).max(start);
        let content = (self.text.get(start..end) == Some(value.as_str())).then(|| Span::new(start as u32, end as u32));
        self.syntax.literals.push(Literal { value, content, range: Span::from(string.range), in_all: self.in_all, imported_by: self.imported });
    }
}

impl<'a> Visitor<'a> for Reader<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => self.syntax.imports.push(ImportStatement::Import(names(&import.names), Span::from(import.range))),
            Stmt::ImportFrom(from) => {
                let spec = self.spec(from);
                let module = from.module.as_ref().map(|m| m.to_string());
                let statement = Span::from(from.range);
                self.syntax.imports.push(ImportStatement::From { level: from.level, module, spec, names: names(&from.names), statement });
            }
            Stmt::Assign(assign) if is_all(&assign.targets) => {
                self.in_all = true;
                visitor::walk_stmt(self, stmt);
                self.in_all = false;
                return;
            }
            Stmt::AugAssign(assign) if is_all(std::slice::from_ref(&assign.target)) => {
                self.in_all = true;
                visitor::walk_stmt(self, stmt);
                self.in_all = false;
                return;
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if super::module_lookups::built_lookup(expr) {
            self.syntax.built_lookups.push(Span::from(expr.range()));
        }
        match expr {
            Expr::StringLiteral(string) => self.literal(string),
            Expr::FString(fstring) => {
                let literal: String = fstring
                    .value
                    .elements()
                    .map(|e| match e {
                        ast::InterpolatedStringElement::Literal(l) => l.value.as_ref(),
                        ast::InterpolatedStringElement::Interpolation(_) => "{}",
                    })
                    .collect();
                self.syntax.formatted.push(FormattedString { literal, span: Span::from(fstring.range), imported: self.imported.is_some() });
            }
            Expr::Call(call) => {
                let callee = match &*call.func {
                    Expr::Name(n) => n.id.as_str(),
                    Expr::Attribute(a) => a.attr.as_str(),
                    _ => "",
                };
                // `__import__("a.b", fromlist=["x"])` returns `a.b` itself (a
                // non-empty fromlist, the fourth argument), as `import_module` does.
                let fromlist = call.arguments.find_argument_value("fromlist", 3);
                let importer = match callee {
                    "import_module" => Some("import_module"),
                    "__import__"
                        if fromlist.is_some_and(|l| matches!(l, Expr::List(l) if !l.elts.is_empty()) || matches!(l, Expr::Tuple(t) if !t.elts.is_empty())) =>
                    {
                        Some("import_module")
                    }
                    "__import__" => Some("__import__"),
                    "find_spec" => Some("find_spec"),
                    // `runpy.run_module("pkg.tool")`: runs the module by name.
                    "run_module" => Some("run_module"),
                    _ => None,
                };
                if matches!(callee, "iter_modules" | "walk_packages" | "listdir" | "scandir" | "iterdir" | "glob" | "rglob") {
                    self.syntax.module_listings.push(Span::from(call.range()));
                }
                let named = call.arguments.args.first().or_else(|| call.arguments.keywords.first().map(|k| &k.value));
                let name_keyword = call.arguments.keywords.iter().find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "name"));
                if let Some(Expr::StringLiteral(string)) = name_keyword.map(|k| &k.value) {
                    self.syntax.distribution_names.push(Span::from(string.range));
                }
                // An f-string builds the name too, whatever its literal part
                // (`f"{__name__}.{m}"` spells no package).
                if importer.is_some() && named.is_some_and(|name| !name.is_string_literal_expr()) {
                    self.syntax.computed_imports.push(Span::from(call.range()));
                }
                // A module loaded from a file whose path (or name) is built
                // at run time (`spec_from_file_location(name, HERE /
                // f"{name}.py")`): a plugin loader, as a built name is.
                let loads_file = matches!(callee, "spec_from_file_location" | "SourceFileLoader" | "run_path" | "load_source");
                if loads_file && call.arguments.args.iter().take(2).chain(call.arguments.keywords.iter().map(|k| &k.value)).any(|a| !a.is_string_literal_expr())
                {
                    self.syntax.computed_imports.push(Span::from(call.range()));
                }
                let outer = std::mem::replace(&mut self.imported, importer);
                visitor::walk_expr(self, expr);
                self.imported = outer;
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// Where `text` spells `name` as a bare name (read, written or deleted),
/// in any scope, in source order.
pub(super) fn bare_names(text: &str, name: &str) -> Vec<Span> {
    struct Finder<'n> {
        name: &'n str,
        found: Vec<Span>,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Name(n) if n.id.as_str() == self.name => {
                    self.found.push(Span::from(n.range));
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    if !text.contains(name) {
        return Vec::new();
    }
    let parsed = ruff_python_parser::parse_unchecked_source(text, ast::PySourceType::Python);
    let mut finder = Finder { name, found: Vec::new() };
    finder.visit_body(&parsed.syntax().body);
    finder.found
}
