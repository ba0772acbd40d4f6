#!/usr/bin/env bash
# Watch the TCP segments behind a lesson's server and client: one line per
# segment on the loopback interface, with its flags, sequence and
# acknowledgement numbers and payload length.
#
#   scripts/capture.sh PORT [COUNT]
#   scripts/capture.sh 8001        # until Ctrl-C
#   scripts/capture.sh 8001 10     # stop after 10 segments
#
# Start it before the client, in a third terminal:
#   terminal 1: cargo run -q -p sticky_packet_demo -- server glue    (port 8001)
#   terminal 2: sudo scripts/capture.sh 8001
#   terminal 3: cargo run -q -p sticky_packet_demo -- client glue lbw正在吃 翔
#
# `demo` steps use a port the OS picks afresh each run, so capture the
# `server`/`client` steps, which use the document's port.
#
# Capturing packets needs root (sudo), or on Linux the capabilities
# CAP_NET_RAW and CAP_NET_ADMIN on tcpdump/dumpcap. Uses tcpdump, or tshark
# (Wireshark's command line) if tcpdump is missing. Set CAPTURE_IFACE to use
# another interface than loopback.
set -euo pipefail

usage() {
  echo "usage: $0 PORT [COUNT]   (for example: $0 8001, or $0 8001 10 to stop after 10 segments)" >&2
  exit 2
}

[ $# -ge 1 ] && [ $# -le 2 ] || usage
port=$1
count=${2:-0}
[[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || usage
[[ $count =~ ^[0-9]+$ ]] || usage

case "$(uname -s)" in
  Darwin | *BSD) iface=${CAPTURE_IFACE:-lo0} ;;
  *) iface=${CAPTURE_IFACE:-lo} ;;
esac

if command -v tcpdump >/dev/null 2>&1; then
  tool=tcpdump
elif command -v tshark >/dev/null 2>&1; then
  tool=tshark
else
  cat >&2 <<'MSG'
Neither tcpdump nor tshark is installed. Install one:
  Debian/Ubuntu:  sudo apt-get install tcpdump
  Fedora:         sudo dnf install tcpdump
  Arch:           sudo pacman -S tcpdump
  macOS:          tcpdump comes with the system
  Windows:        install Wireshark (it brings tshark), then run this script from Git Bash or WSL
MSG
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "note: capturing needs root (run with sudo) or, on Linux, CAP_NET_RAW and CAP_NET_ADMIN on $tool" >&2
fi

limit="until Ctrl-C"
[ "$count" -gt 0 ] && limit="$count segments"
echo "capturing TCP port $port on $iface with $tool ($limit)" >&2
printf '%-10s  %-21s    %-21s  %-12s  %-11s  %-10s  %s\n' \
  time from to flags seq ack len

# Both tools' lines are rewritten into the same columns. The flags column
# keeps the tool's short form and spells it out: S = SYN, . = ACK, P = PSH,
# F = FIN, R = RST.
spell='
function spell(f,   out) {
  out = ""
  if (f ~ /S/) out = out "SYN,"
  if (f ~ /F/) out = out "FIN,"
  if (f ~ /R/) out = out "RST,"
  if (f ~ /P/) out = out "PSH,"
  if (f ~ /\./) out = out "ACK,"
  sub(/,$/, "", out)
  return out
}
function row(t, from, to, flags, seq, ack, len) {
  printf "%-10s  %-21s -> %-21s  %-12s  %-11s  %-10s  %s\n", t, from, to, flags, seq, ack, len
  fflush()
}'

# mawk (Debian's and Ubuntu's awk) reads a pipe in large blocks, so in the
# until-Ctrl-C mode it would show nothing until kilobytes had piled up;
# `-W interactive` makes it read and write a line at a time.
awk=(awk)
if awk -W version 2>/dev/null | grep -q mawk; then awk=(awk -W interactive); fi

if [ "$tool" = tcpdump ]; then
  args=(-i "$iface" -n -l -ttttt)
  [ "$count" -gt 0 ] && args+=(-c "$count")
  # A tcpdump line: 00:00:00.000051 IP 127.0.0.1.54716 > 127.0.0.1.8001:
  #   Flags [P.], seq 1:13, ack 1, win 512, options [...], length 12
  tcpdump "${args[@]}" "tcp port $port" | "${awk[@]}" "$spell"'
    {
      from = $3; to = $5; sub(/:$/, "", to)
      flags = ""; seq = "-"; ack = "-"; len = "0"
      if (match($0, /Flags \[[^]]*\]/)) flags = substr($0, RSTART + 7, RLENGTH - 8)
      if (match($0, /seq [0-9:]+/)) seq = substr($0, RSTART + 4, RLENGTH - 4)
      if (match($0, /ack [0-9]+/)) ack = substr($0, RSTART + 4, RLENGTH - 4)
      if (match($0, /length [0-9]+/)) len = substr($0, RSTART + 7, RLENGTH - 7)
      t = $1; sub(/^00:00:/, "", t)
      row(t, from, to, "[" flags "] " spell(flags), seq, ack, len)
    }'
else
  args=(-i "$iface" -n -l -f "tcp port $port")
  [ "$count" -gt 0 ] && args+=(-c "$count")
  # Relative sequence numbers, as tcpdump shows them after the handshake.
  tshark "${args[@]}" -T fields -E separator=/t \
    -e frame.time_relative -e ip.src -e ipv6.src -e tcp.srcport \
    -e ip.dst -e ipv6.dst -e tcp.dstport -e tcp.flags.syn -e tcp.flags.fin \
    -e tcp.flags.reset -e tcp.flags.push -e tcp.flags.ack \
    -e tcp.seq -e tcp.nxtseq -e tcp.ack -e tcp.len | "${awk[@]}" -F'\t' "$spell"'
    function on(v) { return v == "1" || v == "True" }
    {
      src = ($2 != "") ? $2 : $3; dst = ($5 != "") ? $5 : $6
      f = ""
      if (on($8)) f = f "S"
      if (on($9)) f = f "F"
      if (on($10)) f = f "R"
      if (on($11)) f = f "P"
      if (on($12)) f = f "."
      seq = ($16 > 0) ? $13 ":" $14 : $13
      row(sprintf("%.6f", $1), src "." $4, dst "." $7, "[" f "] " spell(f), seq, $15, $16)
    }'
fi
