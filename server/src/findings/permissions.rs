//! File permissions: the mode a `chmod` gives (`os.chmod`, `Path.chmod`;
//! LOOM103, bandit's test: the group or others may write or execute), and a file the function says
//! holds a secret (`save_secret_file`, `write_private_key`,
//! `store_credentials`) created with the default
//! permissions or with ones that let others read it (CWE-732): the
//! default is what the process's umask leaves of `0o666` (`open`) or
//! `0o777` (`os.open`), readable by everyone on most systems. A function
//! that restricts the permissions itself (`os.chmod(path, 0o600)`,
//! `os.umask(0o077)`, `os.open(path, flags, 0o600)`) is not reported; the
//! name is the evidence that the content is a secret, so the finding is
//! of medium confidence.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Int, Operator, Stmt, StmtFunctionDef, UnaryOp};
use ruff_text_size::Ranged;

use super::bound::Bound;
use super::names::Names;
use super::{Category, Confidence, Finding, Severity};

const SECRET_FILE: &str = "LOOM656";

/// Words of a function's name that say what it writes is a secret.
const SECRET_WORDS: &[&str] = &["secret", "private_key", "privkey", "credential", "password", "passwd"];

/// The permission bits of the group and of others.
const SHARED_BITS: u64 = 0o077;

pub(super) fn secret_file(names: &Names, function: &StmtFunctionDef) -> Vec<Finding> {
    let name = function.name.as_str().to_ascii_lowercase();
    if !SECRET_WORDS.iter().any(|w| name.contains(w)) {
        return Vec::new();
    }
    let mut calls = Calls(Vec::new());
    calls.visit_body(&function.body);
    if calls.0.iter().any(|call| restricts(names, call)) {
        return Vec::new();
    }
    calls
        .0
        .iter()
        .filter_map(|call| {
            let how = created(names, call)?;
            let message = format!("`{}` creates its secret file {how}; create it owner-only (`os.open(path, flags, 0o600)`)", function.name.as_str());
            let range = call.range().start().to_usize()..call.range().end().to_usize();
            let mut finding = Finding::new(range, SECRET_FILE, Category::Security, Severity::Warning, message);
            finding.confidence = Some(Confidence::Medium);
            Some(finding)
        })
        .collect()
}

const DEFAULT: &str = "with the default permissions, which let others on the machine read it";

/// How `call` creates a file others may read, if it does.
fn created(names: &Names, call: &ExprCall) -> Option<&'static str> {
    let args = &call.arguments;
    match names.qualified(&call.func).as_deref() {
        Some("open" | "io.open") => {
            let Some(Expr::StringLiteral(mode)) = args.find_argument_value("mode", 1) else { return None };
            mode.value.to_str().contains(['w', 'a', 'x']).then_some(DEFAULT)
        }
        Some("os.open") => {
            let flags = args.find_argument_value("flags", 1)?;
            if !has_flag(names, flags, "os.O_CREAT") {
                return None;
            }
            match args.find_argument_value("mode", 2) {
                None => Some(DEFAULT),
                Some(mode) => (sure_bits(names, None, mode) & SHARED_BITS != 0).then_some("with permissions that let others on the machine read it"),
            }
        }
        _ => match call.func.as_ref() {
            Expr::Attribute(a) if matches!(a.attr.as_str(), "write_text" | "write_bytes") => Some(DEFAULT),
            _ => None,
        },
    }
}

/// Whether `flags` (`os.O_CREAT | os.O_WRONLY`) holds `flag`.
fn has_flag(names: &Names, flags: &Expr, flag: &str) -> bool {
    match flags {
        Expr::BinOp(op) => has_flag(names, &op.left, flag) || has_flag(names, &op.right, flag),
        _ => names.qualified(flags).as_deref() == Some(flag),
    }
}

/// Whether `call` leaves the function's files to the owner alone.
fn restricts(names: &Names, call: &ExprCall) -> bool {
    let args = &call.arguments;
    let owner_only = |mode: Option<&Expr>| {
        mode.is_some_and(|m| matches!(m, Expr::NumberLiteral(_) | Expr::BinOp(_) | Expr::Attribute(_)) && sure_bits(names, None, m) & SHARED_BITS == 0)
    };
    match names.qualified(&call.func).as_deref() {
        Some("os.chmod" | "os.fchmod" | "os.lchmod") => owner_only(args.find_argument_value("mode", 1)),
        Some("os.umask") => args.find_argument_value("mask", 0).is_some_and(|m| sure_bits(names, None, m) & 0o066 == 0o066),
        _ => matches!(call.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "chmod") && owner_only(args.find_argument_value("mode", 0)),
    }
}

