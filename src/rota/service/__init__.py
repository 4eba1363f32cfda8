"""The use cases of rota, each one transaction over the store, deciding with the engine."""
