"""Number formatting shared by the command line and the scenes.

float64 extremes are named, never hidden: inf prints as "overflow", and a value known to
be non-zero that float64 rounded to 0 prints as "underflow".
"""

from __future__ import annotations

import math


def sci_parts(x: float, digits: int = 2) -> tuple[float, int]:
    """Split a finite non-zero x into (mantissa, exponent) with 1 <= |mantissa| < 10."""
    exponent = math.floor(math.log10(abs(x)))
    mantissa = round(x / 10.0**exponent, digits - 1) if exponent > -300 else x * 10.0 ** (-exponent)
    if abs(mantissa) >= 10:  # rounding carried into the next decade
        mantissa /= 10
        exponent += 1
    return mantissa, exponent


def fmt_value(x: float, digits: int = 3, underflow: bool = False) -> str:
    """A short readable string for x: 0.0625, 57.67, 2.59e+26, "overflow", "underflow"; a
    negative value starts with a true minus sign (U+2212), −1.459, not a hyphen.

    ``underflow=True`` says the true value is not zero, so a float64 zero prints as
    "underflow" rather than "0".
    """
    if math.isnan(x):
        raise ValueError("netsim never formats NaN: a NaN here is a bug upstream")
    if math.isinf(x):
        return "overflow" if x > 0 else "−overflow"
    if x == 0:
        return "underflow" if underflow else "0"
    ax = abs(x)
    if 1e-3 <= ax < 1e4:
        text = f"{ax:.{digits}g}" if ax < 1 else f"{ax:.{max(digits - 1, 1)}f}".rstrip("0").rstrip(".")
    else:
        text = f"{ax:.{max(digits - 1, 0)}e}"
    return text if x > 0 else "−" + text


def fmt_log10(log10_value: float, digits: int = 3) -> str:
    """A magnitude given as its base-10 logarithm, e.g. 26.41 -> "2.59e+26" (any size)."""
    if math.isinf(log10_value):
        return "0" if log10_value < 0 else "overflow"
    exponent = math.floor(log10_value)
    mantissa = 10.0 ** (log10_value - exponent)
    text = f"{mantissa:.{max(digits - 1, 0)}f}"
    if float(text) >= 10:
        text = f"{1.0:.{max(digits - 1, 0)}f}"
        exponent += 1
    return f"{text}e{exponent:+03d}"


def fmt_ratio(ratio: float, digits: int = 2) -> str:
    """How big one size is next to another, as a viewer reads it: "1/120" for a ratio below 1
    (1 over the inverse, to ``digits`` significant figures), "1.1" for one of 1 or more;
    "overflow" / "underflow" at the extremes, never NaN."""
    if math.isnan(ratio):
        raise ValueError("netsim never formats NaN: a NaN here is a bug upstream")
    if ratio == 0:
        return "underflow"
    if math.isinf(ratio):
        return "overflow"
    big = ratio >= 1
    value = ratio if big else 1.0 / ratio
    if math.isinf(value):
        return "underflow"
    rounded = round(value, digits - 1 - math.floor(math.log10(value)))  # once, to ``digits`` figures
    text = f"{rounded:.0f}" if 10 <= rounded < 1e4 else fmt_value(rounded, digits)
    return text if big else "1/" + text


def fmt_percent(fraction: float) -> str:
    """A fraction as a percentage: 0.0184 -> "1.8%", 0.9243 -> "92.4%", 0.1 -> "10%",
    0.00083 -> "0.083%"."""
    return fmt_value(100.0 * float(fraction), 2) + "%"


def fmt_whole(value: int) -> str:
    """A whole number with thousands separators: 1,348."""
    return f"{int(value):,}"
