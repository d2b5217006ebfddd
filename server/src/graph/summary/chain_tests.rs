//! How a reference's chain and segment starts are extracted: taken from
//! the source where the chain is spelled as stored, joined from its
//! segments where it is not; both give each segment where it is written.

use super::*;
use expect_test::{Expect, expect};

/// Each reference of `source`: its chain, every segment with the text at
/// its span, the last segment, the whole span's text, and whether the
/// starts follow from the chain (`packed`) or are stored one by one.
fn check_chains(source: &str, expect: Expect) {
    let summary = FileSummary::extract(source);
    assert!(summary.is_consistent());
    let text = |span: Span| source.get(span.start as usize..span.end as usize).unwrap_or("?");
    let mut out = String::new();
    for r in &summary.references {
        let segments: Vec<String> = r.segments().map(|(name, span)| format!("{name}@{}={:?}", span.start, text(span))).collect();
        let (last, last_span) = r.last_segment();
        out += &format!("{} [{}] last={last}@{} span={:?} packed={}\n", r.chain, segments.join(" "), last_span.start, text(r.span()), r.spread().is_empty());
    }
    expect.assert_eq(&out);
}

#[test]
fn chains_spelled_as_stored_keep_only_their_ends() {
    check_chains(
        "import os.path\nx = os.path.join(a)\nf().strip.upper()\nclass C(B):\n    def m(self):\n        super().m.n\n",
        expect![[r#"
            os.path.join [os@19="os" path@22="path" join@27="join"] last=join@27 span="os.path.join" packed=true
            a [a@32="a"] last=a@32 span="a" packed=true
            f [f@35="f"] last=f@35 span="f" packed=true
            strip.upper [strip@39="strip" upper@45="upper"] last=upper@45 span="strip.upper" packed=true
            B [B@61="B"] last=B@61 span="B" packed=true
            super [super@90="super"] last=super@90 span="super" packed=true
            m.n [m@98="m" n@100="n"] last=n@100 span="m.n" packed=true
        "#]],
    );
}

#[test]
fn chains_spelled_otherwise_keep_every_start() {
    check_chains(
        "a . b\n(c).d.e\nf.\\\n  g\nh.i  .j\n",
        expect![[r#"
            a.b [a@0="a" b@4="b"] last=b@4 span="a . b" packed=false
            c.d.e [c@7="c" d@10="d" e@12="e"] last=e@12 span="c).d.e" packed=false
            f.g [f@14="f" g@20="g"] last=g@20 span="f.\\\n  g" packed=false
            h.i.j [h@22="h" i@24="i" j@28="j"] last=j@28 span="h.i  .j" packed=false
        "#]],
    );
}

#[test]
fn an_unfinished_chain_ends_at_its_dot() {
    check_chains(
        "a.\nb.c.\n",
        expect![[r#"
            a. [a@0="a" @2=""] last=@2 span="a." packed=true
            b.c. [b@3="b" c@5="c" @7=""] last=@7 span="b.c." packed=true
        "#]],
    );
}

#[test]
fn a_damaged_last_start_is_inconsistent() {
    let mut summary = FileSummary::extract("a.b.c\nd . e\n");
    assert!(summary.is_consistent());
    for i in 0..summary.references.len() {
        let mut damaged = summary.clone();
        damaged.references[i].last += 1;
        assert!(!damaged.is_consistent(), "reference {i}");
    }
    let receiver = summary.references[0].receiver().cloned();
    summary.references[0].set_rare(thin_vec::thin_vec![0, 2], receiver, thin_vec::ThinVec::new());
    assert!(!summary.is_consistent());
}
