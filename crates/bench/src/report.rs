//! What a comparison hands back, and where it goes: printed as markdown,
//! drawn as SVG, and written into the lesson between two markers.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use struct_header_fix::files::PartFile;

/// A markdown table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    header: Vec<String>,
    /// `true` for a column of numbers (right-aligned).
    numeric: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table whose first column is text and the others numbers.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        let header: Vec<String> = header.into_iter().map(Into::into).collect();
        let numeric = (0..header.len()).map(|i| i > 0).collect();
        Table {
            header,
            numeric,
            rows: Vec::new(),
        }
    }

    /// Add a row; missing cells are left empty, extra ones dropped.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut row: Vec<String> = cells.into_iter().map(Into::into).collect();
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
    }

    /// The rows so far.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// The table as GitHub markdown.
    ///
    /// ```
    /// let mut t = bench::report::Table::new(["server", "req/s"]);
    /// t.row(["epoll", "10/s"]);
    /// assert_eq!(t.markdown(), "| server | req/s |\n|---|---:|\n| epoll | 10/s |\n");
    /// ```
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let rule: Vec<String> = self
            .numeric
            .iter()
            .map(|&numeric| if numeric { "---:" } else { "---" }.to_owned())
            .collect();
        let mut out = line(&self.header);
        out.push_str(&format!("|{}|\n", rule.join("|")));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// One comparison's result.
#[derive(Debug, Clone)]
pub struct Section {
    /// The marker name in the lesson: `<!-- BEGIN bench:NAME -->`.
    pub name: &'static str,
    /// The file it goes in, from the repository's root, e.g.
    /// `lessons/08-socketserver-like.md`.
    pub lesson: &'static str,
    /// The markdown: tables, the machine, and what the numbers say.
    pub markdown: String,
    /// The plot, if this comparison draws one.
    pub plot: Option<Plot>,
}

/// A drawn plot and where it goes.
#[derive(Debug, Clone)]
pub struct Plot {
    /// The file name in `lessons/img/`.
    pub file: &'static str,
    /// What it shows, for readers who cannot see it (the image's alt text).
    pub title: String,
    /// The SVG itself.
    pub svg: String,
}

impl Section {
    /// The text that goes between the lesson's markers: the plot (whose
    /// file is written in `lessons/img/`) and the markdown.
    pub fn lesson_text(&self) -> String {
        match &self.plot {
            Some(plot) => format!("![{}](img/{})\n\n{}", plot.title, plot.file, self.markdown),
            None => self.markdown.clone(),
        }
    }
}

/// The lesson `text` with what lies between `<!-- BEGIN bench:NAME -->`
/// and `<!-- END bench:NAME -->` replaced by `content`; an error when the
/// markers are missing, so a renamed section is noticed.
///
/// ```
/// let lesson = "a\n<!-- BEGIN bench:x -->\nold\n<!-- END bench:x -->\nb\n";
/// let new = bench::report::replace_section(lesson, "x", "new\n")?;
/// assert_eq!(new, "a\n<!-- BEGIN bench:x -->\nnew\n<!-- END bench:x -->\nb\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn replace_section(text: &str, name: &str, content: &str) -> io::Result<String> {
    let begin = format!("<!-- BEGIN bench:{name} -->\n");
    let end = format!("<!-- END bench:{name} -->");
    let missing = || {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("no `{}` … `{end}` markers", begin.trim_end()),
        )
    };
    let start = text.find(&begin).ok_or_else(missing)? + begin.len();
    let stop = start + text[start..].find(&end).ok_or_else(missing)?;
    Ok(format!("{}{content}{}", &text[..start], &text[stop..]))
}

/// Write `contents` to `path` the way lesson 05 saves an upload: into a
/// temporary file that gets the real name only when it is complete, so an
/// interrupted run never leaves half a lesson or half a plot.
pub fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        ));
    };
    fs::create_dir_all(folder)?;
    let mut part = PartFile::create(folder, &name.to_string_lossy())?;
    part.write_all(contents.as_bytes())?;
    part.commit() // dropped before this, `part` deletes itself
}

/// Put `section` into its file under the repository's `root`, and its
/// plot in `root/lessons/img/`.
pub fn update_lesson(root: &Path, section: &Section) -> io::Result<()> {
    if let Some(plot) = &section.plot {
        write_atomically(&root.join("lessons/img").join(plot.file), &plot.svg)?;
    }
    let path = root.join(section.lesson);
    let text = fs::read_to_string(&path)?;
    let updated = replace_section(&text, section.name, &section.lesson_text())
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    write_atomically(&path, &updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_markers_are_an_error() {
        let e = replace_section("no markers here", "servers", "x").unwrap_err();
        assert!(e.to_string().contains("bench:servers"), "{e}");
        let only_begin = "<!-- BEGIN bench:servers -->\n";
        assert!(replace_section(only_begin, "servers", "x").is_err());
    }

    #[test]
    fn short_rows_are_padded() {
        let mut t = Table::new(["a", "b", "c"]);
        t.row(["1"]);
        assert_eq!(t.rows()[0], ["1", "", ""]);
        assert!(t.markdown().ends_with("| 1 |  |  |\n"));
    }

    #[test]
    fn a_lesson_gets_its_section_and_plot() {
        let dir = tempfile::tempdir().unwrap();
        let lesson = dir.path().join("lessons/05-x.md");
        fs::create_dir_all(dir.path().join("lessons")).unwrap();
        fs::write(
            &lesson,
            "# x\n<!-- BEGIN bench:t -->\n<!-- END bench:t -->\n",
        )
        .unwrap();
        let section = Section {
            name: "t",
            lesson: "lessons/05-x.md",
            markdown: "| a |\n".into(),
            plot: Some(Plot {
                file: "t.svg",
                title: "T".into(),
                svg: "<svg/>".into(),
            }),
        };
        update_lesson(dir.path(), &section).unwrap();
        let text = fs::read_to_string(&lesson).unwrap();
        assert!(
            text.contains("![T](img/t.svg)\n\n| a |\n<!-- END bench:t -->"),
            "{text}"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("lessons/img/t.svg")).unwrap(),
            "<svg/>"
        );
        let img = fs::read_dir(dir.path().join("lessons/img"))
            .unwrap()
            .count();
        assert_eq!(img, 1, "a temporary file was left beside the plot");
    }
}
