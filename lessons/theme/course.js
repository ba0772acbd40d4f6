// The course book's additions to mdBook's pages (lessons/book.toml loads this
// on every page, after mdBook's own scripts):
//  * two-terminal transcripts labelled "terminal 1: server" / "terminal 2: client";
//  * ```mermaid blocks drawn as diagrams, with mermaid from the book itself
//    (scripts/book.sh copies it in; no CDN), redrawn when the theme turns dark
//    or light;
//  * a search box backed by pagefind's index (scripts/book.sh builds it), which
//    finds Chinese words as well as English ones.
(function () {
    "use strict";

    const root = typeof path_to_root === "string" ? path_to_root : "";
    const DARK_THEMES = ["coal", "navy", "ayu"];

    // ---- terminals -------------------------------------------------------
    const TERMINALS = [
        ["server", "terminal 1: server"],
        ["client", "terminal 2: client"],
        ["windows", "Windows"],
    ];
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
})();
