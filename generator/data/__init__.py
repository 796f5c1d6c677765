"""Data meshdocs ships: templates, the theme folder, the embedded registry, designs and content, the
default configuration and the project scaffold (mapped here from the repository's top-level folders)."""
