"""The OpenAPI schema of every API: each operation documents, besides its answers, the
problem+json errors it can give (core.api.errors), so clients and schema checkers know
every status code and its body."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from core.api.errors import _TITLES, PROBLEM_CONTENT_TYPE


class ProblemSerializer(serializers.Serializer):
    """Problem details (RFC 9457)."""

    class Meta:
        ref_name = "Problem"

    type = serializers.URLField(help_text="A stable identifier of the kind of problem.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.JSONField(help_text="What went wrong, for a person.")
    code = serializers.CharField(help_text="A stable code for programs.")
    errors = serializers.JSONField(required=False, help_text="Invalid fields and why.")


# Every operation can be refused for these.
ALWAYS = ("400", "401", "403", "404", "406", "429")
# Writes can also meet a conflict, an unsupported body or a refusal by the service.
WRITES = ("409", "415", "422")


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = list(ALWAYS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += WRITES
        for code in [c for c in responses if c >= "400"] + codes:
            response = self._get_response_for_code(
                ProblemSerializer, code, [PROBLEM_CONTENT_TYPE], direction
            )
            response["description"] = _TITLES.get(int(code), "Request refused")
            responses[code] = response
        return dict(sorted(responses.items()))
