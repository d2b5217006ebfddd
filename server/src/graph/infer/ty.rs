//! Inferred types, and annotations parsed from their text.

use crate::graph::FileId;
use crate::graph::summary::DefinitionId;

/// What a value is, as far as inference knows. A value whose type is a
/// union has several (`Vec<Ty>`); an empty list is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(in crate::graph) enum Ty {
    /// An instance of a class (of the workspace or the standard library's
    /// stubs) with its type arguments when it is generic and they are
    /// known (`ContextVar[AppContext]`), else none.
    Instance(FileId, DefinitionId, Vec<Vec<Ty>>),
    /// A workspace class object (also `type[C]`).
    Class(FileId, DefinitionId),
    /// A workspace function or method; a method carries the class of the
    /// object it was looked up on (what `Self` means in its annotations).
    Function(FileId, DefinitionId, Option<(FileId, DefinitionId)>),
    /// A module, workspace or not, by name.
    Module(String),
    /// An object outside the workspace (class, function, module) by path.
    External(String),
    /// An instance of a class outside the workspace, by path.
    ExternalInstance(String),
    None,
    /// A homogeneous container (`list`, `Iterator`, `set`...): its name
    /// and its elements.
    Sequence(String, Vec<Ty>),
    /// A mapping (`dict`, `Mapping`...): name, keys and values.
    Mapping(String, Vec<Ty>, Vec<Ty>),
    /// A tuple of known length: each position.
    Tuple(Vec<Vec<Ty>>),
    /// Something that returns these when called.
    Callable(Vec<Ty>),
    /// A context manager whose `with` binds these (`@contextmanager`).
    Manager(Vec<Ty>),
    /// A container's method looked up on it (`d.items`), applied when called.
    Method(Box<Ty>, String),
    /// A type variable by name (`_T`), not bound here.
    TypeVar(String),
    /// A method looked up on an instance of a generic class, with what
    /// that class's type variables stand for: applied to what calling it
    /// gives (`ContextVar[App].get` returns `App`).
    Bound(Box<Ty>, Substitution),
}

/// What type variables stand for, by name: the type parameters of one
/// class or function, which its annotations name.
pub(in crate::graph) type Substitution = Vec<(String, Vec<Ty>)>;

impl Ty {
    /// An instance of a class whose type arguments are unknown.
    pub(in crate::graph) fn instance(file: FileId, class: DefinitionId) -> Ty {
        Ty::Instance(file, class, Vec::new())
    }

    /// Whether a type variable appears in this type.
    pub(in crate::graph) fn mentions_type_var(&self) -> bool {
        let any = |items: &[Ty]| items.iter().any(Ty::mentions_type_var);
        match self {
            Ty::TypeVar(_) => true,
            Ty::Instance(_, _, args) => args.iter().any(|a| any(a)),
            Ty::Sequence(_, items) | Ty::Callable(items) | Ty::Manager(items) => any(items),
            Ty::Mapping(_, keys, values) => any(keys) || any(values),
            Ty::Tuple(items) => items.iter().any(|i| any(i)),
            _ => false,
        }
    }

    /// The class this is an instance of.
    pub(in crate::graph) fn instance_class(&self) -> Option<(FileId, DefinitionId)> {
        match self {
            Ty::Instance(file, class, _) => Some((*file, *class)),
            _ => None,
        }
    }

    /// The library class of a container (`builtins.dict`, `collections.deque`,
    /// `typing.Iterator`), by path.
    pub(in crate::graph) fn container_class(&self) -> Option<String> {
        let name = match self {
            Ty::Sequence(name, _) | Ty::Mapping(name, ..) => name.as_str(),
            Ty::Tuple(_) => "tuple",
            _ => return None,
        };
        // typing's aliases of builtins and collections classes are no
        // classes of their own (`Dict = dict`).
        let path = match name {
            "list" | "List" => "builtins.list",
            "set" | "Set" => "builtins.set",
            "frozenset" | "FrozenSet" => "builtins.frozenset",
            "tuple" | "Tuple" => "builtins.tuple",
            "dict" | "Dict" => "builtins.dict",
            "deque" | "Deque" => "collections.deque",
            "defaultdict" | "DefaultDict" => "collections.defaultdict",
            "OrderedDict" | "Counter" | "ChainMap" => return Some(format!("collections.{name}")),
            _ if name.chars().next().is_some_and(char::is_uppercase) => return Some(format!("typing.{name}")),
            _ => return None,
        };
        Some(path.to_owned())
    }

