//! The request that asks the model for the arguments of a function's new
//! parameters at each of its calls, and the reading of its reply. One line
//! an argument, `CALL: PARAMETER = EXPRESSION`, is the format asked for;
//! real models wrap it in fences, bullets, backticks and prose, and think
//! aloud first: reasoning sections are dropped and every other line that
//! does not read as an argument is left out. What the lines propose is
//! checked at each call by [`crate::ide::call_arguments::fill`].

use crate::ide::call_arguments::{Proposals, SiteContext};
use crate::llm::{CacheUse, Request};

use super::reply::strip_reasoning;

const SYSTEM: &str = "You are an expert Python engineer. A function was given new parameters without a default, \
so every call of it must now pass them. For each numbered call, propose the expression to pass for each new \
parameter, using only names that are defined at that call (they are listed) and builtins. Answer with one line \
per argument and nothing else, exactly:\nCALL: PARAMETER = EXPRESSION\nfor example `2: currency = order.currency`.";

/// What the request says about the function.
pub struct Change<'a> {
    /// The function's name.
    pub name: &'a str,
    /// Its old parameters as written (`(items, rate)`).
    pub old: &'a str,
    /// Its `def` line as it reads now.
    pub def: &'a str,
    /// The new parameters without a default.
    pub required: &'a [String],
}

/// The request for the arguments at `sites` (call 1 first), each listing
/// the parameters it needs.
pub fn request(change: &Change<'_>, sites: &[(SiteContext, Vec<String>)], max_output_tokens: u32) -> Request {
    let mut prompt = format!(
        "`{}` had the parameters {}; it now reads:\n```python\n{}\n```\nIts new parameters without a default: {}.\n",
        change.name,
        change.old,
        change.def.trim_end(),
        change.required.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
    );
    for (i, (site, parameters)) in sites.iter().enumerate() {
        let within = site.within.as_deref().map(|w| format!(" in `{w}`")).unwrap_or_default();
        prompt.push_str(&format!("\n## Call {}: {}{within}\n```python\n{}```\n", i + 1, site.place, site.code));
        prompt.push_str(&format!("Needs: {}\n", parameters.join(", ")));
        if !site.names.is_empty() {
            prompt.push_str(&format!("Names defined there: {}\n", site.names.join(", ")));
        }
    }
    prompt.push_str("\nAnswer with one `CALL: PARAMETER = EXPRESSION` line per argument.\n");
    Request {
        system: SYSTEM.to_owned(),
        prompt,
        max_output_tokens: Some(max_output_tokens),
        temperature: None,
        stream: false,
        // A proposal that fails its checks must not come back next time.
        cache: CacheUse::Bypass,
        infill: None,
    }
}

/// The arguments a reply proposes, by (call, parameter).
pub fn proposals(reply: &str) -> Proposals {
    let mut found = Proposals::default();
    for line in strip_reasoning(reply).lines() {
        if let Some((call, parameter, expression)) = argument_line(line) {
            found.entry((call, parameter.to_owned())).or_default().push(expression.to_owned());
        }
    }
    found
}

/// `2: currency = "EUR"`, also as `- Call 2: ...`, `**2.** ...` or in
/// backticks; `None` for a line that is not one.
fn argument_line(line: &str) -> Option<(usize, &str, &str)> {
    let line = line.trim().trim_start_matches(['-', '*', '>', ' ']).trim_start();
    let line = line.strip_prefix('`').and_then(|l| l.strip_suffix('`')).unwrap_or(line);
    let lower = line.get(..5).map(str::to_ascii_lowercase);
    let line = if lower.as_deref() == Some("call ") { line[5..].trim_start() } else { line };
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let call: usize = line[..digits].parse().ok()?;
    let rest = line[digits..].trim_start_matches(['*', ' ']);
    let rest = rest.strip_prefix([':', '.', ')'])?.trim_start_matches(['*', ' ']).trim_start();
    let (parameter, expression) = rest.split_once('=')?;
    let parameter = parameter.trim().trim_matches('`');
    let identifier = parameter.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && parameter.chars().all(|c| c.is_alphanumeric() || c == '_');
    let expression = expression.trim();
    // `==` is a comparison, not the answer's separator.
    (identifier && !expression.starts_with('=') && !expression.is_empty()).then_some((call, parameter, expression))
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(reply: &str, expected: Expect) {
        let mut found: Vec<_> = proposals(reply).into_iter().collect();
        found.sort();
        let shown: String = found.iter().map(|((call, parameter), values)| format!("{call} {parameter} = {}\n", values.join(" | "))).collect();
        expected.assert_eq(&shown);
    }

    #[test]
    fn the_strict_format_is_read_line_by_line() {
        check(
            "1: currency = order.currency\n2: currency = 'EUR'\n2: region = region or \"eu\"\n",
            expect![[r#"
                1 currency = order.currency
                2 currency = 'EUR'
                2 region = region or "eu"
            "#]],
        );
    }

    #[test]
    fn fences_bullets_backticks_prose_and_reasoning_are_tolerated() {
        check(
            "<think>\n1: currency = draft\n</think>\nHere are the arguments:\n\n```text\n- Call 1: `currency` = cart.currency\n* **2.** currency = DEFAULT\n```\n`3) currency = x == y`\nThat should work.",
            expect![[r#"
                1 currency = cart.currency
                2 currency = DEFAULT
                3 currency = x == y
            "#]],
        );
    }

    #[test]
    fn lines_that_are_not_arguments_are_left_out() {
        check("1. The first call passes the cart.\n2: == 3\nCall two: currency = x\n4: 9x = 1\n5: currency =\n", expect![""]);
    }
}
