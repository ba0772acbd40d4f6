// The course book's additions to mdBook's pages (lessons/book.toml loads this
// on every page, after mdBook's own scripts):
//  * two-terminal transcripts labelled "terminal 1: server" / "terminal 2: client";
//  * ```mermaid blocks drawn as diagrams, with mermaid from the book itself
//    (scripts/book.sh copies it in; no CDN), redrawn when the theme turns dark
//    or light;
//  * a search box backed by pagefind's index (scripts/book.sh builds it), which
//    finds Chinese words as well as English ones;
//  * a link to the same page in the other language: the English book is at
//    the root, the Chinese one (中文版) in zh-CN/.
(function () {
    "use strict";

    const root = typeof path_to_root === "string" ? path_to_root : "";
    const DARK_THEMES = ["coal", "navy", "ayu"];
    const chinese = document.documentElement.lang.startsWith("zh");

    // ---- terminals -------------------------------------------------------
    const TERMINALS = chinese
        ? [["server", "终端 1：服务端"], ["client", "终端 2：客户端"], ["windows", "Windows"]]
        : [["server", "terminal 1: server"], ["client", "terminal 2: client"], ["windows", "Windows"]];
    for (const code of document.querySelectorAll("pre > code.language-console")) {
        for (const [word, label] of TERMINALS) {
            if (code.classList.contains(word)) {
                const pre = code.parentElement;
                pre.classList.add("terminal", "terminal-" + word);
                pre.dataset.terminal = label;
                break;
            }
        }
    }

    // ---- mermaid -----------------------------------------------------------
    function isDark() {
        const html = document.documentElement;
        return DARK_THEMES.some((t) => html.classList.contains(t));
    }

    function loadScript(src) {
        return new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = src;
            script.onload = resolve;
            script.onerror = () => reject(new Error("could not load " + src));
            document.head.appendChild(script);
        });
    }

    const diagrams = [];
    for (const code of document.querySelectorAll("pre > code.language-mermaid")) {
        const pre = code.parentElement;
        const box = document.createElement("div");
        box.className = "mermaid-diagram";
        box.dataset.source = code.textContent;
        pre.replaceWith(box);
        diagrams.push(box);
    }

    let drawnDark = null;
    let rendered = 0;
    let drawing = Promise.resolve();
    async function draw() {
        const dark = isDark();
        if (dark === drawnDark) {
            return;
        }
        drawnDark = dark;
        // Mermaid sizes its boxes for this font: the page must draw the
        // labels in the same one (not the code font of a <pre>).
        const font = getComputedStyle(document.body).fontFamily;
        window.mermaid.initialize({
            startOnLoad: false,
            securityLevel: "strict",
            theme: dark ? "dark" : "default",
            fontFamily: font,
            themeVariables: dark
                ? { fontFamily: font, noteBkgColor: "#2f4a63", noteTextColor: "#f0f0f0", noteBorderColor: "#6b8db0" }
                : { fontFamily: font },
        });
        for (const box of diagrams) {
            const id = "mermaid-svg-" + rendered++;
            try {
                const { svg, bindFunctions } = await window.mermaid.render(id, box.dataset.source);
                box.innerHTML = svg;
                if (bindFunctions) {
                    bindFunctions(box);
                }
            } catch (error) {
                // the source stays readable, and the console says which one
                document.getElementById("d" + id)?.remove();
                const pre = document.createElement("pre");
                pre.textContent = box.dataset.source;
                box.replaceChildren(pre);
                const first = box.dataset.source.trim().split("\n")[0];
                console.error(`mermaid could not draw the diagram "${first}": ${error.message || error}`);
            }
        }
        document.documentElement.dataset.mermaid = "drawn";
    }

    if (diagrams.length > 0) {
        loadScript(root + "vendor/mermaid.min.js")
            .then(() => {
                drawing = drawing.then(draw);
                // mdBook switches themes by the class of <html>
                new MutationObserver(() => {
                    drawing = drawing.then(draw);
                }).observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
            })
            .catch((error) => {
                // the source stays readable when the diagram cannot be drawn
                for (const box of diagrams) {
                    const pre = document.createElement("pre");
                    pre.textContent = box.dataset.source;
                    box.replaceChildren(pre);
                }
                console.error(error);
                document.documentElement.dataset.mermaid = "drawn";
            });
    }

    // ---- search ------------------------------------------------------------
    const buttons = document.querySelector("#mdbook-menu-bar .left-buttons");
    const bar = document.getElementById("mdbook-menu-bar");
    if (!buttons || !bar || /\/print\.html$/.test(location.pathname)) {
        return;
    }
    const toggle = document.createElement("button");
    toggle.id = "book-search-toggle";
    toggle.className = "icon-button";
    toggle.type = "button";
    toggle.title = "Search (`/`)";
    toggle.setAttribute("aria-label", "Search the book");
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", "book-search");
    toggle.innerHTML =
        '<span class="fa-svg"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">' +
        '<path d="M416 208c0 45.9-14.9 88.3-40 122.7L502.6 457.4c12.5 12.5 12.5 32.8 0 45.3s-32.8 12.5-45.3 0' +
        "L330.7 376c-34.4 25.2-76.8 40-122.7 40C93.1 416 0 322.9 0 208S93.1 0 208 0S416 93.1 416 208z" +
        'M208 352c79.5 0 144-64.5 144-144s-64.5-144-144-144S64 128.5 64 208s64.5 144 144 144z"/></svg></span>';
    buttons.appendChild(toggle);

    const panel = document.createElement("div");
    panel.id = "book-search";
    panel.hidden = true;
    bar.insertAdjacentElement("afterend", panel);

    let ui = null;
    async function openSearch() {
        panel.hidden = false;
        toggle.setAttribute("aria-expanded", "true");
        if (!ui) {
            if (location.protocol === "file:") {
                panel.innerHTML =
                    '<p class="book-search-note">Search needs the book served over HTTP: ' +
                    "<code>scripts/book.sh serve</code>, then open the address it prints.</p>";
                ui = "none";
                return;
            }
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = root + "pagefind/pagefind-ui.css";
            document.head.appendChild(link);
            await loadScript(root + "pagefind/pagefind-ui.js");
            ui = new window.PagefindUI({
                element: "#book-search",
                // absolute: pagefind imports its modules from here
                bundlePath: new URL(root + "pagefind/", location.href).href,
                baseUrl: new URL(root || "./", location.href).pathname,
                showSubResults: true,
                showImages: false,
                resetStyles: false,
                translations: { placeholder: "Search the book: Nagle, 粘包, 三次握手 …" },
            });
        }
        const input = panel.querySelector("input");
        if (input) {
            input.focus();
        }
    }
    function closeSearch() {
        panel.hidden = true;
        toggle.setAttribute("aria-expanded", "false");
    }
    toggle.addEventListener("click", () => (panel.hidden ? openSearch() : closeSearch()));
    document.addEventListener("keydown", (event) => {
        const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
        if (event.key === "Escape" && !panel.hidden) {
            closeSearch();
        } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s")) {
            event.preventDefault();
            openSearch();
        }
    });

    // ---- callouts in the Chinese book -------------------------------------------
    // mdbook-gettext hands the translated `> [!NOTE]` over as text, so mdBook
    // does not make it a callout: make it one here, as mdBook would have.
    const CALLOUTS = { NOTE: "说明", TIP: "提示", IMPORTANT: "重要", WARNING: "警告", CAUTION: "小心" };
    for (const first of document.querySelectorAll("main blockquote > p:first-child")) {
        const text = first.firstChild;
        const found = text && text.nodeType === Node.TEXT_NODE && /^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/.exec(text.textContent);
        if (!found) {
            continue;
        }
        text.textContent = text.textContent.slice(found[0].length);
        const quote = first.parentElement;
        quote.classList.add("blockquote-tag", "blockquote-tag-" + found[1].toLowerCase());
        const title = document.createElement("p");
        title.className = "blockquote-tag-title";
        title.textContent = CALLOUTS[found[1]];
        quote.insertBefore(title, first);
        if (!first.textContent.trim()) {
            first.remove();
        }
    }

    // ---- the other language ---------------------------------------------------
    // This page's path from the book's root (path_to_root leads back to it),
    // then the same path in the other book.
    const here = new URL(window.location.href);
    const bookRoot = new URL(root || "./", here);
    const page = here.pathname.slice(bookRoot.pathname.length) || "index.html";
    const other = new URL((chinese ? "../" : "zh-CN/") + page + here.hash, bookRoot);
    const language = document.createElement("a");
    language.className = "language-switch";
    language.href = other.href;
    language.hreflang = chinese ? "en" : "zh-CN";
    language.lang = chinese ? "en" : "zh-CN";
    language.textContent = chinese ? "English" : "中文";
    language.title = chinese ? "This page in English" : "本页的中文版";
    const right = document.querySelector("#mdbook-menu-bar .right-buttons");
    if (right) {
        right.prepend(language);
    }
})();
