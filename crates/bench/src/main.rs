//! `bench`: the measurements behind the lessons' tables and plots.
//! `scripts/bench.sh` is the way to run it; see that script.

#[cfg(target_os = "linux")]
mod run;

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    run::main()
}

#[cfg(not(target_os = "linux"))]
fn main() -> std::process::ExitCode {
    eprintln!("the bench measures epoll, /proc and Linux socket buffers: run it on Linux");
    std::process::ExitCode::FAILURE
}
