"""Local replicas of the seed sites: article corpus, page templates and the HTTP server."""
