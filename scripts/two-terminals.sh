#!/usr/bin/env bash
# Open a lesson step in tmux: the server on the left, the client on the
# right. The client's command is typed but not run: press Enter in the right
# pane once the server says "listening on".
#
#   scripts/two-terminals.sh CRATE [STEP]
#   scripts/two-terminals.sh tcp_basic chat
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 CRATE [STEP]   (for example: $0 tcp_basic hello)" >&2
  exit 2
fi
crate=$1
step=${2:-}
if [ ! -d "crates/$crate" ]; then
  echo "no crate named '$crate' in crates/" >&2
  exit 2
fi
if ! command -v tmux >/dev/null 2>&1; then
  cat >&2 <<MSG
tmux is not installed. Install it (Debian/Ubuntu: sudo apt-get install tmux;
macOS: brew install tmux), or open two terminals yourself and run:
  left:  cargo run -q -p $crate -- server $step
  right: cargo run -q -p $crate -- client $step
MSG
  exit 1
fi

# Build first so neither pane waits on the compiler.
cargo build -q -p "$crate"
server="cargo run -q -p $crate -- server $step"
client="cargo run -q -p $crate -- client $step"

# Inside tmux: a new window of the current session; outside: a new session.
if [ -n "${TMUX:-}" ]; then
  target=$(tmux new-window -P -F '#{window_id}' -c "$PWD" -n "$crate")
else
  session="lesson-$crate-$$"
  tmux new-session -d -s "$session" -n "$crate" -c "$PWD"
  target="$session:$crate"
fi
tmux send-keys -t "$target" "$server" Enter
tmux split-window -h -t "$target" -c "$PWD"
tmux send-keys -t "$target" "$client"
[ -n "${TMUX:-}" ] || tmux attach -t "$session"
