"""The collection pipeline: Celery beat fires one poll per active device, workers read the meter through
its bus lane and store the reading through the one ingest path; forwarding ships stored readings on.
See docs/pipeline.md.
"""
