//! Rename over stdio started from a spelling of a name that Python reads
//! otherwise (NFKC: `ｙ`, `𝑦` and `y` are one name): the name is renamed,
//! every spelling of it edited, as from its ASCII spelling; an import
//! alias is still refused.

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

/// The rename to `nn` at `line`:`character` of `text` (a module `m.py`):
/// the file's text after the edits, or the refusal.
fn renamed(text: &str, line: u32, character: u32) -> Result<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.py");
    std::fs::write(&path, text).unwrap();
    let (mut client, _) = LspClient::initialized(Some(dir.path()), json!({}), Value::Null).unwrap();
    let uri = file_uri(&path);
    client.open(&uri, text).unwrap();
    client.diagnostics(&uri).unwrap();
    let at = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let prepared = client.request("textDocument/prepareRename", at.clone()).map_err(|e| e.to_string());
    let mut params = at;
    params["newName"] = json!("nn");
    let answer = client.request("textDocument/rename", params).map_err(|e| e.to_string());
    assert!(client.shutdown().unwrap().success());
    let edit = answer?;
    assert!(prepared.is_ok(), "prepareRename refused what rename does: {prepared:?}");
    let mut edits = edit["changes"][&uri].as_array().cloned().unwrap_or_default();
    // UTF-16 columns, as the client counts them.
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let text_line = text.split_inclusive('\n').nth(line).unwrap_or_default();
        let mut units = p["character"].as_u64().unwrap() as usize;
        let within =
            text_line.char_indices().find(|(_, c)| units.checked_sub(c.len_utf16()).map(|left| units = left).is_none()).map_or(text_line.len(), |(i, _)| i);
        text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + within
    };
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_owned();
    for e in edits {
        out.replace_range(offset(&e["range"]["start"])..offset(&e["range"]["end"]), e["newText"].as_str().unwrap());
    }
    Ok(out)
}

#[test]
fn a_name_renamed_from_a_spelling_python_normalises_is_renamed_in_every_spelling() {
    assert_eq!(renamed("def f(ｙ):\n    return ｙ + 1\n", 0, 6), Ok("def f(nn):\n    return nn + 1\n".to_owned()));
    assert_eq!(renamed("def f(𝑦):\n    return y + 1\n", 0, 6), Ok("def f(nn):\n    return nn + 1\n".to_owned()));
    assert_eq!(renamed("ｚ = 1\nprint(z)\n", 0, 0), Ok("nn = 1\nprint(nn)\n".to_owned()));
    assert_eq!(renamed("ﬁle = 1\nprint(file)\n", 0, 0), Ok("nn = 1\nprint(nn)\n".to_owned()));
    // Must stay: an import alias is refused, spelled as it may be.
    let refused = renamed("import os as ｏ\nprint(ｏ.sep)\n", 1, 6).unwrap_err();
    assert!(refused.contains("`ｏ` is an import alias of `os`"), "{refused}");
}
