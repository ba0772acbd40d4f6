#!/usr/bin/env bash
# Open a lesson step in tmux: the server on the left, the client on the
# right. The client's command is typed but not run: press Enter in the right
# pane once the server says "listening on".
#
#   scripts/two-terminals.sh CRATE [STEP] [OPTION...]
#   scripts/two-terminals.sh tcp_basic chat
#   scripts/two-terminals.sh tcp_basic chat --port 9090
#
# Options after the step go to both programs: `--port N` when the document's
# port is busy, `--host H` for another machine. (`--port 0` would give the
# client nothing to connect to: pick a free number instead.)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: $0 CRATE [STEP] [--port N] [--host H]   (for example: $0 tcp_basic hello --port 9090)" >&2
  exit 2
}

[ $# -ge 1 ] || usage
crate=$1
shift
step=""
if [ $# -gt 0 ] && [[ $1 != -* ]]; then
  step=$1
  shift
fi
options=()
while [ $# -gt 0 ]; do
  case $1 in
    --port | --host)
      [ $# -ge 2 ] || usage
      options+=("$1" "$2")
      shift 2
      ;;
    *) usage ;;
  esac
done
if [ ! -d "crates/$crate" ]; then
  echo "no crate named '$crate' in crates/" >&2
  exit 2
fi

# The two commands, each word quoted for the shell in the pane.
server=$(printf '%q ' cargo run -q -p "$crate" -- server ${step:+"$step"} "${options[@]}")
client=$(printf '%q ' cargo run -q -p "$crate" -- client ${step:+"$step"} "${options[@]}")
server=${server% }
client=${client% }

if ! command -v tmux >/dev/null 2>&1; then
  cat >&2 <<MSG
tmux is not installed. Install it (Debian/Ubuntu: sudo apt-get install tmux;
macOS: brew install tmux), or open two terminals yourself and run:
  left:  $server
  right: $client
MSG
  exit 1
fi

# Build first so neither pane waits on the compiler.
cargo build -q -p "$crate"

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
