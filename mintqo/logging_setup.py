"""Log output for operators: plain text (default) or one JSON object per line (MINTQO_LOG_FORMAT=json)."""

from __future__ import annotations

import json
import logging
import sys
import uuid
from datetime import UTC, datetime

# Record attributes copied into the JSON object when a caller or filter sets them.
CONTEXT_FIELDS = ("request_id", "session_id", "error_id")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in CONTEXT_FIELDS:
            value = getattr(record, field, None)
            if value:
                entry[field] = str(value)
        if record.exc_info:
            # Every logged error gets an id, so a user's report can be matched to its traceback.
            entry.setdefault("error_id", uuid.uuid4().hex[:12])
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_format: str, context_filter: logging.Filter | None = None) -> None:
    """Install the chosen format: mintqo's own stderr handler (plain), or JSON on the root logger
    and on every handler already configured.

    Streamlit gives its own loggers handlers of their own; those get the JSON formatter too.
    Idempotent: calling it again changes nothing.
    """
    app = logging.getLogger("mintqo")
    if app.level == logging.NOTSET:  # mintqo's own INFO lines; other libraries stay at WARNING
        app.setLevel(logging.INFO)
    if log_format != "json":
        # Streamlit configures only its own loggers: mintqo's lines go to the server's stderr.
        if not app.handlers:
            plain = logging.StreamHandler(sys.stderr)
            plain.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            app.addHandler(plain)
        return
    formatter = JsonFormatter()
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.addHandler(logging.StreamHandler(sys.stderr))
    for handler in list(app.handlers):  # mintqo's records reach the root's JSON handler once
        app.removeHandler(handler)
    loggers = [root] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            handler.setFormatter(formatter)
            if context_filter is not None and context_filter not in handler.filters:
                handler.addFilter(context_filter)
