// Material's search is a role="dialog" without an accessible name (axe: aria-dialog-name).
document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach((dialog) => {
  dialog.setAttribute("aria-label", "Search");
});
