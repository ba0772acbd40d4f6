//! Each comparison run end to end at its smallest size: every server
//! answers every echo, every transfer arrives intact, every framing
//! delivers every message. No timing is asserted here; the numbers come
//! from `scripts/bench.sh`.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

use bench::Size;
use bench::child::Running;
use bench::framing::{self, Fix};
use bench::machine::Machine;
use bench::report::replace_section;
use bench::servers::{self, CLIENTS, Model};
use bench::{build_cost, scale, transfer};

fn bench_exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_bench"))
}

#[test]
fn every_server_model_echoes_for_every_client_count() {
    let models: Vec<Model> = Model::ALL
        .into_iter()
        .filter(|&model| model != Model::Python || classroom::testing::python3().is_some())
        .collect();
    let rows = servers::measure(bench_exe(), &Size::TINY, &models);
    for row in &rows {
        let loads = row
            .loads
            .as_ref()
            .unwrap_or_else(|e| panic!("{:?}: {e}", row.model));
        assert_eq!(loads.len(), CLIENTS.len());
        for (load, clients) in loads.iter().zip(CLIENTS) {
            // `load` fails on any wrong echo; here: answers were counted.
            assert!(
                load.requests > 0,
                "{:?} with {clients} clients answered nothing",
                row.model
            );
            assert_eq!(load.latencies.len() as u64, load.requests);
        }
    }
    let section = servers::section(&rows, &Machine::this());
    for model in models {
        assert!(
            section.markdown.contains(model.label()),
            "{}",
            section.markdown
        );
    }
    assert!(
        !section.markdown.contains("did not run"),
        "{}",
        section.markdown
    );
}

#[test]
fn a_server_child_says_where_it_listens_and_echoes() {
    let mut command = Command::new(bench_exe());
    command.args(["serve", "epoll"]);
    let server = Running::start(command).unwrap();
    let mut client = TcpStream::connect(server.addr()).unwrap();
    client.write_all(b"ping").unwrap();
    let mut echo = [0u8; 4];
    client.read_exact(&mut echo).unwrap();
    assert_eq!(&echo, b"ping");
}

#[test]
fn every_transfer_arrives_intact_in_bounded_memory() {
    let scratch = tempfile::tempdir().unwrap();
    let size = Size::TINY;
    let transfers = transfer::measure(bench_exe(), &size, scratch.path()).unwrap();
    let labels: Vec<&str> = transfers.iter().map(|t| t.label).collect();
    // json-header, case, plain, md5 alone, and document 002's Python
    // receiver if python3 runs.
    let expected = 4 + usize::from(classroom::testing::python3().is_some());
    assert_eq!(labels.len(), expected, "{labels:?}");
    for t in &transfers {
        assert_eq!(t.bytes, size.file, "{}", t.label);
    }
    // The file is larger than the bound: memory does not follow its size.
    assert!(size.file > 32 << 20);
    // Lesson 05's two uploads, json-header and case, on both ends.
    assert!(
        labels[0].contains("json-header") && labels[1].contains("case"),
        "{labels:?}"
    );
    for t in &transfers[..2] {
        let (sender, receiver) = t.peak_rss_kib;
        for (who, kib) in [("sender", sender), ("receiver", receiver)] {
            let kib = kib.unwrap_or_else(|| panic!("{}: the {who} reported no memory", t.label));
            assert!(
                kib < 32 * 1024,
                "{}: the {who} peaked at {kib} KiB",
                t.label
            );
        }
    }
    let section = transfer::section(&transfers, size.transfer_runs, &Machine::this());
    assert!(section.markdown.contains("40 MiB"), "{}", section.markdown);
}

#[test]
fn the_plain_receiver_refuses_more_than_it_was_told() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(bench_exe());
    command
        .arg("receive")
        .arg("plain")
        .arg(dir.path())
        .arg("10");
    let receiver = Running::start(command).unwrap();
    let mut peer = TcpStream::connect(receiver.addr()).unwrap();
    peer.write_all(&[b'x'; 100]).unwrap();
    peer.shutdown(std::net::Shutdown::Write).unwrap();
    let error = receiver.finish().unwrap_err();
    assert!(error.to_string().contains("failed"), "{error}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a file was left"
    );
}

#[test]
fn every_framing_delivers_every_message() {
    // `measure_one` fails unless the receiver counted every message.
    for fix in Fix::ALL {
        let measured = framing::measure_one(fix, Size::TINY.messages).unwrap();
        assert_eq!(measured.messages, u64::from(Size::TINY.messages), "{fix:?}");
    }
}

#[test]
fn the_scale_curve_has_every_wait_at_every_size() {
    let (points, limits) = scale::measure(&Size::TINY).unwrap();
    let sizes: Vec<usize> = points.iter().map(|p| p.idle).collect();
    assert_eq!(sizes, Size::TINY.idle, "{limits}");
    for point in &points {
        assert!(point.medians.iter().all(Option::is_some), "{point:?}");
    }
}

#[test]
fn every_section_has_its_markers_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let machine = Machine::this();
    let none = std::time::Duration::ZERO;
    let sections = [
        servers::section(&[], &machine),
        scale::section(&[], "", 1, &machine),
        transfer::section(&[], 1, &machine),
        framing::section(&[], &machine),
        build_cost::section(none, none, 1, &machine),
    ];
    for section in sections {
        let file = section.lesson;
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        replace_section(&text, section.name, "x").unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            text.contains("scripts/bench.sh"),
            "{file} does not say how to measure again"
        );
    }
}
