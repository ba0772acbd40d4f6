//! Comparison 5: the lessons' own weight in a student's first build.
//!
//! A cold `cargo build` of the default workspace (what `cargo run -p
//! LESSON` compiles the first time) against a cold build of a bare crate
//! that depends on exactly the same third-party crates, with the same
//! versions (the workspace's `Cargo.lock`), features and profile. The
//! difference is the time spent on the lessons' own code.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::machine::Machine;
use crate::report::{Section, Table};
use crate::stats::ratio;

/// One third-party dependency of the default members, merged across them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Dependency {
    version: String,
    features: Vec<String>,
    default_features: bool,
}

/// `[dependencies]` per target (`None`: every target), from `cargo metadata`.
type Dependencies = BTreeMap<Option<String>, BTreeMap<String, Dependency>>;

/// The registry dependencies of the workspace's default members, as
/// `cargo metadata --no-deps` reports them.
fn third_party(metadata: &Value) -> io::Result<Dependencies> {
    let bad = |what: &str| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("cargo metadata: no {what}"),
        )
    };
    let defaults = metadata["workspace_default_members"]
        .as_array()
        .ok_or_else(|| bad("workspace_default_members"))?;
    let packages = metadata["packages"]
        .as_array()
        .ok_or_else(|| bad("packages"))?;
    let mut all = Dependencies::new();
    for package in packages.iter().filter(|p| defaults.contains(&p["id"])) {
        let deps = package["dependencies"]
            .as_array()
            .ok_or_else(|| bad("dependencies"))?;
        let built = deps.iter().filter(|d| {
            d["kind"].is_null() && d["source"].is_string() && d["optional"] == Value::Bool(false)
        });
        for dep in built {
            let name = dep["name"].as_str().ok_or_else(|| bad("name"))?;
            let target = dep["target"].as_str().map(str::to_owned);
            let merged = all
                .entry(target)
                .or_default()
                .entry(name.to_owned())
                .or_default();
            merged.version = dep["req"].as_str().unwrap_or("*").to_owned();
            merged.default_features |= dep["uses_default_features"] == Value::Bool(true);
            let features = dep["features"].as_array().into_iter().flatten();
            merged
                .features
                .extend(features.filter_map(Value::as_str).map(str::to_owned));
            merged.features.sort();
            merged.features.dedup();
        }
    }
    Ok(all)
}

/// The bare crate's `Cargo.toml`: those dependencies and the workspace's
/// dev profile, nothing else.
fn manifest(deps: &Dependencies, profile: &str) -> String {
    let mut toml = String::from(
        "[package]\nname = \"bare\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n",
    );
    for (target, deps) in deps {
        match target {
            None => toml.push_str("\n[dependencies]\n"),
            Some(cfg) => toml.push_str(&format!("\n[target.'{cfg}'.dependencies]\n")),
        }
        for (name, dep) in deps {
            let features: Vec<String> = dep.features.iter().map(|f| format!("{f:?}")).collect();
            toml.push_str(&format!(
                "{name} = {{ version = {:?}, default-features = {}, features = [{}] }}\n",
                dep.version,
                dep.default_features,
                features.join(", ")
            ));
        }
    }
    toml.push('\n');
    toml.push_str(profile);
    toml
}

/// The `[profile.dev]` table of the workspace's manifest, so both builds
/// use the same settings.
fn dev_profile(workspace_manifest: &str) -> String {
    let mut lines = workspace_manifest
        .lines()
        .skip_while(|l| l.trim() != "[profile.dev]");
    let mut table = String::new();
    if let Some(head) = lines.next() {
        table.push_str(head);
        table.push('\n');
        for line in lines.take_while(|l| !l.starts_with('[')) {
            table.push_str(line);
            table.push('\n');
        }
    }
    table
}

/// Time `cargo build` in `dir` with an empty target folder.
fn cold_build(dir: &Path, target: &Path) -> io::Result<Duration> {
    if target.exists() {
        fs::remove_dir_all(target)?;
    }
    let start = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .stdin(Stdio::null())
        .status()?;
    let elapsed = start.elapsed();
    if !status.success() {
        return Err(io::Error::other(format!(
            "cargo build in {} failed: {status}",
            dir.display()
        )));
    }
    Ok(elapsed)
}

