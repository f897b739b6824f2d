import io
import json

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# JSON integers beyond 64 bits are not interoperable (RFC 8259 §6) and fit no column of ours.
INTEGER_LIMIT = 2**63 - 1


def _constant_refuse(name: str):
    raise ValueError(f"{name} is not a JSON number; send finite numbers only")


def _integer_parse(text: str) -> int:
    value = int(text)
    if abs(value) > INTEGER_LIMIT:
        raise ValueError(f"integer {text[:24]}... is out of range")
    return value


class StrictJSONParser(JSONParser):
    """RFC 8259 JSON: NaN and Infinity are refused, so are integers past 64 bits and nesting deep enough
    to exhaust the parser; every refusal is a 400 that says what was wrong.

    Floats too large for a double (1e400) parse to infinity and are refused by whatever reads them, with
    the field named.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return None
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(
                stream.read().decode(encoding), parse_constant=_constant_refuse, parse_int=_integer_parse
            )
        except UnicodeDecodeError as error:
            raise ParseError(f"The body is not {encoding} text: {error.reason}.") from error
        except ValueError as error:
            raise ParseError(f"JSON parse error: {error}") from error
        except RecursionError as error:
            raise ParseError("JSON parse error: nested too deeply.") from error


class BulkJSONParser(StrictJSONParser):
    """For bodies of megabytes of numbers (a master's forwarded batches): orjson, several times faster,
    with StrictJSONParser's answer for a body it refuses.

    Unlike StrictJSONParser it takes integers up to 2**64 - 1 and reads larger ones as floats: fit for
    bodies whose numbers are stored as doubles anyway.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return None
        body = stream.read()
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            return super().parse(io.BytesIO(body), media_type, parser_context)
