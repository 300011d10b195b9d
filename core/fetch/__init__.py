"""Live sources: feed parsing (bytes only), OPML, the HTTP client, the poller and watch mode."""
