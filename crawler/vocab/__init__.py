"""The Chinese-news vocabulary every stage reads: characters, date shapes and labels.

- `crawler.vocab.chars`: what a Han character is (one definition: `HAN`, `han_count`).
- `crawler.vocab.dates`: date and time shapes (datelines, teasers, URLs, list pages) and
  `to_iso`, which turns their fields into ISO 8601 in China Standard Time.
- `crawler.vocab.labels`: the words pages label things with: datelines, 来源, 作者/记者 roles,
  editor credits, page counters, end markers and related-list headers.

Standard library only, so the fetch subprocess, the site registry and the extractors can all
import it without loading each other.
"""
