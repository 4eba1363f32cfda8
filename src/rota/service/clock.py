"""The clock is a ground utility, `rota.clock`; the use cases read it from here too."""

from rota.clock import epoch, now

__all__ = ["epoch", "now"]
