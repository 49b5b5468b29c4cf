import doctest

import numpy as np

from assistant import fusion
from assistant.fusion import fuse_scores, reciprocal_rank_fusion, scale_by_max, scale_min_max


def test_docstring_examples():
    assert doctest.testmod(fusion).failed == 0


def test_scaling_edge_cases():
    assert scale_by_max(np.zeros(3)).tolist() == [0.0, 0.0, 0.0]
    assert scale_min_max(np.array([0.4, 0.4])).tolist() == [1.0, 1.0]
    assert len(scale_min_max(np.array([]))) == 0


def test_switched_off_scorer_contributes_nothing():
    keyword = np.array([2.0, 1.0])
    assert fuse_scores(keyword, None, 0.7, 0.3).tolist() == [0.7, 0.35]
    assert fuse_scores(None, None, 0.7, 0.3).tolist() == []
    assert reciprocal_rank_fusion(None, np.array([0.1, 0.9]), 0.5, 0.5).argmax() == 1


def test_weights_decide_between_disagreeing_scorers():
    keyword, dense = np.array([1.0, 0.0, 0.5]), np.array([0.0, 1.0, 0.5])
    assert fuse_scores(keyword, dense, 0.7, 0.3).argmax() == 0
    assert fuse_scores(keyword, dense, 0.3, 0.7).argmax() == 1