/// The bits of a mode that give the group or others write or execute
/// access: bandit's test since 1.7.10 (and ruff's S103 in preview); ruff's
/// stable S103 looks at others' write and the group's execute alone.
const SHARED_WRITE_OR_EXECUTE: u64 = 0o033;

/// What a mode lets the group or others do that it should not, if anything
/// (`0o757`, `stat.S_IWOTH | x`, a name bound once to `0o777`, `S_IXOTH`
/// from `from stat import *`).
pub(super) fn permissive(names: &Names, bound: &Bound, mode: &Expr) -> Option<&'static str> {
    let bits = sure_bits(names, Some(bound), mode) & SHARED_WRITE_OR_EXECUTE;
    match bits {
        0 => None,
        _ if bits & 0o002 != 0 => Some("lets others on the machine write the file"),
        _ if bits & 0o020 != 0 => Some("lets the group write the file"),
        _ => Some("lets the group or others run the file"),
    }
}

/// The permission bits a mode surely sets: all of them where every part is
/// known, else those of the known parts of an `|`.
fn sure_bits(names: &Names, bound: Option<&Bound>, mode: &Expr) -> u64 {
    if let Some(bits) = exact_bits(names, bound, mode, 0) {
        return bits;
    }
    match mode {
        Expr::BinOp(op) if op.op == Operator::BitOr => sure_bits(names, bound, &op.left) | sure_bits(names, bound, &op.right),
        _ => 0,
    }
}

/// The permission bits of a mode whose every part is known: literals (any
/// base), `stat`'s constants, `| & ^ + - ~`, names bound once.
fn exact_bits(names: &Names, bound: Option<&Bound>, mode: &Expr, depth: u8) -> Option<u64> {
    const VALID_BITS: u64 = 0o7777;
    if depth > 8 {
        return None;
    }
    let exact = |e: &Expr| exact_bits(names, bound, e, depth + 1);
    match mode {
        Expr::NumberLiteral(n) => n.value.as_int().and_then(Int::as_u64),
        Expr::BinOp(op) => {
            let (left, right) = (exact(&op.left)?, exact(&op.right)?);
            match op.op {
                Operator::BitOr => Some(left | right),
                Operator::BitAnd => Some(left & right),
                Operator::BitXor => Some(left ^ right),
                Operator::Add => left.checked_add(right),
                Operator::Sub => left.checked_sub(right),
                _ => None,
            }
        }
        Expr::UnaryOp(op) if op.op == UnaryOp::Invert => Some(!exact(&op.operand)? & VALID_BITS),
        Expr::Name(name) => stat_constant(names, mode).or_else(|| exact(bound?.value(name.id.as_str())?)),
        _ => stat_constant(names, mode),
    }
}

/// The bits of one of `stat`'s permission constants.
fn stat_constant(names: &Names, mode: &Expr) -> Option<u64> {
    const STAT: &[(&str, u64)] = &[
        ("S_IRWXU", 0o700),
        ("S_IRUSR", 0o400),
        ("S_IREAD", 0o400),
        ("S_IWUSR", 0o200),
        ("S_IWRITE", 0o200),
        ("S_IXUSR", 0o100),
        ("S_IEXEC", 0o100),
        ("S_IRWXG", 0o70),
        ("S_IRGRP", 0o40),
        ("S_IWGRP", 0o20),
        ("S_IXGRP", 0o10),
        ("S_IRWXO", 0o7),
        ("S_IROTH", 0o4),
        ("S_IWOTH", 0o2),
        ("S_IXOTH", 0o1),
    ];
    let qualified = names.qualified(mode)?;
    let name = match qualified.strip_prefix("stat.") {
        Some(name) => name,
        // `from stat import *` binds the constants bare.
        None if matches!(mode, Expr::Name(_)) && names.star_imports("stat") => qualified.as_str(),
        None => return None,
    };
    STAT.iter().find(|(constant, _)| *constant == name).map(|(_, bits)| *bits)
}

/// The calls of a function's body, not of the functions defined in it.
struct Calls<'a>(Vec<&'a ExprCall>);

impl<'a> Visitor<'a> for Calls<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.0.push(call);
        }
        visitor::walk_expr(self, expr);
    }
}
