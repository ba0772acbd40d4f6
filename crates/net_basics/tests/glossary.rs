//! The glossary, `lessons/glossary.md`, checked against the lessons as they
//! are when the test runs: enough terms, every column filled, no Chinese term
//! twice, and every link pointing at a lesson that exists and at a heading in
//! it. Renaming a heading the glossary links to makes this test fail until
//! the link follows.
//!
//! A heading's anchor is made the way mdBook 0.5 makes it (`id_from_content`
//! in `mdbook-html`): take the heading's text as it is rendered (a code span
//! keeps its text and loses its backticks, emphasis and link markup go), trim
//! it, keep letters and digits of every script (Chinese stays as it is), `-`
//! and `_`, lowercase the ASCII letters, turn whitespace into `-`, and drop
//! everything else; the second heading with the same id gets `-1`, the third
//! `-2`. GitHub does the same, except that it lowercases every letter, not
//! only the ASCII ones, and turns only spaces into `-`. A link has to match
//! both, so that it works on GitHub and in a book.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the glossary promises.
const MIN_TERMS: usize = 80;

/// The columns of every table in the glossary, in order.
const COLUMNS: [&str; 5] = ["中文", "English", "Rust", "Python", "taught in"];

/// The cells that may hold a dash: a name that does not exist.
const MAY_BE_DASH: [usize; 2] = [2, 3];

fn lessons() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// The glossary's tables

/// One term: a table row of the glossary, with its line number.
struct Row {
    line: usize,
    cells: Vec<String>,
}

impl Row {
    fn chinese(&self) -> impl Iterator<Item = &str> {
        self.cells[0]
            .split(" / ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// Every body row of every table in the glossary. Panics if a table's header
/// is not [`COLUMNS`].
fn glossary() -> Vec<Row> {
    let text = read(&lessons().join("glossary.md"));
    let lines = outside_fences(&text);
    let mut rows = Vec::new();
    for (at, &(line, text)) in lines.iter().enumerate() {
        if !text.trim_start().starts_with('|') || is_separator(text) {
            continue;
        }
        let next_is_separator = lines
            .get(at + 1)
            .is_some_and(|&(next, text)| next == line + 1 && is_separator(text));
        let cells = cells(text);
        if next_is_separator {
            assert_eq!(
                cells, COLUMNS,
                "glossary.md:{line}: a table of terms has these columns"
            );
        } else {
            rows.push(Row { line, cells });
        }
    }
    rows
}

/// The cells of a table row: split at every `|` that is not escaped as `\|`.
fn cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = row.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push_str("\\|");
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    // The leading and trailing pipes leave an empty cell at each end.
    if cells.first().is_some_and(|c| c.trim().is_empty()) {
        cells.remove(0);
    }
    if cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells.iter().map(|c| c.trim().to_owned()).collect()
}

/// `|---|:--:|` and the like.
fn is_separator(row: &str) -> bool {
    let cells = cells(row);
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim_matches(':');
            !c.is_empty() && c.chars().all(|c| c == '-')
        })
}

fn is_dash(cell: &str) -> bool {
    matches!(cell, "—" | "–" | "-")
}

fn has_chinese(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'))
}

/// The targets of the markdown links in `text`: `[label](TARGET)`.
fn link_targets(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            rest.find(')').map(|end| &rest[..end])
        })
        .collect()
}

/// `%E7%B2%98` back to `粘`, as a browser does before it looks for the anchor.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------
// Headings and their anchors

/// The lines of a markdown text outside fenced code blocks, numbered from 1.
/// A fence may be indented (inside a list item), and closes with a run of the
/// same character at least as long as the one that opened it.
fn outside_fences(text: &str) -> Vec<(usize, &str)> {
    let mut fence: Option<(char, usize)> = None;
    let mut lines = Vec::new();
    for (number, line) in (1..).zip(text.lines()) {
        let trimmed = line.trim_start();
        let run = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        match fence {
            Some((c, len)) => {
                if run(c) >= len && trimmed.trim_end().chars().all(|x| x == c) {
                    fence = None;
                }
            }
            None => match (run('`'), run('~')) {
                (n, _) if n >= 3 => fence = Some(('`', n)),
                (_, n) if n >= 3 => fence = Some(('~', n)),
                _ => lines.push((number, line)),
            },
        }
    }
    lines
}

/// A heading's anchor, as each renderer makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Anchor {
    mdbook: String,
    github: String,
}

