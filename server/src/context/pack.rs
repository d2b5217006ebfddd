//! Fits ranked context into a token budget, exactly: every section's text is
//! counted as it will be sent, and what does not fit is left out whole
//! (only the target itself is ever cut, and then visibly).

use super::compress::compress;
use super::tokens::TokenCounter;

/// A piece of level-1 context: a definition's full code.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeItem {
    /// `shop/pricing.py:12 \`apply_discount\``
    pub title: String,
    pub code: String,
}

/// A piece of level-2 context: one line with a signature and its doc line.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineItem {
    pub line: String,
}

/// How the budget is shared, in percent of the usable budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    pub level1: usize,
    pub level2: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SectionAccount {
    pub name: &'static str,
    pub budget: usize,
    pub used: usize,
    pub included: usize,
    pub omitted: usize,
    pub compressed: bool,
}

/// The text that would be sent and what each part cost.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Packed {
    pub text: String,
    /// Tokens in `text` (exact; at most `level1.budget + level2.budget`).
    pub tokens: usize,
    pub budget: usize,
    /// After the tokenizer safety margin.
    pub usable: usize,
    pub level1: SectionAccount,
    pub level2: SectionAccount,
    /// What is left for the instructions and the answer.
    pub reserve: usize,
}

const LEVEL1_HEADING: &str = "## Level 1: the target and what it directly uses or is used by\n";
const LEVEL2_HEADING: &str = "## Level 2: the next ring (signatures and first docstring lines)\n";

/// Packs `level1` (the target first, then by rank) and `level2` (by rank)
/// into `budget` tokens: level 1 gets `split.level1` percent of the usable
/// budget, level 2 its share plus what level 1 left unused, the rest is the
/// reserve. With `allow_compression`, level-1 code is compressed when it
/// would not fit as is.
pub fn pack(counter: &TokenCounter, budget: usize, split: Split, allow_compression: bool, level1: &[CodeItem], level2: &[OutlineItem]) -> Packed {
    let usable = counter.usable(budget);
    let level1_budget = usable * split.level1 / 100;
    let rendered: Vec<String> = level1.iter().map(render_code).collect();
    let full_cost: usize = counter.count(LEVEL1_HEADING) + rendered.iter().map(|r| counter.count(r)).sum::<usize>();
    let compressed = allow_compression && full_cost > level1_budget;
    let rendered: Vec<String> = if compressed {
        level1.iter().map(|item| render_code(&CodeItem { title: item.title.clone(), code: compress(&item.code) })).collect()
    } else {
        rendered
    };
    let target_fits = rendered.first().is_some_and(|target| counter.count(LEVEL1_HEADING) + counter.count(target) <= level1_budget);
    let (text1, level1_included) = match level1.first() {
        Some(_) if target_fits => fill(counter, LEVEL1_HEADING, &rendered, level1_budget),
        Some(target) => {
            // The target alone is too big: it is the one thing that must be
            // there, so it is cut to fit, and says so.
            let code = if compressed { compress(&target.code) } else { target.code.clone() };
            let text = cut_to_fit(counter, &target.title, &code, level1_budget);
            let included = usize::from(!text.is_empty());
            (text, included)
        }
        None => (String::new(), 0),
    };
    let used1 = counter.count(&text1);

    let level2_budget = usable * split.level2 / 100 + (level1_budget - used1);
    let lines: Vec<String> = level2.iter().map(|item| format!("{}\n", item.line)).collect();
    let (text2, included2) = fill(counter, &format!("\n{LEVEL2_HEADING}"), &lines, level2_budget);
    let used2 = counter.count(&text2);

    let text = format!("{text1}{text2}");
    let tokens = counter.count(&text);
    Packed {
        tokens,
        budget,
        usable,
        level1: SectionAccount {
            name: "level 1",
            budget: level1_budget,
            used: used1,
            included: level1_included,
            omitted: level1.len() - level1_included,
            compressed,
        },
        level2: SectionAccount {
            name: "level 2",
            budget: level2_budget,
            used: used2,
            included: included2,
            omitted: level2.len() - included2,
            compressed: false,
        },
        reserve: budget.saturating_sub(tokens),
        text,
    }
}

fn render_code(item: &CodeItem) -> String {
    let code = item.code.trim_end_matches('\n');
    format!("\n### {}\n```python\n{code}\n```\n", item.title)
}

