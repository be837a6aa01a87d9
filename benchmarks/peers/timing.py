"""The timing rule every peer script shares, so peers are measured alike: one warm-up round,
then five rounds of about seconds/5 each (at least two calls per round); the median round's
rate is the result, which damps the bursts of a shared machine better than a mean would."""
import time


def median_rate(operation, amount_per_call, seconds):
    """Median of amount_per_call × calls ÷ elapsed seconds over five measured rounds."""
    rates = []
    for round_number in range(6):
        calls = 0
        start = time.perf_counter()
        elapsed = 0.0
        while elapsed < seconds / 5 or calls < 2:
            operation()
            calls += 1
            elapsed = time.perf_counter() - start
        if round_number > 0:
            rates.append(amount_per_call * calls / elapsed)
    rates.sort()
    return rates[len(rates) // 2]
