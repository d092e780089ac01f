"""govnews storage: partitioned JSONL, the SQLite index, raw WARC capture and the record schema."""
