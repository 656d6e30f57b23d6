"""Hand-made policy documents for renderer tests, independent of assembly and the clause library.

`make_document()` looks like a real small hosting company's policy: five sections, a processors
table long enough to break across PDF pages, a list, a sub-heading and library links.
`payload_document(texts)` puts hostile strings everywhere a user's words can reach.
"""
import copy
import re
from dataclasses import replace
from datetime import date

from generator.document import BulletList, Heading, Link, Paragraph, PolicyDocument, Section, Table, Text

# (name, what for, country, privacy policy) — as in clauses/catalogues/processors/.
PROCESSORS = (
    ("Stripe", "card and wallet payments, and fraud screening of payments", "Ireland", "https://stripe.com/privacy"),
    ("PayPal", "wallet and card payments through PayPal", "Luxembourg", "https://www.paypal.com/webapps/mpp/ua/privacy-full"),
    ("GoCardless", "direct debit and bank payments", "France", "https://gocardless.com/privacy/"),
    ("Mollie", "card, bank transfer, iDEAL and other local payment methods", "Netherlands", "https://www.mollie.com/privacy"),
    ("Adyen", "card and local payment method processing", "Netherlands", "https://www.adyen.com/privacy-policy"),
    ("Tucows (OpenSRS)", "registers and renews domain names", "Canada", "https://opensrs.com/privacy-policy/"),
    ("Key-Systems (RRPproxy)", "registers and renews domain names", "Germany", "https://www.key-systems.net/en/privacy-policy"),
    ("Openprovider", "registers and renews domain names", "Netherlands", "https://openprovider.com/legal/privacy-policy"),
    ("CentralNic", "registry operator for a number of top-level domains", "United Kingdom", "https://centralnicdomains.com/support/privacy"),
    ("Verisign", "registry for .com and .net", "United States", "https://www.verisign.com/en_US/privacy-center/index.xhtml"),
    ("Sectigo", "validates domain control and issues SSL/TLS certificates", "United Kingdom", "https://www.sectigo.com/privacy-policy"),
    ("DigiCert", "validates domain control and issues SSL/TLS certificates", "United States", "https://www.digicert.com/digicert-privacy-policy"),
    ("Let's Encrypt", "issues free domain-validated SSL/TLS certificates", "United States", "https://letsencrypt.org/privacy/"),
    ("GlobalSign", "validates domain control and issues SSL/TLS certificates", "Belgium", "https://www.globalsign.com/en/repository"),
    ("ZeroSSL", "issues domain-validated SSL/TLS certificates", "Austria", "https://zerossl.com/privacy/"),
    ("Hetzner", "dedicated and cloud servers that run our services", "Germany", "https://www.hetzner.com/legal/privacy-policy"),
    ("OVHcloud", "dedicated servers and backup storage", "France", "https://www.ovhcloud.com/en/terms-and-conditions/privacy-policy/"),
    ("Amazon Web Services (AWS)", "cloud servers, storage and networking", "Luxembourg", "https://aws.amazon.com/privacy/"),
    ("Google Cloud", "cloud servers, storage and networking", "Ireland", "https://cloud.google.com/terms/cloud-privacy-notice"),
    ("DigitalOcean", "cloud servers, storage and networking", "United States", "https://www.digitalocean.com/legal/privacy-policy"),
    ("Leaseweb", "dedicated servers and colocation in the Netherlands", "Netherlands", "https://www.leaseweb.com/en/about-us/legal"),
    ("Cloudflare", "DNS, content delivery and protection against attacks", "United States", "https://www.cloudflare.com/privacypolicy/"),
    ("bunny.net", "content delivery network in front of our websites", "Slovenia", "https://bunny.net/privacy"),
    ("Fastly", "content delivery network and edge security", "United States", "https://www.fastly.com/privacy"),
    ("Google Workspace", "our business email, calendars and shared documents", "Ireland", "https://cloud.google.com/terms/cloud-privacy-notice"),
    ("Microsoft 365", "our business email, calendars and shared documents", "Ireland", "https://privacy.microsoft.com/privacystatement"),
    ("Postmark", "delivering our transactional emails", "United States", "https://postmarkapp.com/privacy-policy"),
    ("Mailgun", "delivering our transactional emails", "United States", "https://www.mailgun.com/legal/privacy-policy/"),
    ("Brevo", "sending our newsletters and measuring opens and clicks", "France", "https://www.brevo.com/legal/privacypolicy/"),
    ("MaxMind (minFraud)", "fraud risk scoring of orders and sign-ups", "United States", "https://www.maxmind.com/en/privacy-policy"),
    ("FraudLabs Pro", "fraud risk scoring of orders", "Malaysia", "https://www.fraudlabspro.com/privacy-policy"),
    ("Plausible Analytics", "cookieless, aggregate statistics on our websites", "Estonia", "https://plausible.io/privacy"),
    ("Matomo Cloud", "statistics on how visitors use our websites", "New Zealand", "https://matomo.org/matomo-cloud-privacy-policy/"),
    ("Chargebee", "subscription billing and invoicing", "United States", "https://www.chargebee.com/privacy/"),
)

BUSINESS = "Northwind Hosting"
LEGAL_NAME = "Northwind Hosting Ltd"


