# Partnerpost container image: one image for the web processes, the delivery workers and the task worker.
#   docker build -t partnerpost .
#   docker compose up -d        (compose.yaml: PostgreSQL, Redis, 2 web, 2 delivery workers, task worker, Caddy)
# See docs/operations.md.

# ---- build stage: a virtual environment with the locked dependencies and Partnerpost itself ----
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.txt /src/requirements.txt
RUN /opt/venv/bin/pip install -r /src/requirements.txt
COPY pyproject.toml README.md LICENSE /src/
COPY partnerpost /src/partnerpost
RUN /opt/venv/bin/pip install --no-deps /src

# ---- runtime stage: the environment, Pango for the print PDF, the PostgreSQL client for `partnerpost backup`
# and `restore` (pg_dump and pg_restore; Debian 12's are version 15, the compose file's server), a user without
# privileges ----
FROM python:3.11-slim-bookworm AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 partnerpost \
 && useradd --system --uid 10001 --gid partnerpost --home-dir /srv/partnerpost --shell /usr/sbin/nologin partnerpost \
 && mkdir -p /srv/partnerpost/var /srv/partnerpost/media /srv/partnerpost/backups \
 && chown partnerpost:partnerpost /srv/partnerpost/media /srv/partnerpost/backups
COPY --from=build /opt/venv /opt/venv
COPY deploy/docker/entrypoint.sh /usr/local/bin/partnerpost-entrypoint
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PARTNERPOST_ENV=production \
    PARTNERPOST_VAR_DIR=/srv/partnerpost/var \
    MEDIA_ROOT=/srv/partnerpost/media \
    HOST=0.0.0.0 \
    PORT=8000 \
    LOG_FORMAT=json \
    PROMETHEUS_MULTIPROC_DIR=/tmp/partnerpost-metrics
# Static files are collected once, into the image (read-only, owned by root), with the production storage
# (hashed names, compressed copies). The throw-away key and host only satisfy production mode's checks here.
RUN SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdef ALLOWED_HOSTS=build DEBUG=false \
    partnerpost collectstatic --noinput --verbosity 0
USER partnerpost
WORKDIR /srv/partnerpost
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)" || exit 1
ENTRYPOINT ["partnerpost-entrypoint"]
CMD ["partnerpost", "serve", "--no-collectstatic"]
