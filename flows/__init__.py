"""govnews flows: Prefect orchestration and the `govnews` command line."""
