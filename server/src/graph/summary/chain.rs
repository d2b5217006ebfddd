//! A reference's dotted chain as extraction finds it: one walk from the
//! outermost attribute in, which also tells whether the chain is spelled
//! in the source just as it is stored (`a.b.c`, each segment right after
//! the previous one's dot: nearly every chain). Then its text is the
//! source's own, interned as it stands, and its starts follow from the
//! first and last: no list of segments, no joined copy. Only the others
//! (`a. b`, `(a).b`, a chain over lines) are collected segment by segment.

use ruff_python_ast::{self as ast, Expr};

use super::Name;

/// What the chain's innermost segment is read on.
#[derive(Clone, Copy)]
pub(crate) enum Base<'src> {
    /// Not a chain: no segment, or a value with no attribute read on it.
    None,
    /// The first segment is a name (`a.b`).
    Name,
    /// `super().m`: the segments are members of the class's bases.
    Super(&'src ast::ExprCall),
    /// `f().x`, `a[0].b`: the segments are members of this value.
    Value(&'src Expr),
}

pub(crate) struct Walk<'src> {
    pub base: Base<'src>,
    /// Where the innermost segment starts, where the outermost starts and
    /// where it ends.
    pub start: u32,
    pub last: u32,
    end: u32,
    /// Each segment spelled as its name, right after the previous one's dot.
    packed: bool,
}

impl Walk<'_> {
    /// The chain's text in `source`, when it is spelled there as stored.
    pub fn text<'s>(&self, source: &'s str) -> Option<&'s str> {
        if self.packed { source.get(self.start as usize..self.end as usize) } else { None }
    }
}

/// Walks the chain `expr` is, if any.
pub(crate) fn walk<'src>(source: &str, expr: &'src Expr) -> Walk<'src> {
    let mut walk = Walk { base: Base::None, start: 0, last: 0, end: 0, packed: true };
    let mut any_segment = false;
    let mut current = expr;
    loop {
        let (name, range) = match current {
            Expr::Attribute(attr) => (attr.attr.id.as_str(), attr.attr.range),
            Expr::Name(name) => (name.id.as_str(), name.range),
            Expr::Call(call) if any_segment && matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "super") => {
                walk.base = Base::Super(call);
                return walk;
            }
            other if any_segment => {
                walk.base = Base::Value(other);
                return walk;
            }
            _ => return walk,
        };
        let (start, end) = (range.start().to_u32(), range.end().to_u32());
        if any_segment {
            // Right before the previous (outer) segment's dot.
            walk.packed &= walk.start.checked_sub(end) == Some(1) && source.as_bytes().get(end as usize) == Some(&b'.');
        } else {
            (walk.last, walk.end) = (start, end);
        }
        // A name as written (not one the parser normalised).
        walk.packed &= source.get(start as usize..end as usize) == Some(name);
        walk.start = start;
        any_segment = true;
        match current {
            Expr::Attribute(attr) => current = &attr.value,
            _ => {
                walk.base = Base::Name;
                return walk;
            }
        }
    }
}

/// The chain `expr` is, joined from its segments, each segment's start
/// and its width in the source (a normalised name's may differ from its
/// length): for a chain [`Walk::text`] cannot take from the source.
pub(super) fn joined(expr: &Expr) -> (Name, Vec<u32>, Vec<u32>) {
    let mut segments: Vec<(&str, ruff_text_size::TextRange)> = Vec::new();
    let mut current = expr;
    loop {
        match current {
            Expr::Attribute(attr) => {
                segments.push((attr.attr.id.as_str(), attr.attr.range));
                current = &attr.value;
            }
            Expr::Name(name) => {
                segments.push((name.id.as_str(), name.range));
                break;
            }
            _ => break,
        }
    }
    segments.reverse();
    let chain = segments.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(".");
    let starts = segments.iter().map(|(_, range)| range.start().to_u32()).collect();
    (Name::new(&chain), starts, segments.iter().map(|(_, range)| range.len().to_u32()).collect())
}
