"""Arithmetic on played intervals of a video: merging, measuring, clipping to a budget."""

Interval = tuple[float, float]


def intervals_merge(intervals) -> list[list[float]]:
    """Sort and merge overlapping or touching intervals."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1] + 0.5:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [[round(s, 1), round(e, 1)] for s, e in merged]


def intervals_length(intervals) -> float:
    return sum(end - start for start, end in intervals_merge(intervals))


def intervals_clip(intervals, budget: float) -> list[list[float]]:
    """Keep intervals in the order given until `budget` seconds are used up: a client
    cannot claim more playback than the real time that passed."""
    kept, left = [], max(budget, 0.0)
    for start, end in intervals:
        if left <= 0:
            break
        length = min(end - start, left)
        kept.append([start, start + length])
        left -= length
    return kept
