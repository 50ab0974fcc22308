"""Monitoring for labour officials: the KPI snapshot.

Every figure the dashboard, the drill-down and the yearly report show is computed by the pure
functions of ``matching.kpi`` over the database's rows (``records``), flattened into rows
(``figures``) and stored per year (``store``, ``generations``; tables ``kpi_snapshot``,
``kpi_figure`` and ``kpi_figure_value``), so pages read stored numbers in milliseconds and the
numbers are the KPI functions' numbers.
Any write to the rows the KPIs read marks the snapshots stale (``watch``); a refresh
(``store.refresh_year``, ``dbjobs refresh-kpi``, or a queued job that a write made) recomputes a
year. ``read`` is the API for pages; ``drill`` lists the records behind a figure.
"""
