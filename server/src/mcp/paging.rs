//! Large answers in pages: `limit` items from an opaque `cursor`, and the
//! cursor of the next page while there is one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::tools::ToolError;

/// Items per page when the agent names no limit, and the most it may ask for.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;

/// Paging arguments, shared by the tools with list answers.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct Page {
    /// Items per page (default 50, at most 500).
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page, to continue.
    pub cursor: Option<String>,
}

/// One page of a list.
#[derive(Debug, Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// Items in the whole list.
    pub total: usize,
    /// Pass as `cursor` for the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl Page {
    /// The page of `items` this asks for. A cursor not made by this server
    /// (or past the end of a list that shrank since) is an error.
    pub fn of<T>(&self, items: Vec<T>) -> Result<Paged<T>, ToolError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(ToolError::new(format!("limit must be between 1 and {MAX_LIMIT}, got {limit}")));
        }
        let start = match self.cursor.as_deref() {
            None => 0,
            Some(cursor) => cursor.strip_prefix("at:").and_then(|n| n.parse::<usize>().ok()).filter(|&start| start <= items.len()).ok_or_else(|| {
                ToolError::new(format!("cursor `{cursor}` is not one this answer gave (or the list changed since); ask again without a cursor"))
            })?,
        };
        let total = items.len();
        let end = start.saturating_add(limit).min(total);
        let next_cursor = (end < total).then(|| format!("at:{end}"));
        Ok(Paged { items: items.into_iter().skip(start).take(end - start).collect(), total, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_their_cursors_to_the_end() {
        let page = |limit, cursor: Option<&str>| Page { limit: Some(limit), cursor: cursor.map(str::to_owned) }.of((0..5).collect::<Vec<u32>>());
        let first = page(2, None).unwrap();
        assert_eq!((first.items.as_slice(), first.total), (&[0, 1][..], 5));
        let second = page(2, first.next_cursor.as_deref()).unwrap();
        assert_eq!(second.items, [2, 3]);
        let last = page(2, second.next_cursor.as_deref()).unwrap();
        assert_eq!((last.items.as_slice(), last.next_cursor), (&[4][..], None));
        for (limit, cursor) in [(2, Some("3")), (2, Some("at:9")), (0, None), (501, None)] {
            assert!(page(limit, cursor).is_err(), "{limit} {cursor:?}");
        }
    }
}
