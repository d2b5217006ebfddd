//! `-k EXPRESSION`: pytest's keyword selection. Words match, ignoring
//! case, as substrings of a test's names (its file, class and function),
//! combined with `and`, `or`, `not` and parentheses.

use anyhow::{Result, bail};

/// A parsed `-k` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keywords {
    Word(String),
    Not(Box<Keywords>),
    And(Box<Keywords>, Box<Keywords>),
    Or(Box<Keywords>, Box<Keywords>),
}

impl Keywords {
    pub fn parse(expression: &str) -> Result<Self> {
        let tokens = tokenize(expression);
        let mut parser = Parser { tokens: &tokens, at: 0 };
        let parsed = parser.or()?;
        if let Some(token) = tokens.get(parser.at) {
            bail!("-k: unexpected `{token}` in `{expression}`");
        }
        Ok(parsed)
    }

    /// Whether a test with these names is selected.
    pub fn matches(&self, names: &[&str]) -> bool {
        match self {
            Keywords::Word(word) => names.iter().any(|name| name.to_lowercase().contains(word.as_str())),
            Keywords::Not(inner) => !inner.matches(names),
            Keywords::And(left, right) => left.matches(names) && right.matches(names),
            Keywords::Or(left, right) => left.matches(names) || right.matches(names),
        }
    }
}

fn tokenize(expression: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in expression.chars() {
        if c.is_whitespace() || c == '(' || c == ')' {
            if !word.is_empty() {
                tokens.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

struct Parser<'a> {
    tokens: &'a [String],
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn or(&mut self) -> Result<Keywords> {
        let mut left = self.and()?;
        while self.peek() == Some("or") {
            self.at += 1;
            left = Keywords::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Keywords> {
        let mut left = self.not()?;
        while self.peek() == Some("and") {
            self.at += 1;
            left = Keywords::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Keywords> {
        match self.peek() {
            Some("not") => {
                self.at += 1;
                Ok(Keywords::Not(Box::new(self.not()?)))
            }
            Some("(") => {
                self.at += 1;
                let inner = self.or()?;
                if self.peek() != Some(")") {
                    bail!("-k: missing `)`");
                }
                self.at += 1;
                Ok(inner)
            }
            Some(")" | "and" | "or") | None => bail!("-k: expected a word, found {}", self.peek().map_or("the end".to_owned(), |t| format!("`{t}`"))),
            Some(word) => {
                self.at += 1;
                Ok(Keywords::Word(word.to_lowercase()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_like_pytest() {
        let names = ["test_calc.py", "Calc", "test_add"];
        for (expression, selected) in [
            ("add", true),
            ("ADD", true),
            ("calc and not sub", true),
            ("sub or halve", false),
            ("not (add or sub)", false),
            ("(sub or add) and test_calc", true),
        ] {
            assert_eq!(Keywords::parse(expression).unwrap().matches(&names), selected, "{expression}");
        }
        for bad in ["", "add and", "(add", "add )", "or add"] {
            assert!(Keywords::parse(bad).is_err(), "{bad}");
        }
    }
}
