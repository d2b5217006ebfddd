//! The library models of the data flow as data: `models.toml`, one line
//! per source, sink or sanitizer, keyed by the qualified name the resolver
//! gives a callee, read once. What a model says is matched here; what a
//! family of sinks means is [`super::sinks`]'s.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use ruff_python_ast::{Expr, ExprCall};

use super::sinks::Family;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    models: Vec<Model>,
}

/// One line of the table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Model {
    /// The qualified name, `Maker.method` for a method of a made object, or
    /// `.method` for a method whatever its receiver (with `requires`).
    pub name: String,
    kind: Kind,
    /// A sink's family.
    pub family: Option<Family>,
    /// The weakness (CWE number) a sink's finding links to.
    pub cwe: Option<u32>,
    #[serde(default)]
    args: Args,
    #[serde(default)]
    keywords: Vec<String>,
    /// Keyword → the literal values that make the call safe.
    #[serde(default)]
    unless: BTreeMap<String, Vec<String>>,
    /// A module the file must import for the model to apply (one of
    /// them, for a list).
    requires: Option<Requires>,
    /// The families a sanitizer protects; all when empty.
    #[serde(default)]
    protects: Vec<Family>,
    /// A sink whose result is an open file (`open`): no path either.
    #[serde(default)]
    gives_file: bool,
}

/// The modules a model needs the file to import, any one of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Requires {
    One(String),
    Any(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Sink,
    Source,
    /// Its result is what the database holds (a row, a model object),
    /// not what it was looked up by.
    Stored,
    Sanitizer,
    /// Escapes for another syntax than the sinks' (a DN's escapes in an
    /// LDAP filter): no check of anything.
    Escaper,
    Conversion,
    /// Its result is an open file or a buffer in memory, not a path.
    File,
    Serializer,
    /// Its data as one mapping whose keys the client chose.
    Mapping,
}

/// Which arguments of a sink carry the data.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Args {
    /// Every positional argument (a process's command line).
    All(AllArgs),
    At(Vec<usize>),
}

#[derive(Debug, Deserialize)]
enum AllArgs {
    #[serde(rename = "all")]
    All,
}

impl Default for Args {
    fn default() -> Self {
        Args::At(vec![0])
    }
}

struct Models {
    by_name: FxHashMap<&'static str, &'static Model>,
    /// The sink models by their name's last segment (the method): the
    /// flow's prefilter asks for every call of a method some model names,
    /// and scanning the whole table for each was 0.75% of a check of Django.
    sinks_by_method: FxHashMap<&'static str, Vec<&'static Model>>,
    /// The table as written (a name modelled twice shows only here): its
    /// tests and the `stored` models' methods read it whole.
    all: &'static [Model],
}

static MODELS: LazyLock<Models> = LazyLock::new(|| {
    let table: Table = toml::from_str(include_str!("models.toml")).expect("models.toml is valid (checked by a test)");
    let all: &'static [Model] = Vec::leak(table.models);
    let mut sinks_by_method: FxHashMap<&'static str, Vec<&'static Model>> = FxHashMap::default();
    for model in all.iter().filter(|m| m.kind == Kind::Sink) {
        sinks_by_method.entry(model.name.rsplit('.').next().unwrap_or(&model.name)).or_default().push(model);
    }
    Models { by_name: all.iter().map(|m| (m.name.as_str(), m)).collect(), sinks_by_method, all }
});

impl Model {
    /// Whether the file imports what the model requires (`imports` says
    /// whether it imports a module).
    fn applies(&self, imports: impl Fn(&str) -> bool) -> bool {
        match &self.requires {
            None => true,
            Some(Requires::One(module)) => imports(module),
            Some(Requires::Any(modules)) => modules.iter().any(|m| imports(m)),
        }
    }

    /// The arguments of `call` the data matters in.
    pub(super) fn arguments<'c>(&self, call: &'c ExprCall) -> Vec<&'c Expr> {
        let args = &call.arguments;
        let positional: Vec<&Expr> = match &self.args {
            Args::All(AllArgs::All) => args.args.iter().collect(),
            Args::At(positions) => positions.iter().filter_map(|p| args.args.get(*p)).collect(),
        };
        positional.into_iter().chain(self.keywords.iter().filter_map(|k| args.find_keyword(k).map(|k| &k.value))).collect()
    }

    /// Whether every positional argument is the data (a process's command
    /// line rather than a shell's one string).
    pub(super) fn takes_all(&self) -> bool {
        matches!(self.args, Args::All(_))
    }

    /// Whether `call` passes a keyword that makes it safe
    /// (`filter="data"`).
    fn made_safe(&self, call: &ExprCall) -> bool {
        self.unless.iter().any(|(keyword, safe)| {
            call.arguments.find_keyword(keyword).is_some_and(|k| match &k.value {
                Expr::StringLiteral(s) => safe.iter().any(|v| v == s.value.to_str()),
                Expr::BooleanLiteral(b) => safe.iter().any(|v| v == if b.value { "True" } else { "False" }),
                _ => false,
            })
        })
    }
}

