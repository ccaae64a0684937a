"""Plans: named, versioned monthly targets per KPI, and how the actuals compare with them.

`catalog` says which KPIs take targets and how they aggregate, `aggregate` rolls targets up,
`landing` projects where a plan period will land, `compare` turns both into the comparison a tile
shows, `store` reads and writes the tables, `importer` reads plan files, `attach` does it all for
a window.
"""
