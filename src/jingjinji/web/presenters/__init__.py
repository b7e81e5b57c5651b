"""Rows and domain results as response schemas: what API routers and page routers both show.

One module per domain; a presenter reads what it is given and queries nothing of its own.
"""
