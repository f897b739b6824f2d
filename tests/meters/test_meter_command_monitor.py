"""`python manage.py meter monitor` runs until Ctrl-C, which ends it cleanly with the last table shown."""

import signal
import time

from meters.simulators import Bus, Pzem004tSimulator, TcpSimulator


def test_ctrl_c_ends_monitor_without_a_traceback(site, serve, manage_py_start):
    server = serve(TcpSimulator(bus=Bus(slaves=[Pzem004tSimulator(site=site, slave_id=1)]), framer="rtu"))
    process = manage_py_start(
        "monitor",
        "--driver",
        "pzem004t",
        "--host",
        "127.0.0.1",
        "--port",
        str(server.port),
        "--framer",
        "rtu",
    )
    deadline = time.monotonic() + 60
    while server.bus.transactions == 0 and time.monotonic() < deadline:
        time.sleep(0.05)

    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=10)

    assert process.returncode == 0
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "voltage_l1" in stdout
