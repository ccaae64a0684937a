// Paper: a printed list keeps its first few items and says how many it left out ("and 4 more
// alerts"), so a board summary fits one sheet without pretending the list is complete.
import { h } from "./dom.js";

/** How many items a printed overview list keeps. */
export const PRINT_KEEP = 3;

/**
 * Mark `items` past `keep` as screen-only and put a print-only "and N more <noun>" line after
 * `anchor` (inside it when it is a list). `noun` is [one, many]; `total` counts what the list
 * stands for when the page holds only its first items. Nothing changes on screen.
 */
export function printOverflow(items, anchor, [one, many], { keep = PRINT_KEEP, total = items.length } = {}) {
  const extra = Math.max(total, items.length) - Math.min(keep, items.length);
  if (extra <= 0) return;
  items.slice(keep).forEach((item) => item.classList.add("screen-only"));
  const text = `and ${extra} more ${extra === 1 ? one : many}`;
  if (anchor.tagName === "UL" || anchor.tagName === "OL") {
    anchor.append(h("li", { class: "print-only print-more", text }));
  } else {
    anchor.after(h("p", { class: "print-only print-more", text }));
  }
}
