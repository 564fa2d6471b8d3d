"""Where a person's address may still be: every table (a full dump of the database, task
results included), every S3 bucket of moto, every cache. Used by the retention tests."""

from __future__ import annotations

import pickle
from io import StringIO

import boto3
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command


def in_database(needle: str) -> list[str]:
    """Models whose dumped rows contain `needle` (case-insensitive)."""
    import json

    out = StringIO()
    call_command("dumpdata", stdout=out, format="json")
    needle = needle.lower()
    return sorted(
        {
            row["model"]
            for row in json.loads(out.getvalue())
            if needle in json.dumps(row, ensure_ascii=False).lower()
        }
    )


def in_buckets(needle: str) -> list[str]:
    client = boto3.client("s3", region_name=settings.AWS_REGION)
    found = []
    for bucket in client.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
            for obj in page.get("Contents", []):
                body = client.get_object(Bucket=name, Key=obj["Key"])["Body"].read()
                if needle.lower().encode() in body.lower() or needle.lower() in obj["Key"].lower():
                    found.append(f"{name}/{obj['Key']}")
    return found


def in_caches(needle: str) -> list[str]:
    """Keys of the local-memory caches (the test settings' caches) whose key or value holds
    `needle`."""
    found = []
    for alias in settings.CACHES:
        cache = caches[alias]
        store = getattr(cache, "_cache", None)
        if store is None:  # not a local-memory cache: nothing this helper can read
            continue
        for key, value in list(store.items()):
            try:
                text = repr(pickle.loads(value))  # noqa: S301 (our own test cache)
            except Exception:
                text = repr(value)
            if needle.lower() in (key + text).lower():
                found.append(f"{alias}:{key}")
    return found


def traces_of(needle: str) -> dict[str, list[str]]:
    """Every store holding `needle`; empty lists everywhere when there is no trace left."""
    return {
        "database": in_database(needle),
        "s3": in_buckets(needle),
        "cache": in_caches(needle),
    }


NO_TRACE = {"database": [], "s3": [], "cache": []}
