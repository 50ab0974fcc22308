"""Evaluation of the matching library: a labelled set, quality metrics, baselines, benchmarks.

``python -m matching.evaluation`` prints the engine's nDCG@10 and P@5 on the labelled set
beside two title-only baselines, and the occupation normaliser's accuracy on the ESCO benchmark.
The labels come from written placement-officer rules (``labels.py``), never from the engine.
"""
