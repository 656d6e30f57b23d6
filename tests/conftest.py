"""Shared fixtures. Keep this small: test modules hold their own helpers."""
import copy

import pytest

# All-Ru Ltd, the UK host of seed 000 (clauses/sources/000_5c056857dbb97353.txt), as answers.
ALLRU_ANSWERS = {
    "format": "privacy-policy-answers/1",
    "business": {
        "legal_name": "All-Ru Ltd",
        "trading_name": "All-Ru",
        "websites": ["https://www.all-ru.net"],
        "company_number": "09775671",
        "address": "Hawthorn House, Southwell Road West, Mansfield, Nottinghamshire, NG21 0HJ",
        "country": "GB",
        "contact_email": "support@all-ru.net",
        "contact_url": "https://www.all-ru.net/contacto",
    },
    "roles": {"processor_for_customers": True},
    "services": ["shared_hosting", "vps", "domains", "ssl_certificates"],
    "control_panel_url": "https://my.all-ru.net",
    "data": [
        {"id": "account", "retention": "while_active", "retention_after": "P30D"},
        {"id": "billing", "retention": "P6Y", "retention_reason": "UK tax law requires invoices to be kept for 6 years"},
        {"id": "domain_registrant", "retention": "while_active"},
        {"id": "support", "retention": "P3Y", "call_recording": True},
        {"id": "server_logs", "retention": "P12W"},
        {"id": "hosted_content", "retention": "P30D"},
        {"id": "backups", "retention": "P12M"},
    ],
    "processors": [{"id": "tucows_opensrs"}, {"id": "geotrust"}],
    "cookies": {"banner": True, "items": [{"name": "session_id", "purpose": "strictly_necessary", "duration": "session"}]},
    "storage_locations": ["GB", "EEA"],
    "jurisdictions": ["uk", "eu"],
    "automated_decisions": {"order_fraud_screening": True},
    "marketing": {"email": "opt_in", "remarketing": True, "sells_personal_data": False},
    "rights": {"response_days": 30, "request_channels": ["email", "control_panel"]},
    "security": {"measures": ["tls", "password_hashing", "backups"], "breach_notice_hours": 72},
    "changes": {"notice_days": 30, "notify_by": ["email", "website"]},
}


@pytest.fixture
def allru_answers():
    """A complete, valid answers document for All-Ru Ltd (a fresh copy per test)."""
    return copy.deepcopy(ALLRU_ANSWERS)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Rate-limit counters live in the database cache table, which a transactional test (a live
    server) does not roll back and Django's flush does not empty: without this, every draft the
    suite creates from 127.0.0.1 counts against the next browser test's 30 an hour."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        from django.core.cache import cache

        request.getfixturevalue("transactional_db")
        cache.clear()
    yield


class Mailbox:
    """What a real SMTP server (aiosmtpd, on 127.0.0.1) received, as parsed email messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        message.raw = envelope.content  # as sent: the parsed form re-folds and re-encodes headers
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in m.envelope_to]


@pytest.fixture
def mailbox(settings):
    """A local SMTP server for the test, and Django's email framework pointed at it (the way
    EMAIL_URL=smtp://127.0.0.1:<port> configures it in production)."""
    import logging
    import socket

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command

    with socket.socket() as probe:  # a free port: aiosmtpd checks its port is answering once started
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield box
    controller.stop()
