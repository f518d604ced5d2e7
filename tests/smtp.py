"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for email tests.

`stall("DATA")` makes it stop answering at a command, as a hung mail server does, until `resume()`:
at DATA it has the whole message but has not accepted it (a client that dies then has delivered
nothing); at QUIT it has accepted the message and the client is waiting to hang up.
"""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self):
        self.messages = []
        self.refused = set()  # addresses answered "550 no such user"
        self.stall_at = ""
        self.stalled = threading.Event()  # a session is waiting at `stall_at`
        self.released = threading.Event()

    async def _stall_if(self, command: str) -> bool:
        if self.stall_at != command:
            return False
        self.stalled.set()
        while not self.released.is_set():
            await asyncio.sleep(0.02)
        return True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if await self._stall_if("RCPT"):
            return "451 Try again later"
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if await self._stall_if("DATA"):
            return "451 Try again later"  # never accepted: the client is gone by now
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "message": email.message_from_bytes(envelope.content, policy=email.policy.default),
            }
        )
        return "250 Message accepted"

    async def handle_QUIT(self, server, session, envelope):
        await self._stall_if("QUIT")
        return "221 Bye"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPServer:
    def __init__(self):
        self.handler = _Collector()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.resume()
        self.controller.stop()

    def refuse(self, address: str) -> None:
        """Answer RCPT for this address with a permanent failure (a mailbox that does not exist)."""
        self.handler.refused.add(address)

    def stall(self, command: str) -> None:
        """Stop answering at `command` ("RCPT", "DATA" or "QUIT") until `resume`."""
        self.handler.released.clear()
        self.handler.stalled.clear()
        self.handler.stall_at = command

    def wait_until_stalled(self, timeout: float = 60) -> None:
        assert self.handler.stalled.wait(timeout), f"no client reached {self.handler.stall_at} in {timeout} s"

    def resume(self) -> None:
        """Answer normally again; a stalled session gets a temporary failure (its client is gone)."""
        self.handler.stall_at = ""
        self.handler.released.set()

    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }
