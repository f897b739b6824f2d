"""The bounds of time the platform knows: readings live in [FAR_PAST, FAR_FUTURE); anything else is a typo
or a clock gone wrong. Open ranges default to these bounds."""

from datetime import UTC, datetime

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR_PAST = EPOCH
FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)
