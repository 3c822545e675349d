"""One error shape for every API error, with a code a client can branch on.

The shape is drf-standardized-errors' (its handler formats every error):

    {"type": "validation_error" | "client_error" | "server_error",
     "errors": [{"code": "invalid", "detail": "Enter a whole number.", "attr": "year"}]}

`attr` names the parameter or field (dotted for nested payloads), or is null. A 404 says
"Not found." whatever was looked up, so no model name leaks.

The schema declares this shape once (`ERROR_COMPONENTS`), rather than the library's one
component per operation and status: a generated client gets one `Error` model.
"""

from rest_framework.exceptions import ErrorDetail, ValidationError

# Errors a client can see, written once so tests can assert on them.
UNKNOWN_PARAMETER = "Unknown query parameter: this endpoint has no parameter of this name."
REPEATED_PARAMETER = "This parameter takes one value, and was given more than once."
POSITION_NEEDS_LIST = "Ordering by position needs list= (the list whose positions to use)."

ERROR_TYPES = ["validation_error", "client_error", "server_error"]

ERROR_COMPONENTS = {
    "ErrorItem": {
        "type": "object",
        "properties": {
            "code": {
                "type": "string",
                "description": "A stable, machine-readable code (invalid, required, not_found, "
                "unknown_parameter, repeated_parameter, precondition_failed, throttled…).",
                "example": "invalid",
            },
            "detail": {
                "type": "string",
                "description": "A message for a person.",
                "example": "Enter a whole number.",
            },
            "attr": {
                "type": "string",
                "nullable": True,
                "description": "The parameter or field at fault (dotted for nested ones), or "
                "null when the error is about the whole request.",
                "example": "year",
            },
        },
        "required": ["code", "detail", "attr"],
    },
    "Error": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ERROR_TYPES, "example": "validation_error"},
            "errors": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ErrorItem"},
                "minItems": 1,
            },
        },
        "required": ["type", "errors"],
    },
}


def parameter_errors(errors):
    """A 400 naming each query parameter at fault: {name: (message, code)}."""
    return ValidationError(
        {name: [ErrorDetail(message, code)] for name, (message, code) in errors.items()}
    )
