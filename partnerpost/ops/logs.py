"""Request ids and structured (JSON) log lines.

Every request gets an id: the one the reverse proxy sent in X-Request-ID (when it looks like an id), or a
new one. It is answered back in the X-Request-ID header and added to every log line written while the
request is handled, so one line in the proxy's log leads to all of Partnerpost's lines for that request.
With LOG_FORMAT=json each line is one JSON object (time, level, logger, message, request_id and any
extra fields), ready for a log collector; the default is plain text.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_ACCEPTED = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

#: Attributes every LogRecord has; anything else on a record was passed as `extra=` and goes into the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


def new_request_id(offered: str = "") -> str:
    """The proxy's id when it is a plausible one (letters, digits, . _ : -; 8 to 128 long), else a new one."""
    return offered if _ACCEPTED.match(offered or "") else uuid.uuid4().hex


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (empty outside a request: workers, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
