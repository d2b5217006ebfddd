//! What a security check needs to know of a value: the constant text it is
//! built from (to recognise a query or a URL scheme), whether a part of it
//! is not a constant and where that part entered the function, and the
//! constructor of an object (to know what `.open` is called on).

use std::ops::Range;

use ruff_text_size::Ranged;

use crate::findings::Confidence;

/// Longer constant text adds nothing to recognising a query, and bounds the
/// work on generated code.
const MAX_TEXT: usize = 4096;

/// Where a part that is not a constant entered, and how sure it is that an
/// attacker controls it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Entry {
    pub range: Range<usize>,
    /// What entered, for the finding's related information.
    pub what: String,
    /// High for a named source (a request, `input()`, the environment, a
    /// read), Medium for a parameter, Low for any other run-time value.
    pub sure: Confidence,
    /// At a parameter's declaration, not yet at a use of it.
    pub declared: bool,
    /// Held by a name the function checks as a same-site URL.
    pub vetted: bool,
    /// A URL whose host was checked against the program's own list
    /// (`urlparse(u).hostname in ALLOWED_HOSTS`): a request to it reaches
    /// no host the program did not name.
    pub host_listed: bool,
    /// Passed a check the flow cannot judge (the program's own validator):
    /// a finding on it is of low confidence.
    pub unjudged: bool,
    /// How it was escaped on its way (which protects some sinks only).
    pub escaped: Escaped,
    /// Went through a call the resolver cannot name (a method of the
    /// program's own objects: `self.save_form(request, form)`), whose
    /// result may be an object made of it rather than the data itself.
    pub through_unnamed: bool,
}

impl Entry {
    /// What a value the database holds is said to be (its
    /// [`Entry::what`] starts so).
    pub(crate) const STORED: &'static str = "a database row";

    /// What a source's data made one mapping is said to be, after the
    /// source (`` `request.args` as a mapping (`to_dict()`) ``).
    pub(crate) const MAPPING: &'static str = "as a mapping";

    /// Whether the data is a mapping whose keys the client chose.
    pub(crate) fn is_mapping(&self) -> bool {
        self.what.contains(Self::MAPPING)
    }

    /// Whether the data is what the database holds (a row, a model
    /// object): the program's own store, whoever wrote it.
    pub(crate) fn from_the_database(&self) -> bool {
        self.what.starts_with(Self::STORED)
    }

    /// Whether the data entered from the process's own environment,
    /// arguments or terminal (the names [`super::eval`] gives those
    /// sources): the operator's, not a client's.
    pub(crate) fn from_the_process(&self) -> bool {
        self.from_the_environment() || ["`sys.argv", "`input()", "`raw_input()", "`sys.stdin"].iter().any(|p| self.what.starts_with(p))
    }

    /// The argument's data as a helper returns it, `returned` being what
    /// the helper's own walk saw its parameter become: escaped, checked or
    /// host-listed on the way there as the helper did it
    /// (`clean_name(x)` of `return os.path.basename(name)` is a path kept
    /// in its folder, as the inline call is).
    pub(crate) fn through(mut self, returned: &Entry) -> Entry {
        self.escaped = self.escaped.max(returned.escaped);
        self.unjudged |= returned.unjudged;
        self.host_listed |= returned.host_listed;
        self.vetted |= returned.vetted;
        self
    }

    /// Whether the data entered from the process's environment (what
    /// whoever runs it configured).
    pub(crate) fn from_the_environment(&self) -> bool {
        ["`os.environ", "`os.getenv"].iter().any(|p| self.what.starts_with(p))
    }
}

