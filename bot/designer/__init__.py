"""Tools for conversation designers: checks of domain, data, lookups and rules."""
