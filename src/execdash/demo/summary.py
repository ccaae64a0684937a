"""What `generate` reports: rows per table and how fast the orders were written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table


@dataclass(frozen=True)
class DemoSummary:
    """Rows written per table, elapsed time and order throughput of one demo generation."""

    seed: int
    first_month: dt.date
    end_month: dt.date
    opening_backlog: float
    rows: dict[str, int] = field(default_factory=dict)
    elapsed_seconds: float = 0.0
    order_seconds: float = 0.0
    order_cpu_seconds: float = 0.0
    """CPU time of the order load: the rate it gives is what a quiet machine would reach."""

    @property
    def orders(self) -> int:
        """How many orders were written."""
        return self.rows.get("orders", 0)

    @property
    def order_rows_per_second(self) -> float:
        """Orders generated and written per second (0 when nothing was timed)."""
        return self.orders / self.order_seconds if self.order_seconds > 0 else 0.0

    @property
    def order_rows_per_cpu_second(self) -> float:
        """Orders per second of CPU time (0 when nothing was timed)."""
        return self.orders / self.order_cpu_seconds if self.order_cpu_seconds > 0 else 0.0

    @property
    def total_rows(self) -> int:
        """Rows written over all tables."""
        return sum(self.rows.values())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """A table of rows per table, then a line with the timing."""
        yield (
            f"[bold]Demo company[/] (seed {self.seed}, "
            f"{self.first_month:%Y-%m} … {self.end_month:%Y-%m})"
        )
        table = Table()
        table.add_column("table")
        table.add_column("rows", justify="right")
        for name, count in sorted(self.rows.items()):
            table.add_row(name, f"{count:,}")
        table.add_row("[bold]total[/]", f"[bold]{self.total_rows:,}[/]")
        yield table
        yield (
            f"Opening backlog £{self.opening_backlog:,.2f}. Wrote {self.total_rows:,} rows in "
            f"{self.elapsed_seconds:.1f} s; orders: {self.orders:,} in {self.order_seconds:.1f} s "
            f"= {self.order_rows_per_second:,.0f} rows/s "
            f"({self.order_rows_per_cpu_second:,.0f} rows per CPU second)."
        )
