"""Developer Tools module: component library and icon browser."""
