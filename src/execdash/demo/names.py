"""Fixed vocabularies of the demo company: products, industries, customer names, reasons."""

from __future__ import annotations

import random

INDUSTRIES = (
    ("Food & Beverage", 0.24),
    ("Hospitality", 0.16),
    ("Healthcare", 0.13),
    ("Pharmaceuticals", 0.09),
    ("Retail", 0.12),
    ("Logistics", 0.10),
    ("Education", 0.08),
    ("Facilities Management", 0.08),
)
SOURCES = (
    ("Inbound", 0.34),
    ("Outbound", 0.18),
    ("Partner", 0.16),
    ("Referral", 0.14),
    ("Trade show", 0.10),
    ("Paid search", 0.08),
)
DEVICE_TYPES = ("CoolMax 300", "CoolMax 500", "FreshLine Pro", "Dispenser S", "Dispenser XL")
PRODUCTS = (
    ("CoolMax 300", 0.22),
    ("CoolMax 500", 0.17),
    ("FreshLine Pro", 0.15),
    ("Dispenser S", 0.12),
    ("Dispenser XL", 0.10),
    ("Filter Pack", 0.11),
    ("Sensor Kit", 0.07),
    ("Installation Service", 0.06),
)
FAULT_TYPES = (
    ("Compressor overheating", 0.28),
    ("Sensor drift", 0.24),
    ("Firmware crash", 0.18),
    ("Pump clog", 0.16),
    ("Power supply failure", 0.14),
)
COGS_COMPONENTS = (
    ("Electronics", 0.30),
    ("Compressor & mechanics", 0.22),
    ("Sensors", 0.13),
    ("Assembly labour", 0.14),
    ("Freight & logistics", 0.09),
    ("Consumables", 0.08),
    ("Packaging", 0.04),
)

_NAME_FIRST = (
    "Northwind", "Harbour", "Albion", "Kestrel", "Meridian", "Oakridge", "Bramley", "Cobalt",
    "Juniper", "Larkspur", "Pennine", "Thames", "Severn", "Fenwick", "Ashdown", "Redwood",
    "Summit", "Bluebell", "Granite", "Willow", "Castleton", "Elmstead", "Hawthorn", "Marlow",
    "Orchard", "Riverside", "Sterling", "Westbury", "Aldgate", "Beacon", "Clearwater", "Dunmore",
    "Evergreen", "Foxglove", "Greyfriars", "Highfield", "Ironbridge", "Kingsway", "Lowther",
    "Millbrook", "Newhaven", "Pemberton", "Queensgate", "Rowan", "Saxon", "Trinity", "Upton",
    "Vale", "Whitby", "Yardley",
)  # fmt: skip
_NAME_SECOND = {
    "Food & Beverage": ("Dairies", "Foods", "Bakeries", "Brewing", "Kitchens", "Provisions"),
    "Hospitality": ("Hotels", "Inns", "Leisure", "Catering", "Venues", "Resorts"),
    "Healthcare": ("Clinics", "Care Homes", "Health", "Medical", "Dental", "Hospitals"),
    "Pharmaceuticals": ("Pharma", "Labs", "Biologics", "Therapeutics", "Life Sciences"),
    "Retail": ("Stores", "Markets", "Retail", "Grocers", "Convenience"),
    "Logistics": ("Freight", "Logistics", "Cold Chain", "Distribution", "Haulage"),
    "Education": ("Academy", "College", "Schools Trust", "University"),
    "Facilities Management": ("Facilities", "Property Services", "Estates", "Services"),
}
_NAME_SUFFIX = ("Ltd", "plc", "Group", "& Co", "Ltd", "Ltd", "LLP", "Holdings")


def weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    """One name from `(name, weight)` pairs."""
    return rng.choices([n for n, _ in table], weights=[w for _, w in table])[0]


def customer_name(rng: random.Random, industry: str, taken: set[str]) -> str:
    """A unique, plausible British company name for `industry`."""
    while True:
        name = (
            f"{rng.choice(_NAME_FIRST)} {rng.choice(_NAME_SECOND[industry])} "
            f"{rng.choice(_NAME_SUFFIX)}"
        )
        if name in taken:
            name = f"{name} ({len(taken) + 1})"
        if name not in taken:
            taken.add(name)
            return name


AT_RISK_REASONS = (
    "Usage down {drop}% over the last 90 days; champion left the company",
    "Three support escalations this quarter about {fault}",
    "Procurement asked for a 20% discount at renewal; competitor trial under way",
    "Invoices 45+ days overdue; finance contact unresponsive",
    "Only {active} of their devices reported telemetry last month",
    "New operations director is reviewing all equipment contracts",
    "Downgraded plan last quarter and cancelled the training day",
    "NPS response of 3 with a complaint about {fault}",
)
FEEDBACK_MESSAGES = {
    "complaint": (
        "Our {device} stopped cooling overnight and we lost stock; engineer took two days.",
        "The dashboard was down on Monday morning when we needed the temperature logs.",
        "Filter Pack delivery arrived a week late again.",
        "Billing shows a charge for a device we returned last month.",
        "{device} is louder than the old model; staff have complained.",
    ),
    "praise": (
        "Installation team was quick and tidy; the {device} has run flawlessly.",
        "Temperature alerts saved a full batch last weekend. Thank you!",
        "Support resolved our firmware issue within the hour.",
        "The monthly compliance report saves our auditors a day of work.",
    ),
    "suggestion": (
        "Please add an export of the cleaning log to the app.",
        "Would love SSO for the web portal.",
        "A smaller {device} for our kiosk sites would sell well.",
        "Let us set different alert thresholds per site.",
    ),
    "question": (
        "Can the {device} be moved between sites without re-commissioning?",
        "How do we add a second billing contact?",
        "Is there an API for the telemetry data?",
    ),
}
FEEDBACK_TYPES = (("complaint", 0.30), ("praise", 0.30), ("suggestion", 0.25), ("question", 0.15))
PRODUCT_FEEDBACK_CATEGORIES = (
    ("Hardware", 0.32),
    ("Software", 0.26),
    ("Consumables", 0.14),
    ("Support", 0.16),
    ("Billing", 0.12),
)
PRODUCT_FEEDBACK_TYPES = (
    ("bug", 0.28),
    ("feature_request", 0.30),
    ("praise", 0.22),
    ("complaint", 0.20),
)
PAGES = (
    ("/", 0.28),
    ("/products/coolmax", 0.14),
    ("/products/freshline", 0.09),
    ("/products/dispensers", 0.07),
    ("/pricing", 0.12),
    ("/case-studies", 0.07),
    ("/blog", 0.13),
    ("/contact", 0.04),
    ("/demo-request", 0.06),
)
USER_EVENTS = (
    ("login", 0.34),
    ("dashboard_view", 0.30),
    ("alert_acknowledged", 0.12),
    ("report_export", 0.09),
    ("device_registered", 0.05),
    ("settings_changed", 0.06),
    ("invoice_viewed", 0.04),
)
DEAL_TYPES = (("new_business", 0.58), ("expansion", 0.27), ("renewal", 0.15))
