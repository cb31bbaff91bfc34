// Intentionally empty: the target exists only to give Swift the header's module.
