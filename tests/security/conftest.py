"""Faults on demand, for tests/security: a private Redis that can be stopped and started again, Celery
using it for real, and a mail server that refuses (or accepts) what it is sent. Each is our own
process or thread on a free port of 127.0.0.1; the shared Redis on 6379 is never touched."""

import shutil
import socket
import socketserver
import subprocess
import threading
import time

import kombu.pools
import pytest

from config.celery import app as celery_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, *, up: bool, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            listening = True
        except OSError:
            listening = False
        if listening == up:
            return
        assert time.monotonic() < deadline, f"port {port} still {'closed' if up else 'open'}"
        time.sleep(0.05)


class RedisServer:
    """A redis-server of our own on a free port, data in a temporary folder (nothing saved to disk)."""

    def __init__(self, directory):
        self.directory, self.port, self.process = directory, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--dir", str(self.directory), "--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, up=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
            wait_for_port(self.port, up=False)

    # As a subprocess.Popen is stopped, for tests written against one.
    def terminate(self) -> None:
        self.stop()

    def wait(self, timeout=None) -> int:
        return 0


@pytest.fixture
def private_redis(tmp_path):
    """A running redis-server of our own; .stop() and .start() it (same port) to make Redis fail."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def reset_broker_pools() -> None:
    """Celery caches broker connections and producers; drop them so a new broker takes effect."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_on(private_redis):
    """Celery using the private Redis for real (not inline), as in production."""
    old = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    reset_broker_pools()
    celery_app.conf.update(broker_url=private_redis.url, task_always_eager=False)
    yield private_redis
    celery_app.conf.update(broker_url=old[0], task_always_eager=old[1])
    reset_broker_pools()


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: refuses every recipient while `server.refusing`, else
    keeps each message's recipients in `server.received`."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        server = self.server
        self.reply("220 test mail server")
        recipients = []
        while line := self.rfile.readline(65536):
            command = line.decode("latin-1").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test mail server")
            elif command.startswith("MAIL FROM"):
                recipients = []
                self.reply("250 OK")
            elif command.startswith("RCPT TO"):
                if server.refusing:
                    self.reply("550 No such mailbox here")
                else:
                    recipients.append(line.decode("latin-1").split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 Go ahead")
                while self.rfile.readline(65536) not in (b".\r\n", b".\n", b""):
                    pass
                server.received.extend(recipients)
                self.reply("250 Queued")
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def mail_server(settings):
    """A mail server on a free port that Django's SMTP backend sends to; set .refusing to refuse."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.refusing, server.received = True, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.server_address[1]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()
