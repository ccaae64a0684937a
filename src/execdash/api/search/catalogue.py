"""The fixed part of search: every page and KPI, with the seed front end's route and execdash's.

`url` is where the seed front end goes (its routes: /dashboard, /finance/kpis/revenue, …);
`href` is execdash's own page (/, /kpi/revenue, /operations, …) or None where it has none.
"""

from __future__ import annotations

from execdash.api.search.rank import Candidate


def _page(
    key: str, title: str, url: str, href: str | None, what: str, words: str = ""
) -> Candidate:
    return Candidate(f"page:{key}", "page", title, what, "Pages", url, href, words)


PAGES: tuple[Candidate, ...] = (
    _page("dashboard", "Executive dashboard", "/dashboard", "/",
          "Headline KPIs, revenue trend, alerts and risks", "overview home"),
    _page("finance", "Finance", "/finance", "/finance",
          "Revenue, bookings, backlog, margin, ARR and payback", "money"),
    _page("sales", "Sales", "/sales", "/sales",
          "Funnel, win rate, sales cycle, deal size and top customers", "pipeline"),
    _page("marketing", "Marketing & feedback", "/marketing", "/marketing",
          "Visits, visit-to-lead conversion, NPS and CSAT", "feedback"),
    _page("supply", "Supply", "/supply", "/supply",
          "Lead time, inventory turns, COGS variance and breakdown", "cogs inventory"),
    _page("manufacturing", "Operations (manufacturing)", "/manufacturing", "/operations",
          "Uptime, MTBF/MTTR, quality rates, service cost and faults", "manufacturing quality"),
    _page("retention", "Retention", "/finance/kpis/nrr", "/retention",
          "NRR, churn, expansion and at-risk customers", "churn"),
    _page("telemetry", "Telemetry", "/manufacturing", "/telemetry",
          "Device utilisation, consumption and active devices", "devices"),
    _page("products", "Products", "/sales", "/products",
          "Top products by revenue with shares", "product"),
    _page("alerts", "Alerts & risks", "/dashboard", "/alerts",
          "Every alert and risk, with filters and their workflow", "alert risk"),
    _page("calendar", "Calendar", "/calendar", None, "Meetings by day and month", "meetings"),
    _page("messages", "Messages", "/messages", None, "Inbox of messages", "inbox"),
    _page("profile", "Profile", "/profile", None, "Your name, e-mail and role", "account"),
    _page("settings", "Settings", "/settings", None, "Theme, language and date format",
          "preferences"),
)  # fmt: skip


def _kpi(
    key: str, title: str, url: str, href: str, what: str, category: str, words: str = ""
) -> Candidate:
    return Candidate(f"kpi:{key}", "kpi", title, what, category, url, href, f"{key} {words}")


