"""Accessibility glue every page shares: German document language and focus after page changes."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from mintqo.domain import plaintext
from mintqo.figures.chart_tables import figure_rows
from mintqo.figures.charts import AXIS_INK
from mintqo.ui import style

# Streamlit writes <html lang="en">; screen readers would read the German text with English rules.
# The script runs in the page itself (st.html with JavaScript is not an iframe), keeps lang="de",
# and moves the keyboard focus to the new page's heading when the page (or step) changed, so a
# keyboard or screen-reader user continues at the new content instead of the top of the body.
_SCRIPT = """<script>
(() => {
  const root = document.documentElement;
  const keepGerman = () => { if (root.lang !== 'de') root.lang = 'de'; };
  keepGerman();
  if (!window.mintqoLang) {
    window.mintqoLang = new MutationObserver(keepGerman);
    window.mintqoLang.observe(root, {attributes: true, attributeFilter: ['lang']});
  }
  // Scrolling boxes (wide tables, a slide body) must be reachable by keyboard (WCAG 2.1.1).
  const reachable = () => {
    for (const box of document.querySelectorAll(SCROLLERS)) {
      const style = getComputedStyle(box);
      const scrolls = /(auto|scroll)/.test(style.overflowX + style.overflowY);  // may scroll later
      if (scrolls && !box.hasAttribute('tabindex')) {
        box.setAttribute('tabindex', '0');
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', 'Verschiebbarer Bereich');
      }
    }
  };
  // Streamlit's own screen-reader labels are English; say them in German where the DOM allows.
  const german = {
    'Collapse sidebar': 'Seitenleiste einklappen', 'Expand sidebar': 'Seitenleiste ausklappen',
    'Sidebar': 'Seitenleiste', 'Open': 'Auswahl öffnen', 'Clear all': 'Auswahl leeren',
    'Show password text': 'Passwort anzeigen', 'Hide password text': 'Passwort verbergen',
    'Link to heading': 'Link zu dieser Überschrift', 'Skip to main content': 'Zum Inhalt springen',
    'Download as CSV': 'Als CSV herunterladen', 'Show/hide columns': 'Spalten ein- oder ausblenden',
    'Search': 'Suchen', 'Fullscreen': 'Vollbild', 'Close fullscreen': 'Vollbild schließen',
  };
  const translate = () => {
    for (const el of document.querySelectorAll('[aria-label]')) {
      const label = el.getAttribute('aria-label');
      const de = german[label] || (label.startsWith('Help for ') ? 'Hilfe zu ' + label.slice(9) : null);
      if (de) el.setAttribute('aria-label', de);
    }
    for (const link of document.querySelectorAll('a[href^="#"]')) {
      const de = german[link.textContent.trim()];
      if (de && link.children.length === 0) link.textContent = de;
    }
  };
  if (!window.mintqoScroll) {
    let queued = false;
    window.mintqoScroll = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; reachable(); translate(); });
      setTimeout(() => { reachable(); translate(); }, 1500);  // charts finish their layout later
    });
    window.mintqoScroll.observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'],
    });
  }
  reachable();
  translate();
  // Tablets: Streamlit collapses the sidebar only below 768 px; up to 900 px it would take a third.
  if (!window.mintqoNarrow && window.innerWidth <= 900) {
    window.mintqoNarrow = true;
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    if (sidebar && sidebar.getAttribute('data-collapsed') === 'false') {
      document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
    }
  }
  const target = TARGET;
  if (!target || window.mintqoFocus === target.marker) return;
  const firstLoad = window.mintqoFocus === undefined;
  window.mintqoFocus = target.marker;
  if (firstLoad) return;  // a fresh page load starts at the top anyway
  let tries = 0;
  const focusHeading = () => {
    const main = document.querySelector('[data-testid="stMain"]');
    const headings = main ? [...main.querySelectorAll(target.selector)] : [];
    const heading = headings.find(h => !target.text || h.textContent.trim() === target.text);
    if (!heading) { if (++tries < 100) setTimeout(focusHeading, 100); return; }
    heading.setAttribute('tabindex', '-1');
    heading.focus({preventScroll: true});
    heading.scrollIntoView({block: 'start'});
  };
  focusHeading();
})();
</script>"""

SCROLLERS = '[data-testid="stTable"] > div, [class*="st-key-slide-body"]'

# Pages that move the focus themselves (the walkthrough focuses each step's heading).
OWN_FOCUS = frozenset({"durchfuehrung"})


def _script(target: dict[str, str] | None, key: str = "a11y-scripts") -> None:
    """Render the script in a hidden container; a new body makes the browser run it again."""
    body = _SCRIPT.replace("SCROLLERS", json.dumps(SCROLLERS)).replace("TARGET", json.dumps(target))
    with st.container(key=key):
        st.html(body, unsafe_allow_javascript=True, width="content")


def setup(page_path: str) -> None:
    """Stylesheet, lang="de" and focus on the page's h1 when another page was opened."""
    style.inject()
    if page_path in OWN_FOCUS:
        _script(None)
        return
    _script({"marker": page_path or "start", "selector": "h1", "text": ""})


