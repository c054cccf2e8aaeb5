"""Orders module: order management and customer checkout."""
