"""Why a number moved: driver analysis, MRR/ARR movements and the written summary built on them.

Each module pairs a small SQL fetch with pure functions doing the math (tested without a
database); the API, the page and the summary all call the same functions.
"""