/// Escaping a value went through: HTML escaping also escapes quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
pub(crate) enum Escaped {
    #[default]
    No,
    /// Made a string (`str(x)`): no structure, so no MongoDB operator;
    /// still the client's text for every other sink (lowest: any escaping
    /// gives a string too).
    Text,
    /// Its line breaks removed (`x.replace("\n", "")`, `repr(x)`): safe in
    /// a log line only (lowest: orthogonal to the others, which say more).
    Lines,
    /// An LDAP filter's special characters escaped
    /// (`ldap3.utils.conv.escape_filter_chars`): safe in a filter only.
    Ldap,
    /// Quoted for a shell (`shlex.quote`): one word of a command, unless
    /// it is put inside quotes of the command's own text; not SQL, not a
    /// path.
    Shell,
    /// The program's own serialisation of an object (`pickle.dumps(x)`):
    /// loading it back gives a copy of the object and runs nothing else.
    Serialized,
    /// Kept inside a folder (`safe_join`, `os.path.basename`): safe as a
    /// path only.
    Path,
    /// Its quotes replaced (`x.replace("'", "&apos;")`).
    Quotes,
    /// `html.escape`, `markupsafe.escape`, ...
    Html,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Value {
    /// The constant parts, in order, as far as they are known.
    pub text: String,
    /// The constant text the value starts with, before any part that is
    /// not a constant (`"/profile/"` of `"/profile/" + name`).
    pub lead: String,
    /// The constant text the value ends with, after any part that is not
    /// one (`"/"` of `base + "/"`): a folder prefix ending in a separator
    /// is what makes `startswith` a containment check.
    pub tail: String,
    /// The surest part that is not a constant.
    pub entry: Option<Entry>,
    /// Built from parts (`%`, `+`, `.format`, f-string, `.join`) rather than
    /// passed on whole.
    pub built: bool,
    /// The qualified name of the call that made the object.
    pub made_by: Option<String>,
    /// The string literal the text starts with, where it is written (to
    /// show where an `http://` URL comes from).
    pub written: Option<Range<usize>>,
    /// The module or function a lookup by constant name gave
    /// (`__import__("os")`, `getattr(os, "system")`), and where it was made.
    pub refers: Option<(String, Range<usize>)>,
    /// The value itself where the program computes it from constants alone
    /// (`num = 86`, `7 * 42 - num > 200`), to take the branch a constant
    /// condition chooses.
    pub known: Option<Const>,
    /// What a container built in the function holds at each constant key or
    /// position (`m["a"] = x`, `lst.append(x)`), to read back the right one.
    pub items: Option<Box<Items>>,
    /// Every value it may hold is computed from constants alone, though not
    /// which (`"ls"` or `"ls -l"` after branches or a loop's passes, or a
    /// constant of the running process such as `sys.executable`), or
    /// was checked to be one of them or to be letters and digits alone
    /// (a [`super::guards::Verdict::Harmless`] check), or was converted to
    /// a number (`int(x)`: no text of anyone's).
    pub alternatives: bool,
    /// Decoded from a constant (`base64.b64decode("...")`): the program's
    /// own, but not the text the source shows.
    pub decoded: bool,
}

/// A constant the walk computes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Const {
    Str(String),
    Int(i64),
    Bool(bool),
}

impl Const {
    /// Python's truth of the constant.
    pub(crate) fn truth(&self) -> bool {
        match self {
            Const::Str(s) => !s.is_empty(),
            Const::Int(i) => *i != 0,
            Const::Bool(b) => *b,
        }
    }
}

/// The elements of a dict with constant keys or of a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Items {
    Dict(Vec<(Const, Value)>),
    List(Vec<Value>),
}

impl Items {
    pub(super) fn values(&self) -> Box<dyn Iterator<Item = &Value> + '_> {
        match self {
            Items::Dict(entries) => Box::new(entries.iter().map(|(_, v)| v)),
            Items::List(values) => Box::new(values.iter()),
        }
    }
}

impl Value {
    pub(crate) fn constant(text: &str) -> Value {
        let mut value = Value::default();
        value.push_text(text);
        value.lead.clone_from(&value.text);
        value.tail.clone_from(&value.text);
        value.known = (text.len() <= MAX_TEXT).then(|| Const::Str(text.to_owned()));
        value
    }

