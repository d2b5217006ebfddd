//! Large answers in pages: `limit` items from an opaque `cursor`, and the
//! cursor of the next page while there is one.
//!
//! A cursor carries a fingerprint of the whole list it pages through: when
//! the workspace changed between two pages (an agent wrote a file), the
//! list asked again differs and the cursor is refused, rather than a page
//! of another list returned as if it continued the first (items skipped or
//! repeated without a word).

use std::hash::{Hash, Hasher};

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

/// Where the next page starts, in the list with this fingerprint:
/// `<start>.<fingerprint in hex>`.
struct Cursor {
    start: usize,
    fingerprint: u64,
}

impl Cursor {
    fn parse(text: &str) -> Option<Cursor> {
        let (start, fingerprint) = text.split_once('.')?;
        Some(Cursor { start: start.parse().ok()?, fingerprint: u64::from_str_radix(fingerprint, 16).ok()? })
    }

    fn text(&self) -> String {
        format!("{}.{:016x}", self.start, self.fingerprint)
    }
}

/// The list's items as they are answered: equal answers, equal prints.
fn fingerprint<T: Serialize>(items: &[T]) -> u64 {
    // Serialising a list of plain data cannot fail; an empty print would
    // only make a changed list pass for an unchanged one, never the reverse.
    seahash::hash(&serde_json::to_vec(items).unwrap_or_default())
}

/// The list's keys: what orders and tells apart its items (a symbol and
/// where it is), not their rendering. SeaHash has no random seed, so equal
/// lists print alike in every call and every process.
fn fingerprint_keys<K: Hash>(keys: &[K]) -> u64 {
    let mut hasher = seahash::SeaHasher::new();
    keys.hash(&mut hasher);
    hasher.finish()
}

impl Page {
    /// The page of `items` this asks for. A cursor not made by this server,
    /// or made for a list that has changed since, is an error.
    pub fn of<T: Serialize>(&self, items: Vec<T>) -> Result<Paged<T>, ToolError> {
        let range = self.range(items.len(), fingerprint(&items))?;
        let next_cursor = range.next_cursor();
        Ok(Paged { total: items.len(), items: items.into_iter().skip(range.start).take(range.end - range.start).collect(), next_cursor })
    }

    /// The page of a long list whose items cost to render (a line, a
    /// column and the line's text each): `keys` tell the items apart and
    /// order them, and only the page's are rendered (an item of a symbol
    /// gone from the graph renders as nothing; within one snapshot none is). A hub symbol has
    /// thousands of callers; rendering them all to answer fifty took most
    /// of a call's time.
    pub fn of_keys<K: Hash, T>(&self, keys: Vec<K>, render: impl FnMut(K) -> Option<T>) -> Result<Paged<T>, ToolError> {
        let range = self.range(keys.len(), fingerprint_keys(&keys))?;
        let next_cursor = range.next_cursor();
        Ok(Paged { total: keys.len(), items: keys.into_iter().skip(range.start).take(range.end - range.start).filter_map(render).collect(), next_cursor })
    }

    /// Which items of a list of `total` with this fingerprint the page holds.
    fn range(&self, total: usize, fingerprint: u64) -> Result<PageRange, ToolError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(ToolError::new(format!("limit must be between 1 and {MAX_LIMIT}, got {limit}")));
        }
        let start = match self.cursor.as_deref() {
            None => 0,
            Some(text) => {
                let cursor = Cursor::parse(text)
                    .filter(|c| c.start <= total)
                    .ok_or_else(|| ToolError::new(format!("cursor `{text}` is not one this tool gave; ask again without a cursor")))?;
                if cursor.fingerprint != fingerprint {
                    return Err(ToolError::new("the result changed since this cursor was issued (the workspace changed); ask again without cursor"));
                }
                cursor.start
            }
        };
        Ok(PageRange { start, end: start.saturating_add(limit).min(total), total, fingerprint })
    }
}

struct PageRange {
    start: usize,
    end: usize,
    total: usize,
    fingerprint: u64,
}

impl PageRange {
    fn next_cursor(&self) -> Option<String> {
        (self.end < self.total).then(|| Cursor { start: self.end, fingerprint: self.fingerprint }.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: &[u32], limit: usize, cursor: Option<&str>) -> Result<Paged<u32>, ToolError> {
        Page { limit: Some(limit), cursor: cursor.map(str::to_owned) }.of(items.to_vec())
    }

    #[test]
    fn pages_follow_their_cursors_to_the_end() {
        let items = [0, 1, 2, 3, 4];
        let first = page(&items, 2, None).unwrap();
        assert_eq!((first.items.as_slice(), first.total), (&[0, 1][..], 5));
        let second = page(&items, 2, first.next_cursor.as_deref()).unwrap();
        assert_eq!(second.items, [2, 3]);
        let last = page(&items, 2, second.next_cursor.as_deref()).unwrap();
        assert_eq!((last.items.as_slice(), last.next_cursor), (&[4][..], None));
        let beyond = first.next_cursor.unwrap().replacen('2', "9", 1);
        for (limit, cursor) in [(2, Some("3")), (2, Some("at:2")), (2, Some(beyond.as_str())), (0, None), (501, None)] {
            let error = page(&items, limit, cursor).err();
            assert!(error.is_some_and(|e| !e.0.contains("changed")), "{limit} {cursor:?}");
        }
    }

    #[test]
    fn a_cursor_of_a_list_that_changed_is_refused() {
        let first = page(&[0, 1, 2, 3], 2, None).unwrap();
        let cursor = first.next_cursor.as_deref();
        // One item more, one less, or the same count with another item.
        for changed in [&[0, 1, 2, 3, 4][..], &[0, 1, 3], &[0, 1, 2, 5]] {
            let error = page(changed, 2, cursor).err().map(|e| e.0);
            assert!(error.as_deref().is_some_and(|e| e.contains("the result changed since this cursor was issued")), "{changed:?}: {error:?}");
        }
        assert_eq!(page(&[0, 1, 2, 3], 2, cursor).unwrap().items, [2, 3]);
    }

    #[test]
    fn keyed_pages_render_only_their_items_and_refuse_a_changed_list() {
        let keyed = |keys: &[u32], cursor: Option<&str>| {
            let mut rendered = Vec::new();
            let page = Page { limit: Some(2), cursor: cursor.map(str::to_owned) }.of_keys(keys.to_vec(), |k| {
                rendered.push(k);
                Some(k * 10)
            });
            (page, rendered)
        };
        let (first, rendered) = keyed(&[1, 2, 3], None);
        let first = first.unwrap();
        assert_eq!((first.items.as_slice(), first.total, rendered.as_slice()), (&[10, 20][..], 3, &[1, 2][..]));
        let (second, _) = keyed(&[1, 2, 3], first.next_cursor.as_deref());
        let second = second.unwrap();
        assert_eq!((second.items.as_slice(), second.next_cursor), (&[30][..], None));
        let (changed, rendered) = keyed(&[1, 3, 2], first.next_cursor.as_deref());
        assert!(changed.is_err_and(|e| e.0.contains("the result changed")));
        assert!(rendered.is_empty());
    }
}