EXECUTIVE = "Executive KPIs"
KPIS: tuple[Candidate, ...] = (
    _kpi("revenue", "Revenue", "/finance/kpis/revenue", "/kpi/revenue",
         "Recognized revenue over the window", EXECUTIVE, "recognized sales turnover"),
    _kpi("backlog", "Backlog", "/finance/kpis/backlog", "/kpi/backlog",
         "Contracted revenue not yet recognized, at the end month", EXECUTIVE, "order book"),
    _kpi("uptime", "Uptime", "/manufacturing/kpis/uptime", "/kpi/uptime",
         "Day-weighted mean device uptime", EXECUTIVE, "availability"),
    _kpi("nrr", "Net revenue retention (NRR)", "/finance/kpis/nrr", "/kpi/nrr",
         "Revenue kept and expanded from existing customers", EXECUTIVE, "retention"),
    _kpi("gm", "Gross margin", "/finance/kpis/gm", "/kpi/gm",
         "Gross profit over order amount", EXECUTIVE, "gm profit"),
    _kpi("payback", "CAC payback", "/finance/kpis/payback", "/kpi/payback",
         "Months of new recurring gross profit to repay the window's spend", EXECUTIVE,
         "months cac"),
    _kpi("book_to_bill", "Book-to-bill", "/finance/kpis/book_to_bill", "/kpi/book_to_bill",
         "Booked over recognized revenue", EXECUTIVE, "bookings"),
    _kpi("coverage_months", "Backlog coverage", "/finance/kpis/coverage_months",
         "/kpi/coverage_months", "Months of revenue the backlog covers", EXECUTIVE),
    _kpi("arr", "ARR", "/finance/kpis/arr", "/kpi/arr",
         "Annual recurring revenue: 12 × end-month MRR", EXECUTIVE,
         "annual recurring revenue mrr subscription"),
    _kpi("forecast", "Revenue forecast", "/finance/kpis/forecast", "/kpi/forecast",
         "Recognized revenue expected next month", EXECUTIVE, "prediction"),
    _kpi("leads", "Leads", "/sales/kpis/leads", "/sales", "Leads entering the funnel", "Sales"),
    _kpi("mql", "Marketing-qualified leads (MQL)", "/sales/kpis/mql", "/sales",
         "Leads qualified by marketing", "Sales"),
    _kpi("sql", "Sales-qualified leads (SQL)", "/sales/kpis/sql", "/sales",
         "Leads qualified by sales", "Sales"),
    _kpi("won", "Won deals", "/sales/kpis/won", "/sales", "Deals won in the window", "Sales"),
    _kpi("win_rate", "Win rate", "/sales/kpis/win_rate", "/sales",
         "Share of opportunities won", "Sales"),
    _kpi("sales_cycle", "Sales cycle", "/sales/kpis/sales_cycle", "/sales",
         "Days from lead to won deal", "Sales"),
    _kpi("avg_deal", "Average deal size", "/sales/kpis/avg_deal", "/sales",
         "Booked revenue per won deal", "Sales", "deal value"),
    _kpi("new_customers", "New customers", "/sales/kpis/new_customers", "/sales",
         "Customers created in the window", "Sales", "acquisition"),
    _kpi("visits", "Website visits", "/marketing/kpis/visits", "/marketing",
         "Page visits in the window", "Marketing", "traffic page views"),
    _kpi("conversion", "Visit-to-lead conversion", "/marketing/kpis/conversion", "/marketing",
         "Leads per website visit", "Marketing"),
    _kpi("nps", "Net promoter score (NPS)", "/marketing/kpis/nps", "/marketing",
         "Promoters minus detractors", "Marketing", "promoter"),
    _kpi("csat", "Customer satisfaction (CSAT)", "/marketing/kpis/csat", "/marketing",
         "Mean satisfaction score", "Marketing", "satisfaction"),
    _kpi("lead_time", "Lead time", "/supply/kpis/lead_time", "/supply",
         "Days from purchase order to delivery", "Supply"),
    _kpi("inventory_turns", "Inventory turns", "/supply/kpis/inventory_turns", "/supply",
         "Times inventory is used up per year", "Supply", "stock"),
    _kpi("cogs_variance", "COGS variance", "/supply/kpis/cogs_variance", "/supply",
         "Actual against standard cost of goods sold", "Supply", "cost of goods"),
    _kpi("cogs_total", "COGS total", "/supply/kpis/cogs_total", "/supply",
         "Cost of goods sold by component", "Supply", "cost of goods"),
    _kpi("mtbf", "Mean time between failures (MTBF)", "/manufacturing/kpis/mtbf", "/operations",
         "Hours between device failures", "Operations", "reliability"),
    _kpi("mttr", "Mean time to repair (MTTR)", "/manufacturing/kpis/mttr", "/operations",
         "Hours to repair a failed device", "Operations", "reliability"),
    _kpi("doa", "Dead on arrival (DOA)", "/manufacturing/kpis/doa", "/operations",
         "Share of devices failing on arrival", "Operations", "quality"),
    _kpi("defect", "Defect rate", "/manufacturing/kpis/defect", "/operations",
         "Share of devices with a defect", "Operations", "quality"),
    _kpi("warranty", "Warranty claims", "/manufacturing/kpis/warranty", "/operations",
         "Share of devices with a warranty claim", "Operations", "quality"),
    _kpi("cost_per_device", "Service cost per device", "/manufacturing/kpis/cost_per_device",
         "/operations", "Service cost per installed device", "Operations", "service"),
    _kpi("churn", "Gross churn", "/finance/kpis/nrr", "/retention",
         "Revenue lost from existing customers", "Retention", "attrition"),
    _kpi("expansion", "Expansion", "/finance/kpis/nrr", "/retention",
         "Revenue added by existing customers", "Retention", "upsell"),
)  # fmt: skip

CATALOGUE: tuple[Candidate, ...] = PAGES + KPIS
"""Every page and KPI search can find."""
