//! The regions of source a lesson shows, between mdBook's markers
//! `// ANCHOR:` NAME and `// ANCHOR_END:` NAME.

/// The marker that opens a region (followed by a space and its name).
pub const OPEN: &str = "// ANCHOR:";
/// The marker that closes it.
pub const CLOSE: &str = "// ANCHOR_END:";

/// The lines of region `name` in `source`, other markers left out and the
/// common indentation removed; `None` if it is missing or never closed.
pub fn region(source: &str, name: &str) -> Option<Vec<String>> {
    let start = format!("{OPEN} {name}");
    let end = format!("{CLOSE} {name}");
    let mut lines = source.lines().skip_while(|l| l.trim() != start);
    lines.next()?;
    let mut region = Vec::new();
    let mut ended = false;
    for line in lines {
        if line.trim() == end {
            ended = true;
            break;
        }
        if !line.trim_start().starts_with("// ANCHOR") {
            region.push(line);
        }
    }
    if !ended {
        return None;
    }
    let indent = region
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    Some(
        region
            .iter()
            .map(|l| l.get(indent..).unwrap_or("").to_owned())
            .collect(),
    )
}
