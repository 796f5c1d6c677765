"""JSON Schemas for catalog files, used to validate and published on the site for editors."""
