//! How bytes are shown to a student.
//!
//! Text that is valid UTF-8 and printable is shown quoted, the way Rust's
//! `{:?}` shows a string (so `"\n"` is visible); anything else (binary data
//! such as a packed length `c7 00 00 00`) is shown as a hex dump, one
//! two-digit number per byte. Long payloads are cut after a preview so a
//! demo that moves megabytes does not flood the terminal.

/// How many bytes of a payload are shown before it is cut.
pub const PREVIEW: usize = 64;

/// Show `bytes` as quoted text if they are UTF-8, as hex otherwise.
///
/// ```
/// use classroom::bytes::show;
/// assert_eq!(show("lbw正在吃".as_bytes()), r#""lbw正在吃""#);
/// assert_eq!(show(&[0xc7, 0, 0, 0]), "c7 00 00 00");
/// ```
pub fn show(bytes: &[u8]) -> String {
    let (head, rest) = bytes.split_at(bytes.len().min(PREVIEW));
    let shown = match text_prefix(head, rest.is_empty()) {
        Some(text) => format!("{text:?}"),
        None => hex(head),
    };
    let hidden = bytes.len() - shown_len(head, rest.is_empty());
    if hidden == 0 {
        shown
    } else {
        format!("{shown} … (+{hidden} more bytes)")
    }
}

/// A string a peer chose (a file name, a chat name, a message), made safe to
/// print: control characters, and the marks that reorder text on screen,
/// are shown escaped (`\u{1b}`, `\r`) instead of reaching the terminal,
/// where `ESC [2J` would clear the screen and `\r[server] …` would forge a
/// line. Everything else, Chinese included, prints as it is.
///
/// ```
/// use classroom::bytes::escape;
/// assert_eq!(escape("a.txt"), "a.txt");
/// assert_eq!(escape("你好"), "你好");
/// assert_eq!(escape("x\u{1b}[2J\r[server] ok"), "x\\u{1b}[2J\\r[server] ok");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || reorders(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Unicode's bidirectional controls: they make text print in another order
/// than it is stored, so `txt.exe` can be shown as `exe.txt`.
fn reorders(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The bytes as a hex dump: `68 69` for `b"hi"`.
///
/// ```
/// assert_eq!(classroom::bytes::hex(b"hi"), "68 69");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// `head` as text, if it is UTF-8. When more bytes follow (`complete` is
/// false) the preview may have cut a character in half; the cut character is
/// left out rather than turning the whole preview into hex.
fn text_prefix(head: &[u8], complete: bool) -> Option<&str> {
    utf8_prefix(head, complete).filter(|text| text.chars().all(printable))
}

/// Control characters other than line breaks and tabs mean "binary data".
fn printable(c: char) -> bool {
    !c.is_control() || matches!(c, '\n' | '\r' | '\t')
}

fn utf8_prefix(head: &[u8], complete: bool) -> Option<&str> {
    match std::str::from_utf8(head) {
        Ok(text) => Some(text),
        Err(e) if !complete && e.error_len().is_none() => {
            // The only problem is an unfinished character at the very end.
            std::str::from_utf8(&head[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    }
}

fn shown_len(head: &[u8], complete: bool) -> usize {
    text_prefix(head, complete).map_or(head.len(), str::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_quoted_text() {
        assert_eq!(show(b"hello!"), "\"hello!\"");
        assert_eq!(show("翔".as_bytes()), "\"翔\"");
        assert_eq!(show(b"hi\n"), "\"hi\\n\"");
        assert_eq!(show(b""), "\"\"");
    }

    #[test]
    fn other_bytes_are_hex() {
        // Valid UTF-8 ("\0", "ύ", DEL), but control characters: binary.
        assert_eq!(show(&[0x00, 0xcf, 0x8d, 0x7f]), "00 cf 8d 7f");
        assert_eq!(show(&[0xc7, 0x00, 0x00, 0x00]), "c7 00 00 00");
        // Half of a three-byte character is not text.
        assert_eq!(show(&"翔".as_bytes()[..2]), "e7 bf");
    }

    #[test]
    fn control_characters_from_a_peer_never_reach_the_terminal() {
        let name = "\u{1b}]0;PWNED\u{7}\u{1b}[2J\r[server] saved ok.txt";
        let shown = escape(name);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown}");
        assert_eq!(escape("a\u{202e}txt.exe"), "a\\u{202e}txt.exe");
        assert_eq!(escape("lbw正在吃翔"), "lbw正在吃翔");
    }

    #[test]
    fn long_payloads_are_cut_after_a_preview() {
        let long = vec![b'a'; 1000];
        let shown = show(&long);
        assert!(shown.starts_with(&format!("\"{}\"", "a".repeat(PREVIEW))));
        assert!(shown.ends_with("(+936 more bytes)"), "{shown}");
    }

    #[test]
    fn a_preview_never_cuts_a_character_in_half() {
        // 21 three-byte characters = 63 bytes, then a 22nd straddles byte 64.
        let text = "翔".repeat(30);
        let shown = show(text.as_bytes());
        assert!(
            shown.starts_with(&format!("\"{}\"", "翔".repeat(21))),
            "{shown}"
        );
        assert!(shown.ends_with("(+27 more bytes)"), "{shown}");
    }
}
