"""Settings from environment variables prefixed ``KPSS_`` (or a ``.env`` file).

Every setting is listed with its default in the README's settings table.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KPSS_", env_file=".env", extra="ignore")

    backend: Literal["embedded", "neo4j"] = Field(
        "embedded", description="Graph store: the embedded on-disk database or a Neo4j server."
    )
    db_path: Path = Field(REPO_ROOT / "var" / "kpss.lbug", description="Embedded store location.")
    neo4j_uri: str | None = Field(None, description="Neo4j bolt URI, e.g. neo4j://localhost:7687.")
    neo4j_user: str = Field("neo4j", description="Neo4j user name.")
    neo4j_password: SecretStr | None = Field(None, description="Neo4j password.")
    neo4j_database: str = Field("neo4j", description="Neo4j database name.")
    host: str = Field("127.0.0.1", description="Address the HTTP server binds to.")
    port: int = Field(8000, description="Port the HTTP server listens on.")
    base_iri: str = Field("https://kpss.example.org/", description="Base of the published IRIs.")
    max_page_size: int = Field(100, description="Largest page a GraphQL list returns.")
    max_query_depth: int = Field(12, description="Deepest GraphQL query accepted.")
    max_query_aliases: int = Field(20, ge=1, description="Most aliased fields one GraphQL query may ask for.")
    max_query_tokens: int = Field(3000, ge=100, description="Longest GraphQL query accepted, in tokens.")
    max_query_cost: int = Field(
        300_000, ge=1, description="Largest estimated cost of one GraphQL query (fields × page sizes × nesting, "
        "expensive fields weighted; see SECURITY.md).")
    query_cost_weights: dict[str, int] = Field(
        {"Query.partnershipNetwork": 20_000, "Query.path": 5000, "Query.fundingSummary": 1000,
         "Query.commonPartners": 1000, "Query.search": 1000, "PartnershipNetwork.communityCount": 1000,
         "NetworkNode.betweenness": 100, "NetworkNode.community": 50},
        description="Cost of fields that compute over the whole graph, as JSON {\"Type.field\": weight}; "
        "every other field costs 1.")
    query_timeout_s: float = Field(10.0, description="Time limit of one GraphQL or SPARQL query.")
    sparql_result_limit: int = Field(10000, description="Most rows a SPARQL query returns.")
    admin_token: SecretStr | None = Field(
        None, description="Bearer token that allows writes over HTTP (POST /admin/load); none: writes are off."
    )
    max_body_bytes: int = Field(4 * 1024**2, ge=1000, description="Largest request body of a read other than GraphQL (a SPARQL POST).")
    max_upload_bytes: int = Field(64_000_000, ge=1000, description="Largest request body of a write (POST /admin/load).")
    publish_contacts: bool = Field(
        False, description="Keep people's e-mail addresses, phone numbers and names after 'Kontakt' in loaded text."
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
