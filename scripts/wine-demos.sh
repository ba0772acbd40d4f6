#!/usr/bin/env bash
# Build every lesson crate for Windows and run its `demo all` under Wine:
# the check that the lessons work for the many students on Windows laptops,
# made on Linux.
#
#   scripts/wine-demos.sh              # build, run, print a table; exit 1 on any failure
#   scripts/wine-demos.sh --optional   # the same, but exit 0 when Wine or mingw cannot be had
#
# What it needs, installed here when missing: Wine (Debian's `wine64`), the
# mingw C compiler and linker (`gcc-mingw-w64-x86-64`; installed with
# apt-get when run as root) and Rust's `x86_64-pc-windows-gnu` target
# (rustup). Each demo gets DEMO_SECONDS (default 90) to finish. It must
# exit 0 and print the key lines listed below for its crate.
#
# It also writes target/wine/lesson-env.sh. Source it before `cargo test`
# and the lessons' `console windows` blocks run under Wine too:
#   scripts/wine-demos.sh && . target/wine/lesson-env.sh && cargo test -p reuseaddr
#
# Everything lives under target/ (or $CARGO_TARGET_DIR): the Windows
# binaries in target/x86_64-pc-windows-gnu/debug, and under target/wine a
# private Wine prefix (your own ~/.wine is not touched), the stand-in DLL,
# and each demo's output (CRATE.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

optional=false
case "${1:-}" in
  --optional) optional=true ;;
  "") ;;
  -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--optional]" >&2; exit 2 ;;
esac

target=x86_64-pc-windows-gnu
target_root=${CARGO_TARGET_DIR:-$root/target}
work=$target_root/wine
bin_dir=$target_root/$target/debug
demo_seconds=${DEMO_SECONDS:-90}

# One honest line per crate (or two) that its `demo all` prints under Wine,
# as `CRATE|TEXT`: TEXT must appear in the output as it is.
key_lines='
net_basics|the server answered: HTTP/1.1 200 OK
tcp_basic|[client] recv #1: 2 bytes "hi"
tcp_basic|[server] my socket is now CLOSE_WAIT: the client has closed, I may still send
reuseaddr|* this system let the new listener in next to the TIME_WAIT, as Windows does; Linux refuses
reuseaddr|in TIME_WAIT, next to the new listener
udp_chat|[client] message from server: letters, not a phone call
sticky_packet_demo|* 2 sends arrived in 1 recv
struct_header_fix|[server] saved notes.txt (300 bytes)
nonblocking|[server] recv #1: 15 bytes "lbw正在吃翔"
nonblocking|(os error 10035)
select_multiplex|[client 2] recv #1: 19 bytes "hello from client 2"
socketserver_like|* three clients were connected at the same time, each served by its own thread
'

skip() {
  echo "skipped: $*"
  if $optional; then exit 0; fi
  exit 1
}

section() { printf '\n== %s\n' "$*"; }

