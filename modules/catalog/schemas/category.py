"""Requests and responses of the store API's categories."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CategoryCreate(BaseModel):
    """A new category: names per language (required in the store's default language)."""

    model_config = ConfigDict(extra="forbid")

    slug: str = Field(..., max_length=200)
    names: dict[str, str] = Field(..., description='Per language: {"fr": "Pains", "de": "Brote"}.')
    parent_id: int | None = Field(None, description="The parent category; None for the top.")
    position: int = Field(0, description="Order among its siblings, 0 first.")


class CategoryUpdate(BaseModel):
    """Fields to change; left out means unchanged. ``names`` replaces every name;
    ``parent_id: null`` moves the category to the top."""

    model_config = ConfigDict(extra="forbid")

    slug: str | None = Field(None, max_length=200)
    names: dict[str, str] | None = None
    parent_id: int | None = None
    position: int | None = None


class CategoryOut(BaseModel):
    """A category with its place in the tree and how many products it holds."""

    id: int
    slug: str
    parent_id: int | None
    position: int
    depth: int
    names: dict[str, str]
    product_count: int
    """Products in this category itself."""
    product_count_with_children: int
    """Products in this category and all its sub-categories (what the storefront shows)."""
