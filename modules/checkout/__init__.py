"""Checkout module: cart-to-order conversion and the checkout flow."""
