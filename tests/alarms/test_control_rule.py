"""A control rule raises on a value beyond the control limits of the device's own recent baseline."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from alarms.models import AlarmRule
from alarms.services import alarm_client_check
from analytics.stats import series_summary
from tests.helpers.alarms import events, rule_make
from tests.helpers.devices import readings_store

# A steady voltage with a small, regular wobble: mean 127, moving range 1, so UCL = 127 + 3 / 1.128.
BASELINE = [126.5, 127.5] * 50


def baseline_store(client, device, *, end) -> None:
    readings = [
        (end - timedelta(minutes=10 * (len(BASELINE) - n)), {"voltage_l1": v}) for n, v in enumerate(BASELINE)
    ]
    readings_store(client, device, readings)


def test_a_value_beyond_the_baselines_ucl_raises(acme, acme_device):
    now = timezone.now()
    baseline_store(acme, acme_device, end=now - timedelta(minutes=1))
    rule = rule_make(acme, kind="control", metric="voltage_l1", device=acme_device, severity="critical")
    expected = series_summary(values=BASELINE)

    assert (rule.ucl, rule.lcl) == (expected["ucl"], expected["lcl"])
    assert round(rule.ucl, 3) == round(127 + 3 / 1.128, 3)

    readings_store(
        acme,
        acme_device,
        [(now, {"voltage_l1": 127.9}), (now + timedelta(seconds=30), {"voltage_l1": 131.0})],
    )

    assert [(kind, value) for kind, value, _ in events(acme)] == [("raised", 131.0)]


def test_the_limits_are_recomputed_once_they_are_a_day_old(acme, acme_device):
    now = timezone.now()
    # The new, wider readings come after the baseline and before now (ingest refuses future readings).
    spread_from = now - timedelta(hours=2)
    baseline_store(acme, acme_device, end=spread_from - timedelta(minutes=1))
    rule = rule_make(acme, kind="control", metric="voltage_l1", device=acme_device)
    readings_store(
        acme,
        acme_device,
        [(spread_from + timedelta(minutes=n), {"voltage_l1": 120.0 + 20 * (n % 2)}) for n in range(60)],
    )

    with tenant_context(acme):
        alarm_client_check(now=now + timedelta(hours=2))
        assert AlarmRule.objects.get(pk=rule.pk).ucl == rule.ucl
        alarm_client_check(now=now + timedelta(days=1, hours=2))
        recomputed = AlarmRule.objects.get(pk=rule.pk)

    assert recomputed.ucl > rule.ucl + 10
    assert recomputed.limits_computed_at == now + timedelta(days=1, hours=2)


def test_a_control_rule_without_a_baseline_raises_nothing(acme, acme_device):
    rule = rule_make(acme, kind="control", metric="voltage_l1", device=acme_device)

    readings_store(acme, acme_device, [(timezone.now(), {"voltage_l1": 500.0})])

    assert rule.ucl is None
    assert events(acme) == []