/// The anchors of every heading in a markdown text, in order, repeats
/// already numbered.
fn anchors(text: &str) -> Vec<Anchor> {
    let mut found = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut last = 0;
    for (number, line) in outside_fences(text) {
        if number != last + 1 {
            paragraph.clear(); // a fenced block came between
        }
        last = number;
        if let Some(raw) = atx_heading(line) {
            found.push(heading_anchor(raw));
            paragraph.clear();
        } else if is_setext_underline(line) {
            // Under a paragraph, `===` or `---` makes it a heading; alone,
            // `---` is a thematic break.
            if !paragraph.is_empty() {
                found.push(heading_anchor(&paragraph.join("\n")));
            }
            paragraph.clear();
        } else if starts_paragraph_line(line) || !paragraph.is_empty() && !ends_paragraph(line) {
            paragraph.push(line.trim());
        } else {
            paragraph.clear();
        }
    }
    number_repeats(&mut found, |a| &mut a.mdbook);
    number_repeats(&mut found, |a| &mut a.github);
    found
}

/// `## Title ##` → `Title`: up to three spaces, one to six `#`, a space.
fn atx_heading(line: &str) -> Option<&str> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let level = rest.len() - rest.trim_start_matches('#').len();
    if indent > 3 || !(1..=6).contains(&level) {
        return None;
    }
    let rest = &rest[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None; // `#[derive(…)]`, `#hashtag`
    }
    let text = rest.trim();
    // An optional closing run of `#`, after a space.
    let without = text.trim_end_matches('#');
    Some(if without.is_empty() {
        ""
    } else if without.len() < text.len() && without.ends_with([' ', '\t']) {
        without.trim_end()
    } else {
        text
    })
}

fn is_setext_underline(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line.trim();
    indent <= 3
        && !rest.is_empty()
        && (rest.chars().all(|c| c == '=') || rest.chars().all(|c| c == '-'))
}

/// A line that can begin a paragraph: not blank, not code indented four
/// spaces, and not the start of another kind of block.
fn starts_paragraph_line(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    indent <= 3 && !ends_paragraph(line)
}

/// Blank lines and the blocks that interrupt a paragraph (or, for setext
/// purposes, are never one): quotes, tables, lists, HTML, thematic breaks.
fn ends_paragraph(line: &str) -> bool {
    let t = line.trim();
    let list_item = t.starts_with(['-', '*', '+']) && t[1..].starts_with([' ', '\t'])
        || t.find(['.', ')']).is_some_and(|at| {
            at > 0
                && t[..at].chars().all(|c| c.is_ascii_digit())
                && t[at + 1..].starts_with([' ', '\t'])
        });
    let no_spaces: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let thematic_break = no_spaces.len() >= 3
        && ['*', '_', '-']
            .iter()
            .any(|&c| no_spaces.chars().all(|x| x == c));
    t.is_empty()
        || t.starts_with(['>', '|', '<'])
        || list_item
        || thematic_break && !is_setext_underline(line)
}

/// The anchor of one heading, from its raw markdown text. A trailing
/// `{#id}` (a heading attribute) sets mdBook's id; GitHub shows it as text.
fn heading_anchor(raw: &str) -> Anchor {
    let github = github_id(&rendered_text(raw));
    if let Some(open) = raw.rfind('{')
        && raw.trim_end().ends_with('}')
        && let Some(id) = raw[open + 1..raw.trim_end().len() - 1]
            .split_whitespace()
            .find_map(|attr| attr.strip_prefix('#'))
    {
        return Anchor {
            mdbook: id.to_owned(),
            github,
        };
    }
    Anchor {
        mdbook: mdbook_id(&rendered_text(raw)),
        github,
    }
}

/// mdBook 0.5's `id_from_content`.
fn mdbook_id(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// GitHub's: every letter lowercased, only spaces become hyphens.
fn github_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            _ => None,
        })
        .collect()
}

/// The second `x` becomes `x-1`, the third `x-2`, as both renderers do.
fn number_repeats(anchors: &mut [Anchor], field: impl Fn(&mut Anchor) -> &mut String) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for anchor in anchors {
        let id = field(anchor);
        let count = seen.entry(id.clone()).or_insert(0);
        if *count > 0 {
            id.push_str(&format!("-{count}"));
        }
        *count += 1;
    }
}

/// A piece of a heading's inline text: plain text, or a run of `_` that may
/// open or close emphasis.
enum Piece {
    Text(String),
    Underscores {
        len: usize,
        opens: bool,
        closes: bool,
    },
}

