"""Keyboard and presenter-clicker control of the slides, and the scroll back to the top per slide."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

# Runs in a same-origin iframe and listens on the app page. Each new frame (one per slide) removes the
# previous frame's listener first, so exactly one is registered; it is removed again when the frame
# goes away (the presentation ends). Keys typed into a field, or with a modifier, are left alone.
_SCRIPT = """
<script>
(() => {
  const doc = window.parent.document;
  const host = window.parent;
  const NEXT = ["ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar", "Enter"];
  const BACK = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];
  const BLANK = ["b", "B", ".", ","];
  const typing = (el) => !!el && (el.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) ||
    ["combobox", "listbox", "option", "textbox"].includes(el.getAttribute("role")));
  const press = (key) => {
    const button = doc.querySelector(".st-key-" + key + " button");
    if (button && !button.disabled) { button.click(); return true; }
    return false;
  };
  const blank = () => {
    let cover = doc.getElementById("mintqo-blank");
    if (cover) { cover.remove(); return; }
    cover = doc.createElement("div");
    cover.id = "mintqo-blank";
    cover.setAttribute("aria-label", "Bildschirm schwarz – Taste B oder Punkt zeigt die Folie wieder");
    cover.style.cssText = "position:fixed;inset:0;background:#000;z-index:1000000;cursor:none";
    cover.addEventListener("click", () => cover.remove());
    doc.body.appendChild(cover);
  };
  const onKey = (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    const target = event.target;
    if (typing(target) || typing(doc.activeElement)) return;
    const onButton = target && target.closest && target.closest("button, a, [role=button]");
    if (onButton && [" ", "Spacebar", "Enter"].includes(event.key)) return;  // the browser clicks it
    let done = false;
    if (BLANK.includes(event.key)) { blank(); done = true; }
    else if (doc.getElementById("mintqo-blank")) { doc.getElementById("mintqo-blank").remove(); done = true; }
    else if (NEXT.includes(event.key)) { press("present-next"); done = true; }
    else if (BACK.includes(event.key)) { press("present-back"); done = true; }
    if (done) event.preventDefault();
  };
  if (host.__mintqoSlideKeys) doc.removeEventListener("keydown", host.__mintqoSlideKeys, true);
  host.__mintqoSlideKeys = onKey;
  doc.addEventListener("keydown", onKey, true);
  window.addEventListener("pagehide", () => {
    if (host.__mintqoSlideKeys === onKey) {
      doc.removeEventListener("keydown", onKey, true);
      host.__mintqoSlideKeys = null;
      const cover = doc.getElementById("mintqo-blank");
      if (cover) cover.remove();
    }
  });
  host.scrollTo(0, 0);
  const main = doc.querySelector("[data-testid='stMain']");
  if (main) main.scrollTop = 0;
})();
</script>
"""


def slide_keys(slide: int, round_no: int) -> None:
    """Arrow keys, PageUp/PageDown, space and B/period (blank) drive the slides; each starts at the top.

    The frame's text changes with the slide and the round, so it runs again after each change.
    """
    with st.container(key="slide-keys"):
        components.html(f"<!-- slide {slide} round {round_no} -->{_SCRIPT}", height=0)
