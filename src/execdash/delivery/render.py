"""A digest as HTML (charts inline as `cid:` parts for email, or as data: URIs for a preview),
as plain text, and as the email that carries both."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from execdash.delivery import charts, roles
from execdash.delivery.content import Digest, KpiRow
from execdash.delivery.formatting import format_date

TEMPLATES = Path(__file__).with_name("templates")
_env = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), auto_reload=False
)


@dataclass(frozen=True, slots=True)
class Chart:
    """One image of the digest: its title, text alternative, PNG bytes and content id."""

    title: str
    alt: str
    png: bytes
    cid: str


def subject(d: Digest) -> str:
    """'Weekly digest · Nov 2025 – Oct 2026 · revenue £27.7M ▲ +4.2%'."""
    head = next((k for k in d.kpis if k.key == roles.KPI_ORDER.get(d.role, ("revenue",))[0]), None)
    figure = f" · {head.label} {head.value} {head.arrow} {head.change}".rstrip() if head else ""
    return f"{d.frequency.capitalize()} digest · {d.window_label}{figure}"


def chart_images(d: Digest) -> list[Chart]:
    """The digest's charts: revenue (as on the overview) and the role's focus KPI."""
    found: list[Chart] = []
    revenue = charts.revenue_chart(d.revenue_trend, d.currency_symbol)
    if revenue is not None:
        found.append(
            Chart(
                "Revenue: recognized and booked, with backlog",
                "Bar chart of recognized and booked revenue per period with the "
                "period-end backlog as a line",
                revenue,
                make_msgid("revenue")[1:-1],
            )
        )
    if d.focus is not None:
        focus = charts.series_chart(d.focus, d.currency_symbol)
        if focus is not None:
            found.append(
                Chart(
                    d.focus.label,
                    f"Line chart of {d.focus.label} per period",
                    focus,
                    make_msgid(d.focus.key)[1:-1],
                )
            )
    return found


def html(d: Digest, images: list[Chart], *, inline: bool) -> str:
    """The digest page; `inline` embeds the images as data: URIs (a preview), else `cid:` refs."""
    shown = [
        {
            "title": c.title,
            "alt": c.alt,
            "src": ("data:image/png;base64," + base64.b64encode(c.png).decode())
            if inline
            else f"cid:{c.cid}",
        }
        for c in images
    ]
    return _env.get_template("digest.html").render(
        d=d,
        charts=shown,
        subject=subject(d),
        since=format_date(d.period.since.date().isoformat()),
        frequency_label=d.frequency.capitalize(),
        role_label=roles.ROLE_LABELS.get(d.role, d.role),
    )


def _plan_text(k: KpiRow) -> str:
    """` · On track, 99.8% of plan (Plan £9.7M · −0.2% vs plan)` for a planned KPI."""
    p = k.plan
    if p is None:
        return ""
    standing = ", ".join(part for part in (p.status, p.attainment) if part)
    covers = f"; {p.covers}" if p.covers else ""
    return f" · {standing + ' ' if standing else ''}({p.figures}{covers})"


def text(d: Digest) -> str:
    """The same digest as plain text (mail clients that show no HTML)."""
    lines = [subject(d), f"Compared with {d.compared_with}.", "", "KEY FIGURES"]
    if d.plan_name:
        lines.append(f"Against plan {d.plan_name}.")
    for k in d.kpis:
        lines.append(
            f"- {k.label}: {k.value} ({k.arrow + ' ' if k.arrow else ''}{k.change}"
            f"{', ' + k.previous if k.previous else ''}){_plan_text(k)}"
        )
    lines += ["", "WHAT MOVED AND WHY", *(f"- {t}" for _, t in d.statements)]
    if d.actions:
        lines += ["", "ACT ON", *(f"{i}. {a}" for i, a in enumerate(d.actions, 1))]
    lines += ["", "NEW ALERTS"]
    lines += [f"- [{a.severity}] {a.title} ({a.type}, {a.raised})" for a in d.new_alerts] or [
        "- none"
    ]
    lines += ["", f"OPEN ALERTS ({d.open_alerts_total})"]
    lines += [f"- [{a.severity}] {a.title}" for a in d.open_alerts] or ["- none"]
    lines += ["", "OPEN RISKS"]
    lines += [
        f"- {r.title} ({r.owner}, due {r.due}{', overdue' if r.overdue else ''})" for r in d.risks
    ] or ["- none"]
    lines += ["", f"Dashboard: {d.links['overview']}"]
    return "\n".join(lines) + "\n"


def email(d: Digest, to: str, sender: str) -> EmailMessage:
    """The digest email: plain text, and HTML with the charts as inline related images."""
    images = chart_images(d)
    message = EmailMessage()
    message["Subject"] = subject(d)
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain="execdash")
    message.set_content(text(d))
    message.add_alternative(html(d, images, inline=False), subtype="html")
    html_part = message.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    for image in images:
        html_part.add_related(
            image.png,
            "image",
            "png",
            cid=f"<{image.cid}>",
            filename=f"{image.cid.split('.')[0]}.png",
        )
    return message
