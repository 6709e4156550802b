"""Models arrive with this capability."""