/// The sink model for a call: by the callee's qualified name `name`, by
/// `maker.method` when the receiver was made by `maker`, or by `.method`
/// when the file imports what the model requires. None when the call
/// passes what makes it safe.
pub(super) fn sink(name: &str, method: Option<(&str, Option<&str>)>, imports: impl Fn(&str) -> bool) -> Option<&'static Model> {
    let models = &MODELS.by_name;
    let applies = |m: &&'static Model| m.kind == Kind::Sink && m.applies(&imports);
    let by_name = models.get(name).copied().filter(&applies);
    let by_method = || {
        let (method, maker) = method?;
        let made = maker.and_then(|maker| models.get(format!("{maker}.{method}").as_str()).copied().filter(&applies));
        made.or_else(|| models.get(format!(".{method}").as_str()).copied().filter(&applies))
    };
    by_name.or_else(by_method)
}

/// [`sink`], leaving out a call made safe by its keywords.
pub(super) fn unsafe_sink<'m>(model: Option<&'m Model>, call: &ExprCall) -> Option<&'m Model> {
    model.filter(|m| !m.made_safe(call))
}

/// Whether `name`'s result is data from outside the program.
pub(super) fn is_source(name: &str) -> bool {
    MODELS.by_name.get(name).is_some_and(|m| m.kind == Kind::Source)
}

/// Whether a call gives what the database holds: by the callee's
/// qualified name `name`, by `.method` of any receiver, or by
/// `.attribute.method` of a receiver read as `attribute`
/// (`Article.objects.get`), given the file's imports.
pub(super) fn is_stored(name: &str, method: Option<(&str, Option<&str>)>, imports: impl Fn(&str) -> bool) -> bool {
    let models = &MODELS.by_name;
    let stored = |key: &str| models.get(key).is_some_and(|m| m.kind == Kind::Stored && m.applies(&imports));
    // Asked of every call the flow evaluates: most methods are none of
    // these, and are answered without a key made for them.
    let modelled = |(method, _): &(&str, Option<&str>)| STORED_METHODS.contains(method);
    stored(name)
        || method
            .filter(modelled)
            .is_some_and(|(method, attribute)| attribute.is_some_and(|attribute| stored(&format!(".{attribute}.{method}"))) || stored(&format!(".{method}")))
}

/// The methods the `stored` models name (`get` of `.objects.get`).
static STORED_METHODS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| MODELS.all.iter().filter(|m| m.kind == Kind::Stored && m.name.starts_with('.')).filter_map(|m| m.name.rsplit('.').next()).collect());

/// Whether `name`'s result is a number (or a UUID) whatever it is given.
pub(super) fn is_conversion(name: &str) -> bool {
    MODELS.by_name.get(name).is_some_and(|m| m.kind == Kind::Conversion)
}

/// Whether the object `made_by` names (what [`super::value::Value::made_by`]
/// holds: `io.BytesIO`, `gridfs.GridFS.get`) is a file or a buffer rather
/// than a path.
pub(super) fn is_file_object(made_by: &str) -> bool {
    MODELS.by_name.get(made_by.trim_end_matches("()")).is_some_and(|m| m.kind == Kind::File || m.gives_file)
}

/// Whether a `file` model names a method called `method` (`get` of
/// `gridfs.GridFS.get`): asked of every method call on an object the
/// function made, before any name is built for it.
pub(super) fn may_give_a_file(method: &str) -> bool {
    FILE_METHODS.contains(method)
}

static FILE_METHODS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| MODELS.all.iter().filter(|m| m.kind == Kind::File).filter_map(|m| m.name.rsplit_once('.').map(|(_, method)| method)).collect());

/// Whether a call gives its data as one mapping whose keys the client
/// chose: by the callee's qualified name `name` (`dict`: its first
/// argument's data) or by `.method` of any receiver (`.to_dict`: the
/// receiver's), given the file's imports.
pub(super) fn is_mapping(name: &str, method: Option<&str>, imports: impl Fn(&str) -> bool) -> bool {
    let mapping = |key: &str| MODELS.by_name.get(key).is_some_and(|m| m.kind == Kind::Mapping && m.applies(&imports));
    match method {
        Some(method) => MAPPING_METHODS.contains(method) && mapping(&format!(".{method}")),
        None => mapping(name),
    }
}

/// The methods the `mapping` models name (asked of every method call).
static MAPPING_METHODS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| MODELS.all.iter().filter(|m| m.kind == Kind::Mapping).filter_map(|m| m.name.strip_prefix('.')).collect());

/// Whether `name` serialises an object (`pickle.dumps`): loading its
/// result back gives a copy of the program's own object.
pub(super) fn is_serializer(name: &str) -> bool {
    MODELS.by_name.get(name).is_some_and(|m| m.kind == Kind::Serializer)
}

