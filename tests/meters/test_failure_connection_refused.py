import pytest

from meters.errors import MeterConnectionRefused, MeterError
from meters.reader import device_read


def _serial_config(port: str) -> dict:
    return {
        "driver": "pzem004t",
        "port": port,
        "slave_id": 1,
        "baudrate": 9600,
        "parity": "N",
        "stopbits": 1,
        "bytesize": 8,
        "timeout": 0.5,
        "retries": 0,
        "gap": 0.0,
    }


@pytest.mark.parametrize("framer", ["socket", "rtu"])
def test_a_closed_port_is_a_refused_connection(framer, closed_port):
    config = {
        "driver": "sdm630",
        "host": "127.0.0.1",
        "port": closed_port,
        "framer": framer,
        "slave_id": 1,
        "timeout": 0.5,
        "retries": 0,
        "gap": 0.0,
    }
    with pytest.raises(MeterConnectionRefused, match=rf"^connection refused by 127.0.0.1:{closed_port}$"):
        device_read(device_type="modbus_tcp", config=config)


def test_a_closed_port_behind_a_pyserial_url_is_a_refused_connection(closed_port):
    url = f"socket://127.0.0.1:{closed_port}"
    with pytest.raises(MeterConnectionRefused, match=rf"^connection refused by {url}$"):
        device_read(device_type="modbus", config=_serial_config(url))


def test_a_missing_serial_port_names_the_port_and_the_reason():
    with pytest.raises(MeterError, match=r"^cannot open serial port COM3: No such file or directory$"):
        device_read(device_type="modbus", config=_serial_config("COM3"))
