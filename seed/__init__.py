"""seed package."""
