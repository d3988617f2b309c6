"""Built-in Python policies. Every module-level PolicySpec in this package is a policy."""
