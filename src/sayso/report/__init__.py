"""Presenting scores: the leaderboard over ``eval/submissions/`` and the self-contained HTML report.

- :func:`sayso.report.leaderboard.build_leaderboard` scores every submission folder and returns
  the ``eval/leaderboard.json`` dict and the ``eval/LEADERBOARD.md`` text (both deterministic:
  no timestamps, systems and splits in a fixed order).
- :func:`sayso.report.html.render_report` turns gold and predicted documents into one HTML file
  with inline SVG charts and no external resource.
"""

__all__ = ["leaderboard", "html"]
