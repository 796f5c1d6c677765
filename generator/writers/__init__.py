"""Writers own the filesystem: nothing else in the pipeline creates, replaces or deletes files."""
