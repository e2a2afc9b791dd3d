"""The monitor's database aggregations, one module per source. Every function runs exactly
one aggregation query (``values(...).annotate(...)``) and returns plain counts keyed by
group and key; nothing here loops over rows or touches a free-text field."""
