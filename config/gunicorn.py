"""gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi` (see README, Running in production).

The access log writes each request's path, and the first visit to a password reset link has the
link's token in its path; it is written with the token removed."""

from gunicorn.glogging import Logger

from config.logging import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = RedactingLogger
accesslog = "-"
