"""HTTP replies in the wire formats botocore parses: JSON 1.1, rest-json, query XML, S3 and S3
Control XML."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def request_id() -> str:
    return str(uuid.uuid4())


def _default(value: object) -> object:
    if isinstance(value, datetime):
        return value.timestamp()  # the JSON protocol's epoch-seconds timestamps
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_reply(data: object, status: int = 200, content_type: str = "application/json") -> Reply:
    body = json.dumps(data, default=_default).encode()
    return Reply(status, body, {"Content-Type": content_type})


def aws_json(data: object, status: int = 200) -> Reply:
    reply = json_reply(data, status, "application/x-amz-json-1.1")
    reply.headers["x-amzn-RequestId"] = request_id()
    return reply


def aws_error(protocol: str, code: str, message: str, status: int) -> Reply:
    """An AWS error response for ``protocol`` that botocore turns into a ClientError ``code``."""
    rid = request_id()
    if protocol == "query":
        kind = "Receiver" if status >= 500 else "Sender"
        body = (
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
            f"<Error><Type>{kind}</Type><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error>"
            f"<RequestId>{rid}</RequestId></ErrorResponse>"
        )
        return Reply(status, body.encode(), {"Content-Type": "text/xml", "x-amzn-RequestId": rid})
    if protocol == "s3control":  # S3 Control wraps the S3-style <Error> in <ErrorResponse>
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f"<ErrorResponse><Error><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error>"
            f"<RequestId>{rid}</RequestId></ErrorResponse>"
        )
        return Reply(
            status, body.encode(), {"Content-Type": "application/xml", "x-amz-request-id": rid}
        )
    if protocol == "rest-xml":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"<RequestId>{rid}</RequestId></Error>"
        )
        return Reply(
            status, body.encode(), {"Content-Type": "application/xml", "x-amz-request-id": rid}
        )
    if protocol == "rest-json":  # e.g. Lake Formation: plain application/json
        reply = json_reply({"__type": code, "Message": message}, status)
        reply.headers["x-amzn-RequestId"] = rid
        reply.headers["x-amzn-ErrorType"] = code
        return reply
    reply = aws_json({"__type": code, "message": message}, status)
    reply.headers["x-amzn-ErrorType"] = code
    return reply


def rest_json(data: object, status: int = 200) -> Reply:
    """A rest-json answer (Lake Formation): plain ``application/json``."""
    reply = json_reply(data, status)
    reply.headers["x-amzn-RequestId"] = request_id()
    return reply


# -- paging ----------------------------------------------------------------------------
def continuation_token(offset: int, query: str) -> str:
    """An opaque NextToken/Marker: where the next page starts, bound to the query it pages
    (a token of another query is refused, as AWS refuses foreign tokens)."""
    raw = json.dumps({"o": offset, "q": hashlib.sha256(query.encode()).hexdigest()[:16]})
    return base64.urlsafe_b64encode(raw.encode()).decode()


def page_offset(token: str, query: str) -> int | None:
    """The offset a continuation token of ``query`` holds, or None when it is not one."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        expected = hashlib.sha256(query.encode()).hexdigest()[:16]
        if data["q"] == expected and isinstance(data["o"], int) and data["o"] >= 0:
            return data["o"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    return None
