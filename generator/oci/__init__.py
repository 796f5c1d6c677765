"""OCI artifacts of designs and models: packaging, registry transport and archives."""