    /// The workspace class this is the class object of.
    pub(in crate::graph) fn class_object(&self) -> Option<(FileId, DefinitionId)> {
        match self {
            Ty::Class(file, class) => Some((*file, *class)),
            _ => None,
        }
    }
}

/// `types` with the type variables `substitution` binds replaced (in
/// type arguments and container elements too); others are kept.
pub(in crate::graph) fn substitute(types: &[Ty], substitution: &Substitution) -> Vec<Ty> {
    if substitution.is_empty() {
        return types.to_vec();
    }
    let mut out = Vec::new();
    for ty in types {
        match ty {
            Ty::TypeVar(var) => match substitution.iter().find(|(name, _)| name == var) {
                Some((_, bound)) => union(&mut out, bound.iter().cloned()),
                None => union(&mut out, [ty.clone()]),
            },
            other => union(&mut out, [substitute_one(other, substitution)]),
        }
    }
    out
}

fn substitute_one(ty: &Ty, s: &Substitution) -> Ty {
    let each = |items: &[Ty]| substitute(items, s);
    match ty {
        Ty::Instance(f, d, args) => Ty::Instance(*f, *d, args.iter().map(|a| each(a)).collect()),
        Ty::Sequence(name, items) => Ty::Sequence(name.clone(), each(items)),
        Ty::Mapping(name, keys, values) => Ty::Mapping(name.clone(), each(keys), each(values)),
        Ty::Tuple(items) => Ty::Tuple(items.iter().map(|i| each(i)).collect()),
        Ty::Callable(returns) => Ty::Callable(each(returns)),
        Ty::Manager(items) => Ty::Manager(each(items)),
        Ty::Method(receiver, name) => Ty::Method(Box::new(substitute_one(receiver, s)), name.clone()),
        Ty::Bound(inner, bound) => Ty::Bound(inner.clone(), bound.iter().map(|(name, types)| (name.clone(), each(types))).collect()),
        other => other.clone(),
    }
}

/// Adds `new` to `into` without duplicates.
pub(in crate::graph) fn union(into: &mut Vec<Ty>, new: impl IntoIterator<Item = Ty>) {
    for ty in new {
        if !into.contains(&ty) {
            into.push(ty);
        }
    }
}

/// An annotation's syntax: enough of Python's type expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::graph) enum Ann {
    /// A dotted name (`Cart`, `t.Optional`, `None`).
    Name(String),
    /// `name[args]`.
    Generic(String, Vec<Ann>),
    /// `A | B`.
    Union(Vec<Ann>),
    /// `[A, B]` (the parameters of `Callable`).
    List(Vec<Ann>),
    /// `...`, literals and anything else.
    Other,
}

/// String annotations nested deeper than this are not parsed.
const MAX_PARSE_DEPTH: u32 = 16;

