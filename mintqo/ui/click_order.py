"""The page-wide script that keeps two clicks from going to the server as one request."""

from __future__ import annotations

# Streamlit sends a click after a zero-delay timer and puts every click (and Enter that submits a
# form) made before that timer into the same request, which it runs in the fragment of the first
# one made inside a fragment. A button outside that fragment is then pressed in a run where it is
# not drawn: the click does nothing, and nothing says so. Two clicks come that close when the
# browser was busy (it runs input it has queued before timers: a tablet drawing a chart) or when a
# page script clicks (first_screen.py's hidden button, clicked once its chart is drawn, at any
# moment of the user's). So after any click or Enter, the press of another button (or an Enter
# that submits another field) waits until that timer has run and is then given again, in order:
# every press of a button gets a request of its own. A double click on one button stays one press,
# as Streamlit has always sent it; choices (a radio, a checkbox) are values and are never held.
SCRIPT = """<script>
(() => {
  if (window.__mqClickOrder) return;  // once per page, although every run sends it again
  window.__mqClickOrder = true;
  let open = null;  // what the click or Enter pressed whose request Streamlit has not sent yet
  let held = [];
  // What a click or Enter presses: a button (whose press Streamlit sends as a trigger), or the
  // field whose form an Enter submits; null for anything else (a label, a link, typing).
  const pressed = e => {
    const target = e.target instanceof Element ? e.target : null;
    if (e.type === 'click') return target?.closest('button') ?? null;
    return e.key === 'Enter' && target && !target.closest('button, a, [role="button"]') ? target : null;
  };
  const release = () => {
    open = null;
    const events = held;
    held = [];
    for (const [e, again] of events) {  // the first opens the next request, the rest wait again
      const at = e.target instanceof Node && e.target.isConnected ? e.target  // else: redrawn meanwhile
        : e.type === 'click' ? document.elementFromPoint(e.clientX, e.clientY) : null;
      at?.dispatchEvent(again);
    }
  };
  const look = e => {
    if (e.type === 'keydown' && e.key !== 'Enter') return;
    const press = pressed(e);
    if (open === null) {  // any click opens a request: a choice in a fragment sends its fragment
      open = press ?? e.target;
      // This listener runs before Streamlit's, so this timer comes before Streamlit's: one more.
      setTimeout(() => setTimeout(release, 0), 0);
      return;
    }
    if (press === null || press === open) return;  // a label's click on its field; a double click
    e.preventDefault();
    e.stopImmediatePropagation();
    held.push([e, e.type === 'click' ? new MouseEvent(e.type, e) : new KeyboardEvent(e.type, e)]);
  };
  window.addEventListener('click', look, true);
  window.addEventListener('keydown', look, true);
})();
</script>"""
