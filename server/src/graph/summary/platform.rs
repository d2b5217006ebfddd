//! The interpreter a library file is read for: its `sys.version_info` and
//! `sys.platform` decide the `if` tests written on them, as the
//! interpreter's own import would (typeshed's `os/path.pyi` is
//! `posixpath` on Linux, `ntpath` on Windows). Only library files are read
//! so: a workspace file keeps every branch, since a rename or a reference
//! search must see the code of every platform; its tests are kept as
//! [`Condition`]s, and name resolution prefers the definitions of the
//! branches the environment's interpreter takes (as pyright does).

use ruff_python_ast::{self as ast, CmpOp, Expr, Number};
use serde::{Deserialize, Serialize};

/// What `sys.version_info` and `sys.platform` are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Platform {
    pub version: (u32, u32),
    /// `sys.platform`: `linux`, `darwin`, `win32`.
    pub name: &'static str,
}

impl Platform {
    /// This machine's platform, with `version`.
    pub fn host(version: (u32, u32)) -> Self {
        let name = match std::env::consts::OS {
            "macos" => "darwin",
            "windows" => "win32",
            other => other,
        };
        Platform { version, name }
    }

    /// Whether `test` is true here, when it is written on the version or
    /// the platform only (`None` otherwise: both branches stay).
    pub fn decide(&self, test: &Expr) -> Option<bool> {
        self.evaluate(&Condition::parse(test), &[])
    }

    /// Whether `condition` holds here; `constants` are the module's
    /// constants that are such tests (`WIN = sys.platform == "win32"`).
    /// `None` when something in it is not decided by the interpreter.
    pub fn evaluate(&self, condition: &Condition, constants: &[(String, Condition)]) -> Option<bool> {
        self.evaluate_at(condition, constants, 0)
    }

    fn evaluate_at(&self, condition: &Condition, constants: &[(String, Condition)], depth: u32) -> Option<bool> {
        condition.fold(&|leaf| self.evaluate_leaf(leaf, constants, depth))
    }

