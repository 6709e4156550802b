# The helpdesk image: the same code runs web (gunicorn), worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=helpdesk.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends gettext make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN python -m helpdesk.assets static/vendor \
    && find . -name '*.po' -path '*/LC_MESSAGES/*' -exec sh -c 'msgfmt -o "${1%.po}.mo" "$1"' _ {} \; \
    && SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost/0 \
       ALLOWED_HOSTS=build EMAIL_BACKEND=anymail.backends.test.EmailBackend \
       python manage.py collectstatic --noinput \
    && useradd --system --home /app helpdesk && mkdir -p /app/var/media && chown -R helpdesk /app/var
USER helpdesk
EXPOSE 8000
CMD ["gunicorn", "helpdesk.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