    /// Whether the program computes the value from constants alone: its
    /// text is known, or it is a container of such values
    /// (`["ls", "-l"]`). A value that only passed a check is not, but for
    /// a check that leaves it one of the constants or letters and digits
    /// alone ([`Value::alternatives`]).
    pub(crate) fn computed_from_constants(&self) -> bool {
        self.entry.is_none()
            && (self.known.is_some() || self.alternatives || self.items.as_ref().is_some_and(|items| items.values().all(Value::computed_from_constants)))
    }

    /// A path separator (`os.sep`): only its end is known.
    pub(crate) fn separator() -> Value {
        Value { tail: "/".to_owned(), ..Value::default() }
    }

    /// Whether the value ends with a path separator whatever its other
    /// parts hold (`base + os.sep`, `"/srv/data/"`).
    pub(crate) fn ends_in_separator(&self) -> bool {
        self.tail.ends_with(['/', '\\'])
    }

    /// A value computed from constants alone whose text the walk does not
    /// know (a helper's parameter given constants, the interpreter's path).
    pub(crate) fn some_constant() -> Value {
        Value { alternatives: true, ..Value::default() }
    }

    pub(crate) fn known(known: Const) -> Value {
        Value { known: Some(known), ..Value::default() }
    }

    /// A container whose elements are known: as a whole it carries what any
    /// of them carries.
    pub(crate) fn container(items: Items) -> Value {
        let entry = items.values().fold(None, |entry, v| surest(entry, v.entry.clone()));
        Value { entry, items: Some(Box::new(items)), ..Value::default() }
    }

    /// The value after escaping: the same data, safe for some sinks (a
    /// constant escaped is still one).
    pub(crate) fn escaped(self, how: Escaped) -> Value {
        let constant = self.computed_from_constants();
        let mut value = Value { built: false, alternatives: constant, ..self.opaque() };
        value.entry.iter_mut().for_each(|e| e.escaped = e.escaped.max(how));
        value
    }

    /// The value put into a format string (`%`, `.format`) whose text is
    /// `template`: a shell word quoted inside quotes of the command
    /// (`"ls '%s'" % shlex.quote(x)`) closes them and is no longer quoted.
    pub(crate) fn placed_in(mut self, template: &str) -> Value {
        if template.contains(['\'', '"']) {
            self.entry.iter_mut().filter(|e| e.escaped == Escaped::Shell).for_each(|e| e.escaped = Escaped::No);
        }
        self
    }

    /// A source's data made one mapping by `called` (`to_dict`, `dict`),
    /// whose keys the client chose; None for any other data, which the
    /// call treats as an unknown one does.
    pub(crate) fn as_mapping(self, called: &str) -> Option<Value> {
        if self.sure() != Some(Confidence::High) {
            return None;
        }
        let mut mapping = self.opaque();
        mapping.entry.iter_mut().for_each(|e| e.what = format!("{} {} (`{called}()`)", e.what, Entry::MAPPING));
        Some(mapping)
    }

    /// The same value made a string (`str(x)`): its text and parts kept.
    pub(crate) fn stringified(mut self) -> Value {
        self.entry.iter_mut().for_each(|e| e.escaped = e.escaped.max(Escaped::Text));
        self
    }

    /// How the surest part was escaped.
    pub(crate) fn escaping(&self) -> Escaped {
        self.entry.as_ref().map_or(Escaped::No, |e| e.escaped)
    }

    /// A part read out of the value (an attribute, an element, a method's
    /// result): it carries the same data, not the same text or object.
    pub(crate) fn opaque(self) -> Value {
        Value {
            text: String::new(),
            lead: String::new(),
            tail: String::new(),
            made_by: None,
            written: None,
            known: None,
            items: None,
            alternatives: false,
            ..self
        }
    }

