"""govnews crawler: site registry, fetching, extraction and text repair."""
