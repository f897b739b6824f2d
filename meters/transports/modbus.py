"""A Modbus link on pymodbus's sync clients: Modbus TCP, RTU frames over TCP (an EW11 in transparent
mode), and RTU on a serial port (a device path, COM3, or a pyserial URL such as socket://host:port).

A link is one connection to a bus; the slave id is chosen per call, so `meter scan` can walk a bus. It knows
nothing of registers or metrics. Every failure leaves as a `meters.errors` type with one line naming the
cause; pymodbus would report most of them as a plain timeout (see `meters.transports.frames`).
"""

import functools
import socket
import time
import urllib.parse
from collections.abc import Callable

import serial
from pymodbus import FramerType
from pymodbus.client import ModbusSerialClient, ModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusIOException
from pymodbus.pdu import ModbusPDU

from meters.addresses import serial_port_clean, serial_url_endpoint, tcp_address_checked
from meters.errors import (
    MalformedResponse,
    MeterConnectionRefused,
    MeterError,
    MeterTimeout,
    ModbusExceptionResponse,
)
from meters.polling.timings import poll_phase
from meters.transports.frames import answer_problem, exception_name

FRAMERS = {"socket": FramerType.SOCKET, "rtu": FramerType.RTU}
RAW_SOCKET_URL = "socket://"


@functools.cache
def _bare_function_pdu(function_code: int) -> type[ModbusPDU]:
    """A request made of its function code alone, answered by its echo (the PZEM's 0x42 energy reset).

    A custom PDU rather than a hand-made RTU frame, so the command gets the same framing (RTU or MBAP),
    retries, gap and failure diagnosis as every other request.
    """
    attributes = {"function_code": function_code, "rtu_frame_size": 4}
    return type(f"BareFunction{function_code:02X}", (ModbusPDU,), attributes)


