"""The typed model every renderer works from: nothing downstream of the loaders touches raw dicts."""