    /// A string literal's value.
    pub(crate) fn literal(node: &impl Ranged, text: &str) -> Value {
        Value { written: Some(range(node)), ..Value::constant(text) }
    }

    pub(crate) fn entered(node: &impl Ranged, what: String, sure: Confidence) -> Value {
        Value {
            entry: Some(Entry {
                range: range(node),
                what,
                sure,
                declared: false,
                vetted: false,
                host_listed: false,
                unjudged: false,
                escaped: Escaped::No,
                through_unnamed: false,
            }),
            ..Value::default()
        }
    }

    /// A parameter's value, entering at its declaration.
    pub(crate) fn parameter(node: &impl Ranged, what: String, sure: Confidence) -> Value {
        let mut value = Value::entered(node, what, sure);
        value.entry.iter_mut().for_each(|e| e.declared = true);
        value
    }

    /// What an expression reads out of a parameter enters there (the
    /// line that takes data from a request, not the `def`).
    pub(crate) fn read_at(mut self, node: &impl Ranged) -> Value {
        if let Some(entry) = self.entry.as_mut().filter(|e| e.declared) {
            entry.range = range(node);
            entry.declared = false;
        }
        self
    }

    /// One part of a structure (`msg["path"]`, `msg.get("path")`) enters
    /// where it is read: a check of another part is no check of it.
    pub(crate) fn part_read_at(mut self, node: &impl Ranged) -> Value {
        if let Some(entry) = self.entry.as_mut() {
            entry.range = range(node);
            entry.declared = false;
        }
        self
    }

    /// `self` and `other` put together into one string.
    pub(crate) fn concat(mut self, mut other: Value) -> Value {
        // After an odd number of quotes, `other` is inside them.
        if self.text.matches('\'').count() % 2 == 1 || self.text.matches('"').count() % 2 == 1 {
            other = other.placed_in("'");
        }
        self.alternatives = self.computed_from_constants() && other.computed_from_constants();
        if self.text.is_empty() {
            self.written = self.written.or(other.written);
        }
        self.push_text(&other.text);
        if self.entry.is_none() && self.lead.len() + other.lead.len() <= MAX_TEXT {
            self.lead.push_str(&other.lead);
        }
        // Only text known whole keeps the end of what it is appended to.
        if matches!(other.known, Some(Const::Str(_))) && self.tail.len() + other.tail.len() <= MAX_TEXT {
            self.tail.push_str(&other.tail);
        } else {
            self.tail = other.tail;
        }
        self.entry = surest(self.entry, other.entry);
        self.built = true;
        self.made_by = None;
        self.known = match (self.known.take(), other.known) {
            (Some(Const::Str(a)), Some(Const::Str(b))) if a.len() + b.len() <= MAX_TEXT => Some(Const::Str(a + &b)),
            _ => None,
        };
        self.items = None;
        self
    }

    /// One of `self` or `other` (after branches): constant only if both are.
    pub(crate) fn either(mut self, other: Value) -> Value {
        self.alternatives = self.computed_from_constants() && other.computed_from_constants();
        if self.text != other.text {
            self.push_text(" ");
            self.push_text(&other.text);
        }
        let common = self.lead.char_indices().zip(other.lead.chars()).take_while(|((_, a), b)| a == b).map(|((i, a), _)| i + a.len_utf8()).last();
        self.lead.truncate(common.unwrap_or(0));
        let common = self.tail.char_indices().rev().zip(other.tail.chars().rev()).take_while(|((_, a), b)| a == b).map(|((i, _), _)| i).last();
        self.tail = common.map_or_else(String::new, |start| self.tail[start..].to_owned());
        self.entry = surest(self.entry, other.entry);
        self.built |= other.built;
        if self.made_by != other.made_by {
            self.made_by = self.made_by.or(other.made_by);
        }
        self.written = self.written.or(other.written);
        if self.known != other.known {
            self.known = None;
        }
        if self.items != other.items {
            self.items = None;
        }
        self
    }

