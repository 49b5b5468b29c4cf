"""Combining keyword and vector scores into one ranking.

Two ways, both over the same candidate set (the union of the best keyword and best vector rows,
each with both of its scores):

- score fusion: each score scaled to [0, 1] within the candidates, then a weighted sum.
  BM25 is scaled by its maximum (its zero means "no shared n-gram"); cosine by min-max (its
  floor is not zero). ``fuse_scores([4, 2, 0], [0.5, 0.3, 0.1], 0.7, 0.3) -> [1.0, 0.5, 0.0]``
- reciprocal rank fusion: ``weight / (k + rank)`` summed over the rankings; ignores score
  magnitudes, robust when one scorer's scale is unreliable.
"""

from __future__ import annotations

import numpy as np


def scale_by_max(scores: np.ndarray) -> np.ndarray:
    """[4, 2, 0] -> [1.0, 0.5, 0.0]; all zeros stay zeros."""
    scores = np.asarray(scores, dtype=np.float64)
    top = scores.max() if len(scores) else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def scale_min_max(scores: np.ndarray) -> np.ndarray:
    """[0.5, 0.3, 0.1] -> [1.0, 0.5, 0.0]; equal scores all become 1.0."""
    scores = np.asarray(scores, dtype=np.float64)
    if not len(scores):
        return scores
    low, high = scores.min(), scores.max()
    return (scores - low) / (high - low) if high > low else np.ones_like(scores)


def fuse_scores(keyword: np.ndarray | None, dense: np.ndarray | None,
                keyword_weight: float, dense_weight: float) -> np.ndarray:
    """Weighted sum of scaled scores; a scorer that is None (switched off) contributes nothing.

    >>> fuse_scores(np.array([4.0, 2.0, 0.0]), np.array([0.5, 0.3, 0.1]), 0.7, 0.3).round(2).tolist()
    [1.0, 0.5, 0.0]
    """
    parts = []
    if keyword is not None:
        parts.append(keyword_weight * scale_by_max(keyword))
    if dense is not None:
        parts.append(dense_weight * scale_min_max(dense))
    return np.sum(parts, axis=0) if parts else np.zeros(0)


def reciprocal_rank_fusion(keyword: np.ndarray | None, dense: np.ndarray | None,
                           keyword_weight: float, dense_weight: float, k: int = 60) -> np.ndarray:
    """RRF over the candidates' ranks by each score (rank 1 = best), scaled so a top-1 in both is 1.

    >>> reciprocal_rank_fusion(np.array([3.0, 1.0]), np.array([0.1, 0.9]), 0.5, 0.5, k=1).round(3).tolist()
    [0.833, 0.833]
    """
    total = None
    weight_sum = 0.0
    for scores, weight in ((keyword, keyword_weight), (dense, dense_weight)):
        if scores is None:
            continue
        ranks = np.empty(len(scores))
        ranks[np.argsort(-np.asarray(scores), kind="stable")] = np.arange(1, len(scores) + 1)
        contribution = weight * (k + 1) / (k + ranks)
        total = contribution if total is None else total + contribution
        weight_sum += weight
    if total is None:
        return np.zeros(0)
    return total / weight_sum if weight_sum > 0 else total
