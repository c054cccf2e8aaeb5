"""Analytics & Reporting module: dashboard analytics, custom reports and data exports."""
