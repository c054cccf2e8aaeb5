"""Content module: content pages, media library and themes."""
