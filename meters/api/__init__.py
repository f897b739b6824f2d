"""Devices, ingestion, series and exports over HTTP; routed by pieng/urls_api.py."""
