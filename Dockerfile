# One image for every LaborNet service: the command picks the service and the role.
#
#   docker build -t labornet:0.1.0 .
#   docker run labornet:0.1.0 serve intake       # API (+ relay and consumers unless disabled)
#   docker run labornet:0.1.0 worker intake      # outbox relay and consumers only
#   docker run labornet:0.1.0 migrate intake     # alembic upgrade head, then exit
#
# docker-compose.yml and deploy/k8s/ use exactly these three commands.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: wheels of our packages, then a virtualenv holding only what runs in production ---
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
WORKDIR /src

# The lock first: the dependency layer is rebuilt only when the pins change.
COPY requirements.lock ./
# hatchling at the locked version, used without build isolation, so building our wheels needs
# no second resolution of build requirements and gives the same result every time.
RUN pip install --constraint requirements.lock hatchling

COPY libs/common libs/common
COPY services services
# services/*/ picks up a new service without editing this file.
RUN pip wheel --no-deps --no-build-isolation --wheel-dir /wheels libs/common services/*/

# The lock is the constraint set: runtime dependencies resolve to the tested versions, and the
# development tools it also pins (pytest, ruff, hatchling) stay out because nothing requires them.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --constraint requirements.lock /wheels/*.whl \
    && /opt/venv/bin/pip uninstall --yes setuptools pip

# --- runtime: the interpreter and the virtualenv; no compilers, no pip ------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="labornet" \
      org.opencontainers.image.description="LaborNet labor-dispute case network: intake, mediation, arbitration, wage-arrears, gateway"

# A fixed numeric uid/gid, so Kubernetes' runAsNonRoot can verify it without /etc/passwd.
# The base image's own packaging tools go too: nothing is installed at run time.
# /var/lib/labornet: the gateway's audit journal (a volume; a fresh named volume takes this
# directory's owner, so the non-root user can write it).
RUN groupadd --system --gid 10001 labornet \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin labornet \
    && python -m pip uninstall --yes --no-cache-dir setuptools wheel pip \
    && install -d -o 10001 -g 10001 -m 0700 /var/lib/labornet

COPY --from=build /opt/venv /opt/venv

# LABORNET_HOST: inside a container the service must listen on every interface, not loopback.
# LABORNET_ENVIRONMENT: this image is for production; the embedded mode runs from a checkout
# (scripts/run). In production the settings refuse the development internal secret, so a
# container started without real secrets stops at once instead of running insecurely.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LABORNET_HOST=0.0.0.0 \
    LABORNET_ENVIRONMENT=production

# Nothing is written here: state lives in PostgreSQL and Kafka; /tmp is the only scratch space
# (a tmpfs or emptyDir when the root filesystem is read-only). The gateway API alone also
# writes its audit journal under LABORNET_DATA_DIR (a volume at /var/lib/labornet).
WORKDIR /opt/labornet
USER 10001:10001

# The gateway, the only public entry. The other services listen on their own default ports
# (intake 8001, mediation 8002, arbitration 8003, wage-arrears 8004).
EXPOSE 8000

# Readiness of this process alone (database, migrations at head, broker); the gateway's plain
# /readyz would also wait for every backend. The slim image has no curl: Python asks.
# Only `serve` answers HTTP: compose disables this check for workers and one-shot migrations,
# and Kubernetes ignores it in favour of the Deployment's own probes.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('LABORNET_PORT', '8000') + '/readyz/self', timeout=4)"]

ENTRYPOINT ["labornet"]
CMD ["serve", "gateway"]
