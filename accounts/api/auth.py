"""Token sign-in for API clients."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts.login_throttle import client_address, lockout_message, login_lockout_seconds
from core.api.errors import ErrorSerializer
from core.api.schema import VALIDATION_ERROR_SCHEMA


class ObtainTokenView(ObtainAuthToken):
    """Trades a username and password for the user's API token.

    Throttled by the "token" rate so that passwords cannot be guessed at speed, and
    locked out like the login page after repeated wrong passwords.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        tags=["auth"],
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(VALIDATION_ERROR_SCHEMA, _("Wrong username or password.")),
            429: OpenApiResponse(
                ErrorSerializer, _("Too many attempts or failed sign-ins; wait and retry.")
            ),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        seconds = login_lockout_seconds(
            username=str(request.data.get("username", "")), address=client_address(request)
        )
        if seconds:
            return Response(
                {"detail": lockout_message(seconds)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(seconds)},
            )
        return super().post(request, *args, **kwargs)
