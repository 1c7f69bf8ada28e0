"""Interoperability with other corpora and token-classification tools (issue 8).

- :mod:`sayso.interop.gum`: import the GUM corpus (CoNLL-U entities, eRST attributions);
- :mod:`sayso.interop.conll`: BIO export of gold named mentions (CoNLL or JSONL) and import of
  a model's BIO tags back to character offsets;
- :mod:`sayso.interop.ood`: the out-of-domain evaluation table (baselines scored on GUM news).

The rules are documented in ``eval/INTEROP.md``.
"""

__all__ = ["gum", "conll"]
