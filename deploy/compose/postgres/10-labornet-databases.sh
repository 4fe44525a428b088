#!/usr/bin/env bash
# One role and one database per LaborNet service, each owned by its role, none reachable by
# another service's role (CONNECT revoked from PUBLIC). The postgres image runs this once, when
# it initialises an empty data volume. It is idempotent and also sets the passwords again, so
# after adding a service or changing a *_DB_PASSWORD in .env, run it by hand:
#
#   docker compose exec postgres bash /docker-entrypoint-initdb.d/10-labornet-databases.sh
#
# Inputs (docker-compose.yml passes them to the postgres container):
#   SERVICE_DATABASES   database names, e.g. "intake mediation arbitration wage_arrears gateway"
#   <NAME>_DB_PASSWORD  the password of each, e.g. WAGE_ARREARS_DB_PASSWORD
set -euo pipefail

for name in ${SERVICE_DATABASES:?SERVICE_DATABASES is not set}; do
  password_var="${name^^}_DB_PASSWORD"
  password="${!password_var:?$password_var is not set}"
  # psql variables (:'name', :'password') and format(%I, %L) do the quoting: a password may hold
  # any character without breaking, or injecting into, the SQL.
  psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 \
       --username "${POSTGRES_USER:-postgres}" --dbname postgres \
       --set=name="$name" --set=password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'name', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SQL
  echo "labornet: database and role '$name' ready"
done