/// The text a heading shows, as both renderers take it for the id: backslash
/// escapes and entities resolved, code spans without their backticks, links
/// and images as their text, HTML tags and emphasis markers gone. (`*` needs
/// no care: both renderers drop it from an id anyway, as text or as markup.)
fn rendered_text(raw: &str) -> String {
    let mut pieces = Vec::new();
    inline_pieces(raw, &mut pieces);
    // Pair `_` runs that open emphasis with the ones that close it.
    let mut open: Vec<usize> = Vec::new();
    let mut markup = vec![false; pieces.len()];
    for (at, piece) in pieces.iter().enumerate() {
        if let Piece::Underscores { opens, closes, .. } = *piece {
            if closes && let Some(opener) = open.pop() {
                markup[opener] = true;
                markup[at] = true;
            } else if opens {
                open.push(at);
            }
        }
    }
    let mut text = String::new();
    for (piece, is_markup) in pieces.iter().zip(markup) {
        match piece {
            Piece::Text(t) => text.push_str(t),
            Piece::Underscores { len, .. } if !is_markup => text.push_str(&"_".repeat(*len)),
            Piece::Underscores { .. } => {}
        }
    }
    text
}

fn inline_pieces(raw: &str, pieces: &mut Vec<Piece>) {
    let chars: Vec<char> = raw.chars().collect();
    let text_of = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&x| x == c).count();
        match c {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                plain.push(chars[i + 1]);
                i += 2;
            }
            '`' => {
                // A code span closes with a run of exactly as many backticks.
                let mut j = i + run;
                let close = loop {
                    let Some(k) = (j..chars.len()).find(|&k| chars[k] == '`') else {
                        break None;
                    };
                    let len = chars[k..].iter().take_while(|&&x| x == '`').count();
                    if len == run {
                        break Some(k);
                    }
                    j = k + len;
                };
                match close {
                    Some(k) => {
                        let code = text_of(i + run, k).replace('\n', " ");
                        let stripped = code
                            .strip_prefix(' ')
                            .and_then(|c| c.strip_suffix(' '))
                            .filter(|c| !c.trim().is_empty());
                        plain.push_str(stripped.unwrap_or(&code));
                        i = k + run;
                    }
                    None => {
                        plain.push_str(&"`".repeat(run));
                        i += run;
                    }
                }
            }
            '!' | '[' => {
                let start = if c == '!' { i + 1 } else { i };
                let link = (chars.get(start) == Some(&'['))
                    .then(|| (start + 1..chars.len()).find(|&k| chars[k] == ']'))
                    .flatten()
                    .filter(|&end| chars.get(end + 1) == Some(&'('))
                    .and_then(|end| {
                        (end + 2..chars.len())
                            .find(|&k| chars[k] == ')')
                            .map(|close| (end, close))
                    });
                match link {
                    Some((end, close)) => {
                        flush(&mut plain, pieces);
                        inline_pieces(&text_of(start + 1, end), pieces);
                        i = close + 1;
                    }
                    None => {
                        plain.push(c);
                        i += 1;
                    }
                }
            }
            '<' => {
                let end = (i + 1..chars.len()).find(|&k| chars[k] == '>');
                let inner = end.map(|end| text_of(i + 1, end));
                match (end, inner) {
                    // An autolink shows its address.
                    (Some(end), Some(inner))
                        if inner.contains(':') && !inner.contains(char::is_whitespace) =>
                    {
                        plain.push_str(&inner);
                        i = end + 1;
                    }
                    // An HTML tag shows nothing itself.
                    (Some(end), Some(inner))
                        if inner
                            .trim_start_matches('/')
                            .starts_with(|c: char| c.is_ascii_alphabetic()) =>
                    {
                        i = end + 1;
                    }
                    _ => {
                        plain.push('<');
                        i += 1;
                    }
                }
            }
            '&' => {
                let end = (i + 1..chars.len().min(i + 12)).find(|&k| chars[k] == ';');
                let decoded = end.and_then(|end| entity(&text_of(i + 1, end)));
                match (end, decoded) {
                    (Some(end), Some(decoded)) => {
                        plain.push(decoded);
                        i = end + 1;
                    }
                    _ => {
                        plain.push('&');
                        i += 1;
                    }
                }
            }
            '_' => {
                let before = i.checked_sub(1).map(|k| chars[k]);
                let after = chars.get(i + run).copied();
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
                flush(&mut plain, pieces);
                pieces.push(Piece::Underscores {
                    len: run,
                    opens: !space(after) && !word(before),
                    closes: !space(before) && !word(after),
                });
                i += run;
            }
            c => {
                plain.push(c);
                i += 1;
            }
        }
    }
    flush(&mut plain, pieces);
}