    fn evaluate_leaf(&self, condition: &Condition, constants: &[(String, Condition)], depth: u32) -> Option<bool> {
        match condition {
            Condition::Platform { name, equal } => Some((self.name == name) == *equal),
            Condition::PlatformPrefix(prefix) => Some(self.name.starts_with(prefix.as_str())),
            Condition::Version { op, wanted } => {
                let (major, minor) = self.version;
                // Compared as tuples: `(3, 11, 7) >= (3, 11)` holds; a
                // micro version asked for is taken as met (only two are known).
                let ours: Vec<u32> = [major, minor].into_iter().chain(wanted.iter().skip(2).copied()).collect();
                let ordering = ours.cmp(wanted);
                Some(match op {
                    VersionOp::GtE => ordering.is_ge(),
                    VersionOp::Gt => ordering.is_gt(),
                    VersionOp::Lt => ordering.is_lt(),
                    VersionOp::LtE => ordering.is_le(),
                })
            }
            // A constant defined once is the test it was assigned.
            Condition::Constant(name) if depth < MAX_CONSTANT_DEPTH => {
                let mut assigned = constants.iter().filter(|(n, _)| n == name);
                match (assigned.next(), assigned.next()) {
                    (Some((_, value)), None) => self.evaluate_at(value, constants, depth + 1),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// How deep constants defined through other constants are followed.
const MAX_CONSTANT_DEPTH: u32 = 4;

/// A test on the interpreter's version or platform, as written (`if
/// sys.version_info >= (3, 11):`, `WIN = sys.platform.startswith("win")`),
/// kept in workspace summaries and decided when names are resolved (the
/// environment's interpreter is known then, not when a file is read).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Condition {
    Version {
        op: VersionOp,
        wanted: Vec<u32>,
    },
    Platform {
        name: String,
        equal: bool,
    },
    PlatformPrefix(String),
    /// A module-level name, decided when it is a constant that is a test.
    Constant(String),
    /// The function the named parameter holds takes `self` first (`if
    /// ["self"] == list(inspect.signature(fn).parameters)[:1]:`): decided
    /// by what a call passes, not by the interpreter (see
    /// `graph/signature_branches.rs`).
    SelfFirst(String),
    Not(Box<Condition>),
    All(Vec<Condition>),
    Any(Vec<Condition>),
    /// Anything else.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VersionOp {
    GtE,
    Gt,
    Lt,
    LtE,
}

impl Condition {
    /// Its value where `leaf` decides the tests under its `not`, `and`
    /// and `or` (`None`: something in it is not decided).
    pub fn fold(&self, leaf: &dyn Fn(&Condition) -> Option<bool>) -> Option<bool> {
        match self {
            Condition::All(parts) | Condition::Any(parts) => {
                let all = matches!(self, Condition::All(_));
                let values: Vec<Option<bool>> = parts.iter().map(|p| p.fold(leaf)).collect();
                // `and` is false as soon as one part is, `or` true as soon as one is.
                if values.contains(&Some(!all)) {
                    return Some(!all);
                }
                values.into_iter().all(|v| v == Some(all)).then_some(all)
            }
            Condition::Not(inner) => inner.fold(leaf).map(|v| !v),
            other => leaf(other),
        }
    }

    /// The condition `test` is (`Unknown` where it is not one).
    pub fn parse(test: &Expr) -> Self {
        match test {
            Expr::BoolOp(op) => {
                let parts = op.values.iter().map(Condition::parse).collect();
                match op.op {
                    ast::BoolOp::And => Condition::All(parts),
                    ast::BoolOp::Or => Condition::Any(parts),
                }
            }
            Expr::UnaryOp(op) if op.op == ast::UnaryOp::Not => Condition::Not(Box::new(Condition::parse(&op.operand))),
            Expr::Name(name) => Condition::Constant(name.id.to_string()),
            Expr::Compare(compare) if compare.ops.len() == 1 => Self::compare(&compare.left, compare.ops[0], &compare.comparators[0]),
            // `sys.platform.startswith("linux")`
            Expr::Call(call) if call.arguments.len() == 1 => {
                let Expr::Attribute(method) = &*call.func else { return Condition::Unknown };
                match call.arguments.args.first() {
                    Some(Expr::StringLiteral(prefix)) if method.attr.as_str() == "startswith" && is_sys(&method.value, "platform") => {
                        Condition::PlatformPrefix(prefix.value.to_str().to_owned())
                    }
                    _ => Condition::Unknown,
                }
            }
            _ => Condition::Unknown,
        }
    }

    /// Whether it tests the interpreter at all (a bare name alone does
    /// not: `if DEBUG:`).
    pub fn is_test(&self) -> bool {
        match self {
            Condition::Version { .. } | Condition::Platform { .. } | Condition::PlatformPrefix(_) => true,
            Condition::Not(inner) => inner.is_test(),
            Condition::All(parts) | Condition::Any(parts) => parts.iter().any(Condition::is_test),
            Condition::Constant(_) | Condition::SelfFirst(_) | Condition::Unknown => false,
        }
    }

    /// Whether it tests what a parameter's function takes first.
    pub fn tests_parameter(&self) -> bool {
        match self {
            Condition::SelfFirst(_) => true,
            Condition::Not(inner) => inner.tests_parameter(),
            Condition::All(parts) | Condition::Any(parts) => parts.iter().any(Condition::tests_parameter),
            _ => false,
        }
    }

    /// The module constants it names.
    pub fn constant_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::Constant(name) => out.push(name),
            Condition::Not(inner) => inner.constant_names(out),
            Condition::All(parts) | Condition::Any(parts) => parts.iter().for_each(|p| p.constant_names(out)),
            _ => {}
        }
    }

    /// A condition already decided (an imported constant evaluated in its
    /// own module): `and` of nothing holds, `or` of nothing does not.
    pub fn decided(value: bool) -> Self {
        if value { Condition::All(Vec::new()) } else { Condition::Any(Vec::new()) }
    }

    /// Whether it names module constants (decided only with them).
    pub fn names_constant(&self) -> bool {
        match self {
            Condition::Constant(_) => true,
            Condition::Not(inner) => inner.names_constant(),
            Condition::All(parts) | Condition::Any(parts) => parts.iter().any(Condition::names_constant),
            _ => false,
        }
    }

    fn compare(left: &Expr, op: CmpOp, right: &Expr) -> Self {
        if let Some(test) = super::signature_test::parse(left, op, right) {
            return test;
        }
        if is_sys(left, "platform") {
            let Expr::StringLiteral(value) = right else { return Condition::Unknown };
            let name = value.value.to_str().to_owned();
            return match op {
                CmpOp::Eq => Condition::Platform { name, equal: true },
                CmpOp::NotEq => Condition::Platform { name, equal: false },
                _ => Condition::Unknown,
            };
        }
        if is_major_version(left) {
            let Expr::NumberLiteral(ast::ExprNumberLiteral { value: Number::Int(n), .. }) = right else { return Condition::Unknown };
            let Some(n) = n.as_u16().map(u32::from) else { return Condition::Unknown };
            // The major version alone, as versions compared from it: `[0]
            // == 3` is `(3,) <= version < (4,)`, `[0] > 2` is `>= (3,)`.
            let version = |op, major| Condition::Version { op, wanted: vec![major] };
            let equal = || Condition::All(vec![version(VersionOp::GtE, n), version(VersionOp::Lt, n + 1)]);
            return match op {
                CmpOp::Eq => equal(),
                CmpOp::NotEq => Condition::Not(Box::new(equal())),
                CmpOp::GtE => version(VersionOp::GtE, n),
                CmpOp::Gt => version(VersionOp::GtE, n + 1),
                CmpOp::Lt => version(VersionOp::Lt, n),
                CmpOp::LtE => version(VersionOp::Lt, n + 1),
                _ => Condition::Unknown,
            };
        }
        if is_sys(left, "version_info") || is_version_prefix(left) {
            let Expr::Tuple(tuple) = right else { return Condition::Unknown };
            let mut wanted = Vec::new();
            for element in &tuple.elts {
                let Expr::NumberLiteral(ast::ExprNumberLiteral { value: Number::Int(n), .. }) = element else { return Condition::Unknown };
                let Some(n) = n.as_u16() else { return Condition::Unknown };
                wanted.push(u32::from(n));
            }
            let op = match op {
                CmpOp::GtE => VersionOp::GtE,
                CmpOp::Gt => VersionOp::Gt,
                CmpOp::Lt => VersionOp::Lt,
                CmpOp::LtE => VersionOp::LtE,
                _ => return Condition::Unknown,
            };
            return Condition::Version { op, wanted };
        }
        Condition::Unknown
    }
}

/// `sys.version_info[:2]` (or a longer prefix): compared as the whole
/// version, since major and minor are all an interpreter is known by.
fn is_version_prefix(expr: &Expr) -> bool {
    let Expr::Subscript(subscript) = expr else { return false };
    let Expr::Slice(slice) = &*subscript.slice else { return false };
    let upper_keeps_minor = match slice.upper.as_deref() {
        None => true,
        Some(Expr::NumberLiteral(ast::ExprNumberLiteral { value: Number::Int(n), .. })) => n.as_u16().is_some_and(|n| n >= 2),
        Some(_) => false,
    };
    is_sys(&subscript.value, "version_info") && slice.lower.is_none() && slice.step.is_none() && upper_keeps_minor
}

/// `sys.version_info[0]` or `sys.version_info.major`.
fn is_major_version(expr: &Expr) -> bool {
    match expr {
        Expr::Subscript(subscript) => {
            is_sys(&subscript.value, "version_info")
                && matches!(&*subscript.slice, Expr::NumberLiteral(ast::ExprNumberLiteral { value: Number::Int(n), .. }) if n.as_u16() == Some(0))
        }
        Expr::Attribute(attr) => attr.attr.as_str() == "major" && is_sys(&attr.value, "version_info"),
        _ => false,
    }
}

/// `sys.<name>`.
fn is_sys(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Attribute(attr) if attr.attr.as_str() == name && matches!(&*attr.value, Expr::Name(sys) if sys.id.as_str() == "sys"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(platform: Platform, test: &str) -> Option<bool> {
        let parsed = ruff_python_parser::parse_expression(test).unwrap();
        platform.decide(parsed.expr())
    }

    #[test]
    fn decides_version_and_platform_tests_and_leaves_the_rest() {
        let linux = Platform { version: (3, 11), name: "linux" };
        let cases = [
            ("sys.version_info >= (3, 11)", Some(true)),
            ("sys.version_info >= (3, 12)", Some(false)),
            ("sys.version_info < (3, 9)", Some(false)),
            ("sys.version_info >= (3, 11, 4)", Some(true)),
            ("sys.version_info[:2] >= (3, 12)", Some(false)),
            ("sys.version_info[:2] >= (3, 10)", Some(true)),
            // One element kept: `(3,) > (3,)` is false, unlike the version's.
            ("sys.version_info[:1] > (3,)", None),
            ("sys.version_info[1:] >= (11,)", None),
            ("sys.version_info[0] == 3", Some(true)),
            ("sys.version_info[0] == 2", Some(false)),
            ("sys.version_info.major != 3", Some(false)),
            ("sys.version_info[0] > 3", Some(false)),
            ("sys.version_info[0] >= 3", Some(true)),
            ("sys.version_info[0] <= 2", Some(false)),
            ("sys.version_info[0] < 4", Some(true)),
            // The minor version alone is no test kept.
            ("sys.version_info[1] >= 8", None),
            ("sys.platform == 'win32'", Some(false)),
            ("sys.platform != 'win32'", Some(true)),
            ("sys.platform.startswith('linux')", Some(true)),
            ("sys.platform == 'win32' or sys.version_info >= (3, 8)", Some(true)),
            ("sys.platform == 'linux' and sys.version_info >= (3, 13)", Some(false)),
            ("not sys.platform == 'darwin'", Some(true)),
            ("sys.platform == 'linux' and DEBUG", None),
            ("TYPE_CHECKING", None),
            ("os.name == 'nt'", None),
        ];
        for (test, expected) in cases {
            assert_eq!(decide(linux, test), expected, "{test}");
        }
        assert_eq!(decide(Platform { version: (3, 13), name: "win32" }, "sys.platform == 'win32'"), Some(true));
    }
}
