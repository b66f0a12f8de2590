// Material's search is a role="dialog" without an accessible name (axe: aria-dialog-name).
document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach((dialog) => {
  dialog.setAttribute("aria-label", "Search");
});

// Run after Material has set up each page (document$ also fires on instant navigation): it
// wraps tables and adds the code blocks' copy buttons then, so they exist only from here on.
// Any region of the content that scrolls at the current width (a wide table, a long code line)
// must be reachable by keyboard (axe: scrollable-region-focusable); one that stops scrolling
// when the window widens gives its tab stop back.
const scrolls = (el) => {
  const style = getComputedStyle(el);
  const x = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth;
  const y = /auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight;
  return x || y;
};

const focusScrollingRegions = () => {
  document.querySelectorAll(".md-content *").forEach((el) => {
    if ("apifitScroll" in el.dataset) {
      if (!scrolls(el)) {
        el.removeAttribute("tabindex");
        delete el.dataset.apifitScroll;
      }
    } else if (!el.hasAttribute("tabindex") && scrolls(el)) {
      el.setAttribute("tabindex", "0");
      el.dataset.apifitScroll = "";
    }
  });
};

window.addEventListener("resize", focusScrollingRegions);

document$.subscribe(() => {
  focusScrollingRegions();
  // Each code block's copy button sits in its own <nav>; unnamed, several navs on one page are
  // indistinguishable landmarks (axe: landmark-unique).
  document.querySelectorAll("pre > .md-code__nav:not([aria-label])").forEach((nav, i) => {
    nav.setAttribute("aria-label", `Code block ${i + 1}`);
  });
});
