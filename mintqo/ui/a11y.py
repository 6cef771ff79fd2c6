"""Accessibility glue every page shares: German document language and focus after page changes."""

from __future__ import annotations

import functools
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
from mintqo.ui import click_order, style
from mintqo.ui.streamlit_german import DIALOG_TEXTS, GERMAN, PREFIXES, PROTECTED

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
  // Streamlit's own texts and screen-reader labels are English; say them in German where the DOM
  // allows: exact matches only (streamlit_german.py), never inside user text (Markdown, fields).
  const german = GERMAN;
  const prefixes = PREFIXES;
  const toGerman = text => {
    if (Object.hasOwn(german, text)) return german[text] === text ? null : german[text];
    for (const [en, de] of prefixes) if (text.startsWith(en)) return de + text.slice(en.length);
    return null;
  };
  const ATTRS = ['aria-label', 'title', 'placeholder', 'aria-valuetext', 'aria-roledescription'];
  // Tooltips are Markdown too, but only the app's own help texts and Streamlit's button names.
  const userText = el => !el || (el.closest(PROTECTED) && !el.closest('[data-testid="stTooltipContent"]'));
  const dialogTexts = DIALOG_TEXTS;  // Streamlit's own dialog texts, in its Markdown and code blocks
  const translateNode = node => {
    const text = node.nodeValue.trim();
    if (!text || text.length > 120) return;
    const own = Object.hasOwn(dialogTexts, text) && node.parentElement?.closest('[role="dialog"]');
    const de = own ? dialogTexts[text] : toGerman(text);
    if (de && (own || !userText(node.parentElement))) node.nodeValue = node.nodeValue.replace(text, de);
  };
  const translateAttrs = el => {
    for (const attr of ATTRS) {
      const value = el.getAttribute(attr);
      const de = value && toGerman(value);
      if (de && (attr !== 'title' || !userText(el))) el.setAttribute(attr, de);
    }
  };
  const translate = (root = document.body) => {
    if (root.nodeType === Node.TEXT_NODE) { translateNode(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    for (const el of [root, ...root.querySelectorAll(ATTRS.map(a => `[${a}]`).join(','))]) translateAttrs(el);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) translateNode(node);
  };
  // Charts hold no Streamlit text (no mode bar): their thousands of SVG nodes are not walked.
  const inChart = node =>
    (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest('.js-plotly-plot');
  if (!window.mintqoGerman) {
    window.mintqoGerman = new MutationObserver(records => {
      for (const r of records) {
        if (r.type === 'childList') r.addedNodes.forEach(n => { if (!inChart(n)) translate(n); });
        else if (r.type === 'characterData') translateNode(r.target);
        else translateAttrs(r.target);
      }
    });
    window.mintqoGerman.observe(document.body, {
      childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRS,
    });
  }
  if (!window.mintqoScroll) {
    let queued = false, later = 0;
    window.mintqoScroll = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; reachable(); });
      clearTimeout(later);  // once more after the last change: charts finish their layout later
      later = setTimeout(reachable, 1500);
    });
    window.mintqoScroll.observe(document.body, {childList: true, subtree: true});
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
  window.mintqoFocusOn = target => {
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
  };
  const pending = window.mintqoFocusWant;  // a page's focus_heading that ran before this script
  delete window.mintqoFocusWant;
  window.mintqoFocusOn(TARGET || pending);
})();
</script>"""

# A page's own focus target (focus_heading): a few bytes per run that use the function above.
_FOCUS = "<script>(window.mintqoFocusOn || (t => { window.mintqoFocusWant = t; }))(TARGET);</script>"

SCROLLERS = '[data-testid="stTable"] > div, [class*="st-key-slide-body"]'

# Pages that move the focus themselves (the walkthrough focuses each step's heading).
OWN_FOCUS = frozenset({"durchfuehrung"})


@functools.cache
def _body(target: str) -> str:
    """The script with its tables and the focus TARGET (JSON) filled in, and the click order script
    (click_order.py) after it: built once per target."""
    body = _SCRIPT
    for name, value in (
        ("SCROLLERS", SCROLLERS),
        ("GERMAN", GERMAN),
        ("DIALOG_TEXTS", DIALOG_TEXTS),
        ("PREFIXES", PREFIXES),
        ("PROTECTED", PROTECTED),
    ):
        body = body.replace(name, json.dumps(value, ensure_ascii=False))
    return body.replace("TARGET", target) + click_order.SCRIPT


def _script(body: str, key: str) -> None:
    """Render a script in a hidden container; a new body makes the browser run it again."""
    with st.container(key=key):
        st.html(body, unsafe_allow_javascript=True, width="content")


def setup(page_path: str) -> None:
    """Stylesheet, lang="de", focus on the page's h1 when another page was opened, and one request
    per click (click_order.py)."""
    style.inject()
    target = (
        None if page_path in OWN_FOCUS else {"marker": page_path or "start", "selector": "h1", "text": ""}
    )
    _script(_body(json.dumps(target, ensure_ascii=False)), key="a11y-scripts")


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


def focus_heading(text: str, marker: str, style: str = "") -> None:
    """Move the focus to the heading TEXT when MARKER differs from the last one focused.

    Only a call of the page-wide script's function (setup): its 8 kB are sent once per run.
    STYLE (a page's <style> element) rides along: one element less to send and render per run.
    """
    target = {"marker": marker, "selector": "h1, h2", "text": text}
    _script(style + _FOCUS.replace("TARGET", json.dumps(target, ensure_ascii=False)), key="a11y-scripts-step")


_POLAR = frozenset({"scatterpolar", "barpolar"})


def _ink(fig: go.Figure) -> None:
    """Dark axis, legend and colour-bar text: Streamlit's chart theme greys it to about 3.7:1.

    One update of the axes the figure has (plotly's update_xaxes & co. cost a millisecond or more each).
    """
    kinds = {trace.type for trace in fig.data}
    axes = {name for name in fig.layout.to_plotly_json() if re.fullmatch(r"(xaxis|yaxis|polar)\d*", name)}
    axes |= {"polar"} if kinds & _POLAR else set()
    axes |= {"xaxis", "yaxis"} if kinds - _POLAR else set()
    ink = {"color": AXIS_INK}
    update: dict[str, object] = {"legend": {"font": ink}}
    for name in axes:
        if name.startswith("polar"):
            update[name] = {"angularaxis": {"tickfont": ink}, "radialaxis": {"tickfont": ink}}
        else:
            update[name] = {"tickfont": ink, "title": {"font": ink}}
    fig.update_layout(update)
    if "heatmap" in kinds:
        fig.update_traces(colorbar={"tickfont": ink, "title": {"font": ink}}, selector={"type": "heatmap"})


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


def chart(fig: go.Figure, *, label: str, tables: bool = True, **plotly_args: Any) -> None:
    """A plotly chart with a German name for screen readers and its numbers as a table below.

    The chart itself is an unnamed SVG for assistive technology; the hidden name says what it
    shows, and "Als Tabelle anzeigen" holds the same numbers. A radar is unreadable on a phone:
    there the table takes its place (style.py hides one or the other by screen width).
    TABLES=False leaves the tables out for now: a first screen that sends them in its next run.
    """
    _ink(fig)
    header, rows = figure_rows(fig) if tables else ([], [])
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
