// Material's search is a role="dialog" without an accessible name (axe: aria-dialog-name).
document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach((dialog) => {
  dialog.setAttribute("aria-label", "Search");
});

// Run after Material has set up each page (document$ also fires on instant navigation): it
// wraps tables and adds the code blocks' copy buttons then, so they exist only from here on.
document$.subscribe(() => {
  // A table wider than a phone scrolls sideways in Material's wrapper, which a keyboard cannot
  // reach (axe: scrollable-region-focusable). Code blocks already get tabindex from Material.
  document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach((wrap) => {
    wrap.setAttribute("tabindex", "0");
  });
  // Each code block's copy button sits in its own <nav>; unnamed, several navs on one page are
  // indistinguishable landmarks (axe: landmark-unique).
  document.querySelectorAll("pre > .md-code__nav:not([aria-label])").forEach((nav, i) => {
    nav.setAttribute("aria-label", `Code block ${i + 1}`);
  });
});
