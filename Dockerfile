# The bot for the webhook deployment (see docs/deploy.md). Content and locales are baked in at /app/content and
# /app/locales; mount a volume there (or set CONTENT_DIR / LOCALES_DIR) to publish new content without a rebuild,
# then reload with SIGHUP (`docker compose kill -s HUP bot`) or /reload.
# tests/runtime/test_image_build.py replays these steps in a clean virtual environment: keep every RUN line to
# plain `pip`, `mkdir`, `rm`, `useradd` and `chown` commands joined with &&.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin bot

# Install the project (not editable) from its source, then drop the source: the image runs the installed package.
COPY pyproject.toml README.md /src/
COPY bot /src/bot
RUN pip install /src && rm -rf /src

COPY content /app/content
COPY locales /app/locales
RUN mkdir -p /data && chown bot:bot /data

ENV CONTENT_DIR=/app/content \
    LOCALES_DIR=/app/locales \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8080 \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /app
USER bot
EXPOSE 8080
VOLUME ["/data"]

# Readiness: content loaded and database reachable (webhook mode serves /healthz; slim images have no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8080') + '/healthz', timeout=4)"]

# Graceful stop: SIGTERM answers new webhook posts 503, finishes queued updates, flushes analytics.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
