"""API fields of the meters domain."""

from django.core.validators import RegexValidator
from rest_framework import serializers

from meters.catalog import METRIC_NAME_MAX_LENGTH, METRIC_NAME_PATTERN


class MetricField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=METRIC_NAME_MAX_LENGTH, **kwargs)
        self.validators.append(
            RegexValidator(METRIC_NAME_PATTERN, message="Metric names are lower snake case, e.g. voltage_l1.")
        )
