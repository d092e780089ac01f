"""Scrapy spiders: one per layout family (news list → article, e-paper editions)."""
