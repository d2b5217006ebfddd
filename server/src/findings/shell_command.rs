//! When a constant `shell=True` command means the same as an argument list:
//! one simple command of plain words whose first word is a program on the
//! `PATH`, not something the shell runs itself.

use std::sync::LazyLock;

use regex::Regex;

/// POSIX special and regular builtins, bash's and dash's builtins and the
/// reserved words of both: as an argument list each is a missing program
/// (`exit`, `cd`) or a different one (`/bin/echo`, `/usr/bin/test`, `kill`
/// differ from the builtins in options and output).
#[rustfmt::skip]
const SHELL_WORDS: &[&str] = &[
    // POSIX special builtins
    "break", ":", ".", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set", "shift", "times", "trap", "unset",
    // POSIX regular builtins and utilities the shells build in
    "alias", "bg", "cd", "command", "false", "fc", "fg", "getopts", "hash", "jobs", "kill", "newgrp", "pwd", "read", "true", "type",
    "ulimit", "umask", "unalias", "wait", "echo", "printf", "test", "[",
    // bash and dash builtins
    "bind", "builtin", "caller", "compgen", "complete", "compopt", "declare", "dirs", "disown", "enable", "help", "history", "let",
    "local", "logout", "mapfile", "popd", "pushd", "readarray", "shopt", "source", "suspend", "typeset", "chdir",
    // reserved words
    "!", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in", "select", "then", "time",
    "until", "while", "{", "}", "[[", "]]",
];

/// The words of `command`, or `None` when the shell would do more than
/// split it at blanks: any character it treats specially (a newline or
/// `;` separates commands, quotes, `$`, globs, `~`, redirections,
/// `VAR=x` assignments before the program), or a first word that is a
/// builtin or a reserved word.
pub(super) fn plain_words(command: &str) -> Option<Vec<&str>> {
    // Blanks are spaces and tabs only: a newline is a command separator.
    static PLAIN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[ \t]*[A-Za-z0-9_./:@%+,-]+([ \t]+[A-Za-z0-9_./:=@%+,-]+)*[ \t]*$").expect("a valid pattern"));
    if !PLAIN.is_match(command) {
        return None;
    }
    let words: Vec<&str> = command.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
    (!SHELL_WORDS.contains(words.first()?)).then_some(words)
}