def _p(clause, *inlines):
    return Paragraph(inlines=tuple(inlines), clause=clause)


def processors_table():
    rows = tuple(
        ((Text(name, strong=True),), (Text(purpose),), (Text(country),), (Link("Privacy policy", url),))
        for name, purpose, country, url in PROCESSORS
    )
    return Table(
        columns=("Provider", "What they do for us", "Where", "Their privacy policy"),
        rows=rows,
        clause="sharing.processors_table",
        caption="Service providers who process personal data for us",
        kind="processors",
    )


def sections():
    return (
        Section(
            id="who_we_are",
            title="Who we are",
            anchor="who-we-are",
            blocks=(
                _p(
                    "who_we_are.controller",
                    Text("This policy explains how "),
                    Text(LEGAL_NAME, strong=True),
                    Text(" (trading as Northwind Hosting, company number 01234567, 1 Harbour Street, Leeds LS1 4AB, United Kingdom) collects and uses personal data when you use northwind.example and my.northwind.example."),
                ),
                _p("who_we_are.contact", Text("You can reach us about privacy at privacy@northwind.example.")),
            ),
        ),
        Section(
            id="what_we_collect",
            title="What we collect",
            anchor="what-we-collect",
            blocks=(
                _p("what_we_collect.intro", Text("We collect only what we need to provide and bill our hosting services.")),
                Heading(text="Information you give us", clause="what_we_collect.account_heading"),
                BulletList(
                    items=(
                        (Text("Account details", strong=True), Text(": name, email address, phone number and postal address.")),
                        (Text("Billing details", strong=True), Text(": invoices, payment method type and the last four digits of your card.")),
                        (Text("Domain registrant details", strong=True), Text(": the contact details a registry requires for each domain.")),
                        (Text("Support tickets", strong=True), Text(": what you write to us and our replies.")),
                    ),
                    clause="what_we_collect.data_list",
                ),
                Heading(text="Information collected automatically", clause="what_we_collect.auto_heading"),
                _p("what_we_collect.logs", Text("Our servers log IP addresses, request times and user agents for security and troubleshooting.")),
            ),
        ),
        Section(
            id="sharing",
            title="Who we share data with",
            anchor="",
            blocks=(
                _p("sharing.intro", Text("We use the service providers below. Each may only use your data to provide its service to us.")),
                processors_table(),
            ),
        ),
        Section(
            id="your_rights",
            title="Your rights",
            anchor="your-rights",
            blocks=(
                _p(
                    "your_rights.intro",
                    Text("You can ask for a copy of your data, or for it to be corrected or deleted. You can also complain to the "),
                    Link("Information Commissioner's Office", "https://ico.org.uk/make-a-complaint/"),
                    Text("."),
                ),
            ),
        ),
        Section(
            id="contact",
            title="Contact us",
            anchor="contact",
            blocks=(_p("contact.email", Text("Email privacy@northwind.example or write to 1 Harbour Street, Leeds LS1 4AB.")),),
        ),
    )


def make_document(**overrides):
    document = PolicyDocument(
        title="Privacy Policy",
        business_name=BUSINESS,
        legal_name=LEGAL_NAME,
        effective_date=date(2026, 11, 23),
        effective_date_text="23 November 2026",
        language="en",
        paper="A4",
        websites=("northwind.example", "my.northwind.example"),
        sections=sections(),
        laws=("uk", "eu"),
    )
    return replace(document, **overrides)


def payload_document(payloads):
    """Every user-reachable string of a document set to hostile text (links stay library-made)."""
    joined = " ".join(payloads)
    rows = tuple(((Text(p),), (Text(p, strong=True),)) for p in payloads)
    section = Section(
        id="payloads",
        title=joined,
        anchor="",
        blocks=(
            *(_p(f"payload.p{i}", Text(p)) for i, p in enumerate(payloads)),
            Heading(text=joined, clause="payload.heading"),
            BulletList(items=tuple((Text(p),) for p in payloads), clause="payload.list"),
            Table(columns=(joined, "Value"), rows=rows, clause="payload.table", caption=joined),
        ),
    )
    return make_document(
        title=f"Privacy Policy {joined}",
        business_name=joined,
        legal_name=joined,
        effective_date_text=joined,
        sections=(section,),
    )


def markdown_tables(md):
    """Every Markdown table of a policy as a list of {header: cell} rows, emphasis and escapes removed."""
    out, lines = [], md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("| ") and i + 1 < len(lines) and lines[i + 1].startswith("| ---"):
            header, rows = _cells(line), []
            for row in lines[i + 2:]:
                if not row.startswith("| "):
                    break
                rows.append(dict(zip(header, _cells(row))))
            out.append(rows)
    return out


def _cells(line):
    return [re.sub(r"\\(.)", r"\1", c.strip()).replace("**", "") for c in line.strip().strip("|").split(" | ")]


def answers_from(base, **changes):
    """A copy of an answers document with changes (`security__measures=[...]` sets a nested key),
    loaded through the contract."""
    from generator.answers import load_document

    doc = copy.deepcopy(base)
    for dotted, value in changes.items():
        node = doc
        keys = dotted.split("__")
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    result = load_document(doc)
    assert result.ok, result.errors
    return result.answers