# The Wine program: an explicit WINE, Debian's wine64, or whatever is on PATH.
find_wine() {
  local candidate
  for candidate in "${WINE:-}" /usr/lib/wine/wine64 "$(command -v wine64 || true)" \
    "$(command -v wine || true)" /usr/lib/wine/wine; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

have_tools() { find_wine >/dev/null && command -v x86_64-w64-mingw32-gcc >/dev/null; }

section "tools: Wine, mingw, the $target target"
if ! have_tools; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    packages=(wine64 gcc-mingw-w64-x86-64)
    export DEBIAN_FRONTEND=noninteractive
    # Bounded: a mirror that cannot be reached must not stall CI.
    timeout 600 apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1 \
      || { timeout 300 apt-get update >/dev/null 2>&1 \
        && timeout 600 apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1; } \
      || skip "apt-get could not install ${packages[*]}"
  fi
  have_tools || skip "Wine and x86_64-w64-mingw32-gcc are needed (Debian/Ubuntu, as root: apt-get install wine64 gcc-mingw-w64-x86-64)"
fi
if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  timeout 300 rustup target add "$target" || skip "rustup could not fetch the $target standard library"
fi
wine=$(find_wine)
echo "Wine: $wine ($("$wine" --version 2>/dev/null || echo 'version unknown'))"

section "Windows binaries (cargo build --target $target)"
build_start=$SECONDS
# The default members: every lesson crate, never the bench.
cargo build --target "$target"
build_seconds=$((SECONDS - build_start))

section "Wine prefix: $work/prefix"
mkdir -p "$work"
export WINEPREFIX=$work/prefix WINEDEBUG=-all
dll=$work/bcryptprimitives.dll
if [ ! -e "$dll" ] || [ scripts/wine/bcryptprimitives.c -nt "$dll" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -o "$dll" scripts/wine/bcryptprimitives.c -ladvapi32
fi
system32=$WINEPREFIX/drive_c/windows/system32
if [ ! -d "$system32" ]; then
  "$wine" wineboot -i >/dev/null 2>&1 || true
  "${wine%/*}/wineserver" -w 2>/dev/null || true
  [ -d "$system32" ] || skip "Wine could not create its prefix in $WINEPREFIX"
fi
# Only where this Wine has no bcryptprimitives.dll of its own (Wine 8 has
# none; see scripts/wine/bcryptprimitives.c), or it is ours from a past run.
if [ ! -e "$system32/bcryptprimitives.dll" ] || [ -e "$WINEPREFIX/.stand-in-dll" ]; then
  cp "$dll" "$system32/bcryptprimitives.dll"
  touch "$WINEPREFIX/.stand-in-dll"
  echo "installed the stand-in bcryptprimitives.dll (ProcessPrng, for Rust's std)"
fi

cat >"$work/lesson-env.sh" <<ENV
# Written by scripts/wine-demos.sh: run the lessons' \`console windows\`
# blocks under Wine in \`cargo test\`.
export LESSON_WINDOWS_BIN_DIR='$bin_dir'
export LESSON_WINE='$wine'
export WINEPREFIX='$WINEPREFIX'
ENV

# Every lesson crate with a program must have key lines above.
crates=$(sed -n '/^default-members/,/^\]/s/.*"crates\/\([a-z_]*\)".*/\1/p' Cargo.toml)
failed=0
rows=()
section "demo all under Wine (at most ${demo_seconds}s each)"
for crate in $crates; do
  [ -f "crates/$crate/src/main.rs" ] || continue
  out=$work/$crate.txt
  start=$(date +%s.%N)
  note=
  for try in 1 2; do
    status=0
    NO_COLOR=1 timeout "$demo_seconds" "$wine" "$bin_dir/$crate.exe" demo all >"$out" 2>&1 </dev/null \
      || status=$?
    # Wine's own failure, before the program ran (once seen here, on a
    # fresh prefix): say so and try once more; the program's are not retried.
    if [ "$try" = 1 ] && grep -q '^wine client error' "$out"; then
      note=" (retried: $(grep -m 1 '^wine client error' "$out"); first try in ${out%.txt}.first-try.txt)"
      mv "$out" "${out%.txt}.first-try.txt"
      continue
    fi
    break
  done
  seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  problems=()
  case $status in
    0) ;;
    124) problems+=("did not finish within ${demo_seconds}s") ;;
    *) problems+=("exited with $status") ;;
  esac
  expected=$(printf '%s\n' "$key_lines" | sed -n "s/^$crate|//p")
  [ -n "$expected" ] || problems+=("no key lines listed for it in $0")
  while IFS= read -r line; do
    [ -z "$line" ] || grep -qF -- "$line" "$out" || problems+=("missing: $line")
  done <<<"$expected"
  if [ ${#problems[@]} -eq 0 ]; then
    rows+=("$(printf '%-20s %-6s %6ss%s' "$crate" ok "$seconds" "$note")")
  else
    failed=1
    rows+=("$(printf '%-20s %-6s %6ss%s' "$crate" FAILED "$seconds" "$note")")
    echo "--- $crate: ${problems[*]}; the end of its output ($out):"
    tail -n 20 "$out"
  fi
done

section "results"
printf '%-20s %-6s %7s\n' crate result time
printf '%s\n' "${rows[@]}"
echo "(cross-build ${build_seconds}s; outputs in $work/CRATE.txt)"
exit "$failed"
