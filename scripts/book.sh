#!/usr/bin/env bash
# The course book: builds lessons/ into target/book with mdBook, draws the
# mermaid diagrams offline and indexes the pages for search (Chinese too).
#
#   scripts/book.sh          build target/book (index.html is the first page)
#   scripts/book.sh pdf      build, then target/book/socket-lessons.pdf, a handout
#                            printed from print.html by headless Chromium
#   scripts/book.sh serve    build, then serve it on http://127.0.0.1:3000 (search
#                            needs HTTP: a page opened as a file cannot fetch the index)
#
# Installs what it needs, skipping what is already there:
#   mdbook 0.5.4      cargo install (about 1.5 minutes, once per machine, into
#                     ~/.cargo/bin, or target/book-tools when ~/.cargo/bin holds
#                     another version of mdbook)
#   mermaid, pagefind pinned npm packages, into target/book-tools (seconds)
#   chromium          Debian's, with fonts-wqy-microhei for Chinese and
#                     poppler-utils (pdf only; apt-get when run as root)
# Needs cargo, python3 and npm. scripts/book-check tests the result in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

MDBOOK_VERSION=0.5.4
MERMAID_VERSION=11.17.2
PAGEFIND_VERSION=1.6.0

target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$PWD/$target ;; esac
out=$target/book
tools=$target/book-tools
mkdir -p "$tools"

say() { printf 'book: %s\n' "$*" >&2; }

# ---- mdbook --------------------------------------------------------------
mdbook_at() { [ -x "$1" ] && [ "$("$1" --version 2>/dev/null)" = "mdbook v$MDBOOK_VERSION" ]; }
mdbook=
for candidate in "$(command -v mdbook || true)" "${CARGO_HOME:-$HOME/.cargo}/bin/mdbook" "$tools/bin/mdbook"; do
  if [ -n "$candidate" ] && mdbook_at "$candidate"; then mdbook=$candidate; break; fi
done
if [ -z "$mdbook" ]; then
  root=${CARGO_HOME:-$HOME/.cargo}
  # never replace a developer's own mdbook of another version
  if [ -e "$root/bin/mdbook" ]; then root=$tools; fi
  say "installing mdbook $MDBOOK_VERSION into $root/bin (about 1.5 minutes)"
  cargo install mdbook --locked --version "$MDBOOK_VERSION" \
    --no-default-features --features search --root "$root" --quiet
  mdbook=$root/bin/mdbook
  mdbook_at "$mdbook" || { say "$mdbook is not mdbook v$MDBOOK_VERSION"; exit 1; }
fi

# ---- mermaid and pagefind, from npm ---------------------------------------------
# mdbook-i18n-helpers: mdbook-gettext translates the Chinese book from
# lessons/po/zh-CN.po, mdbook-xgettext extracts the English (scripts/book-po).
I18N_VERSION=0.4.0
gettext_at() { [ -x "$1/mdbook-gettext" ] && [ -x "$1/mdbook-xgettext" ] && grep -qx "$I18N_VERSION" "$1/.mdbook-i18n-helpers-version" 2>/dev/null; }
i18n_bin=
for candidate in "$(dirname "$mdbook")" "${CARGO_HOME:-$HOME/.cargo}/bin" "$tools/bin"; do
  if gettext_at "$candidate"; then i18n_bin=$candidate; break; fi
done
if [ -z "$i18n_bin" ]; then
  root=$(dirname "$(dirname "$mdbook")")
  say "installing mdbook-i18n-helpers $I18N_VERSION into $root/bin (about 2 minutes)"
  cargo install mdbook-i18n-helpers --locked --version "$I18N_VERSION" --root "$root" --quiet
  echo "$I18N_VERSION" >"$root/bin/.mdbook-i18n-helpers-version"
  i18n_bin=$root/bin
fi
export PATH="$i18n_bin:$(dirname "$mdbook"):$PATH"
command -v msgmerge >/dev/null || {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing gettext (apt-get)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext >/dev/null
  else
    say "scripts/book-po needs GNU gettext: apt-get install gettext"
  fi
}

mermaid_js=$tools/mermaid-$MERMAID_VERSION/mermaid.min.js
if [ ! -s "$mermaid_js" ]; then
  say "fetching mermaid $MERMAID_VERSION (npm pack)"
  rm -rf "$tools/mermaid-$MERMAID_VERSION.partial"
  mkdir -p "$tools/mermaid-$MERMAID_VERSION.partial"
  (cd "$tools/mermaid-$MERMAID_VERSION.partial" \
    && npm pack --silent "mermaid@$MERMAID_VERSION" >/dev/null \
    && tar -xzf "mermaid-$MERMAID_VERSION.tgz" package/dist/mermaid.min.js package/LICENSE \
    && mv package/dist/mermaid.min.js package/LICENSE . \
    && rm -rf package "mermaid-$MERMAID_VERSION.tgz")
  rm -rf "$tools/mermaid-$MERMAID_VERSION"
  mv "$tools/mermaid-$MERMAID_VERSION.partial" "$tools/mermaid-$MERMAID_VERSION"