def sidebar_nav(box: DeltaGenerator, pages: dict[str, list[StreamlitPage]]) -> None:
    """The page list as plain links in BOX (Streamlit's own menu nests <li> in <div>, WCAG 1.3.1).

    Sections are bold text, not headings, so the page's own h1 → h2 order stays intact.
    """
    with box, st.container(key="app-nav", gap="xxsmall"):
        for section, entries in pages.items():
            shown = [p for p in entries if p.visibility == "visible"]
            if not shown:
                continue
            if section:
                st.markdown(f"**{section}**")
            for entry in shown:
                st.page_link(entry, label=entry.title)


def focus_heading(text: str, marker: str) -> None:
    """Move the focus to the heading TEXT when MARKER differs from the last one focused."""
    _script({"marker": marker, "selector": "h1, h2", "text": text}, key="a11y-scripts-step")


def _ink(fig: go.Figure) -> None:
    """Dark axis, legend and colour-bar text: Streamlit's chart theme greys it to about 3.7:1."""
    fig.update_xaxes(tickfont_color=AXIS_INK, title_font_color=AXIS_INK)
    fig.update_yaxes(tickfont_color=AXIS_INK, title_font_color=AXIS_INK)
    fig.update_polars(angularaxis_tickfont_color=AXIS_INK, radialaxis_tickfont_color=AXIS_INK)
    fig.update_layout(legend_font_color=AXIS_INK)
    fig.update_traces(
        colorbar_tickfont_color=AXIS_INK, colorbar_title_font_color=AXIS_INK, selector={"type": "heatmap"}
    )


def hidden_table(fig: go.Figure, *, label: str) -> None:
    """A chart's name and numbers for screen readers only (slides: nothing extra on the projector)."""
    header, rows = figure_rows(fig)
    head = "".join(f"<th scope='col'>{plaintext.html(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{plaintext.html(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    st.markdown(
        f"<table class='mq-sr-only'><caption>Diagramm: {plaintext.html(label)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        unsafe_allow_html=True,
    )


def chart(fig: go.Figure, *, label: str, **plotly_args: Any) -> None:
    """A plotly chart with a German name for screen readers and its numbers as a table below.

    The chart itself is an unnamed SVG for assistive technology; the hidden name says what it
    shows, and "Als Tabelle anzeigen" holds the same numbers. A radar is unreadable on a phone:
    there the table takes its place (style.py hides one or the other by screen width).
    """
    _ink(fig)
    header, rows = figure_rows(fig)
    frame = pd.DataFrame(rows, columns=header).set_index(header[0]) if rows else None
    if frame is not None:
        frame.index.name = None
    radar = any(trace.type in ("scatterpolar", "barpolar") for trace in fig.data)
    slug = re.sub(r"[^a-z0-9]+", "-", f"{label} {plotly_args.get('key') or ''}".lower()).strip("-")
    with st.container(key=f"mq-chart-{'radar' if radar else 'plain'}-{slug}"):
        st.markdown(
            f"<p class='mq-sr-only'>Diagramm: {plaintext.html(label)}. "
            "Die Zahlen stehen in der Tabelle darunter.</p>",
            unsafe_allow_html=True,
        )
        plotly_args.setdefault("width", "stretch")
        plotly_args.setdefault("config", {"displayModeBar": False})
        st.plotly_chart(fig, **plotly_args)
        if frame is not None:
            with st.expander("Als Tabelle anzeigen"):
                st.table(frame)
    if radar and frame is not None:
        with st.container(key=f"mq-phone-table-{slug}"):
            st.caption(f"{label} – auf kleinen Bildschirmen als Tabelle:")
            st.table(frame)
