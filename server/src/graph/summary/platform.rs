//! The interpreter a library file is read for: its `sys.version_info` and
//! `sys.platform` decide the `if` tests written on them, as the
//! interpreter's own import would (typeshed's `os/path.pyi` is
//! `posixpath` on Linux, `ntpath` on Windows). Only library files are read
//! so: a workspace file keeps every branch, since a rename or a reference
//! search must see the code of every platform.

use ruff_python_ast::{self as ast, CmpOp, Expr, Number};

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
        match test {
            Expr::BoolOp(op) => {
                let values: Vec<Option<bool>> = op.values.iter().map(|v| self.decide(v)).collect();
                match op.op {
                    ast::BoolOp::And if values.contains(&Some(false)) => Some(false),
                    ast::BoolOp::Or if values.contains(&Some(true)) => Some(true),
                    ast::BoolOp::And => values.into_iter().all(|v| v == Some(true)).then_some(true),
                    ast::BoolOp::Or => values.into_iter().all(|v| v == Some(false)).then_some(false),
                }
            }
            Expr::UnaryOp(op) if op.op == ast::UnaryOp::Not => self.decide(&op.operand).map(|v| !v),
            Expr::Compare(compare) if compare.ops.len() == 1 => self.compare(&compare.left, compare.ops[0], &compare.comparators[0]),
            // `sys.platform.startswith("linux")`
            Expr::Call(call) if call.arguments.len() == 1 => {
                let Expr::Attribute(method) = &*call.func else { return None };
                if method.attr.as_str() != "startswith" || !is_sys(&method.value, "platform") {
                    return None;
                }
                let Expr::StringLiteral(prefix) = call.arguments.args.first()? else { return None };
                Some(self.name.starts_with(prefix.value.to_str()))
            }
            _ => None,
        }
    }

    fn compare(&self, left: &Expr, op: CmpOp, right: &Expr) -> Option<bool> {
        if is_sys(left, "platform") {
            let Expr::StringLiteral(value) = right else { return None };
            let equal = self.name == value.value.to_str();
            return match op {
                CmpOp::Eq => Some(equal),
                CmpOp::NotEq => Some(!equal),
                _ => None,
            };
        }
        if is_sys(left, "version_info") {
            let Expr::Tuple(tuple) = right else { return None };
            let mut wanted = Vec::new();
            for element in &tuple.elts {
                let Expr::NumberLiteral(ast::ExprNumberLiteral { value: Number::Int(n), .. }) = element else { return None };
                wanted.push(u32::from(n.as_u16()?));
            }
            let (major, minor) = self.version;
            // Compared as tuples: `(3, 11, 7) >= (3, 11)` holds; a
            // micro version asked for is taken as met (only two are known).
            let ours: Vec<u32> = [major, minor].into_iter().chain(wanted.iter().skip(2).copied()).collect();
            let ordering = ours.cmp(&wanted);
            return match op {
                CmpOp::GtE => Some(ordering.is_ge()),
                CmpOp::Gt => Some(ordering.is_gt()),
                CmpOp::Lt => Some(ordering.is_lt()),
                CmpOp::LtE => Some(ordering.is_le()),
                _ => None,
            };
        }
        None
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
