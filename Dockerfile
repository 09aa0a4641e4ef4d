# The dashboard's browser libraries (cytoscape, Chart.js), exactly as dashboard/package-lock.json pins them.
FROM node:20-slim AS dashboard
WORKDIR /build
COPY dashboard/package.json dashboard/package-lock.json ./
RUN npm ci --no-audit --no-fund

# The GraphiQL explorer's libraries (React, GraphiQL), exactly as server/explorer/package-lock.json pins them.
FROM node:20-slim AS explorer
WORKDIR /build
COPY server/explorer/package.json server/explorer/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
# pyicu (Czech collation) compiles against ICU.
RUN apt-get update && apt-get install -y --no-install-recommends libicu-dev pkg-config build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
COPY --from=dashboard /build/node_modules dashboard/node_modules
COPY --from=explorer /build/node_modules server/explorer/node_modules
RUN pip install --no-cache-dir -c constraints.txt -e . && useradd --create-home kpss && chown -R kpss /app
USER kpss
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/ready')"
CMD ["kpss", "serve", "--host", "0.0.0.0", "--port", "8000"]
