"""Anonymous case consultations: the in-memory desk, the policy, and posting."""
