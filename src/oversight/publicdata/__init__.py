"""Public data: the city's stops, use-of-force and shooting exports, imported into one
standard schema per kind, stored in DuckDB, summarised with intervals and shown to the public.

The importer modules (kinds, mapping, importer, pseudonym, stats, store, summary) import
no Django; the Django app (views, urls, templates) and the command line sit around them.
"""
