"""Cart module: shopping cart management with session-based carts."""
