"""S&OP analytics helpers: demo data generator, landing adapters and forecasting logic.

The dbt project beside this package owns the SQL; this package owns what is easier to
test as plain Python (data generation, statistics), called from dbt Python models.
"""

__version__ = "0.1.0"
