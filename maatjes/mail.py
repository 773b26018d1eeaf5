"""Sending e-mail through SMTP, configured from the environment (MAATJES_SMTP_*)."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    username: str
    password: str
    sender: str
    timeout: float = 10.0


def settings_from(config) -> SmtpSettings | None:
    """None when no SMTP host is configured: notifications then stay in the app only."""
    host = config.get("SMTP_HOST")
    if not host:
        return None
    security = config.get("SMTP_SECURITY", "starttls")
    default_port = {"ssl": 465, "starttls": 587}.get(security, 25)
    return SmtpSettings(
        host=host,
        port=int(config.get("SMTP_PORT") or default_port),
        security=security,
        username=config.get("SMTP_USERNAME", ""),
        password=config.get("SMTP_PASSWORD", ""),
        sender=config.get("SMTP_SENDER", "Money Maatjes <noreply@localhost>"),
        timeout=float(config.get("SMTP_TIMEOUT", 10)),
    )


def send_in_background(settings: SmtpSettings, to: str, subject: str, body: str, language: str):
    """Send one message from a short-lived thread, so that the answer to the request does not
    wait for the SMTP server (nor tells, by its timing, whether a message was sent at all)."""
    import logging
    import threading

    def send():
        try:
            with Mailer(settings) as mailer:
                mailer.send(to, subject, body, language)
        except (OSError, smtplib.SMTPException) as error:
            logging.getLogger(__name__).warning(
                "password link mail not sent: %s", type(error).__name__
            )

    thread = threading.Thread(target=send, name="mail", daemon=True)
    thread.start()
    return thread


class Mailer:
    """One SMTP connection for a batch of messages."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        s = self.settings
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if s.username:
            smtp.login(s.username, s.password)
        self._smtp = smtp
        return self

    def send(self, to: str, subject: str, body: str, language: str) -> None:
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)  # clears Content-* headers, so the language comes after
        message["Content-Language"] = language
        assert self._smtp is not None
        self._smtp.send_message(message)

    def __exit__(self, *exc) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except smtplib.SMTPException:
                self._smtp.close()
