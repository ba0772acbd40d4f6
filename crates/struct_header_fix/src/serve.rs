//! The one-process demo scaffolding: a scratch folder and sample text.
//!
//! The server loop and the two-role demo runner are the workspace's shared
//! ones (`classroom::tcp`). A client that misbehaves (a bad length, a bad
//! name, a file cut short, a reset) costs only its own connection: the
//! step's handler tells that client what was wrong where its protocol
//! allows, the loop prints the error and goes on to the next client.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::files::Folder;

/// A scratch folder for a demo, removed when dropped. Demos print names
/// relative to it (`files/a.txt`), never the temporary path.
#[derive(Debug)]
pub struct DemoDir {
    root: PathBuf,
}

impl DemoDir {
    /// A fresh empty folder under the system's temporary folder.
    pub fn new() -> io::Result<DemoDir> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let root =
            std::env::temp_dir().join(format!("struct_header_fix-demo-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root)?;
        Ok(DemoDir { root })
    }

    /// A subfolder, created.
    pub fn sub(&self, name: &str) -> io::Result<PathBuf> {
        let path = self.root.join(name);
        fs::create_dir_all(&path)?;
        Ok(path)
    }

    /// A subfolder, created, printed by its name alone (`files/a.txt`).
    pub fn folder(&self, name: &str) -> io::Result<Folder> {
        Ok(Folder::labelled(self.sub(name)?, name))
    }

    /// A file for the client to upload: `len` bytes of [`sample_text`] in
    /// a `client` subfolder, apart from the folder the server saves into.
    pub fn client_file(&self, name: &str, len: usize) -> io::Result<PathBuf> {
        let path = self.sub("client")?.join(name);
        fs::write(&path, sample_text(len))?;
        Ok(path)
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        &self.root
    }
}

impl Drop for DemoDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Some text of exactly `len` bytes, numbered lines, the same every run.
pub fn sample_text(len: usize) -> Vec<u8> {
    let mut text = Vec::with_capacity(len + 64);
    let mut line = 1;
    while text.len() < len {
        text.extend(format!("line {line:03}: sticky packets need a frame\n").bytes());
        line += 1;
    }
    text.truncate(len);
    text
}