fi

pagefind_dir=$tools/pagefind-$PAGEFIND_VERSION
pagefind=(node "$pagefind_dir/node_modules/pagefind/lib/runner/bin.cjs")
if ! "${pagefind[@]}" --version 2>/dev/null | grep -qx "pagefind $PAGEFIND_VERSION"; then
  say "installing pagefind $PAGEFIND_VERSION (npm)"
  npm install --silent --no-save --no-audit --no-fund --no-package-lock \
    --prefix "$pagefind_dir" "pagefind@$PAGEFIND_VERSION" >/dev/null
fi

# ---- the book ------------------------------------------------------------------
build() {
  local started=$SECONDS
  if ! python3 scripts/book-schedule --check >/dev/null 2>&1; then
    say "warning: lessons/schedule.md is out of date: run scripts/book-schedule"
  fi
  rm -rf "$out"
  "$mdbook" build lessons --dest-dir "$out" 2>&1 | grep -v ' INFO ' >&2 || true
  [ -f "$out/index.html" ] || { say "mdbook build failed"; exit 1; }
  # what the source folder holds besides the pages
  rm -f "$out/book.toml"
  mkdir -p "$out/vendor"
  cp "$mermaid_js" "$out/vendor/mermaid.min.js"
  cp "$(dirname "$mermaid_js")/LICENSE" "$out/vendor/mermaid.LICENSE"
  # Search: pagefind's extended build splits Chinese into words (粘包, 三次握手).
  # Only the chapters are indexed (not print.html, toc.html, 404.html), each
  # page's <main>, without the menu.
  "${pagefind[@]}" --site "$out" --root-selector main --silent \
    --glob '{README,glossary,schedule,[0-9][0-9]-*}.html'
  # The Chinese book, after the English one's index (which must not hold it).
  local zh=$out/zh-CN
  MDBOOK_BOOK__LANGUAGE=zh-CN MDBOOK_BOOK__TITLE="socket-lessons：用 Rust 学套接字编程" \
    "$mdbook" build lessons --dest-dir "$zh" 2>&1 | grep -v ' INFO ' >&2 || true
  [ -f "$zh/index.html" ] || { say "mdbook build of the Chinese book failed"; exit 1; }
  rm -f "$zh/book.toml"
  cp -r "$out/vendor" "$zh/vendor"
  "${pagefind[@]}" --site "$zh" --root-selector main --silent \
    --glob '{README,glossary,schedule,[0-9][0-9]-*}.html'
  say "built $out/index.html and $zh/index.html in $((SECONDS - started)) s"
}

pdf() {
  local chromium
  chromium=$(command -v chromium || command -v chromium-browser || true)
  # Chromium prints; WenQuanYi Micro Hei draws its Chinese; pdftotext (poppler)
  # lets scripts/book-check read the PDF back.
  if [ -z "$chromium" ] || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy' || ! command -v pdftotext >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing chromium, fonts-wqy-microhei and poppler-utils (apt-get)"
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei poppler-utils >/dev/null
      chromium=$(command -v chromium)
    elif [ -z "$chromium" ]; then
      say "the PDF needs Chromium: apt-get install chromium fonts-wqy-microhei"
      exit 1
    fi
  fi
  local started=$SECONDS pdf=$out/socket-lessons.pdf handout=$out/handout-print.html
  rm -f "$pdf"
  # print.html opens the print dialog once loaded, which stops a headless
  # print: print a copy without that call. Its diagrams are drawn by scripts,
  # which the virtual time budget lets finish before the page is printed.
  sed 's/window\.setTimeout(window\.print, 100);//' "$out/print.html" >"$handout"
  timeout 300 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-dev-shm-usage --run-all-compositor-stages-before-draw \
    --virtual-time-budget=30000 --no-pdf-header-footer \
    --print-to-pdf="$pdf" "file://$handout" >/dev/null 2>&1 || true
  rm -f "$handout"
  [ -s "$pdf" ] || { say "Chromium wrote no PDF from $out/print.html"; exit 1; }
  say "printed $pdf ($(du -k "$pdf" | cut -f1) KiB) in $((SECONDS - started)) s"
}

case ${1:-build} in
  build) build ;;
  pdf) build; pdf ;;
  serve)
    build
    say "serving $out on http://127.0.0.1:${PORT:-3000} (Ctrl-C to stop)"
    exec python3 -m http.server --bind 127.0.0.1 --directory "$out" "${PORT:-3000}"
    ;;
  *) echo "usage: scripts/book.sh [build|pdf|serve]" >&2; exit 2 ;;
esac
