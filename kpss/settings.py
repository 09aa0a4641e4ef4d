"""Settings from environment variables prefixed ``KPSS_`` (or a ``.env`` file).

Every setting is listed with its default in the README's settings table.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.store import StoreConfig
from loaders import DATA_DIR
from schema.limits import QueryLimits

REPO_ROOT = DATA_DIR.parent
__all__ = ["DATA_DIR", "REPO_ROOT", "Settings", "get_settings"]


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
    publish_contacts: bool = Field(
        False, description="Keep people's e-mail addresses, phone numbers and names after 'Kontakt' in loaded text."
    )

    def store_config(self) -> StoreConfig:
        return StoreConfig(
            backend=self.backend, db_path=self.db_path, neo4j_uri=self.neo4j_uri, neo4j_user=self.neo4j_user,
            neo4j_password=self.neo4j_password.get_secret_value() if self.neo4j_password else None,
            neo4j_database=self.neo4j_database, read_timeout_s=self.query_timeout_s)

    def query_limits(self) -> QueryLimits:
        return QueryLimits(max_cost=self.max_query_cost, weights=self.query_cost_weights, page_size=self.max_page_size,
                           max_depth=self.max_query_depth, max_aliases=self.max_query_aliases,
                           max_tokens=self.max_query_tokens)


@lru_cache
def get_settings() -> Settings:
    return Settings()