/// Parses an annotation as written (quotes included: `"Cart"`,
/// `Optional["Cart"]`). Unparsable text gives [`Ann::Other`].
pub(in crate::graph) fn parse_annotation(text: &str) -> Ann {
    let mut parser = Parser { text, pos: 0, depth: 0, broken: false };
    let ann = parser.union();
    parser.skip_space();
    if parser.pos == text.len() && !parser.broken { ann } else { Ann::Other }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
    /// Unbalanced brackets or quotes were met.
    broken: bool,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.text[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.text[self.pos..].chars().next().map_or(1, char::len_utf8);
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.text[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn union(&mut self) -> Ann {
        let mut items = vec![self.primary()];
        while self.eat('|') {
            items.push(self.primary());
        }
        if items.len() == 1 { items.pop().unwrap_or(Ann::Other) } else { Ann::Union(items) }
    }

    fn list(&mut self, close: char) -> Vec<Ann> {
        let mut items = Vec::new();
        if self.eat(close) {
            return items;
        }
        loop {
            items.push(self.union());
            if self.eat(',') {
                if self.eat(close) {
                    return items;
                }
                continue;
            }
            if !self.eat(close) {
                self.broken = true;
                self.pos = self.text.len();
            }
            return items;
        }
    }

    fn primary(&mut self) -> Ann {
        self.skip_space();
        self.depth += 1;
        let ann = self.primary_inner();
        self.depth -= 1;
        ann
    }

    fn primary_inner(&mut self) -> Ann {
        let rest = &self.text[self.pos..];
        let Some(first) = rest.chars().next() else { return Ann::Other };
        if self.depth > MAX_PARSE_DEPTH {
            self.broken = true;
            self.pos = self.text.len();
            return Ann::Other;
        }
        if first == '"' || first == '\'' {
            let Some(end) = rest[1..].find(first) else {
                self.broken = true;
                self.pos = self.text.len();
                return Ann::Other;
            };
            self.pos += end + 2;
            let inner = &rest[1..end + 1];
            let mut nested = Parser { text: inner, pos: 0, depth: self.depth, broken: false };
            let ann = nested.union();
            nested.skip_space();
            return if nested.pos == inner.len() && !nested.broken { ann } else { Ann::Other };
        }
        if first == '[' {
            self.pos += 1;
            return Ann::List(self.list(']'));
        }
        if first.is_alphabetic() || first == '_' {
            let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(rest.len());
            let name = rest[..len].trim_end_matches('.').to_owned();
            self.pos += len;
            if self.eat('[') {
                return Ann::Generic(name, self.list(']'));
            }
            return Ann::Name(name);
        }
        // `...`, numbers, literals: skip one token.
        let len = rest.find([',', ']', '|']).unwrap_or(rest.len()).max(1);
        self.pos += len.min(rest.len());
        Ann::Other
    }
}

/// What a typing construct does, by its last name segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::graph) enum Special {
    Optional,
    Union,
    /// Its elements are the first argument.
    Sequence,
    Tuple,
    Mapping,
    /// `type[C]`: the class.
    Type,
    /// The first argument is the type (`Annotated`, `ClassVar`, `Final`...).
    Wrapper,
    /// The last argument is the type (`Awaitable`, `Coroutine`): `await`
    /// is transparent to inference.
    LastArgument,
    Callable,
    Manager,
    /// Pairs of the two arguments (`ItemsView`).
    Items,
    SelfType,
    NoneType,
    /// Carries no class (`Any`, `object`, type variables are not known).
    Nothing,
}

pub(in crate::graph) fn special(name: &str) -> Option<Special> {
    let last = name.rsplit('.').next().unwrap_or(name);
    Some(match last {
        "Optional" => Special::Optional,
        "Union" => Special::Union,
        "list" | "List" | "Sequence" | "MutableSequence" | "Iterable" | "Iterator" | "Collection" | "set" | "Set" | "frozenset" | "FrozenSet"
        | "AbstractSet" | "MutableSet" | "deque" | "Deque" | "Reversible" | "Generator" | "AsyncIterator" | "AsyncIterable" | "AsyncGenerator" | "KeysView"
        | "ValuesView" => Special::Sequence,
        "tuple" | "Tuple" => Special::Tuple,
        "dict" | "Dict" | "Mapping" | "MutableMapping" | "DefaultDict" | "defaultdict" | "OrderedDict" | "ChainMap" => Special::Mapping,
        "type" | "Type" => Special::Type,
        "Annotated" | "ClassVar" | "Final" | "Required" | "NotRequired" | "ReadOnly" | "InitVar" => Special::Wrapper,
        "Awaitable" | "Coroutine" => Special::LastArgument,
        "Callable" => Special::Callable,
        "ContextManager" | "AbstractContextManager" | "AsyncContextManager" | "AbstractAsyncContextManager" => Special::Manager,
        "ItemsView" => Special::Items,
        "Self" => Special::SelfType,
        "None" | "NoneType" => Special::NoneType,
        "Any" | "object" | "Literal" | "LiteralString" | "TypeGuard" | "TypeIs" | "NoReturn" | "Never" => Special::Nothing,
        _ => return None,
    })
}

/// How a type reads in a hover (`Cart`, `list[Item]`, `Cart | None`).
pub(in crate::graph) fn display(tys: &[Ty], name: &dyn Fn(FileId, DefinitionId) -> String) -> String {
    let parts: Vec<String> = tys.iter().map(|t| display_one(t, name)).collect();
    if parts.is_empty() { "Unknown".to_owned() } else { parts.join(" | ") }
}

fn display_one(ty: &Ty, name: &dyn Fn(FileId, DefinitionId) -> String) -> String {
    let last = |path: &str| path.rsplit('.').next().unwrap_or(path).to_owned();
    match ty {
        Ty::Instance(f, d, args) if args.is_empty() => name(*f, *d),
        Ty::Instance(f, d, args) => {
            let parts: Vec<String> = args.iter().map(|a| display(a, name)).collect();
            format!("{}[{}]", name(*f, *d), parts.join(", "))
        }
        Ty::Class(f, d) => format!("type[{}]", name(*f, *d)),
        Ty::Function(f, d, _) => format!("def {}", name(*f, *d)),
        Ty::Module(m) => format!("module {m}"),
        Ty::External(path) => path.clone(),
        Ty::ExternalInstance(path) => last(path),
        Ty::None => "None".to_owned(),
        Ty::Sequence(container, items) => format!("{container}[{}]", display(items, name)),
        Ty::Mapping(container, keys, values) => format!("{container}[{}, {}]", display(keys, name), display(values, name)),
        Ty::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(|i| display(i, name)).collect();
            format!("tuple[{}]", parts.join(", "))
        }
        Ty::Callable(returns) => format!("Callable[..., {}]", display(returns, name)),
        Ty::Manager(items) => format!("ContextManager[{}]", display(items, name)),
        Ty::Method(_, method) => format!("method {method}"),
        Ty::TypeVar(var) => var.clone(),
        Ty::Bound(inner, _) => display_one(inner, name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_parse_into_their_structure() {
        let name = |n: &str| Ann::Name(n.to_owned());
        assert_eq!(parse_annotation("Cart"), name("Cart"));
        assert_eq!(parse_annotation("'m.Cart'"), name("m.Cart"));
        assert_eq!(parse_annotation("Cart | None"), Ann::Union(vec![name("Cart"), name("None")]));
        assert_eq!(parse_annotation("t.Optional[\"Cart\"]"), Ann::Generic("t.Optional".to_owned(), vec![name("Cart")]));
        assert_eq!(
            parse_annotation("dict[str, list[Item]]"),
            Ann::Generic("dict".to_owned(), vec![name("str"), Ann::Generic("list".to_owned(), vec![name("Item")])])
        );
        assert_eq!(parse_annotation("tuple[A, ...]"), Ann::Generic("tuple".to_owned(), vec![name("A"), Ann::Other]));
        assert_eq!(parse_annotation("Callable[[int], Group]"), Ann::Generic("Callable".to_owned(), vec![Ann::List(vec![name("int")]), name("Group")]));
        assert_eq!(parse_annotation("Literal['a', 1]"), Ann::Generic("Literal".to_owned(), vec![name("a"), Ann::Other]));
        assert_eq!(special("typing.Literal"), Some(Special::Nothing));
        // Broken or hostile text is `Other`, never a panic or a hang.
        for text in ["list[", "]]", "'unterminated", "a b", "", "é[ü]", &"[".repeat(10_000), &"'\"".repeat(50)] {
            let _ = parse_annotation(text);
        }
        assert_eq!(parse_annotation("list[int"), Ann::Other);
    }
}
