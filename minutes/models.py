"""Minutes, recommendations and policy-input documents (to be built; the app's place is kept)."""
