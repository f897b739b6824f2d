"""`python manage.py meter read` as a user runs it: exit status, stdout, and one line on stderr."""

import json
import socket

import pytest

from meters.simulators import Bus, Pzem004tSimulator, TcpSimulator


@pytest.fixture
def module_server(site, serve) -> TcpSimulator:
    return serve(TcpSimulator(bus=Bus(slaves=[Pzem004tSimulator(site=site, slave_id=1)]), framer="rtu"))


def _read(manage_py, port: int, *extra: str):
    return manage_py(
        "read",
        "--driver",
        "pzem004t",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--framer",
        "rtu",
        "--timeout",
        "0.3",
        "--retries",
        "0",
        "--json",
        *extra,
    )


def test_read_json_exits_0_with_the_reading_on_stdout(manage_py, module_server):
    result = _read(manage_py, module_server.port)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == module_server.bus.slaves[0].values()


def test_a_refused_connection_exits_non_zero_with_one_line_naming_it(manage_py):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

    result = _read(manage_py, port)

    assert result.returncode != 0
    assert result.stderr.splitlines() == [f"CommandError: connection refused by 127.0.0.1:{port}"]
    assert result.stdout == ""


def test_a_silent_slave_exits_non_zero_with_one_line_naming_the_timeout(manage_py, module_server):
    module_server.bus.fault_set(slave_id=1, fault="silent")

    result = _read(manage_py, module_server.port)

    assert result.returncode != 0
    cause = f"no answer from slave 1 on 127.0.0.1:{module_server.port} within 0.3 s"
    assert result.stderr.splitlines() == [f"CommandError: {cause}"]


def test_a_modbus_exception_exits_non_zero_with_its_code_and_name(manage_py, module_server):
    result = manage_py(
        "read",
        "--driver",
        "sdm630",
        "--host",
        "127.0.0.1",
        "--port",
        str(module_server.port),
        "--framer",
        "rtu",
        "--retries",
        "0",
        "--json",
    )

    assert result.returncode != 0
    cause = "Modbus exception 2 (illegal data address) from slave 1"
    assert result.stderr.splitlines() == [f"CommandError: {cause}"]
