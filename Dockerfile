# Production image for the web, worker and beat services of docker-compose.yml.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango; DejaVu is the font of the PDF reports; postgresql-client for scripts/backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN python -c 'import tomllib, subprocess, sys; deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]; subprocess.check_call([sys.executable, "-m", "pip", "install", *deps])'
COPY . .
RUN SECRET_KEY=build python manage.py collectstatic --noinput --verbosity 0
RUN useradd --system --home /app spuk && mkdir -p /app/var && chown -R spuk /app/var
USER spuk
EXPOSE 8000
CMD ["gunicorn", "spukportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
