FROM python:3.11-slim
# pyicu (Czech collation) compiles against ICU.
RUN apt-get update && apt-get install -y --no-install-recommends libicu-dev pkg-config build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -c constraints.txt -e . && useradd --create-home kpss && chown -R kpss /app
USER kpss
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/live')"
CMD ["kpss", "serve", "--host", "0.0.0.0", "--port", "8000"]