class ModbusLink:
    def __init__(
        self,
        *,
        client: Callable[[Callable[[bool, bytes], bytes]], ModbusTcpClient | ModbusSerialClient],
        connect: Callable[[ModbusTcpClient | ModbusSerialClient], None],
        framer: str,
        where: str,
        timeout: float,
        retries: int,
        gap: float,
    ):
        """`client` builds the pymodbus client around our packet trace; `connect` opens its socket or port."""
        self._client = client(self._trace_packet)
        self._connect = connect
        self._framer = framer
        self._timeout = timeout
        self._retries = retries
        self._gap = gap
        self._idle_until = 0.0
        # When the current read must be over (time.monotonic()); None: each attempt has its timeout.
        self.deadline: float | None = None
        # Taken from the pool: the gateway may have closed it since, which the first request finds out.
        self.resumed = False
        # Whether the deadline shortened the current attempts below the device's timeout.
        self._cut_short = False
        # One [sent frame, bytes received] pair per attempt of the current transaction.
        self._attempts: list[list[bytes]] = []
        self.where = where
        connect(self._client)

    def timing_set(self, *, timeout: float, retries: int, gap: float) -> None:
        """Another device's timing on a kept connection to the same gateway."""
        self._timeout, self._retries, self._gap = timeout, retries, gap
        self._client.transaction.retries = retries

    def __enter__(self) -> "ModbusLink":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def read_input_registers(self, *, slave_id: int, address: int, count: int) -> list[int]:
        def call() -> ModbusPDU:
            return self._client.read_input_registers(address, count=count, device_id=slave_id)

        return _registers_checked(self._transact(slave_id, 0x04, call), slave_id=slave_id, count=count)

    def read_holding_registers(self, *, slave_id: int, address: int, count: int) -> list[int]:
        def call() -> ModbusPDU:
            return self._client.read_holding_registers(address, count=count, device_id=slave_id)

        return _registers_checked(self._transact(slave_id, 0x03, call), slave_id=slave_id, count=count)

    def write_register(self, *, slave_id: int, address: int, value: int) -> None:
        response = self._transact(
            slave_id, 0x06, lambda: self._client.write_register(address, value, device_id=slave_id)
        )
        if (response.address, list(response.registers)) != (address, [value]):
            raise MalformedResponse(
                f"slave {slave_id} did not echo the write of {value} to register {address}"
            )

    def bare_function(self, *, slave_id: int, function_code: int) -> None:
        pdu_class = _bare_function_pdu(function_code)
        self._client.register(pdu_class)
        request = pdu_class(dev_id=slave_id)
        self._transact(slave_id, function_code, lambda: self._client.execute(False, request))

    def _transact(self, slave_id: int, function_code: int, call: Callable[[], ModbusPDU]) -> ModbusPDU:
        with poll_phase("wire"):
            response = self._exchange(slave_id, call)
        if response.isError():
            code, name = response.exception_code, exception_name(response.exception_code)
            message = f"Modbus exception {code} ({name}) from slave {slave_id}"
            raise ModbusExceptionResponse(code, name, message)
        if response.function_code != function_code:
            raise MalformedResponse(
                f"slave {slave_id} answered function {response.function_code} to function {function_code}"
            )
        return response

    def _exchange(self, slave_id: int, call: Callable[[], ModbusPDU]) -> ModbusPDU:
        time.sleep(max(0.0, self._idle_until - time.monotonic()))
        self._attempts = []
        self._attempt_timeout_set()
        try:
            if not self._client.connected:
                self._connect(self._client)
            try:
                return call()
            except ConnectionException:
                if not self.resumed:
                    raise
                # A kept connection the gateway has closed since: the request never reached the bus.
                self.resumed = False
                self._client.close()
                self._connect(self._client)
                return call()
        except ConnectionException:
            raise MeterError(f"{self.where} closed the connection before slave {slave_id} answered") from None
        except ModbusIOException:
            raise self._failure(slave_id) from None
        finally:
            self.resumed = False
            self._idle_until = time.monotonic() + self._gap

    def _attempt_timeout_set(self) -> None:
        """Each attempt waits the device's timeout, shortened so that the read ends by its deadline.

        pymodbus may wait up to twice an attempt's timeout (a last recv started just before it runs
        out), hence the halving.
        """
        timeout = self._timeout
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise MeterTimeout(f"the read of {self.where} ran out of time (its deadline passed)")
            timeout = min(timeout, left / (2 * (self._retries + 1)))
        self._client.comm_params.timeout_connect = timeout
        self._cut_short = timeout < self._timeout

    def _failure(self, slave_id: int) -> MeterError:
        answered = [(sent, answer) for sent, answer in self._attempts if answer]
        if not answered and self._cut_short:
            return MeterTimeout(f"no answer from slave {slave_id} on {self.where} before the read's deadline")
        if not answered:
            tries = f" ({len(self._attempts)} tries)" if len(self._attempts) > 1 else ""
            return MeterTimeout(
                f"no answer from slave {slave_id} on {self.where} within {self._timeout:g} s{tries}"
            )
        sent, answer = answered[-1]
        transaction_id = int.from_bytes(sent[:2], "big")
        return answer_problem(
            answer=answer, framer=self._framer, slave_id=slave_id, transaction_id=transaction_id
        )

    def _trace_packet(self, sending: bool, data: bytes) -> bytes:
        """pymodbus hook: remember what each attempt sent and the bytes it got back."""
        if sending:
            self._attempts.append([data, b""])
        elif self._attempts:
            self._attempts[-1][1] = data
        return data


def _registers_checked(response: ModbusPDU, *, slave_id: int, count: int) -> list[int]:
    if len(response.registers) != count:
        raise MalformedResponse(
            f"slave {slave_id} answered {len(response.registers)} registers instead of {count}"
        )
    return list(response.registers)


def modbus_link_open(*, device_type: str, config: dict) -> ModbusLink:
    """Open a link from a validated device config (see the lead's `device_config_clean`)."""
    if device_type == "modbus_tcp":
        return _tcp_link_open(config=config)
    if device_type == "modbus":
        return _serial_link_open(config=config)
    raise ValueError(f"not a Modbus device type: {device_type!r}")


def _tcp_link_open(*, config: dict, where: str | None = None) -> ModbusLink:
    host, port, timeout = config["host"], config["port"], config["timeout"]
    where = where or f"{host}:{port}"

    def client(trace: Callable[[bool, bytes], bytes]) -> ModbusTcpClient:
        return ModbusTcpClient(
            host,
            port=port,
            framer=FRAMERS[config["framer"]],
            timeout=timeout,
            retries=config["retries"],
            trace_packet=trace,
        )

    def connect(client: ModbusTcpClient) -> None:
        # pymodbus's own connect() turns every OSError into False; opening the socket here keeps the cause.
        client.socket = _tcp_connect(host=host, port=port, timeout=timeout, where=where)

    return ModbusLink(
        client=client,
        connect=connect,
        framer=config["framer"],
        where=where,
        timeout=timeout,
        retries=config["retries"],
        gap=config["gap"],
    )