    /// The value with `other`'s non-constant part, if it has one (a method
    /// result derived from both).
    pub(crate) fn tainted_by(mut self, other: Value) -> Value {
        if other.entry.is_some() {
            self.lead.clear();
        }
        self.tail.clear();
        self.alternatives = false;
        self.decoded |= other.decoded;
        self.entry = surest(self.entry, other.entry);
        self.known = None;
        self.items = None;
        self
    }

    fn push_text(&mut self, text: &str) {
        let room = MAX_TEXT.saturating_sub(self.text.len());
        let cut = text.char_indices().map(|(i, c)| i + c.len_utf8()).take_while(|end| *end <= room).last().unwrap_or(0);
        self.text.push_str(&text[..cut]);
    }

    pub(crate) fn sure(&self) -> Option<Confidence> {
        self.entry.as_ref().map(|e| e.sure)
    }
}

/// The surer of two entries; of two as sure, one no unjudged check passed
/// (a value checked in one branch only is unchecked after the branches),
/// then one not escaped (`shlex.quote(a) + b` is as unsafe as `b`), then
/// one not from the environment (`os.environ["ROOT"] + request.args["f"]`
/// is the client's path), else the first (where it entered first).
pub(crate) fn surest(a: Option<Entry>, b: Option<Entry>) -> Option<Entry> {
    let sureness = |e: &Entry| (e.sure.rank(), !e.unjudged, e.escaped == Escaped::No, !e.from_the_environment());
    match (a, b) {
        (Some(a), Some(b)) => Some(if sureness(&b) > sureness(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

pub(crate) fn range(node: &impl Ranged) -> Range<usize> {
    node.range().start().to_usize()..node.range().end().to_usize()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at: usize, sure: Confidence) -> Value {
        Value {
            entry: Some(Entry {
                range: at..at + 1,
                what: format!("x{at}"),
                sure,
                declared: false,
                vetted: false,
                host_listed: false,
                unjudged: false,
                escaped: Escaped::No,
                through_unnamed: false,
            }),
            ..Value::default()
        }
    }

    #[test]
    fn the_surest_entry_wins_and_the_first_on_a_tie() {
        let joined = entry(1, Confidence::Low).concat(entry(2, Confidence::High)).concat(entry(3, Confidence::High));
        assert_eq!(joined.entry.map(|e| e.range.start), Some(2));
        assert!(joined.built);
        let branch = Value::constant("SELECT").either(Value::constant("DELETE"));
        assert_eq!((branch.text.as_str(), &branch.entry), ("SELECT DELETE", &None));
        // Either constant, and still constants alone when one is added.
        assert!(branch.computed_from_constants() && branch.clone().concat(Value::constant(" x")).computed_from_constants());
        assert!(!branch.either(Value::default()).computed_from_constants());
    }

    #[test]
    fn only_constant_text_at_the_end_makes_a_folder_prefix() {
        let param = entry(1, Confidence::Medium);
        assert!(param.clone().concat(Value::constant("/")).ends_in_separator());
        assert!(Value::constant("/srv").concat(Value::separator()).ends_in_separator());
        assert!(!Value::constant("/").concat(param.clone()).ends_in_separator());
        assert!(!Value::constant("/srv").ends_in_separator());
        assert!(Value::constant("/a/").either(Value::constant("/b/")).ends_in_separator());
        assert!(!Value::constant("/a/").either(Value::constant("/b")).ends_in_separator());
        assert!(!param.concat(Value::constant("/")).tainted_by(Value::default()).ends_in_separator());
    }

    #[test]
    fn text_is_bounded_on_a_character_boundary() {
        let long = Value::constant(&"é".repeat(MAX_TEXT)).concat(Value::constant("x"));
        assert!(long.text.len() <= MAX_TEXT && long.text.ends_with('é'));
    }
}
