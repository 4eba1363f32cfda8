"""rota: decides who hosts each booking of a team."""

__version__ = "0.1.0"
