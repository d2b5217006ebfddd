//! The places a test's traceback names: the sandbox's paths made the
//! user's, and a notebook's module lines made its cells' lines. Two shapes
//! name a place: a frame's `File "path", line N` (Python's, the plain
//! runner's) and pytest's `path:N:` at the start of a line.

use std::path::Path;

use regex::{Captures, Regex};

/// `message` with the guest's `guest_root` paths shown under the host's
/// `root`. Only places are rewritten: the code a traceback quotes (a
/// string literal spelling `/src/…`, indented by pytest) stays as written.
pub(super) fn host_paths(message: &str, guest_root: &str, root: &Path) -> String {
    // Most messages (every passed test's) name no place: building the
    // pattern for each of a folder run's results was a measurable share
    // of the host's own work.
    if !message.contains(guest_root) {
        return message.to_owned();
    }
    let guest = regex::escape(guest_root);
    let host = root.display().to_string();
    let Ok(places) = Regex::new(&format!(r#"(?m)(File "|^){guest}/"#)) else { return message.to_owned() };
    places.replace_all(message, |found: &Captures<'_>| format!("{}{host}/", &found[1])).into_owned()
}

/// `message` with the places in `module` (the module a notebook runs as,
/// which is no file on disk) naming `notebook`'s cell and line instead;
/// `at` gives a module line's cell and line (each from 1).
pub(super) fn in_notebook(message: &str, module: &Path, notebook: &Path, at: impl Fn(usize) -> Option<(usize, usize)>) -> String {
    let module = regex::escape(&module.display().to_string());
    let notebook = notebook.display().to_string();
    let (Ok(frames), Ok(locations)) = (Regex::new(&format!(r#"File "{module}", line (\d+)"#)), Regex::new(&format!(r"(?m)^{module}:(\d+):"))) else {
        return message.to_owned();
    };
    let cell_line = |found: &Captures<'_>| found[1].parse().ok().and_then(&at);
    let message = frames.replace_all(message, |found: &Captures<'_>| match cell_line(found) {
        Some((cell, line)) => format!("File \"{notebook}\", cell {cell}, line {line}"),
        None => found[0].to_owned(),
    });
    locations
        .replace_all(&message, |found: &Captures<'_>| match cell_line(found) {
            Some((cell, line)) => format!("{notebook}:cell {cell}:{line}:"),
            None => found[0].to_owned(),
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{host_paths, in_notebook};

    const PYTEST: &str = "def test_boom():\n>       boom(\"/src/x.py\")\n\n/src/tb_ipynb.py:8: \n_ _ _\n\n>           raise ValueError\nE           ValueError\n\n/src/tb_ipynb.py:3: ValueError";

    #[test]
    fn guest_paths_become_the_users_in_frames_and_pytest_locations_not_in_quoted_code() {
        let root = Path::new("/home/me/my proj");
        let frame = "Traceback:\n  File \"/src/app/m.py\", line 4, in f\n    open(\"/src/data\")";
        assert_eq!(host_paths(frame, "/src", root), "Traceback:\n  File \"/home/me/my proj/app/m.py\", line 4, in f\n    open(\"/src/data\")");
        let shown = host_paths(PYTEST, "/src", root);
        assert!(shown.contains("\n/home/me/my proj/tb_ipynb.py:8: \n") && shown.contains("\n/home/me/my proj/tb_ipynb.py:3: ValueError"), "{shown}");
        assert!(shown.contains("boom(\"/src/x.py\")"), "quoted code stays: {shown}");
    }

    #[test]
    fn a_notebooks_module_lines_name_its_cells() {
        let (module, notebook) = (Path::new("/w/tb_ipynb.py"), Path::new("/w/tb.ipynb"));
        // Module lines 1-5 are cell 1, the rest cell 3.
        let at = |line: usize| Some(if line <= 5 { (1, line) } else { (3, line - 5) });
        let shown = in_notebook(&host_paths(PYTEST, "/src", Path::new("/w")), module, notebook, at);
        assert!(shown.contains("\n/w/tb.ipynb:cell 3:3: \n") && shown.contains("\n/w/tb.ipynb:cell 1:3: ValueError"), "{shown}");
        let frame = "  File \"/w/tb_ipynb.py\", line 7, in test\n  File \"/w/other.py\", line 7, in g";
        assert_eq!(in_notebook(frame, module, notebook, at), "  File \"/w/tb.ipynb\", cell 3, line 2, in test\n  File \"/w/other.py\", line 7, in g");
    }
}
