#!/usr/bin/env bash
# Run every lesson's demos in lesson order, one step at a time. On a terminal
# it pauses before each step, so a class reads one screen at a time; in CI,
# or through a pipe, it runs straight on (TOUR_PAUSE=1 pauses anyway, reading
# Enter from standard input).
#
#   scripts/tour.sh              every lesson
#   scripts/tour.sh 04           from lesson 04 on
set -euo pipefail
cd "$(dirname "$0")/.."

# Lesson order.
crates=(net_basics tcp_basic reuseaddr udp_chat sticky_packet_demo struct_header_fix
  nonblocking select_multiplex socketserver_like)

from=${1:-00}
if ! [[ $from =~ ^0?[0-8]$ ]]; then
  echo "usage: $0 [LESSON]   (a lesson number from 00 to 08)" >&2
  exit 2
fi
from=$((10#$from))

pause=false
if [ -t 0 ] && [ -t 1 ] && [ -z "${CI:-}" ]; then pause=true; fi
[ "${TOUR_PAUSE:-}" = 1 ] && pause=true

# The default members only: the lessons, never the bench and its tokio.
cargo build -q

for ((n = from; n < ${#crates[@]}; n++)); do
  crate=${crates[$n]}
  for step in $(cargo run -q -p "$crate" -- demo --list | awk '{ print $1 }'); do
    if $pause; then
      printf -- '--- lesson %02d %s: press Enter for `demo %s` (Ctrl-C to stop) ---' "$n" "$crate" "$step"
      read -r _ || exit 0
    fi
    printf '\n##### %s demo %s #####\n' "$crate" "$step"
    cargo run -q -p "$crate" -- demo "$step"
  done
done
