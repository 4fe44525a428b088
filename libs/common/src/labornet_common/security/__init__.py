"""Security shared by the services: tokens and API keys, encryption at rest, masking,
region- and organisation-scoped visibility, webhook signing."""
