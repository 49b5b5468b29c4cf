"""Question sets, metrics, baselines and reports for ``pia eval``."""
