"""京津冀协同发展平台 — the Beijing–Tianjin–Hebei coordinated-development platform."""

__version__ = "0.1.0"
__all__ = ["__version__"]
