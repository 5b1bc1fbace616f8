"""Safe by default: who may use the desk (127.0.0.1, or anyone with the password, kept only as a
salted hash), a CSRF token on every change, and a cap on what a request may send."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Receive, Scope, Send

SESSION_COOKIE = "desk_session"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def is_local(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Guard:
    password_hash: bytes | None = None  # scrypt of the password: the password itself is not kept
    salt: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # signs CSRF tokens; new per run
    signed_in: set[str] = field(default_factory=set)

    @classmethod
    def for_bind(cls, host: str, password: str | None) -> Guard:
        """Anywhere but this machine needs a password: a desk on the village network unguarded
        would let anyone change the records."""
        if not is_local(host) and not password:
            raise PermissionError("desk.refused.needs_password")
        guard = cls()
        if password:
            guard.password_hash = guard._hash(password)
        return guard

    def _hash(self, password: str) -> bytes:
        return hashlib.scrypt(password.encode("utf-8"), salt=self.salt, n=2**14, r=8, p=1)

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and hmac.compare_digest(self._hash(password), self.password_hash)

    def allowed(self, session: str | None) -> bool:
        return self.password_hash is None or (session is not None and session in self.signed_in)

    def token(self, session: str) -> str:
        return hmac.new(self.secret, session.encode(), hashlib.sha256).hexdigest()

    def token_ok(self, session: str | None, token: str | None) -> bool:
        return bool(session and token) and hmac.compare_digest(self.token(session), token)


class LimitBody:
    """Refuses a request body over `limit` bytes as it arrives (413), whether or not it said its
    length: a 50 MB upload is never read whole, nor written anywhere."""

    def __init__(self, app: ASGIApp, limit: int, message: str) -> None:
        self.app, self.limit, self.message = app, limit, message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _too_large(send, self.message)
            return
        seen, over = 0, False

        async def counted() -> dict:
            nonlocal seen, over
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                over = True
                raise _TooLarge()
            return message

        async def unless_over(message: dict) -> None:
            if not over:  # once over, the app's own answer to the cut (a 500) is not sent: ours is
                await send(message)

        try:
            await self.app(scope, counted, unless_over)
        except Exception:  # the cut, as the app saw it (in an ExceptionGroup from a task group)
            if not over:
                raise
        if over:
            await _too_large(send, self.message)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, message: str) -> None:
    body = message.encode("utf-8")
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
