"""Celery's Redis transport (kombu's), minus a Redis client built for every command it sends.

kombu builds a new `redis.Redis` object, on its channel's connection pool, each time it publishes a
message or records, acknowledges or requeues one: about 170 response callbacks registered per object,
four objects per poll (beat's publish, the worker's receipt and acknowledgement). One client per
channel and pool serves them all: a `redis.Redis` is safe to share between threads, the connections
still come from the pool, and a new pool (after a fork or a reconnection) gets a new client.
Selected by `CELERY_BROKER_TRANSPORT`.
"""

from contextlib import contextmanager

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _shared_client = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool, shared = self.pool, self._shared_client
        if shared is None or shared.connection_pool is not pool:
            shared = self._shared_client = self._create_client()
        yield shared


class Transport(kombu_redis.Transport):
    Channel = Channel
