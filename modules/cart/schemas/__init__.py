"""Cart: request bodies of the storefront API."""

from pydantic import BaseModel, ConfigDict, Field


class LineIn(BaseModel):
    """A SKU to add and how many units."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1)


class QuantityIn(BaseModel):
    """The new number of units of a line (0 removes it)."""

    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=0)


__all__ = ["LineIn", "QuantityIn"]