/// The families a sanitizer protects (empty: every family), if `name` is one.
pub(super) fn sanitizer(name: &str) -> Option<&'static [Family]> {
    MODELS.by_name.get(name).copied().filter(|m| m.kind == Kind::Sanitizer).map(|m| m.protects.as_slice())
}

/// Whether a model names `name` as a sanitizer or an escaper: an
/// escaping call the table knows, not the program's own.
pub(super) fn is_modelled_escaping(name: &str) -> bool {
    MODELS.by_name.get(name).is_some_and(|m| matches!(m.kind, Kind::Sanitizer | Kind::Escaper))
}

/// Whether `name` runs its argument as a shell command line.
pub(super) fn is_shell_call(name: &str) -> bool {
    MODELS.by_name.get(name).is_some_and(|m| m.kind == Kind::Sink && m.family == Some(Family::Shell) && !m.takes_all())
}

/// Whether a method named `method` may be a sink of a model keyed by its
/// receiver's maker (`paramiko.SSHClient.exec_command`) or by the method
/// alone, given the file's imports: what the receiver holds is known only
/// in the walk.
pub(super) fn may_be_method_sink(method: &str, imports: impl Fn(&str) -> bool) -> bool {
    MODELS.sinks_by_method.get(method).into_iter().flatten().any(|m| match m.name.split_once('.') {
        Some(("", _)) => m.requires.is_some() && m.applies(&imports),
        // `module.Class.method`: a method of an object of that class.
        Some((module, rest)) => {
            rest.rsplit_once('.').is_some_and(|(maker, _)| maker.rsplit('.').next().is_some_and(|c| c.starts_with(char::is_uppercase))) && imports(module)
        }
        None => false,
    })
}

/// The last segment of every sink model's name: what a call's method or
/// name must be for a model to apply (the flow's prefilter).
pub(super) fn sink_keys() -> impl Iterator<Item = &'static str> {
    MODELS.sinks_by_method.keys().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_every_sink_has_a_family() {
        assert!(MODELS.all.len() > 100);
        for model in MODELS.all {
            assert_eq!(model.kind == Kind::Sink, model.family.is_some(), "{}", model.name);
            assert!(model.protects.is_empty() || model.kind == Kind::Sanitizer, "{}", model.name);
            assert_eq!(model.kind == Kind::Sink, model.cwe.is_some(), "{}: a sink names its weakness", model.name);
            assert!(!model.name.starts_with('.') || model.requires.is_some(), "{} names a method alone and requires no import", model.name);
        }
        assert_eq!(MODELS.by_name.len(), MODELS.all.len(), "a name is modelled twice");
    }

    #[test]
    fn a_model_is_found_by_name_maker_or_method_and_made_safe_by_its_keywords() {
        let none = |_: &str| false;
        assert_eq!(sink("os.system", None, none).map(|m| m.family), Some(Some(Family::Shell)));
        assert_eq!(sink("x", Some(("exec_command", Some("paramiko.SSHClient"))), none).map(|m| m.name.as_str()), Some("paramiko.SSHClient.exec_command"));
        assert!(sink("x", Some(("find", None)), none).is_none());
        assert_eq!(sink("x", Some(("find", None)), |m| m == "pymongo").map(|m| m.family), Some(Some(Family::NoSql)));
        let parsed = ruff_python_parser::parse_expression("shutil.unpack_archive(a, filter='data')").expect("parses");
        let call = parsed.expr().as_call_expr().expect("a call");
        assert!(unsafe_sink(sink("shutil.unpack_archive", None, none), call).is_none());
        let parsed = ruff_python_parser::parse_expression("shutil.unpack_archive(a, filter='fully_trusted')").expect("parses");
        let call = parsed.expr().as_call_expr().expect("a call");
        assert_eq!(unsafe_sink(sink("shutil.unpack_archive", None, none), call).map(|m| m.arguments(call).len()), Some(1));
    }

    #[test]
    fn a_method_may_be_a_sink_by_a_model_of_its_name_that_the_imports_allow() {
        let imports = |modules: &'static [&'static str]| move |m: &str| modules.contains(&m);
        // `.find` alone, on whatever pymongo gives.
        assert!(may_be_method_sink("find", imports(&["pymongo"])));
        assert!(!may_be_method_sink("find", imports(&["os"])));
        // `paramiko.SSHClient.exec_command`: on an object of a class of paramiko's.
        assert!(may_be_method_sink("exec_command", imports(&["paramiko"])));
        assert!(!may_be_method_sink("exec_command", imports(&[])));
        // `os.system` is a module's function, no method of an object.
        assert!(!may_be_method_sink("system", imports(&["os"])));
        assert!(!may_be_method_sink("no_model_names_this", |_| true));
        // Every key the prefilter takes is a sink model's last segment.
        assert!(sink_keys().all(|key| MODELS.all.iter().any(|m| m.kind == Kind::Sink && m.name.rsplit('.').next() == Some(key))));
    }
}
