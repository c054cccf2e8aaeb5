"""The module system: the contract (base, enums), discovery, registry, service, routes, context."""
