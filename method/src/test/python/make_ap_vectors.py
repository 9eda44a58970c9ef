#!/usr/bin/python3
"""Writes AP/mAP test vectors to method/src/test/resources/metrics/ap_vectors.json.

The Java metrics (io.ccdstream.method.metrics) must match scikit-learn's
average_precision_score per class, with the project's rule that a class without any positive
scores 0 (scikit-learn warns instead), and mAP = mean of the per-class APs * 100.

Run with Debian's scikit-learn (apt-get install python3-sklearn):
    /usr/bin/python3 method/src/test/python/make_ap_vectors.py [output-file]

Every case is a score matrix [image][class] and a label matrix of the same shape. Labels may be
soft pseudo-labels; "binarisation" says how they become positives before AP:
  EQUALS_ONE     y == 1
  AT_LEAST_HALF  y >= 0.5
"scoreType" is float64 or float32; float32 scores are written as the exact double value of the
float, so the Java side can test its float API on the same numbers. The generator is seeded, so
the file is reproducible for a given numpy/scikit-learn.
"""

import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score

SEED = 20250611
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "metrics",
                           "ap_vectors.json")


def binarise(labels, rule):
    if rule == "EQUALS_ONE":
        return (labels == 1.0).astype(int)
    if rule == "AT_LEAST_HALF":
        return (labels >= 0.5).astype(int)
    raise ValueError(rule)


def sklearn_ap(truth, scores):
    """scikit-learn's own value, None where it is not a number."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = float(average_precision_score(truth, scores))
    return None if np.isnan(value) else value


def project_ap(truth, scores):
    return 0.0 if truth.sum() == 0 else sklearn_ap(truth, scores)


def case(name, scores, labels, rule, note):
    truth = binarise(labels, rule)
    columns = range(scores.shape[1])
    expected = [project_ap(truth[:, c], scores[:, c]) for c in columns]
    return {
        "name": name,
        "note": note,
        "scoreType": "float32" if scores.dtype == np.float32 else "float64",
        "binarisation": rule,
        "scores": [[float(v) for v in row] for row in scores],
        "labels": [[float(v) for v in row] for row in labels],
        "expectedAp": expected,
        "expectedMap": float(np.mean(expected) * 100.0),
        "sklearnAp": [sklearn_ap(truth[:, c], scores[:, c]) for c in columns],
    }


def cases(rng):
    out = []

    # hand-checkable: AP = 0.5 * 1 + 0.5 * 2/3 = 0.8333...
    scores = np.array([[0.9], [0.8], [0.7], [0.6]])
    labels = np.array([[1.0], [0.0], [1.0], [0.0]])
    out.append(case("hand", scores, labels, "EQUALS_ONE", "AP = 0.5*1 + 0.5*(2/3)"))

    # scores rounded to 2 decimals (ties), one all-negative class, one all-positive class
    scores = np.round(rng.random((60, 6)), 2)
    labels = (rng.random((60, 6)) < 0.3).astype(float)
    labels[:, 4] = 0.0
    labels[:, 5] = 1.0
    out.append(case("ties_with_empty_and_full_classes", scores, labels, "EQUALS_ONE",
                    "class 4 has no positive (project: 0), class 5 only positives"))

    # heavy ties: only five distinct scores, positives correlated with the score
    scores = rng.integers(1, 6, size=(40, 4)) / 10.0
    labels = (rng.random((40, 4)) < scores * 1.5).astype(float)
    out.append(case("heavy_ties", scores, labels, "EQUALS_ONE", "five distinct score values"))

    # constant scores: one threshold, AP = prevalence
    scores = np.full((10, 2), 0.5)
    labels = np.zeros((10, 2))
    labels[:3, 0] = 1.0
    labels[:7, 1] = 1.0
    out.append(case("constant_scores", scores, labels, "EQUALS_ONE", "AP = 0.3 and 0.7"))

    # perfect and inverted rankings
    order = np.arange(8) / 8.0
    scores = np.stack([order, order], axis=1)
    labels = np.zeros((8, 2))
    labels[4:, 0] = 1.0
    labels[:4, 1] = 1.0
    out.append(case("perfect_and_inverted", scores, labels, "EQUALS_ONE", "AP 1 and a low AP"))

    # float32 sigmoid scores, as the classifier produces them
    logits = rng.normal(0.0, 2.0, size=(80, 5))
    scores = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
    labels = (rng.random((80, 5)) < 1.0 / (1.0 + np.exp(-logits))).astype(float)
    out.append(case("float32_sigmoid", scores, labels, "EQUALS_ONE", "float32 scores"))

    # soft pseudo-labels, binarised both ways: exact 1s (clamped labels), exact 0.5s, others
    scores = np.round(rng.random((50, 5)), 3)
    soft = np.round(rng.random((50, 5)) * 1.3, 2).clip(0.0, 1.0)
    soft[rng.random((50, 5)) < 0.1] = 0.5
    soft[:, 3] = np.minimum(soft[:, 3], 0.4)  # no label reaches 0.5: no positive either way
    for rule in ("EQUALS_ONE", "AT_LEAST_HALF"):
        out.append(case("soft_labels_" + rule.lower(), scores, soft, rule,
                        "soft labels; class 3 has no positive under either rule"))

    # a larger random case
    scores = np.round(rng.random((500, 7)), 3)
    labels = (rng.random((500, 7)) < np.linspace(0.02, 0.6, 7)).astype(float)
    out.append(case("large_random", scores, labels, "EQUALS_ONE", "500 images, 7 classes"))
    return out


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    document = {
        "generator": "method/src/test/python/make_ap_vectors.py",
        "seed": SEED,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "cases": cases(np.random.default_rng(SEED)),
    }
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print("wrote", len(document["cases"]), "cases to", out_path)


if __name__ == "__main__":
    main()