def _tcp_connect(*, host: str, port: int, timeout: float, where: str) -> socket.socket:
    address = tcp_address_checked(host=host, port=port)
    try:
        return socket.create_connection((address, port), timeout=timeout)
    except ConnectionRefusedError:
        raise MeterConnectionRefused(f"connection refused by {where}") from None
    except TimeoutError:
        raise MeterTimeout(f"no connection to {where} within {timeout:g} s") from None
    except OSError as error:
        raise MeterError(f"cannot connect to {where}: {error.strerror or error}") from None


def _serial_link_open(*, config: dict) -> ModbusLink:
    _serial_port_check(config["port"])
    if config["port"].startswith(RAW_SOCKET_URL):
        # pyserial's socket:// port is a bare TCP socket that ignores every serial setting, and it reports
        # `in_waiting` as 0 or 1, so pymodbus's serial client would fetch one byte per poll (8 ms a byte at
        # 9600 baud: a full SDM630 block outlives the timeout). The TCP client with the RTU framer puts
        # the same bytes on the wire.
        url = urllib.parse.urlsplit(config["port"])
        tcp_config = config | {"host": url.hostname, "port": url.port, "framer": "rtu"}
        return _tcp_link_open(config=tcp_config, where=config["port"])

    # Line settings always come from the config (9600 8N1 by default, the factory setting of both meters):
    # pymodbus would otherwise open the port at 19200 baud.
    def client(trace: Callable[[bool, bytes], bytes]) -> ModbusSerialClient:
        return ModbusSerialClient(
            config["port"],
            framer=FramerType.RTU,
            baudrate=config["baudrate"],
            bytesize=config["bytesize"],
            parity=config["parity"],
            stopbits=config["stopbits"],
            timeout=config["timeout"],
            retries=config["retries"],
            trace_packet=trace,
        )

    def connect(client: ModbusSerialClient) -> None:
        # The same call as pymodbus 3.16.1's connect() (serial_for_url, so pyserial URLs work), minus the
        # swallowed exception.
        client.socket = _serial_connect(config=config)
        client.socket.inter_byte_timeout = client.inter_byte_timeout

    return ModbusLink(
        client=client,
        connect=connect,
        framer="rtu",
        where=config["port"],
        timeout=config["timeout"],
        retries=config["retries"],
        gap=config["gap"],
    )


def _serial_connect(*, config: dict) -> serial.SerialBase:
    port = config["port"]
    try:
        return serial.serial_for_url(
            _rfc2217tcp_address_checked(port),
            timeout=config["timeout"],
            write_timeout=config["timeout"],
            baudrate=config["baudrate"],
            bytesize=config["bytesize"],
            parity=config["parity"],
            stopbits=config["stopbits"],
            exclusive=True,
        )
    except (serial.SerialException, ValueError) as error:
        # pyserial wraps the OSError (a missing device, a refused rfc2217:// connection) in a SerialException.
        cause = error.__context__
        if isinstance(cause, ConnectionRefusedError):
            raise MeterConnectionRefused(f"connection refused by {port}") from None
        if isinstance(cause, OSError) and cause.strerror:
            raise MeterError(f"cannot open serial port {port}: {cause.strerror}") from None
        raise MeterError(f"cannot open serial port {port}: {error}") from None


def _serial_port_check(port: str) -> None:
    """The rule of a saved config, again: a config stored before it, or written around it, never
    reaches pyserial (whose spy:// URL, for one, truncates any file it is given)."""
    try:
        serial_port_clean(port)
    except ValueError as error:
        raise MeterError(f"serial port {port!r:.80} refused: {error}") from None


def _rfc2217tcp_address_checked(port: str) -> str:
    """An rfc2217:// port with its host replaced by the address checked against the device address rule."""
    endpoint = serial_url_endpoint(port)
    if endpoint is None:
        return port
    host, tcp_port = endpoint
    address = tcp_address_checked(host=host, port=tcp_port)
    return f"rfc2217://{f'[{address}]' if ':' in address else address}:{tcp_port}"