fn flush(plain: &mut String, pieces: &mut Vec<Piece>) {
    if !plain.is_empty() {
        pieces.push(Piece::Text(std::mem::take(plain)));
    }
}

/// `amp` → `&`, `#39` → `'`, `#x4e2d` → `中`; `None` for anything else.
fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

// ---------------------------------------------------------------------------
// The checks

#[test]
fn the_glossary_has_at_least_80_terms() {
    let rows = glossary();
    assert!(
        rows.len() >= MIN_TERMS,
        "glossary.md has {} terms; it promises at least {MIN_TERMS}",
        rows.len()
    );
}

#[test]
fn every_row_fills_every_column() {
    let mut wrong = Vec::new();
    for row in glossary() {
        let line = row.line;
        if row.cells.len() != COLUMNS.len() {
            wrong.push(format!(
                "glossary.md:{line}: {} cells, not {} ({})",
                row.cells.len(),
                COLUMNS.len(),
                COLUMNS.join(", ")
            ));
            continue;
        }
        for (at, cell) in row.cells.iter().enumerate() {
            let column = COLUMNS[at];
            if cell.is_empty() {
                wrong.push(format!("glossary.md:{line}: the {column} cell is empty"));
            } else if is_dash(cell) && !MAY_BE_DASH.contains(&at) {
                wrong.push(format!(
                    "glossary.md:{line}: the {column} cell is a dash; only Rust and Python may be"
                ));
            }
        }
        if !has_chinese(&row.cells[0]) {
            wrong.push(format!(
                "glossary.md:{line}: the 中文 cell {:?} has no Chinese in it",
                row.cells[0]
            ));
        }
        if link_targets(&row.cells[4]).is_empty() {
            wrong.push(format!(
                "glossary.md:{line}: the taught-in cell links to no lesson"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_chinese_term_appears_twice() {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut twice = Vec::new();
    for row in glossary() {
        for term in row.chinese() {
            if let Some(line) = first.insert(term.to_owned(), row.line) {
                twice.push(format!(
                    "glossary.md:{}: {term} is already on line {line}",
                    row.line
                ));
            }
        }
    }
    assert!(twice.is_empty(), "{}", twice.join("\n"));
}

#[test]
fn every_link_points_at_a_heading_of_a_lesson() {
    let mut checker = Links::default();
    for row in glossary() {
        for target in row.cells.iter().flat_map(|cell| link_targets(cell)) {
            checker.check(&format!("glossary.md:{}", row.line), target, true);
        }
    }
    assert!(checker.wrong.is_empty(), "{}", checker.wrong.join("\n"));
}

/// The lessons' index (its coverage table and errata index) links to lessons
/// and their headings too: every one must resolve.
#[test]
fn every_link_of_the_lessons_index_resolves() {
    let index = read(&lessons().join("README.md"));
    let mut checker = Links::default();
    for (n, text) in index.lines().enumerate() {
        for target in link_targets(text)
            .into_iter()
            .filter(|t| !t.contains("://"))
        {
            checker.check(&format!("README.md:{}", n + 1), target, false);
        }
    }
    assert!(checker.wrong.is_empty(), "{}", checker.wrong.join("\n"));
}

/// Checks links into the lessons folder, reading each lesson once.
#[derive(Default)]
struct Links {
    headings: HashMap<String, Option<Vec<Anchor>>>,
    wrong: Vec<String>,
}

impl Links {
    /// `target` is `FILE.md#anchor` (or `FILE.md` where `needs_anchor` is false).
    fn check(&mut self, place: &str, target: &str, needs_anchor: bool) {
        let (file, anchor) = match target.split_once('#') {
            Some((file, anchor)) => (file, Some(percent_decoded(anchor))),
            None if needs_anchor => {
                self.wrong.push(format!(
                    "{place}: {target} names no heading (FILE.md#anchor)"
                ));
                return;
            }
            None => (target, None),
        };
        let found = self.headings.entry(file.to_owned()).or_insert_with(|| {
            let path = lessons().join(file);
            (file.ends_with(".md") && path.is_file()).then(|| anchors(&read(&path)))
        });
        let Some(found) = found else {
            self.wrong
                .push(format!("{place}: there is no lesson {file}"));
            return;
        };
        let Some(anchor) = anchor else { return };
        let mdbook = found.iter().any(|a| a.mdbook == anchor);
        let github = found.iter().any(|a| a.github == anchor);
        if !mdbook || !github {
            let missing = match (mdbook, github) {
                (false, false) => "no heading of",
                (false, true) => "mdBook makes no such anchor in",
                _ => "GitHub makes no such anchor in",
            };
            let there: Vec<&str> = found.iter().map(|a| a.mdbook.as_str()).collect();
            self.wrong.push(format!(
                "{place}: #{anchor}: {missing} {file}; its headings are:\n    {}",
                there.join("\n    ")
            ));
        }
    }
}

// ---------------------------------------------------------------------------
// The anchor rule itself

fn ids(markdown: &str) -> Vec<String> {
    anchors(markdown).into_iter().map(|a| a.mdbook).collect()
}

#[test]
fn anchors_are_made_the_way_mdbook_makes_them() {
    // mdBook's own examples (crates/mdbook-html/src/utils.rs).
    assert_eq!(
        mdbook_id(&rendered_text("`--passes`: add more rustdoc passes")),
        "--passes-add-more-rustdoc-passes"
    );
    assert_eq!(mdbook_id("中文標題 CJK title"), "中文標題-cjk-title");
    assert_eq!(mdbook_id("_-_12345"), "_-_12345");
    assert_eq!(mdbook_id("Über"), "Über");
    // Headings of the lessons: backticks, a dash, a colon, Chinese, quotes.
    for (heading, id) in [
        (
            "## Step 2 — fixed: `SO_REUSEADDR` before `bind`",
            "step-2--fixed-so_reuseaddr-before-bind",
        ),
        (
            "## Step 3 — pack: `struct.pack('i', n)` (documents 002 and 004)",
            "step-3--pack-structpacki-n-documents-002-and-004",
        ),
        (
            "### \"Everything is a file\" (一切皆文件)",
            "everything-is-a-file-一切皆文件",
        ),
        (
            "## Step 7 — case: messages and uploads (document 002 §案例:消息 & 文件上传)",
            "step-7--case-messages-and-uploads-document-002-案例消息--文件上传",
        ),
        (
            "## 5. Layers and encapsulation (OSI七层模型, TCP/IP, 封装)",
            "5-layers-and-encapsulation-osi七层模型-tcpip-封装",
        ),
        ("## What's next", "whats-next"),
    ] {
        assert_eq!(ids(heading), [id], "{heading}");
    }
}

#[test]
fn markup_is_read_as_the_text_it_shows() {
    assert_eq!(ids("## A [link](x.md#y) here"), ["a-link-here"]);
    assert_eq!(ids("## An _emphasised_ word"), ["an-emphasised-word"]);
    assert_eq!(
        ids("## `snake_case` and snake_case"),
        ["snake_case-and-snake_case"]
    );
    assert_eq!(ids("## Fish &amp; chips"), ["fish--chips"]);
    assert_eq!(
        ids(r"## A \_literal\_ underscore"),
        ["a-_literal_-underscore"]
    );
    assert_eq!(ids("## Closed ##"), ["closed"]);
    assert_eq!(ids("## Custom {#my-id}"), ["my-id"]);
    assert_eq!(ids("Setext\n======\n\ntext\n\n---"), ["setext"]);
}

#[test]
fn repeats_are_numbered_and_code_is_not_a_heading() {
    let markdown = "# Title\n\n## Step\n\n```python\n# a comment\n```\n\n  ```rust\n  # not either\n  ```\n\n#[derive(Debug)]\n\n## Step\n\n## Step\n";
    assert_eq!(ids(markdown), ["title", "step", "step-1", "step-2"]);
}

#[test]
fn github_lowercases_every_letter() {
    let anchor = heading_anchor("Über `Ω` 中文");
    assert_eq!(anchor.mdbook, "Über-Ω-中文");
    assert_eq!(anchor.github, "über-ω-中文");
}

#[test]
fn table_cells_keep_escaped_pipes() {
    assert_eq!(
        cells("| a | `ready\\|SIZE` | — |"),
        ["a", "`ready\\|SIZE`", "—"]
    );
    assert!(is_separator("|---|:--:|---:|"));
    assert!(!is_separator("| a | b |"));
    assert_eq!(
        percent_decoded("step-3--split-%E6%8B%86%E5%8C%85"),
        "step-3--split-拆包"
    );
}
