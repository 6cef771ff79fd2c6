"""Browser-side helper for e2e tests of a page's first screen (mintqo.ui.first_screen): defer its rest."""

from __future__ import annotations

from mintqo.ui.first_screen import css_class

# Holds the page's own click on its hidden button until the test releases it, and notes whether
# the radar was drawn when the page asked for the rest, and how long after the hold line came
# (the page's limit): the hold becomes observable without sleeps.
_DEFER_REST = """(() => {
  const click = HTMLElement.prototype.click;
  window.__restAsked = 0;
  new MutationObserver((_, watch) => {
    if (document.querySelector('.mq-hold')) { window.__holdSince = performance.now(); watch.disconnect(); }
  }).observe(document, {childList: true, subtree: true});
  HTMLElement.prototype.click = function () {
    if (!this.closest('.__BUTTON__')) return click.call(this);
    window.__restAsked += 1;
    window.__askedAfter = performance.now() - window.__holdSince;
    window.__radarDrawnWhenAsked = !!document.querySelector(
      '.__CHART__ .main-svg g.trace path[d*="L"]');
    window.__releaseRest = () => click.call(this);
  };
})()"""


def defer_rest(chart_key: str, button_key: str) -> str:
    """An init script that defers the click on the hidden button `button_key` until the test calls
    window.__releaseRest(); window.__restAsked counts the page's clicks, window.__radarDrawnWhenAsked
    and window.__askedAfter (ms since the hold line) say when it asked."""
    return _DEFER_REST.replace("__BUTTON__", css_class(button_key)).replace("__CHART__", css_class(chart_key))
