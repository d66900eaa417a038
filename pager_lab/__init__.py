"""pager_lab."""
