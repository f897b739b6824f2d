"""Every error of the API is JSON: DRF's own, the domain's refusals, and whatever was not foreseen."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from pieng.errors import InputRefused
from tenants.middleware import DATABASE_DOWN_ERRORS, DATABASE_UNAVAILABLE, RETRY_AFTER

logger = logging.getLogger(__name__)


class InputRefusedError(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "input_refused"

    def __init__(self, error: InputRefused):
        super().__init__(detail=str(error))
        self.details = error.details()


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"
    default_detail = "The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE; send smaller batches."


def _api_exception(error: Exception) -> Exception:
    """The API exception a domain error stands for; other errors are returned as they are."""
    if isinstance(error, RequestDataTooBig):
        return BodyTooLarge()
    if isinstance(error, DjangoValidationError):
        return ValidationError(detail=as_serializer_error(error))
    if isinstance(error, InputRefused):
        return InputRefusedError(error)
    return error


def api_exception_handler(error: Exception, context: dict) -> Response:
    if isinstance(error, DATABASE_DOWN_ERRORS):
        # The database went away mid-request: its transaction rolled back, nothing was half-written.
        logger.warning("database unavailable in %s: %s", context.get("view").__class__.__name__, error)
        return Response({"detail": DATABASE_UNAVAILABLE}, status=503, headers=RETRY_AFTER)
    error = _api_exception(error)
    response = exception_handler(error, context)
    if response is None:
        # A bug: logged with its traceback, answered in JSON like everything else.
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__, exc_info=error)
        return Response({"detail": "Internal error; it has been logged."}, status=500)
    if isinstance(error, InputRefusedError):
        response.data = {"detail": response.data["detail"], **error.details}
    return response


@csrf_exempt
def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Unknown paths under the API prefix answer in JSON too."""
    return JsonResponse({"detail": "Not found."}, status=404)
