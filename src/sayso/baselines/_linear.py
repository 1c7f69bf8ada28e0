"""Linear classifiers over sparse indicator features, trained with scikit-learn and stored as JSON.

Training uses ``LogisticRegression`` (L1, liblinear, one-vs-rest, a fixed ``random_state``) on a
``DictVectorizer``; the fitted weights are exported to a plain dict (non-zero weights rounded to
6 decimals), so a model file is small, readable, diffable, byte-for-byte reproducible, and
prediction needs neither scikit-learn nor pickle. Why L1: most of the few thousand indicator
features never matter, and the model file stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["LinearModel", "train"]

Features = dict[str, float]


class LinearModel:
    """One-vs-rest linear scores ``b_k + sum_f w_kf * x_f``; the best class wins (ties: first class)."""

    def __init__(self, classes: list[str], intercepts: list[float], weights: dict[str, list[float]]):
        self.classes = classes
        self.intercepts = intercepts
        self.weights = weights

    def scores(self, x: Features) -> list[float]:
        out = list(self.intercepts)
        for name, value in x.items():
            row = self.weights.get(name)
            if row is not None:
                for k, w in enumerate(row):
                    out[k] += w * value
        return out

    def predict(self, x: Features) -> str:
        scores = self.scores(x)
        best = max(range(len(scores)), key=lambda k: (scores[k], -k))
        return self.classes[best]

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": self.classes,
            "intercepts": self.intercepts,
            "weights": {f: self.weights[f] for f in sorted(self.weights)},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(list(data["classes"]), list(data["intercepts"]), dict(data["weights"]))


def _round(value: float) -> float:
    value = round(float(value), 6)
    return 0.0 if value == 0 else value


def train(xs: Sequence[Features], ys: Sequence[str], *, seed: int, c: float = 1.0) -> LinearModel:
    """Fit a classifier; a single observed class gives a constant model."""
    classes = sorted(set(ys))
    if len(classes) < 2:
        return LinearModel(classes or ["none"], [0.0], {})
    import numpy as np
    import sklearn
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(xs).tocsr()
    # liblinear takes 32-bit sparse indices only (DictVectorizer may give 64-bit ones).
    x = csr_matrix((x.data, x.indices.astype(np.int32), x.indptr.astype(np.int32)), shape=x.shape)
    major, minor = (int(p) for p in sklearn.__version__.split(".")[:2])
    # scikit-learn 1.8 deprecated `penalty` in favour of `l1_ratio`.
    l1 = {"l1_ratio": 1.0} if (major, minor) >= (1, 8) else {"penalty": "l1"}
    names = vec.get_feature_names_out()
    model_classes = classes
    y = list(ys)

    def fit(target: list[int]):
        clf = LogisticRegression(solver="liblinear", C=c, random_state=seed, max_iter=2000, **l1)
        clf.fit(x, target)
        return clf.coef_[0], float(clf.intercept_[0])

    # One-vs-rest by hand (liblinear is binary-only in recent scikit-learn): one row per class.
    coef, intercept = [], []
    if len(classes) == 2:  # binary: one fit scores the second class against the first
        row, b = fit([int(v == classes[1]) for v in y])
        coef, intercept = [-row, row], [-b, b]
    else:
        for cls in classes:
            row, b = fit([int(v == cls) for v in y])
            coef.append(row)
            intercept.append(b)
    weights: dict[str, list[float]] = {}
    for j, name in enumerate(names):
        row = [_round(coef[k][j]) for k in range(len(model_classes))]
        if any(row):
            weights[str(name)] = row
    return LinearModel(model_classes, [_round(b) for b in intercept], weights)
