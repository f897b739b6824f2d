from meters.catalog import metric_normal_range


def test_phase_voltage_follows_prodist_adequate_range_for_127_v():
    normal = metric_normal_range(name="voltage_l1", nominal_voltage=127)
    assert (normal.low, normal.high) == (117.0, 133.0)
    assert normal.contains(127.0) and not normal.contains(116.9) and not normal.contains(133.1)


def test_line_to_line_voltage_of_a_220_127_system_follows_the_220_v_range():
    normal = metric_normal_range(name="voltage_l1_l2", nominal_voltage=127)
    assert (normal.low, normal.high) == (202.0, 231.0)


def test_a_220_v_phase_uses_the_220_v_range():
    normal = metric_normal_range(name="voltage_l2", nominal_voltage=220)
    assert (normal.low, normal.high) == (202.0, 231.0)


def test_frequency_is_normal_between_59_9_and_60_1_hz():
    normal = metric_normal_range(name="frequency")
    assert normal.contains(59.9) and normal.contains(60.1)
    assert not normal.contains(59.85) and not normal.contains(60.15)


def test_a_power_factor_is_judged_by_its_magnitude_whatever_its_sign():
    normal = metric_normal_range(name="power_factor_l1")
    assert normal.contains(-0.95) and normal.contains(0.95)
    assert not normal.contains(-0.8) and not normal.contains(0.8)


def test_a_raised_alarm_is_out_of_range():
    normal = metric_normal_range(name="alarm")
    assert normal.contains(0.0) and not normal.contains(1.0)


def test_metrics_without_a_norm_have_no_range():
    assert metric_normal_range(name="power") is None
    assert metric_normal_range(name="boiler_temperature") is None