/// Both cold builds, `runs` times each (the fastest is kept), in `scratch`.
pub fn measure(workspace: &Path, runs: usize, scratch: &Path) -> io::Result<(Duration, Duration)> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(workspace)
        .stderr(Stdio::inherit())
        .output()?;
    if !output.status.success() {
        return Err(io::Error::other("cargo metadata failed"));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)?;
    let profile = dev_profile(&fs::read_to_string(workspace.join("Cargo.toml"))?);
    let bare = scratch.join("bare");
    fs::create_dir_all(bare.join("src"))?;
    fs::write(
        bare.join("Cargo.toml"),
        manifest(&third_party(&metadata)?, &profile),
    )?;
    fs::write(bare.join("src/lib.rs"), "")?;
    // The same versions as the workspace builds.
    fs::copy(workspace.join("Cargo.lock"), bare.join("Cargo.lock"))?;
    let target = scratch.join("target");
    let mut fastest = (Duration::MAX, Duration::MAX);
    for _ in 0..runs.max(1) {
        fastest.0 = fastest.0.min(cold_build(&bare, &target)?);
        fastest.1 = fastest.1.min(cold_build(workspace, &target)?);
    }
    fs::remove_dir_all(&target)?;
    Ok(fastest)
}

/// The comparison as the README shows it.
pub fn section(bare: Duration, workspace: Duration, runs: usize, machine: &Machine) -> Section {
    let mut table = Table::new(["cold `cargo build`", "time", "× dependencies alone"]);
    let secs = |d: Duration| format!("{:.1} s", d.as_secs_f64());
    table.row([
        "the third-party crates alone".to_owned(),
        secs(bare),
        "×1.00".to_owned(),
    ]);
    table.row([
        "the default workspace (every lesson)".to_owned(),
        secs(workspace),
        ratio(workspace.as_secs_f64(), Some(bare.as_secs_f64())),
    ]);
    let markdown = format!(
        "Measured on {}, the fastest of {runs} cold build{} each (dev profile, the same \
`Cargo.lock`; sources already downloaded).\n\n{}",
        machine.describe(),
        if runs == 1 { "" } else { "s" },
        table.markdown()
    );
    Section {
        name: "build",
        lesson: "README.md",
        markdown,
        plot: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_registry_dependencies_of_default_members_are_kept() {
        let metadata = serde_json::json!({
            "workspace_default_members": ["a"],
            "packages": [
                {"id": "a", "dependencies": [
                    {"name": "clap", "source": "registry", "req": "^4.5", "kind": null,
                     "optional": false, "uses_default_features": true, "features": ["derive"], "target": null},
                    {"name": "nix", "source": "registry", "req": "^0.31", "kind": null,
                     "optional": false, "uses_default_features": true, "features": ["poll"], "target": "cfg(unix)"},
                    {"name": "classroom", "source": null, "req": "*", "kind": null,
                     "optional": false, "uses_default_features": true, "features": [], "target": null},
                    {"name": "proptest", "source": "registry", "req": "^1", "kind": "dev",
                     "optional": false, "uses_default_features": true, "features": [], "target": null},
                    {"name": "snapbox", "source": "registry", "req": "^1", "kind": null,
                     "optional": true, "uses_default_features": true, "features": [], "target": null}
                ]},
                {"id": "bench", "dependencies": [
                    {"name": "tokio", "source": "registry", "req": "^1", "kind": null,
                     "optional": false, "uses_default_features": false, "features": [], "target": null}
                ]}
            ]
        });
        let deps = third_party(&metadata).unwrap();
        let toml = manifest(&deps, "[profile.dev]\ndebug = 0\n");
        assert!(
            toml.contains(
                "clap = { version = \"^4.5\", default-features = true, features = [\"derive\"] }"
            ),
            "{toml}"
        );
        assert!(
            toml.contains("[target.'cfg(unix)'.dependencies]\nnix = "),
            "{toml}"
        );
        for left_out in ["classroom", "proptest", "snapbox", "tokio"] {
            assert!(!toml.contains(left_out), "{left_out} in {toml}");
        }
        assert!(toml.ends_with("[profile.dev]\ndebug = 0\n"));
    }

    #[test]
    fn the_dev_profile_is_copied_whole() {
        let manifest = "[workspace]\n\n[profile.dev]\n# why\ndebug = \"line-tables-only\"\n\n[profile.release]\nx = 1\n";
        assert_eq!(
            dev_profile(manifest),
            "[profile.dev]\n# why\ndebug = \"line-tables-only\"\n\n"
        );
        assert_eq!(dev_profile("[workspace]\n"), "");
    }
}
