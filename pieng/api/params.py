"""Query-string fields shared by the endpoints: ids, numbers and aware times."""

import re
from datetime import datetime, timedelta

from django.utils import timezone
from rest_framework import serializers

from pieng.timebounds import FAR_FUTURE, FAR_PAST

ID_LIMIT = 2**63 - 1
# An unescaped "+" in a query string arrives as a space: "…T10:00:00 03:00" meant "…T10:00:00+03:00".
SPACED_OFFSET = re.compile(r"^(.*\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")


def aware_datetime_parse(text: str) -> datetime:
    """ISO 8601 with a UTC offset (or Z); raises ValueError naming what is wrong."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("must be an ISO 8601 time, e.g. 2025-01-31T14:00:00-03:00") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("needs a UTC offset (e.g. Z or -03:00)")
    if not FAR_PAST <= moment < FAR_FUTURE:
        raise ValueError("must be between 1970 and 9000")
    return moment


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=ID_LIMIT, **kwargs)


class NumberField(serializers.FloatField):
    """A finite JSON number; true and false are not numbers (DRF's FloatField would take them as 1 and 0)."""

    def to_internal_value(self, data) -> float:
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset; a naive time is refused rather than guessed."""

    def to_internal_value(self, value) -> datetime:
        if not isinstance(value, str):
            raise serializers.ValidationError("Must be an ISO 8601 time string.")
        spaced = SPACED_OFFSET.match(value)
        if spaced:
            value = f"{spaced[1]}+{spaced[2]}"
        try:
            return aware_datetime_parse(value)
        except ValueError as error:
            raise serializers.ValidationError(f"Time {error}.") from None


class TimeRangeQuery(serializers.Serializer):
    """`start` (inclusive) and `end` (exclusive), both optional."""

    start = AwareDateTimeField(required=False, help_text="Inclusive, ISO 8601 with offset.")
    end = AwareDateTimeField(required=False, help_text="Exclusive, ISO 8601 with offset.")

    def validate(self, attrs: dict) -> dict:
        if "start" in attrs and "end" in attrs and attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError({"end": ["Must be after start."]})
        return attrs


def query_validate(serializer_class: type[serializers.Serializer], request) -> dict:
    """The request's query string, validated: a 400 naming each bad parameter. A parameter given empty
    (`?start=`) is refused rather than taken as absent."""
    fields = serializer_class().fields
    empty = {
        name: ["May not be empty."]
        for name, value in request.query_params.items()
        if name in fields and not value
    }
    if empty:
        raise serializers.ValidationError(empty)
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


DEFAULT_RANGE = timedelta(days=30)


class BoundedTimeRangeQuery(TimeRangeQuery):
    """`start` and `end` for endpoints that read every reading of the range: both always set (by default
    the last 30 days up to now; `end` alone: the 30 days before it; `start` alone: from it up to now), and
    at most `max_span` apart, else a 400 naming the field that reaches too far."""

    max_span: timedelta

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        given = [name for name in ("start", "end") if name in attrs]
        if "end" not in attrs:
            attrs["end"] = max(timezone.now(), attrs.get("start", FAR_PAST) + timedelta(seconds=1))
        attrs.setdefault("start", attrs["end"] - DEFAULT_RANGE)
        if attrs["end"] - attrs["start"] > self.max_span:
            field = "end" if "end" in given else "start"
            raise serializers.ValidationError(
                {field: [f"At most {self.max_span.days} days from start to end; ask for a shorter range."]}
            )
        return attrs
