"""Domain rules, free of Matrix: they take and return plain values."""
