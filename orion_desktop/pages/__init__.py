"""The console's pages: widgets that show a view-model and forward the operator's actions."""