/// Heading plus as many parts, in order, as fit in `budget`; a part that
/// does not fit is skipped and smaller later ones may still go in. The sum
/// of separately counted parts guides the choice; the joined text is then
/// counted exactly and trimmed from the end if a merge at a seam cost more.
fn fill(counter: &TokenCounter, heading: &str, parts: &[String], budget: usize) -> (String, usize) {
    let heading_cost = counter.count(heading);
    if parts.is_empty() || heading_cost >= budget {
        return (String::new(), 0);
    }
    let mut chosen: Vec<&str> = Vec::new();
    let mut estimate = heading_cost;
    for part in parts {
        let cost = counter.count(part);
        if estimate + cost <= budget {
            chosen.push(part);
            estimate += cost;
        }
    }
    loop {
        if chosen.is_empty() {
            return (String::new(), 0);
        }
        let text = format!("{heading}{}", chosen.concat());
        if counter.count(&text) <= budget {
            return (text, chosen.len());
        }
        chosen.pop();
    }
}

/// The target with as many leading lines as fit, and a note of the cut.
fn cut_to_fit(counter: &TokenCounter, title: &str, code: &str, budget: usize) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let render = |keep: usize| {
        let body = lines[..keep].join("\n");
        format!("{LEVEL1_HEADING}\n### {title} (first {keep} of {} lines)\n```python\n{body}\n```\n", lines.len())
    };
    // The largest prefix that fits: counts grow with the prefix, so search.
    let (mut lo, mut hi) = (0, lines.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if counter.count(&render(mid)) <= budget { lo = mid } else { hi = mid - 1 }
    }
    if lo == 0 && counter.count(&render(0)) > budget { String::new() } else { render(lo) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::tokens::Encoding;

    fn item(name: &str, lines: usize) -> CodeItem {
        let body: String = (0..lines).map(|i| format!("    value_{i} = compute_{i}(value)  # step {i}\n")).collect();
        CodeItem { title: format!("m.py:1 `{name}`"), code: format!("def {name}(value):\n{body}") }
    }

    #[test]
    fn every_budget_is_respected_to_the_token() {
        let counter = TokenCounter::with_encoding(Encoding::O200k, 0);
        let level1 = [item("target", 6), item("big", 40), item("small", 2), item("medium", 8)];
        let level2: Vec<OutlineItem> = (0..50).map(|i| OutlineItem { line: format!("- m.py:{i} `def helper_{i}(x, y)`: Helper number {i}.") }).collect();
        for budget in [0, 50, 120, 300, 700, 1500, 4000] {
            for compress in [false, true] {
                let p = pack(&counter, budget, Split { level1: 40, level2: 30 }, compress, &level1, &level2);
                assert!(p.level1.used <= p.level1.budget, "budget {budget}: {:?}", p.level1);
                assert!(p.level2.used <= p.level2.budget, "budget {budget}: {:?}", p.level2);
                assert_eq!(p.tokens, counter.count(&p.text));
                assert!(p.tokens <= p.level1.budget + p.level2.budget, "budget {budget}");
                assert!(p.tokens + budget * 30 / 100 <= budget, "the reserve is kept");
                if p.level1.included > 0 {
                    assert!(p.text.contains("`target`"), "the target comes first");
                }
            }
        }
    }

    #[test]
    fn a_part_that_does_not_fit_leaves_room_for_smaller_ones() {
        let counter = TokenCounter::with_encoding(Encoding::O200k, 0);
        let level1 = [item("target", 2), item("big", 60), item("small", 1)];
        let p = pack(&counter, 1000, Split { level1: 40, level2: 30 }, false, &level1, &[]);
        assert_eq!((p.level1.included, p.level1.omitted), (2, 1));
        assert!(p.text.contains("`small`") && !p.text.contains("`big`"));
    }

    #[test]
    fn an_oversized_target_is_cut_visibly_and_compressed_first() {
        let counter = TokenCounter::with_encoding(Encoding::O200k, 0);
        let p = pack(&counter, 400, Split { level1: 40, level2: 30 }, true, &[item("target", 80)], &[]);
        assert!(p.level1.compressed);
        assert!(p.text.contains("(first "), "{}", p.text);
        assert!(!p.text.contains("# step"), "comments were compressed away");
        assert!(p.level1.used <= p.level1.budget);
    }
}
