"""The app's one stylesheet: contrast, focus rings and the tablet/phone layout."""

from __future__ import annotations

import streamlit as st

# Text colours on white meet 4.5:1, graphics 3:1 (WCAG 1.4.3 / 1.4.11).
TEXT_MUTED = "#4d5461"  # captions and secondary text, 7.6:1 on white
FOCUS = "#1f5fa8"  # focus ring, 6.4:1 on white

CSS = f"""
<style>
/* Captions: Streamlit fades the text colour to about 3.9:1; keep them readable (4.5:1+). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] [data-testid="stCaptionContainer"],
[data-testid="stMetricLabel"], [data-testid="stMetricDelta"] svg + div,
.stProgress p {{ color: {TEXT_MUTED}; opacity: 1; }}
/* Heading anchors are English ("Link to heading") and add a tab stop per heading. */
[data-testid="stHeaderActionElements"], h1 a[href^="#"], h2 a[href^="#"], h3 a[href^="#"] {{
  display: none !important;
}}
/* Visible focus everywhere a keyboard user lands (3:1 against white and the grey sidebar). */
a:focus-visible, button:focus-visible, [role="tab"]:focus-visible, summary:focus-visible,
[tabindex]:focus-visible, input:focus-visible, textarea:focus-visible {{
  outline: 3px solid {FOCUS} !important; outline-offset: 2px;
}}
label[data-testid="stRadioOption"]:has(input:focus-visible),
label[data-testid="stCheckbox"]:has(input:focus-visible),
label[data-baseweb="radio"]:has(input:focus-visible),
label[data-baseweb="checkbox"]:has(input:focus-visible) {{
  outline: 3px solid {FOCUS}; outline-offset: 2px; border-radius: 4px;
}}
/* Page links: at least 24 px high targets (WCAG 2.5.8), 44 px on touch screens below. */
.st-key-app-nav a {{ min-height: 28px; }}
/* A heading that received the focus after a page change: a bar on its left, not a frame. */
h1[tabindex="-1"]:focus, h2[tabindex="-1"]:focus {{
  outline: none !important; box-shadow: -10px 0 0 0 {FOCUS};
}}
/* A heading scrolled to after a page change stays clear of Streamlit's 3.75rem header, with the
   walkthrough's one-line h1 above the step's h2 still in view. */
[data-testid="stMain"] h1, [data-testid="stMain"] h2 {{ scroll-margin-top: 5.5rem; }}
/* The walkthrough's h1 says where you are in one compact line above the step's h2. */
h1.mq-step-h1 {{
  font-size: 1rem !important; font-weight: 600; line-height: 1.4; padding: 0; margin: 0;
  color: {TEXT_MUTED};
}}
/* German headings are long: break between syllables, never mid-letter without a hyphen. */
h1, h2, h3 {{ hyphens: auto; -webkit-hyphens: auto; overflow-wrap: break-word; }}
/* Step list: buttons read left-aligned like a list; the current step is text with a bar. */
.st-key-assess-steps button {{ justify-content: flex-start; text-align: left; min-height: 2rem; }}
.st-key-assess-steps .mq-current-step {{
  font-weight: 600; border-left: 4px solid {FOCUS}; padding: 0.25rem 0 0.25rem 0.5rem; margin: 0;
}}
.mq-sr-only {{
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}}
[class*="st-key-a11y-scripts"] {{ display: none; }}
.st-key-mq-chart-code {{ display: none; }}  /* first_screen.load_chart_code: code only, nothing to see */
/* Radar or its table: the table only on phones, where a radar's labels overlap. */
[class*="st-key-mq-phone-table-"] {{ display: none; }}
@media (max-width: 600px) {{
  [class*="st-key-mq-chart-radar-"] {{ display: none; }}
  [class*="st-key-mq-phone-table-"] {{ display: flex; }}
}}

/* Tablets (820 px) and phones (390 px): one column, full-width answers with 44 px targets. */
@media (max-width: 900px) {{
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]) {{ flex-direction: column; }}
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{
    width: 100% !important; flex: 1 1 100% !important; min-width: 100% !important;
  }}
  /* Streamlit keeps 6rem above the content; its header is 3.75rem high. */
  [data-testid="stMainBlockContainer"] {{ padding: 4.25rem 1rem 2rem 1rem; }}
  [class*="st-key-assess-q-"] {{ width: 100% !important; }}
  [class*="st-key-assess-q-"] [role="radiogroup"] {{
    display: flex; flex-direction: column; align-items: stretch; gap: 0.375rem; width: 100%;
  }}
  [class*="st-key-assess-q-"] [role="radiogroup"] > div {{ width: 100%; margin: 0; }}
  [class*="st-key-assess-q-"] label[data-testid="stRadioOption"] {{
    display: flex; align-items: center; min-height: 44px; width: 100%; margin: 0;
    padding: 0 0.75rem; border: 1px solid #767676; border-radius: 6px; box-sizing: border-box;
  }}
  [class*="st-key-assess-q-"] label[data-testid="stRadioOption"]:has(input:checked) {{
    border: 2px solid {FOCUS}; font-weight: 600;
  }}
  [data-testid="stSidebar"] button, [data-testid="stSidebarNav"] a {{ min-height: 44px; }}
  .stButton button, .stFormSubmitButton button, .stDownloadButton button {{ min-height: 44px; }}
}}
@media (max-width: 600px) {{
  [data-testid="stTable"] {{ font-size: 0.875rem; }}
  h1 {{ font-size: 1.75rem !important; }}
  h2 {{ font-size: 1.4rem !important; }}
  h3 {{ font-size: 1.2rem !important; }}
}}
</style>
"""


def inject() -> None:
    """Add the stylesheet to this run (style-only HTML takes no space on the page)."""
    st.html(CSS)
