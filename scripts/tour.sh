#!/usr/bin/env bash
# Run every lesson's demo in lesson order. On a terminal it pauses between
# lessons so a class can read; in CI or through a pipe it runs straight on.
set -euo pipefail
cd "$(dirname "$0")/.."

# Lesson order; a crate that does not exist yet is skipped.
lessons=(
  "net_basics"
  "tcp_basic demo all"
  "reuseaddr demo all"
  "udp_chat demo all"
  "sticky_packet_demo demo all"
  "struct_header_fix demo all"
  "nonblocking demo all"
  "select_multiplex demo all"
  "socketserver_like demo all"
)

pause=false
if [ -t 0 ] && [ -t 1 ] && [ -z "${CI:-}" ]; then pause=true; fi

cargo build -q --workspace
first=true
for entry in "${lessons[@]}"; do
  read -r crate args <<<"$entry"
  [ -d "crates/$crate" ] || continue
  if ! $first && $pause; then
    read -r -p "--- press Enter for $crate (Ctrl-C to stop) ---" _
  fi
  first=false
  printf '\n##### %s #####\n' "$crate"
  # shellcheck disable=SC2086 # args are words on purpose
  cargo run -q -p "$crate" -- $args
done
