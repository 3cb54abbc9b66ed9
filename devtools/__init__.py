"""Developer tools: a throwaway Synapse, scripted members and the demo."""
